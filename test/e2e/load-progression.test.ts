/**
 * Load progression within a stage, through the built binary (issue 16): the
 * next session's load after two sessions at the top of the reps with pain
 * acceptable, in `progress add`/`amend`, `program status` and its --json,
 * the clinician report (`report`, `report --all`) and after `progress import`;
 * a bad load rule in a template is one line naming the file and the path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allNo, day } from '../helpers/answers.js';
import { bf, bfInTerminal } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { readPdf } from '../helpers/pdf.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Zoë (client 1, knee osteoarthritis, knee_hip_oa stage 2 since 10 days ago) with two sessions of
 * leg press at 3×12 @ 40 kg, pain acceptable during and the next morning: next time 42.5 kg.
 */
async function zoeReadyToLoad() {
  const cwd = tempDir();
  const db = path.join(cwd, 'clients.db');
  const run = async (args: string[], input?: string) => {
    const r = await bf(['--db', db, ...args], { cwd, ...(input !== undefined ? { input } : {}) });
    return r;
  };
  const ok = async (args: string[], input?: string) => {
    const r = await run(args, input);
    expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r;
  };
  await ok(['client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12']);
  const answers = { date: day(20), physicallyActive: false, conditions: [{ code: 'knee_oa', side: 'left' }], parq: { ...allNo, q6: true, followUps: { arthritis: { has: false } } }, desiredIntensity: 'moderate' };
  fs.writeFileSync(path.join(cwd, 'a.json'), JSON.stringify(answers));
  await ok(['intake', 'zoe', '--answers', path.join(cwd, 'a.json')]);
  await ok(['clearance', 'add', 'zoe', '--clinician', 'J. Okafor', '--profession', 'physiotherapist', '--date', day(19), '--status', 'cleared']);
  await ok(['program', 'generate', 'zoe', '--template', 'knee_hip_oa', '--stage', '2', '--start', day(10)]);
  for (const d of [6, 3]) {
    const session = { date: day(d), painBefore: 2, painDuring: 3, painAfter: 3, nextDayPain: 2, exercises: [{ exerciseId: 'leg_press', sets: 3, reps: 12, loadKg: 40, completed: true }] };
    await ok(['progress', 'add', 'zoe', '--from', '-'], JSON.stringify(session));
  }
  return { cwd, db, run, ok };
}

const NEXT = 'Leg press machine 42.5 kg (+2.5 kg: two sessions at 12 reps, pain acceptable)';

