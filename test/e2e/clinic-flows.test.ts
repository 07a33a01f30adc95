/**
 * The core trainer flows on the built binary, on both dialects (issue 18):
 * once on a SQLite file, once with `--db <the trainer's URL>` on a fresh
 * clinic; the same commands and the same assertions. Then, on PostgreSQL only,
 * what a clinician may and may not do, and an administrator's transfer.
 * (export/import are left to their own suite.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { day } from '../helpers/answers.js';
import { TKA_ANSWERS } from '../helpers/tka-client.js';
import { bf, cleanEnv, type Result } from '../helpers/cli.js';
import { readPdf } from '../helpers/pdf.js';
import { asSuperuser, describeDialects, freshClinic, type Clinic, type Dialect } from '../helpers/postgres.js';
import { tempDir } from '../helpers/tmp.js';

const TRAINER = 'Sam Rivera';
const PHYSIO = 'Dr Anna Weber';
/** Whom her knee's referrals go to: the physiotherapist of the care team, with her contact. */
const TO_PHYSIO = `${PHYSIO} (physiotherapist), anna.weber@example.org`;

interface Setup {
  cwd: string;
  /** Where the trainer works: the SQLite file, or the trainer's own URL on the clinic. */
  db: string;
  run: (args: string[]) => Promise<Result>;
  clinic?: Clinic;
  trainer?: string;
}

/**
 * A trainer named Sam Rivera with an empty database. On SQLite the name is the
 * file's setting (config set trainer.name); in a clinic, where trainer.* are
 * each member's own, the member name the administrator gave (clinic
 * add-trainer --name) until they set one.
 */
async function trainerOn(dialect: Dialect): Promise<Setup> {
  const cwd = tempDir();
  if (dialect === 'sqlite') {
    const db = path.join(cwd, 'clients.db');
    const run = (args: string[]) => bf(['--db', db, ...args], { cwd });
    const named = await run(['config', 'set', 'trainer.name', TRAINER]);
    expect([named.exitCode, named.stderr]).toEqual([0, `trainer.name = ${TRAINER}\n`]);
    return { cwd, db, run };
  }
  const clinic = await freshClinic();
  const trainer = await clinic.member('trainer', TRAINER, 'sam');
  const db = clinic.url(trainer);
  const run = (args: string[]) => bf(['--db', db, ...args], { cwd });
  // The clinic's screening rules are the administrators'; a member's own name is theirs (their member name until they set one).
  const refused = await run(['config', 'set', 'screening.bpHold', '190/110']);
  expect([refused.exitCode, refused.stdout]).toEqual([1, '']);
  expect(refused.stderr).toBe(
    "bridgefit: screening.bpHold is the clinic's setting: its administrators change it (your own are trainer.name, trainer.credentials, trainer.organisation and trainer.contact)\n",
  );
  const named = await run(['config', 'get', 'trainer.name']);
  expect([named.exitCode, named.stdout, named.stderr]).toEqual([0, `${TRAINER}\n`, '']);
  return { cwd, db, run, clinic, trainer };
}

/** Zoë Moreau: left knee replacement 40 days ago, intake 20 days ago, her physiotherapist in the care team. */
const answers = { ...TKA_ANSWERS, vitals: { restingHr: 66 } };

const ok = (r: Result, what: string) => expect(r.exitCode, `${what}: ${r.stderr}`).toBe(0);
const knee = (flexion: number, extension: number, effusion: string) => ['--measure', `knee_flexion.left=${flexion}`, '--measure', `knee_extension.left=${extension}`, '--measure', `effusion_grade.left=${effusion}`];
const session = (date: string) => ['progress', 'add', 'zoe', '--date', date, '--pain-before', '1', '--pain-during', '2', '--pain-after', '2', '--rpe', '4'];

