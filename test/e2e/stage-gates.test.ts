/**
 * program advance, end to end on the built binary, for issue 15 findings 2
 * (time gates, named sign-offs, force with reason shown in the report), 3
 * (latest advice, rising effusion) and 7 (clearance before vigorous work; an
 * --override program stays moderate without sport drills).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bf } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { readPdf } from '../helpers/pdf.js';
import { tempDir } from '../helpers/tmp.js';
import { allNo, day } from '../helpers/answers.js';


/** A session as a trainer records it: the entry, then next-morning pain 1/10 the day after (progress amend). */
async function session(run: (args: string[]) => Promise<{ exitCode: number; stderr: string }>, args: string[]) {
  const added = await run(['progress', 'add', 'ana', ...args]);
  expect(added.stderr).not.toContain('bridgefit:');
  expect(added.exitCode).toBe(0);
  expect((await run(['progress', 'amend', 'ana', '--next-day-pain', '1'])).exitCode).toBe(0);
}

async function setup(answers: Record<string, unknown>) {
  const cwd = tempDir();
  const db = path.join(cwd, 'clients.db');
  const run = (args: string[]) => bf(['--db', db, ...args], { cwd });
  await run(['client', 'add', '--first-name', 'Ana', '--last-name', 'Silva', '--dob', '1968-05-04']);
  fs.writeFileSync(path.join(cwd, 'a.json'), JSON.stringify({ physicallyActive: false, parq: { ...allNo, q6: true, followUps: { arthritis: { has: false } } }, desiredIntensity: 'moderate', ...answers }));
  const intake = await run(['intake', 'ana', '--answers', path.join(cwd, 'a.json')]);
  expect(intake.exitCode).toBe(0);
  return { cwd, db, run };
}

describe('finding 2: time gates hold even with a sign-off; only --force --reason passes, recorded and reported', () => {
  it('rotator cuff repair 12 days post-op, clinician sign-off → held on the time since surgery (Thigpen 2016), then forced with a reason', async () => {
    const { cwd, db, run } = await setup({ date: day(10), conditions: [{ code: 'rotator_cuff_repair', side: 'right', date: day(12) }] });
    await run(['clearance', 'add', 'ana', '--clinician', 'J. Okafor', '--profession', 'physiotherapist', '--date', day(10), '--status', 'cleared']);
    expect((await run(['program', 'generate', 'ana', '--start', day(10)])).exitCode).toBe(0);
    for (const d of [4, 2]) {
      await session(run, ['--date', day(d), '--pain-before', '1', '--pain-during', '1', '--pain-after', '1', '--measure', 'shoulder_flexion.right=125']);
    }
    const signOff = ['--sign-off', 'clinician', '--signed-by', 'Dr A. Physio', '--profession', 'physiotherapist'];
    // A sign-off dated in the future is refused before anything is read.
    expect((await run(['program', 'advance', 'ana', ...signOff, '--signed-on', day(-1)])).stderr).toContain('is in the future');
    const held = await run(['program', 'advance', 'ana', ...signOff]);
    expect(held.exitCode).toBe(1);
    expect(held.stdout).toMatch(/held\s+stage minimum: stage 1 planned minimum 3 weeks: 10 of 21 days/);
    expect(held.stdout).toMatch(new RegExp(`held\\s+time since surgery: rotator cuff repair 12 days ago \\(${day(12)}\\); stage 2 starts from week 6 after surgery, on ${day(12 - 42)}`));
    expect(held.stdout).toContain('source: ASSET consensus (Thigpen et al., JSES 2016)');
    expect(held.stderr).toContain('not advanced: ');
    expect(held.stderr).toContain('time since surgery held (rotator cuff repair 12 days ago');
    expect(rows(db, 'select current_stage from programs')).toEqual([{ current_stage: 1 }]);
    expect(rows(db, 'select count(*) as n from signoffs')).toEqual([{ n: 0 }]);
    expect(rows(db, 'select count(*) as n from stage_transitions')).toEqual([{ n: 0 }]);

    // program status says the same, from the same gates.
    const status = JSON.parse((await run(['program', 'status', 'ana', '--json'])).stdout);
    expect(status.readyToAdvance).toBe(false);
    expect(status.gates.find((g: { code: string }) => g.code === 'since_surgery')).toMatchObject({ status: 'held' });

    // --force without a reason is refused; with one it goes ahead, recorded with what it passed.
    expect((await run(['program', 'advance', 'ana', '--force'])).exitCode).toBe(2);
    const forced = await run(['program', 'advance', 'ana', ...signOff, '--force', '--reason', 'surgeon allows active range early, letter of today']);
    expect(forced.exitCode).toBe(0);
    expect(forced.stderr).toContain('forced past 2 gate(s): stage 1 planned minimum 3 weeks: 10 of 21 days');
    const [t] = rows(db, 'select forced, reason, evidence from stage_transitions');
    expect(t).toMatchObject({ forced: 1, reason: 'surgeon allows active range early, letter of today' });
    const evidence = JSON.parse(t!.evidence as string);
    expect(evidence).toMatchObject({ ruleVersion: 'stage-1.0.0', forcedPast: ['stage_minimum', 'since_surgery'] });
    expect(rows(db, 'select by, signed_by, profession, on_date from signoffs')).toEqual([{ by: 'clinician', signed_by: 'Dr A. Physio', profession: 'physiotherapist', on_date: day(0) }]);

    // The clinician's report shows the forced advance and what it passed.
    const out = path.join(cwd, 'ana.pdf');
    expect((await run(['report', 'ana', '--out', out])).exitCode).toBe(0);
    const { text } = await readPdf(out);
    expect(text).toContain('forced past the gates that held: surgeon allows active range early, letter of today');
    expect(text).toContain(`FORCED PAST: rotator cuff repair 12 days ago (${day(12)})`);
    expect(text).toContain('signed off by the clinician: Dr A. Physio (physiotherapist)');
  });
});