describe('load progression', () => {
  it('two sessions of leg press at 3×12 @ 40 kg, pain acceptable next morning: next time 42.5 kg', async () => {
    const cwd = tempDir();
    const db = path.join(cwd, 'clients.db');
    const run = (args: string[]) => bf(['--db', db, ...args], { cwd });
    await run(['client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12']);
    const answers = { date: day(20), physicallyActive: false, conditions: [{ code: 'knee_oa', side: 'left' }], parq: { ...allNo, q6: true, followUps: { arthritis: { has: false } } }, desiredIntensity: 'moderate' };
    fs.writeFileSync(path.join(cwd, 'a.json'), JSON.stringify(answers));
    expect((await run(['intake', 'zoe', '--answers', path.join(cwd, 'a.json')])).exitCode).toBe(0);
    expect((await run(['clearance', 'add', 'zoe', '--clinician', 'J. Okafor', '--profession', 'physiotherapist', '--date', day(19), '--status', 'cleared'])).exitCode).toBe(0);
    const generated = await run(['program', 'generate', 'zoe', '--template', 'knee_hip_oa', '--stage', '2', '--start', day(10)]);
    expect(generated.exitCode, generated.stderr).toBe(0);
    const session = (d: number) => run(['progress', 'add', 'zoe', '--date', day(d), '--pain-before', '2', '--pain-during', '3', '--pain-after', '3', '--did', 'leg_press=3x12@40kg']);

    const first = await session(6);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toContain('next time: Leg press machine 40 kg (one session at 3×12 @ 40 kg; two sessions in a row needed)');
    expect((await run(['progress', 'amend', 'zoe', '--next-day-pain', '2'])).exitCode).toBe(0);
    const second = await session(3);
    expect(second.exitCode, second.stderr).toBe(0);
    // The 24-hour response counts most (FACTS §4): no increase before it is known.
    expect(second.stdout).toContain(`next time: Leg press machine 40 kg (no increase: next-morning pain not recorded yet for ${day(3)})`);
    const amended = await run(['progress', 'amend', 'zoe', '--next-day-pain', '2']);
    expect(amended.exitCode, amended.stderr).toBe(0);
    expect(amended.stdout).toContain('next time: Leg press machine 42.5 kg (+2.5 kg: two sessions at 12 reps, pain acceptable)');

    const status = await run(['program', 'status', 'zoe']);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/Next loads\s+Leg press machine: 42\.5 kg \(\+2\.5 kg: two sessions at 12 reps, pain acceptable\)/);
    const json = await run(['--json', 'program', 'status', 'zoe']);
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout).nextLoads).toEqual([
      expect.objectContaining({ exerciseId: 'leg_press', name: 'Leg press machine', suggestedKg: 42.5, lastKg: 40, change: 'increase', source: expect.stringContaining('ACSM Position Stand') }),
    ]);

    // At a terminal, the next session takes the suggested load as its default ("done as planned": 42.5 kg).
    const ENTER = '\r';
    const t = await bfInTerminal(
      ['--db', db, 'progress', 'add', 'zoe'],
      [
        { waitFor: 'Did the session take place?', send: ENTER },
        ...['Resting blood pressure', 'Resting heart rate', 'Blood glucose', 'feel unwell today?'].map((waitFor) => ({ waitFor, send: ENTER })),
        { waitFor: 'Pain before', send: `2${ENTER}` },
        { waitFor: 'Pain during', send: `3${ENTER}` },
        { waitFor: 'Pain after', send: `3${ENTER}` },
        ...['Effort, RPE', 'Duration', 'Soreness'].map((waitFor) => ({ waitFor, send: ENTER })),
        { waitFor: 'done as planned?', send: ENTER },
        // The template's outcome scores, due as a baseline: offered, not taken today.
        { waitFor: 'LEFS (every 4 weeks; baseline) is due', send: ENTER },
        { waitFor: '30-s chair stand (every 4 weeks; baseline) is due', send: ENTER },
        { waitFor: 'Any of these today?', send: ENTER },
        { waitFor: 'Notes', send: ENTER },
        { waitFor: 'Save this session?', send: ENTER },
      ],
      { cwd, timeoutMs: 40_000 },
    );
    expect(t.exitCode, t.screen).toBe(0);
    expect(t.screen).toContain('Load today: Leg press machine 42.5 kg (+2.5 kg: two sessions at 12 reps, pain acceptable)');
    const [latest] = rows(db, 'select exercises from progress_entries order by session_date desc limit 1') as { exercises: string }[];
    expect(JSON.parse(latest!.exercises)).toContainEqual(expect.objectContaining({ exerciseId: 'leg_press', sets: 3, reps: 12, loadKg: 42.5, completed: true }));
  }, 60_000);

  it('a template whose load rule is wrong: template validate names the file and the path, and exits non-zero', async () => {
    const cwd = tempDir();
    const text = fs.readFileSync(path.join(import.meta.dirname, '../../templates/programs/knee_hip_oa.yaml'), 'utf8').replace('loadProgression: {stepKg: 0.5,', 'loadProgression: {stepKg: 0,');
    const file = path.join(cwd, 'mine.yaml');
    fs.writeFileSync(file, text);
    const r = await bf(['template', 'validate', file], { cwd });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/mine\.yaml.*loadProgression\.stepKg.*0\.25/);
  }, 30_000);

  it("the clinician report gives the stage's next loads after the exercises, off page 1, in report and report --all; none without loaded exercises", async () => {
    const { cwd, ok } = await zoeReadyToLoad();
    await ok(['client', 'add', '--first-name', 'Ana', '--last-name', 'Lima', '--dob', '1958-02-03']);
    const out = path.join(cwd, 'zoe.pdf');
    await ok(['report', 'zoe', '--out', out]);
    const pdf = await readPdf(out);
    const page1 = pdf.pages[0]!.replace(/\s+/g, ' ');
    expect(page1).not.toContain('Loads for the next session');
    const at = pdf.text.indexOf("Loads for the next session, by the program's load progression");
    expect(at, pdf.text).toBeGreaterThan(pdf.text.indexOf('Stage 2: '));
    expect(at).toBeLessThan(pdf.text.indexOf('Exit criteria for this stage'));
    expect(pdf.text.slice(at)).toMatch(/^Loads for the next session, by the program's load progression Exercise Last load Next session Why Leg press machine 40 kg 42\.5 kg \(up\) \+2\.5 kg: two sessions at 12 reps, pain acceptable Rule: ACSM Position Stand/);
    // Week by week, with the response charts: both sessions lifted 40 kg, in the program's first and second weeks.
    expect(pdf.text).toMatch(/Loads by week Exercise \(heaviest kg\) Week 1 Week 2 Leg press machine 40 40 Week 1 began \d{4}-\d\d-\d\d, the program's start; week 2 began/);
    expect(pdf.text.indexOf('Loads by week')).toBeLessThan(pdf.text.indexOf('Stage 2: '));
    expect(page1).not.toContain('Loads by week');
    // --all reads each client's input the same way: Zoë's has the loads, Ana (no program) no such heading.
    const dir = path.join(cwd, 'reports');
    await ok(['report', '--all', '--out-dir', dir]);
    const all = await readPdf(path.join(dir, '0001-zoe-moreau.pdf'));
    expect(all.text).toContain('Leg press machine 40 kg 42.5 kg (up) +2.5 kg: two sessions at 12 reps, pain acceptable');
    const ana = await readPdf(path.join(dir, '0002-ana-lima.pdf'));
    expect(ana.text).toContain('Ana Lima');
    expect(ana.text).not.toContain('Loads for the next session');
    expect(ana.text).not.toContain('Loads by week');
  }, 90_000);

  it("progress import lists each imported client's next loads, and --json has them; past 25 clients, one line says where to see them", async () => {
    const { cwd, run, ok } = await zoeReadyToLoad();
    await ok(['client', 'add', '--first-name', 'Ana', '--last-name', 'Lima', '--dob', '1958-02-03']);
    // Paper records caught up (older than the sessions recorded): the run at 40 kg stands. Ana has no program, so no line.
    const csv = path.join(cwd, 'old.csv');
    fs.writeFileSync(csv, `client,date,pain_before,pain_during,pain_after\nzoe,${day(8)},1,2,2\nana,${day(2)},1,1,1\n`);
    const imported = await ok(['progress', 'import', csv]);
    expect(imported.stderr).toContain('Imported 2 entries for 2 client(s).');
    expect(imported.stdout.trim()).toBe(`next time: Zoë Moreau: ${NEXT}`);
    fs.writeFileSync(csv, `client,date,pain_before,pain_during,pain_after\nzoe,${day(9)},1,2,2\n`);
    const json = JSON.parse((await ok(['--json', 'progress', 'import', csv])).stdout);
    expect(json).toMatchObject({ imported: 1, clients: 1 });
    expect(json.nextLoads).toEqual([
      { clientId: 1, client: 'Zoë Moreau', loads: [expect.objectContaining({ exerciseId: 'leg_press', name: 'Leg press machine', suggestedKg: 42.5, lastKg: 40, change: 'increase', source: expect.stringContaining('ACSM Position Stand') })] },
    ]);
    // 26 clients: the loads are not read, and a line says how to see one client's.
    const people = path.join(cwd, 'people.csv');
    fs.writeFileSync(people, `first_name,last_name,date_of_birth\n${Array.from({ length: 24 }, (_, i) => `Client${i},Batch,1960-01-01`).join('\n')}\n`);
    await ok(['client', 'import', people]);
    fs.writeFileSync(csv, `client,date,pain_before\n${Array.from({ length: 26 }, (_, i) => `${i + 1},${day(12)},1`).join('\n')}\n`);
    const many = await run(['progress', 'import', csv]);
    expect(many.exitCode, many.stderr).toBe(0);
    expect(many.stderr).toContain('Imported 26 entries for 26 client(s).');
    expect(many.stderr).toContain('Next loads are listed for up to 25 clients; for one of these 26: bridgefit program status <client>');
    expect(many.stdout).not.toContain('next time:');
    fs.writeFileSync(csv, `client,date,pain_before\n${Array.from({ length: 26 }, (_, i) => `${i + 1},${day(13)},1`).join('\n')}\n`);
    expect(JSON.parse((await ok(['--json', 'progress', 'import', csv])).stdout)).toMatchObject({ imported: 26, clients: 26, nextLoads: null });
  }, 90_000);
});