/** client add → intake → screen → clearance → program: the start of every flow below. Returns the setup. */
async function zoeWithProgram(dialect: Dialect): Promise<Setup> {
  const s = await trainerOn(dialect);
  const { cwd, run } = s;
  const added = await run(['client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12', '--sex', 'female', '--physio', PHYSIO, '--physio-contact', 'anna.weber@example.org']);
  expect([added.exitCode, added.stdout, added.stderr]).toEqual([0, '', 'Added client 1: Zoë Moreau\n']);

  fs.writeFileSync(path.join(cwd, 'a.json'), JSON.stringify(answers));
  const intake = await run(['intake', 'zoe', '--answers', path.join(cwd, 'a.json')]);
  expect([intake.exitCode, intake.stderr]).toEqual([0, `Saved intake 1 for Zoë Moreau (${day(20)}).\n`]);
  expect(intake.stdout).toMatch(/^Screening: Zoë Moreau \(client 1; intake of \S+; screening-[\d.]+\)\nGate {10}OK to start\n/);

  const screen = await run(['screen', 'zoe', '--json']);
  expect([screen.exitCode, screen.stderr]).toEqual([0, '']);
  expect(JSON.parse(screen.stdout)).toMatchObject({ clientId: 1, intakeId: 1, gate: 'ok', sessionToday: 'go', acsm: { outcome: 'not-necessary' }, parq: { outcome: 'proceed', yes: ['q6'] }, redFlags: [] });

  const clearance = await run(['clearance', 'add', 'zoe', '--clinician', 'J. Okafor', '--profession', 'GP', '--date', day(19), '--status', 'cleared']);
  expect([clearance.exitCode, clearance.stdout]).toEqual([0, '']);
  expect(clearance.stderr.split('\n')[0]).toBe(`Recorded clearance 1 for Zoë Moreau: cleared by J. Okafor on ${day(19)}, valid until ${day(19 - 365)}.`);

  const program = await run(['program', 'generate', 'zoe', '--start', day(14)]);
  expect([program.exitCode, program.stderr]).toEqual([0, 'Generated program 1 for Zoë Moreau: After total knee replacement.\n']);
  expect(program.stdout).toContain('Stage 1: Early recovery');
  return s;
}