describe('finding 3: the latest advice and a rising effusion hold the stage', () => {
  const tka = { date: day(20), conditions: [{ code: 'knee_tka', side: 'left', date: day(40) }] };
  const measures = (effusion: string) => ['--measure', 'knee_flexion.left=95', '--measure', 'knee_extension.left=5', '--measure', `effusion_grade.left=${effusion}`];
  const signOff = ['--sign-off', 'trainer', '--signed-by', 'Sam Rivera', '--profession', 'exercise physiologist'];

  async function knee() {
    const s = await setup(tka);
    await s.run(['clearance', 'add', 'ana', '--clinician', 'J. Okafor', '--profession', 'physiotherapist', '--date', day(19), '--status', 'cleared']);
    expect((await s.run(['program', 'generate', 'ana', '--start', day(14)])).exitCode).toBe(0);
    return s;
  }

  it('a knee replacement with pain 8/10 at the last session ("reduce") does not advance', async () => {
    const { db, run } = await knee();
    await session(run, ['--date', day(6), '--pain-before', '1', '--pain-during', '2', '--pain-after', '2', ...measures('trace')]);
    await session(run, ['--date', day(3), '--pain-before', '1', '--pain-during', '8', '--pain-after', '8', ...measures('trace')]);
    const r = await run(['program', 'advance', 'ana', ...signOff]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`held\\s+latest advice: latest session \\(${day(3)}\\) advised reduce`));
    expect(r.stderr).toContain('latest advice held');
    expect(rows(db, 'select current_stage from programs')).toEqual([{ current_stage: 1 }]);
  });

  it('effusion trace → 1+ does not advance (Sturgill 2009); after it settles it does', async () => {
    const { db, run } = await knee();
    await session(run, ['--date', day(6), '--pain-before', '1', '--pain-during', '2', '--pain-after', '2', ...measures('trace')]);
    await session(run, ['--date', day(3), '--pain-before', '1', '--pain-during', '2', '--pain-after', '2', ...measures('1+')]);
    const r = await run(['program', 'advance', 'ana', ...signOff]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`held     effusion: knee effusion (stroke test) left knee trace on ${day(6)} → 1+ on ${day(3)}: rising`);
    expect(rows(db, 'select count(*) as n from stage_transitions')).toEqual([{ n: 0 }]);
    await session(run, ['--date', day(1), '--pain-before', '1', '--pain-during', '2', '--pain-after', '2', ...measures('trace')]);
    const ok = await run(['program', 'advance', 'ana', ...signOff, '--json']);
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ advanced: true, forced: false, toStage: 2 });
  });
});

describe('finding 7: vigorous stages wait for a clearance', () => {
  const active = {
    date: day(30),
    physicallyActive: true,
    desiredIntensity: 'vigorous',
    conditions: [{ code: 'acl_reconstruction', side: 'left', date: day(60) }, { code: 'type2_diabetes' }],
    parq: { ...allNo, q6: true, followUps: { arthritis: { has: false }, other: { has: false }, metabolic: { has: true, a: false, b: false, c: false, d: false, e: false } } },
  };

  it('active with known disease ("recommended before vigorous"): the ACL stage reaching RPE 7 is held until a clearance is on file', async () => {
    const { db, run } = await setup(active);
    expect((await run(['program', 'generate', 'ana', '--start', day(28)])).exitCode).toBe(0);
    for (const d of [6, 2]) {
      await session(run, ['--date', day(d), '--pain-before', '1', '--pain-during', '2', '--pain-after', '2', '--measure', 'knee_extension.left=0', '--measure', 'knee_flexion.left=120', '--measure', 'effusion_grade.left=trace']);
    }
    const signOff = ['--sign-off', 'clinician', '--signed-by', 'Dr B. Surgeon', '--profession', 'orthopaedic surgeon'];
    const held = await run(['program', 'advance', 'ana', ...signOff]);
    expect(held.exitCode).toBe(1);
    expect(held.stdout).toMatch(/held\s+clearance for vigorous work: stage 2 reaches vigorous intensity \(Leg press machine: RPE 5–7\/10/);
    expect(held.stdout).toContain('no clearance is in force');
    expect(held.stderr).toContain('clearance for vigorous work held');
    expect(rows(db, 'select current_stage from programs')).toEqual([{ current_stage: 1 }]);
    await run(['clearance', 'add', 'ana', '--clinician', 'Dr C. Costa', '--profession', 'physician', '--date', day(0), '--status', 'cleared']);
    const ok = await run(['program', 'advance', 'ana', ...signOff, '--json']);
    expect(ok.exitCode).toBe(0);
    const out = JSON.parse(ok.stdout);
    expect(out).toMatchObject({ advanced: true, forced: false, toStage: 2 });
    expect(out.gates.find((g: { code: string }) => g.code === 'vigorous_clearance').reason).toContain('cleared by Dr C. Costa (physician)');
  });

  it('an --override program without clearance keeps every stage moderate and has no plyometric or cutting drills, and says so', async () => {
    const { run } = await setup({ ...active, physicallyActive: false });
    const r = await run(['program', 'generate', 'ana', '--override', 'cleared by phone, letter to follow', '--json']);
    expect(r.exitCode).toBe(0);
    const p = JSON.parse(r.stdout);
    const ids = p.stages.flatMap((s: { exercises: { exerciseId: string }[] }) => s.exercises.map((x) => x.exerciseId));
    for (const drill of ['cutting_drill', 'shuttle_run', 'pogo_hops', 'squat_jump', 'broad_jump', 'lateral_bound', 'single_leg_hop_forward']) expect(ids).not.toContain(drill);
    for (const s of p.stages) for (const x of s.exercises) expect(x.dose.rpe[1]).toBeLessThanOrEqual(5);
    const shown = await run(['program', 'show', 'ana']);
    expect(shown.stdout).toContain('leaves out plyometric, jumping and cutting drills');
  });
});

describe('program generate for a client who arrives after surgery (issue 16)', () => {
  it('starts at the stage the time since surgery fits, says why, and refuses a stage whose time has not come', async () => {
    const { run } = await setup({ date: day(3), conditions: [{ code: 'rotator_cuff_repair', side: 'right', date: day(100) }] });
    expect((await run(['clearance', 'add', 'ana', '--clinician', 'K. Osei', '--profession', 'physiotherapist', '--date', day(2), '--status', 'cleared'])).exitCode).toBe(0);
    const early = await run(['program', 'generate', 'ana', '--stage', '4']);
    expect(early.exitCode).toBe(1);
    expect(early.stderr).toMatch(/^bridgefit: cannot build the program: stage 4 \(.*\) starts from week 20 after surgery \(ASSET consensus.*\); the surgery was on \S+, so from \S+\n$/);
    const g = await run(['program', 'generate', 'ana', '--json']);
    expect(g.exitCode).toBe(0);
    const program = JSON.parse(g.stdout);
    expect([program.currentStage, program.stageStartedOn]).toEqual([3, day(0)]);
    expect(program.explanations.map((e: { code: string }) => e.code)).toContain('starts_at_stage');
    const status = await run(['program', 'status', 'ana']);
    expect(status.stdout).toMatch(/stage 3/i);
    // --stage 1 starts at the beginning, as asked.
    expect(JSON.parse((await run(['program', 'generate', 'ana', '--stage', '1', '--json'])).stdout).currentStage).toBe(1);
    expect((await run(['program', 'generate', 'ana', '--stage', 'two'])).stderr).toBe('bridgefit: --stage: expected a stage number (1, 2, …), got "two"\n');
  });

  it('a program cannot start before the intake it is built from, nor before the clearance it needs', async () => {
    // Coronary artery disease, not regularly active: a clearance is needed before a program (ACSM 2015, PAR-Q+).
    const { run } = await setup({
      date: day(10),
      conditions: [{ code: 'knee_tka', side: 'left', date: day(60) }, { code: 'coronary_artery_disease' }],
      parq: { ...allNo, q1: true, q6: true, followUps: { arthritis: { has: false }, heart: { has: true, a: false, b: false, c: false, d: true }, blood_pressure: { has: false }, other: { has: false } } },
    });
    const beforeIntake = await run(['program', 'generate', 'ana', '--template', 'knee_tka', '--start', day(12), '--override', 'letter to follow']);
    expect(beforeIntake.exitCode).toBe(1);
    expect(beforeIntake.stderr).toContain(`before the intake of ${day(10)} it is built from`);
    expect((await run(['clearance', 'add', 'ana', '--clinician', 'Dr Costa', '--profession', 'cardiologist', '--date', day(5), '--status', 'cleared'])).exitCode).toBe(0);
    const beforeClearance = await run(['program', 'generate', 'ana', '--template', 'knee_tka', '--start', day(8)]);
    expect(beforeClearance.stderr).toContain(`before the clearance of ${day(5)} it needs (--start ${day(5)} or later)`);
    expect((await run(['program', 'generate', 'ana', '--template', 'knee_tka', '--start', day(5)])).exitCode).toBe(0);
  });

  it('a new clearance with other restrictions than the program was built with warns at once and in program status', async () => {
    const { run } = await setup({ date: day(10), conditions: [{ code: 'knee_tka', side: 'left', date: day(60) }] });
    expect((await run(['clearance', 'add', 'ana', '--clinician', 'K. Osei', '--profession', 'physiotherapist', '--date', day(9), '--status', 'cleared'])).exitCode).toBe(0);
    expect((await run(['program', 'generate', 'ana', '--start', day(8)])).exitCode).toBe(0);
    const same = await run(['clearance', 'add', 'ana', '--clinician', 'K. Osei', '--profession', 'physiotherapist', '--date', day(2), '--status', 'cleared']);
    expect(same.stderr).not.toContain('warning');
    const added = await run(['clearance', 'add', 'ana', '--clinician', 'K. Osei', '--profession', 'physiotherapist', '--date', day(1), '--status', 'cleared-with-restrictions', '--restrict', 'max_load_kg=5']);
    expect(added.exitCode).toBe(0);
    expect(added.stderr).toContain('warning: the clearance in force differs from the one the program was built with (it adds external load at most 5 kg): regenerate to apply');
    expect((await run(['program', 'status', 'ana'])).stdout).toMatch(/Clearance\s+the clearance in force differs .*regenerate to apply/);
    expect((await run(['program', 'generate', 'ana'])).exitCode).toBe(0);
    const status = JSON.parse((await run(['program', 'status', 'ana', '--json'])).stdout);
    expect(status.restrictionDrift).toBeNull();
  });
});