describeDialects('core trainer flows on the built binary', (dialect) => {
  it('client add → intake → screen → clearance → program → sessions, a referral, amend and void → status, advance refused then made → resolve → summary → report → history', async () => {
    const { cwd, db, run } = await zoeWithProgram(dialect);

    // Sessions: one plain, one with effusion 2+ (a red flag for the knee: refer, hold progression), one in error.
    const first = await run([...session(day(10)), ...knee(92, 8, 'trace')]);
    expect([first.exitCode, first.stderr]).toEqual([0, `Recorded session 1 for Zoë Moreau (${day(10)}).\n`]);
    expect(first.stdout).toContain('Next: repeat this level');
    ok(await run(['progress', 'amend', 'zoe', '--next-day-pain', '1']), 'amend 1');
    const flagged = await run([...session(day(8)), ...knee(95, 6, '2+')]);
    expect([flagged.exitCode, flagged.stderr]).toEqual([0, `Recorded session 2 for Zoë Moreau (${day(8)}).\n`]);
    expect(flagged.stdout).toContain(`Refer; hold progression: Knee effusion 2+ (left knee): hold progression and refer to a clinician (referral 1 to ${TO_PHYSIO})`);
    expect(flagged.stdout).toContain('Next: reduce');
    const wrong = await run(['progress', 'add', 'zoe', '--date', day(6), '--pain-before', '4', '--rpe', '6', '--json']);
    ok(wrong, 'the session in error');
    expect(JSON.parse(wrong.stdout)).toMatchObject({ entryId: 3, date: day(6), decision: { today: 'go' } });

    // Amend: a field of an earlier entry, old → new, kept with who.
    const amended = await run(['progress', 'amend', 'zoe', '--entry', '2', '--next-day-pain', '2', '--note', 'knee warm, iced']);
    ok(amended, 'amend');
    expect(amended.stderr).toBe(`Amended entry 2 (${day(8)}) for Zoë Moreau; the earlier values are kept ("bridgefit history 1").\n`);
    expect(amended.stdout).toContain('  next-morning pain: - → 2\n');
    expect(amended.stdout).toContain('  note: - → knee warm, iced\n');
    // Void: out of every figure, kept in the list and the history.
    const voided = await run(['progress', 'void', 'zoe', '--entry', '3', '--reason', 'recorded for the wrong client']);
    expect([voided.exitCode, voided.stderr]).toEqual([0, `Voided entry 3 (${day(6)}) for Zoë Moreau: it counts in nothing now, and stays in the history.\n`]);
    const again = await run(['progress', 'void', 'zoe', '--entry', '3', '--reason', 'again']);
    expect([again.exitCode, again.stdout]).toEqual([2, '']);
    expect(again.stderr).toMatch(/^bridgefit: entry 3 was voided on .*nothing was changed\n$/);
    const list = await run(['progress', 'list', 'zoe']);
    expect([list.exitCode, list.stderr]).toEqual([0, '']);
    expect(list.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^1\\t${day(10)}\\t1\\tyes\\t1/2/2/1\\t4/10\\t-\\tknee_flexion\\.left=92 knee_extension\\.left=8 effusion_grade\\.left=trace\\t`)),
      expect.stringMatching(new RegExp(`^2\\t${day(8)}\\t1\\tyes\\t1/2/2/2\\t4/10\\t-\\t.*effusion_grade\\.left=2\\+\\treduce \\(flagged: effusion_2plus\\)$`)),
      expect.stringMatching(new RegExp(`^3\\t${day(6)}\\t1\\tVOID: recorded for the wrong client\\t`)),
    ]);

    // Status and advance: held by the open referral and the effusion; the refusal changes nothing.
    const status = await run(['program', 'status', 'zoe', '--json']);
    expect([status.exitCode, status.stderr]).toEqual([0, '']);
    const st = JSON.parse(status.stdout);
    expect(st).toMatchObject({ clientId: 1, programId: 1, stage: 1, stages: 4, sessionsAttended: 2, readyToAdvance: false });
    const held = (gates: { code: string; status: string }[]) => gates.filter((g) => g.status === 'held').map((g) => g.code);
    expect(held(st.gates)).toEqual(['exit_criteria', 'open_referrals', 'latest_advice', 'effusion']);
    const refused = await run(['program', 'advance', 'zoe', '--sign-off', 'trainer', '--profession', 'exercise physiologist']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toMatch(/held\s+open referral: referral open: 1 \(Knee effusion 2\+/);
    expect(refused.stdout).toContain(`trainer sign-off by ${TRAINER} (exercise physiologist) on ${day(0)}: met`);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^bridgefit: not advanced: .*open referral held .*effusion held .*nothing was changed \(--force --reason "…" to advance anyway, recorded\)\n$/);
    expect(JSON.parse((await run(['program', 'status', 'zoe', '--json'])).stdout)).toMatchObject({ stage: 1, readyToAdvance: false });

    // The referral: listed with whom it went to, resolved with a note (and who, from the trainer's name).
    const open = await run(['referral', 'list', '--json']);
    expect(JSON.parse(open.stdout)).toEqual([expect.objectContaining({ id: 1, clientId: 1, entryId: 2, raisedOn: day(8), code: 'effusion_2plus', toWhom: TO_PHYSIO, status: 'open', client: 'Zoë Moreau' })]);
    expect((await run(['referral', 'resolve', '1'])).exitCode).toBe(2);
    const resolved = await run(['referral', 'resolve', '1', '--note', 'Dr Weber: settled with rest, may progress']);
    expect([resolved.exitCode, resolved.stdout, resolved.stderr]).toEqual([0, '', 'Resolved referral 1.\n']);
    const none = await run(['referral', 'list']);
    expect([none.exitCode, none.stdout, none.stderr]).toEqual([0, '', 'No open referrals.\n']);
    expect(JSON.parse((await run(['referral', 'list', '--all', '--json'])).stdout)).toEqual([expect.objectContaining({ id: 1, status: 'resolved', resolvedOn: day(0), resolvedBy: TRAINER })]);

    // Two clean sessions later, every gate passes: advance, signed off by the trainer (the name on file).
    for (const [d, flexion, extension] of [[3, 97, 5], [1, 99, 4]] as const) {
      ok(await run([...session(day(d)), ...knee(flexion, extension, 'trace')]), `session ${d} days ago`);
      ok(await run(['progress', 'amend', 'zoe', '--next-day-pain', '1']), `next-morning pain ${d} days ago`);
    }
    const advanced = await run(['program', 'advance', 'zoe', '--sign-off', 'trainer', '--profession', 'exercise physiologist', '--json']);
    expect([advanced.exitCode, advanced.stderr]).toEqual([0, '']);
    expect(JSON.parse(advanced.stdout)).toMatchObject({ advanced: true, forced: false, toStage: 2 });
    expect(JSON.parse((await run(['program', 'status', 'zoe', '--json'])).stdout)).toMatchObject({ stage: 2, stageStartedOn: day(0) });

    // summary: the table and JSON (the JSON through BRIDGEFIT_DB instead of --db, as a script would set it).
    const table = await run(['summary']);
    expect([table.exitCode]).toEqual([0]);
    expect(table.stdout).toMatch(new RegExp(`^1\\tZoë Moreau\\t2\\t4/\\d+\\t\\d+%\\t\\S+\\t[^\\t]*\\t0\\t`));
    expect(table.stderr).toMatch(/^1 client\(s\), \S+ to \S+/);
    const json = await bf(['summary', '--json'], { cwd, env: cleanEnv(cwd, { BRIDGEFIT_DB: db }) });
    expect([json.exitCode, json.stderr]).toEqual([0, '']);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ client: 'Zoë Moreau', clientId: 1, status: 'active', stage: 2, sessionsAttended: 4, openReferrals: 0, lastSession: day(1) }),
    ]);

    // The clinician report: written, and what it says read back.
    const out = path.join(cwd, 'zoe.pdf');
    const report = await run(['report', 'zoe', '--out', out]);
    expect([report.exitCode, report.stdout]).toEqual([0, '']);
    expect(report.stderr).toMatch(/^Wrote the report for Zoë Moreau to .*zoe\.pdf \(\d+ pages\)\n$/);
    const { text } = await readPdf(out);
    expect(text).toContain('Zoë Moreau');
    expect(text).toContain(TRAINER);
    expect(text).toContain(`resolved ${day(0)} by ${TRAINER}: Dr Weber: settled with rest, may progress`);
    expect(text).toMatch(new RegExp(`Voided on \\d{4}-\\d\\d-\\d\\d by ${TRAINER}: recorded for the wrong client`));
    expect(text).toContain(`signed off by the trainer: ${TRAINER} (exercise physiologist)`);
    // Asked again, it will not overwrite without --force.
    const twice = await run(['report', 'zoe', '--out', out]);
    expect([twice.exitCode, twice.stderr]).toEqual([1, `bridgefit: ${out} already exists; give --force to replace it, or choose another --out\n`]);

    // history: every change, oldest first, with who made the amendments and the void.
    const history = await run(['history', 'zoe', '--json']);
    expect([history.exitCode, history.stderr]).toEqual([0, '']);
    const items = JSON.parse(history.stdout) as { action: string; entityId: number | null; by: string | null; changes: unknown[]; detail: Record<string, unknown> }[];
    expect(items.map((i) => i.action)).toEqual([
      'client.create',
      'intake.create',
      'clearance.create',
      'program.generate',
      'progress.create',
      'progress.amend',
      'progress.create',
      'referral.raise',
      'progress.create',
      'progress.amend',
      'progress.void',
      'referral.resolve',
      'progress.create',
      'progress.amend',
      'progress.create',
      'progress.amend',
      'program.advance',
    ]);
    expect(items.filter((i) => i.action === 'progress.amend' || i.action === 'progress.void').map((i) => i.by)).toEqual([TRAINER, TRAINER, TRAINER, TRAINER, TRAINER]);
    expect(items.find((i) => i.action === 'progress.amend' && i.entityId === 2)!.changes).toEqual(
      expect.arrayContaining([
        { field: 'nextDayPain', from: null, to: 2 },
        { field: 'notes', from: null, to: 'knee warm, iced' },
      ]),
    );
    // Who made the rest: on a file, only what the app recorded a name with; in a clinic, every
    // record says which login wrote it (audit_log.actor), shown by the member's name.
    if (dialect === 'sqlite') expect(items.filter((i) => i.by === null).map((i) => i.action)).toEqual(items.map((i) => i.action).filter((a) => a !== 'progress.amend' && a !== 'progress.void'));
    else expect(new Set(items.map((i) => i.by))).toEqual(new Set([TRAINER]));
    const shown = await run(['history', 'zoe']);
    expect([shown.exitCode, shown.stderr]).toEqual([0, '']);
    expect(shown.stdout).toMatch(new RegExp(`progress void\\tvoid entry 3\\tdate: ${day(6)}; reason: recorded for the wrong client\\t${TRAINER}\\n`));
    expect(shown.stdout).toMatch(/program advance\tadvance program 1\tstage: 1 → 2/);
  }, 180_000);

  if (dialect === 'postgres') {
    it("a clinician named in the care team reads the client, records a clearance and resolves a referral, and cannot record a session", async () => {
      const { clinic, run } = await zoeWithProgram(dialect);
      const anna = await clinic!.member('clinician', PHYSIO, 'anna');
      const asAnna = (args: string[]) => bf(['--db', clinic!.url(anna), ...args], { cwd: tempDir() });

      // A session with a finding for the physiotherapist: the referral goes to her by name.
      const flagged = await run([...session(day(5)), ...knee(95, 6, '2+')]);
      expect(flagged.stdout).toContain(`(referral 1 to ${TO_PHYSIO})`);

      const listed = await asAnna(['client', 'list', '--json']);
      expect([listed.exitCode, listed.stderr]).toEqual([0, '']);
      expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: 1, firstName: 'Zoë', lastName: 'Moreau' })]);
      const referrals = await asAnna(['referral', 'list', '--json']);
      expect(JSON.parse(referrals.stdout)).toEqual([expect.objectContaining({ id: 1, code: 'effusion_2plus', status: 'open' })]);

      // What she may not do: record a session. One line, exit 1, nothing written.
      const denied = await asAnna(['progress', 'add', 'zoe', '--pain-before', '1']);
      expect([denied.exitCode, denied.stdout]).toEqual([1, '']);
      expect(denied.stderr.trim().split('\n')).toHaveLength(1);
      expect(denied.stderr).toMatch(/^bridgefit: not allowed in the clinic database .*: permission denied for table progress_entries\n$/);
      expect(JSON.parse((await run(['progress', 'list', 'zoe', '--json'])).stdout)).toHaveLength(1);

      // What she may: resolve the referral (recorded as hers) and add a clearance.
      const resolved = await asAnna(['referral', 'resolve', '1', '--note', 'aspirated; may continue']);
      expect([resolved.exitCode, resolved.stderr]).toEqual([0, 'Resolved referral 1.\n']);
      const clearance = await asAnna(['clearance', 'add', 'zoe', '--clinician', PHYSIO, '--profession', 'physiotherapist', '--status', 'cleared-with-restrictions', '--restrict', 'no_impact']);
      expect([clearance.exitCode, clearance.stdout]).toEqual([0, '']);
      expect(clearance.stderr).toContain(`Recorded clearance 2 for Zoë Moreau: cleared-with-restrictions by ${PHYSIO} on ${day(0)}, valid until`);
      expect(clearance.stderr).toContain('warning: the clearance in force differs from the one the program was built with (it adds no impact)');
      // The trainer sees both, and who resolved.
      expect(JSON.parse((await run(['referral', 'list', '--all', '--json'])).stdout)).toEqual([expect.objectContaining({ id: 1, status: 'resolved', resolvedBy: PHYSIO, resolutionNote: 'aspirated; may continue' })]);
      const shown = await run(['program', 'status', 'zoe']);
      expect(shown.stdout).toContain('the clearance in force differs from the one the program was built with');
      const history = JSON.parse((await run(['history', 'zoe', '--json'])).stdout) as { action: string; by: string | null }[];
      expect(history.filter((i) => i.action === 'referral.resolve' || i.action === 'clearance.create').map((i) => [i.action, i.by])).toEqual([
        ['clearance.create', TRAINER],
        ['referral.resolve', PHYSIO],
        ['clearance.create', PHYSIO],
      ]);
    }, 120_000);

    // Resolving a red flag's referral screens the client again and stores the new verdict: a
    // clinician may store that screening (migration 0012), so the gate opens.
    it("a clinician resolves a red flag's referral after the trainer screened the client while it was open", async () => {
      const { clinic, run } = await zoeWithProgram(dialect);
      const anna = await clinic!.member('clinician', PHYSIO, 'anna');
      const chest = await run(['progress', 'add', 'zoe', '--date', day(2), '--bp', '132/80', '--symptom', 'chest_pain']);
      expect(chest.stdout).toContain('HOLD: no session today');
      expect(JSON.parse((await run(['screen', 'zoe', '--json'])).stdout)).toMatchObject({ gate: 'refer' });
      const resolved = await bf(['--db', clinic!.url(anna), 'referral', 'resolve', '1', '--note', 'GP and physio: musculoskeletal'], { cwd: tempDir() });
      expect([resolved.exitCode, resolved.stderr]).toEqual([0, 'Resolved referral 1.\n']);
      expect(JSON.parse((await run(['screen', 'zoe', '--json'])).stdout)).toMatchObject({ gate: 'ok' });
    }, 120_000);

    it('a clinician signs off the stage and moves the program on, as herself; without her sign-off she cannot', async () => {
      // A hip replacement: its first stage ends with the clinician's sign-off (templates/programs/hip_tha.yaml).
      const { clinic, run, cwd } = await trainerOn(dialect);
      ok(await run(['client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12', '--sex', 'female', '--surgeon', PHYSIO]), 'client add');
      fs.writeFileSync(path.join(cwd, 'hip.json'), JSON.stringify({ ...answers, conditions: [{ code: 'hip_tha', side: 'left', date: day(40) }] }));
      ok(await run(['intake', 'zoe', '--answers', path.join(cwd, 'hip.json')]), 'intake');
      ok(await run(['clearance', 'add', 'zoe', '--clinician', 'J. Okafor', '--profession', 'GP', '--date', day(19), '--status', 'cleared']), 'clearance');
      ok(await run(['program', 'generate', 'zoe', '--start', day(14)]), 'program');
      const anna = await clinic!.member('clinician', PHYSIO, 'anna');
      await asSuperuser(clinic!.database, 'update clinic_members set profession = $1 where login = $2', ['physiotherapist', anna]);
      for (const d of [5, 3, 1]) {
        ok(await run([...session(day(d)), '--measure', 'walking_minutes=12']), `session ${d} days ago`);
        ok(await run(['progress', 'amend', 'zoe', '--next-day-pain', '1']), `next-morning pain ${d} days ago`);
      }
      const asAnna = (args: string[]) => bf(['--db', clinic!.url(anna), ...args], { cwd: tempDir() });
      const bare = await asAnna(['program', 'advance', 'zoe']);
      expect([bare.exitCode, bare.stderr]).toEqual([1, 'bridgefit: a clinician advances a stage only with their own sign-off: bridgefit program advance <client> --sign-off clinician (never --force)\n']);
      // Signed as the member she is: her name and profession come from the clinic.
      const advanced = await asAnna(['program', 'advance', 'zoe', '--sign-off', 'clinician', '--note', 'quads control good', '--json']);
      expect([advanced.exitCode, advanced.stderr]).toEqual([0, '']);
      expect(JSON.parse(advanced.stdout)).toMatchObject({ advanced: true, forced: false, toStage: 2 });
      const status = JSON.parse((await run(['program', 'status', 'zoe', '--json'])).stdout);
      expect(status).toMatchObject({ stage: 2 });
      const signoffs = await asSuperuser(clinic!.database, 'select by, signed_by, profession, recorded_by from signoffs');
      expect(signoffs).toEqual([{ by: 'clinician', signed_by: PHYSIO, profession: 'physiotherapist', recorded_by: anna }]);
    }, 120_000);

    it("the administrator's client transfer moves the client: the old trainer no longer lists it, the new one does", async () => {
      const { clinic, run, trainer } = await zoeWithProgram(dialect);
      // A trainer added without a name.
      const ben = await clinic!.member('trainer', null, 'ben');
      const asAdmin = (args: string[]) => bf(['--db', clinic!.url(clinic!.admin), ...args], { cwd: tempDir() });
      const asBen = (args: string[]) => bf(['--db', clinic!.url(ben), ...args], { cwd: tempDir() });
      expect(JSON.parse((await asBen(['client', 'list', '--json'])).stdout)).toEqual([]);

      // A trainer may not transfer; the administrator may.
      const notHers = await run(['client', 'transfer', 'zoe', '--to', ben]);
      expect([notHers.exitCode, notHers.stderr]).toEqual([1, `bridgefit: client transfer is for the clinic's administrators; ${trainer} is a trainer\n`]);
      const moved = await asAdmin(['client', 'transfer', 'zoe', '--to', ben]);
      expect([moved.exitCode, moved.stdout]).toEqual([0, '']);
      expect(moved.stderr).toBe(`Client 1: Zoë Moreau is now ${ben}'s (was ${trainer}'s)\n`);

      // The administrator's CSV says whose client each is, in its last column.
      const csv = await asAdmin(['client', 'list', '--format', 'csv']);
      expect(csv.stdout.split('\n')[0]).toMatch(/,updatedAt,trainer$/);
      expect(csv.stdout.split('\n')[1]).toMatch(new RegExp(`,${ben}$`));
      const old = await run(['client', 'list']);
      expect([old.exitCode, old.stdout]).toEqual([0, '']);
      expect(old.stderr).toContain('No active clients.');
      const gone = await run(['program', 'status', 'zoe']);
      expect(gone.exitCode).toBe(3);
      expect(JSON.parse((await asBen(['client', 'list', '--json'])).stdout)).toEqual([expect.objectContaining({ id: 1, firstName: 'Zoë' })]);
      // Everything under the client went with them.
      const status = await asBen(['program', 'status', 'zoe', '--json']);
      expect(JSON.parse(status.stdout)).toMatchObject({ clientId: 1, programId: 1, stage: 1 });
      ok(await asBen([...session(day(2))]), 'the new trainer records a session');
      // Ben has no member name and no trainer.name of his own: his report says how to set it (his alone).
      const dir = tempDir();
      const report = await bf(['--db', clinic!.url(ben), 'report', 'zoe', '--out', path.join(dir, 'zoe.pdf')], { cwd: dir });
      expect(report.exitCode, report.stderr).toBe(0);
      expect(report.stderr).toContain('warning: trainer.name is not set, so reports carry no trainer name; set it once: bridgefit config set trainer.name "Your Name" (yours alone in the clinic)');
      const members = await asAdmin(['clinic', 'members', '--json']);
      expect(JSON.parse(members.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ login: ben, kind: 'trainer', clients: 1 }), expect.objectContaining({ login: trainer, kind: 'trainer', clients: 0 })]));
      const history = JSON.parse((await asBen(['history', 'zoe', '--json'])).stdout) as { action: string; detail: Record<string, unknown>; by: string | null; login: string | null }[];
      // By the administrator, who has no member name: the login says who.
      expect(history.find((i) => i.action === 'client.transfer')).toMatchObject({ detail: { from: trainer, to: ben }, by: null, login: clinic!.admin });
    }, 120_000);
  }
});
