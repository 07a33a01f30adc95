/** Issue 15's findings, each reproduced on the built binary: what `progress add` decides and who a referral goes to. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bf } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { readPdf } from '../helpers/pdf.js';
import { tempDir } from '../helpers/tmp.js';
import { allNo, day } from '../helpers/answers.js';


/** A client after a knee replacement, on a beta-blocker, cleared by a physiotherapist, in a program. */
async function setup() {
  const cwd = tempDir();
  const db = path.join(cwd, 'clients.db');
  const run = (args: string[]) => bf(['--db', db, ...args], { cwd });
  await run(['client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12']);
  const answers = {
    date: day(20),
    physicallyActive: false,
    conditions: [{ code: 'knee_tka', side: 'left', date: day(40) }],
    medications: [{ name: 'bisoprolol', class: 'beta_blocker' }],
    parq: { ...allNo, q6: true, followUps: { arthritis: { has: false } } },
    desiredIntensity: 'moderate',
    vitals: { restingHr: 62 },
  };
  fs.writeFileSync(path.join(cwd, 'a.json'), JSON.stringify(answers));
  expect((await run(['intake', 'zoe', '--answers', path.join(cwd, 'a.json')])).exitCode).toBe(0);
  await run(['clearance', 'add', 'zoe', '--clinician', 'J. Okafor', '--profession', 'physiotherapist', '--date', day(19), '--status', 'cleared']);
  expect((await run(['program', 'generate', 'zoe', '--start', day(14)])).exitCode).toBe(0);
  return { db, run };
}

describe('resting heart rate is judged before a session (issue 15, finding 1)', () => {
  it('128 bpm at rest: no session, recorded as not trained, and referred to a doctor', async () => {
    const { db, run } = await setup();
    const r = await run(['progress', 'add', 'zoe', '--date', day(2), '--hr', '128', '--pain-before', '1']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('HOLD: no session today');
    expect(r.stdout).toContain('Resting heart rate 128 bpm is above 120: no session; refer');
    expect(rows(db, 'select code, to_whom from referrals')).toEqual([{ code: 'hr_high', to_whom: "the client's physician" }]);
    expect(rows(db, 'select attended from progress_entries')).toEqual([{ attended: 0 }]);
  });

  it('36 bpm on a beta-blocker: no session, ask the prescriber; 48 bpm without symptoms goes ahead, with dizziness it does not', async () => {
    const { run } = await setup();
    const slow = JSON.parse((await run(['progress', 'add', 'zoe', '--date', day(5), '--hr', '36', '--pain-before', '1', '--json'])).stdout);
    expect(slow.decision).toMatchObject({ today: 'hold', checks: [{ code: 'hr_low', severity: 'refer' }] });
    expect(JSON.parse((await run(['progress', 'add', 'zoe', '--date', day(4), '--hr', '48', '--pain-before', '1', '--json'])).stdout).decision.today).toBe('go');
    const dizzy = JSON.parse((await run(['progress', 'add', 'zoe', '--date', day(3), '--hr', '48', '--symptom', 'unusual_fatigue', '--json'])).stdout);
    expect(dizzy.decision.checks.map((c: { code: string }) => c.code)).toContain('hr_low');
  });

  it('the threshold is a setting like the blood-pressure ones', async () => {
    const { run } = await setup();
    expect((await run(['config', 'set', 'screening.restingHrHold', '110'])).exitCode).toBe(0);
    const r = JSON.parse((await run(['progress', 'add', 'zoe', '--date', day(2), '--hr', '112', '--pain-before', '1', '--json'])).stdout);
    expect(r.decision.today).toBe('hold');
    const bad = await run(['config', 'set', 'screening.restingHrHold', '90']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^bridgefit: screening\.restingHrHold must be a whole number of beats per minute, 100–150/);
  });
});

describe('possible stroke and chest pain at rest go to emergency services first (issue 15, finding 10)', () => {
  it('the referral names emergency services before any clinician, and the clearing physiotherapist is told', async () => {
    const { run } = await setup();
    const r = JSON.parse((await run(['progress', 'add', 'zoe', '--date', day(2), '--symptom', 'neuro_signs', '--json'])).stdout);
    expect(r.referrals).toMatchObject([{ code: 'neuro_signs', toWhom: expect.stringMatching(/^emergency services now \(possible stroke: .*\); then the client's physician; and tell J\. Okafor \(physiotherapist\)$/) }]);
    const text = await run(['referral', 'list']);
    expect(text.stdout).toMatch(/\temergency services now \(possible stroke/);
  });
});

describe('each session reads the one before (issue 15, findings 4 and 5)', () => {
  it('after a next-morning pain of 5 against 2, the next session does not say progress; nor while its own is unknown', async () => {
    const { run } = await setup();
    await run(['progress', 'add', 'zoe', '--date', day(6), '--pain-before', '2', '--pain-during', '3', '--pain-after', '4', '--soreness', 'none']);
    // Its next-morning pain arrives later: 5, against 2 before it.
    expect((await run(['progress', 'amend', 'zoe', '--entry', '1', '--next-day-pain', '5'])).exitCode).toBe(0);
    const next = await run(['progress', 'add', 'zoe', '--date', day(4), '--pain-before', '2', '--pain-during', '2', '--pain-after', '2', '--soreness', 'none']);
    expect(next.stdout).toContain('Next: repeat this level');
    expect(next.stdout).toMatch(/left next-morning pain 5\/10, above its pain before \(2\/10\): do not progress at this session/);
    const pending = JSON.parse((await run(['progress', 'add', 'zoe', '--date', day(2), '--pain-before', '2', '--pain-during', '2', '--pain-after', '2', '--soreness', 'none', '--json'])).stdout);
    expect(pending.decision.advice.advice).toBe('repeat');
    expect(pending.decision.advice.reasons[0].code).toBe('next_day_pending');
  });

  it('"2 days off, drop a level" binds the next sessions: the next day is held, the one after does not progress', async () => {
    const { run } = await setup();
    await run(['progress', 'add', 'zoe', '--date', day(5), '--pain-before', '1', '--soreness', 'warmup_continuing']);
    const nextDay = await run(['progress', 'add', 'zoe', '--date', day(4), '--pain-before', '1', '--pain-after', '1', '--soreness', 'none', '--json']);
    expect(JSON.parse(nextDay.stdout).decision).toMatchObject({ today: 'hold', checks: [{ code: 'soreness_days_off' }] });
    const back = JSON.parse((await run(['progress', 'add', 'zoe', '--date', day(2), '--pain-before', '1', '--pain-after', '1', '--soreness', 'none', '--json'])).stdout);
    expect(back.decision.today).toBe('go');
    expect(back.decision.advice.advice).toBe('repeat');
  });
});

/**
 * A client with `conditions`, cleared (with `restrict`, if any) and in a program
 * started `start` days ago; the intake and clearance before it.
 */
async function client(opts: { conditions: unknown[]; parq?: Record<string, unknown>; restrict?: string[]; start?: number; medications?: unknown[] }) {
  const cwd = tempDir();
  const db = path.join(cwd, 'clients.db');
  const run = (args: string[], input?: string) => bf(['--db', db, ...args], { cwd, ...(input !== undefined ? { input } : {}) });
  await run(['client', 'add', '--first-name', 'Ana', '--last-name', 'Silva', '--dob', '1956-02-03']);
  const start = opts.start ?? 35;
  const answers = {
    date: day(start + 5),
    physicallyActive: false,
    conditions: opts.conditions,
    medications: opts.medications ?? [],
    parq: opts.parq ?? allNo,
    desiredIntensity: 'moderate',
    vitals: { restingHr: 70 },
  };
  fs.writeFileSync(path.join(cwd, 'a.json'), JSON.stringify(answers));
  const intake = await run(['intake', 'ana', '--answers', path.join(cwd, 'a.json')]);
  expect(intake.exitCode, intake.stderr).toBe(0);
  const restrict = (opts.restrict ?? []).flatMap((r) => ['--restrict', r]);
  const cleared = await run(['clearance', 'add', 'ana', '--clinician', 'J. Okafor', '--profession', 'physiotherapist', '--date', day(start + 4), '--status', restrict.length ? 'cleared-with-restrictions' : 'cleared', ...restrict]);
  expect(cleared.exitCode, cleared.stderr).toBe(0);
  const generated = await run(['program', 'generate', 'ana', '--start', day(start)]);
  expect(generated.exitCode, generated.stderr).toBe(0);
  /** A session from JSON (the way to record loads and next-morning pain at once). */
  const session = (entry: Record<string, unknown>, json = false) => run(['progress', 'add', 'ana', '--from', '-', ...(json ? ['--json'] : [])], JSON.stringify(entry));
  return { cwd, db, run, session };
}

/** Pain settled, no soreness: every other rule would let the session progress. */
const settled = { painBefore: 1, painDuring: 2, painAfter: 2, nextDayPain: 1, soreness: 'none' };

describe('effort above the cap or rising, and load above max_load_kg, do not progress and are flagged (issue 15, finding 6)', () => {
  it("RPE 3, 6, 8, 9 under a clearance cap of 4: the first progresses, none after; warned, listed and in the report's log", async () => {
    const { cwd, run, session } = await client({ conditions: [{ code: 'knee_oa', side: 'left' }], parq: { ...allNo, q6: true, followUps: { arthritis: { has: false } } }, restrict: ['max_rpe=4'] });
    const out = [];
    for (const [i, rpe] of [3, 6, 8, 9].entries()) {
      const r = await session({ ...settled, date: day(28 - 7 * i), rpe });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/^Recorded session \d+ for Ana Silva/);
      out.push(r.stdout);
    }
    expect(out[0]).toContain('Next: progress');
    expect(out[0]).not.toContain('Warning');
    for (const text of out.slice(1)) {
      expect(text).toContain('Next: repeat this level');
      expect(text).toMatch(/Warning: Effort RPE \d\/10 is above the cap of 4\/10 \(the clearance's max_rpe=4\): do not progress/);
      // Which rule decided, and its source.
      expect(text).toMatch(/ {2}- Effort RPE \d\/10 is above the cap .*\[Effort above the program’s cap .*Mytinger et al\. 2020\)/);
    }
    expect(out[3]).toMatch(/Warning: Effort rising on 3 sessions in a row for the same work \(.* 3\/10, .* 6\/10, .* 8\/10, .* 9\/10\)/);
    const listed = JSON.parse((await run(['progress', 'list', 'ana', '--json'])).stdout);
    expect(listed.map((e: { decision: { advice: { advice: string }; rulesVersion: string } }) => [e.decision.advice.advice, e.decision.rulesVersion])).toEqual([
      ['progress', 'progress-1.4.0'], ['repeat', 'progress-1.4.0'], ['repeat', 'progress-1.4.0'], ['repeat', 'progress-1.4.0'],
    ]);
    expect(listed[3].decision.warnings.map((w: { code: string }) => w.code)).toEqual(['rpe_above_cap', 'rpe_rising']);
    expect((await run(['referral', 'list', '--json'])).stdout).toBe('[]\n');
    const table = (await run(['progress', 'list', 'ana'])).stdout.split('\n');
    expect(table[3]).toMatch(/\trepeat \(flagged: rpe_above_cap, rpe_rising\)$/);
    const pdf = path.join(cwd, 'r.pdf');
    expect((await run(['report', 'ana', '--out', pdf])).exitCode).toBe(0);
    const { text } = await readPdf(pdf);
    expect(text).toMatch(/WARNING: Effort RPE 9\/10 is above the cap of 4\/10/);
    expect(text).toMatch(/WARNING: Effort rising on 3 sessions in a row/);
    // Page 1 says it too, once, with its days.
    expect(text).toMatch(/Warning on \d{4}-\d\d-\d\d, \d{4}-\d\d-\d\d and \d{4}-\d\d-\d\d: Effort RPE 9\/10 is above the cap of 4\/10/);
  });

  it('a recorded load above max_load_kg: no progress, a flag on the entry, shown in the list and the report', async () => {
    const { cwd, run, session } = await client({ conditions: [{ code: 'knee_oa', side: 'left' }], parq: { ...allNo, q6: true, followUps: { arthritis: { has: false } } }, restrict: ['max_load_kg=5'] });
    const r = await session({ ...settled, date: day(14), exercises: [{ exerciseId: 'goblet_squat', sets: 3, reps: 10, loadKg: 8 }] }, true);
    expect(r.exitCode, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout).decision;
    expect(d.advice.advice).toBe('repeat');
    expect(d.advice.reasons[0].code).toBe('load_above_cap');
    expect(d.warnings).toEqual([expect.objectContaining({ code: 'load_above_cap', text: expect.stringContaining("Load above 5 kg (the clearance's max_load_kg=5): goblet squat 8 kg") })]);
    expect((await run(['progress', 'list', 'ana'])).stdout).toMatch(/\trepeat \(flagged: load_above_cap\)\n$/);
    const pdf = path.join(cwd, 'r.pdf');
    expect((await run(['report', 'ana', '--out', pdf])).exitCode).toBe(0);
    expect((await readPdf(pdf)).text).toContain('WARNING: Load above 5 kg');
  });
});

describe('a fall can be recorded, and is judged by who fell (issue 15, finding 8)', () => {
  const osteo = { conditions: [{ code: 'osteoporosis' }], parq: { ...allNo, q6: true, followUps: { arthritis: { has: false } } } };

  it('a fall in osteoporosis: no session, recorded as not trained, referred to a doctor; the next session is held until resolved', async () => {
    const { db, run } = await client(osteo);
    const r = await run(['progress', 'add', 'ana', '--date', day(6), '--pain-before', '1', '--symptom', 'fall']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('HOLD: no session today');
    expect(r.stdout).toContain('Stop and refer: A fall since the last session in osteoporosis: possible fragility fracture');
    expect(rows(db, 'select code, to_whom from referrals')).toEqual([{ code: 'fall_possible_fracture', to_whom: "the client's physician" }]);
    const stored = JSON.parse((await run(['progress', 'list', 'ana', '--json'])).stdout);
    expect(stored[0]).toMatchObject({ attended: false, symptoms: ['fall'], decision: { today: 'hold', flags: [{ code: 'fall_possible_fracture', stop: true }] } });
    const next = JSON.parse((await run(['progress', 'add', 'ana', '--date', day(3), '--pain-before', '1', '--json'])).stdout);
    expect(next.decision).toMatchObject({ today: 'hold', checks: [{ code: 'stop_referral_open' }] });
  });

  it('a fall with new back pain holds and refers in anyone; a fall alone elsewhere is recorded, warned and not progressed', async () => {
    const { run, session } = await client({ conditions: [{ code: 'knee_oa', side: 'left' }], parq: { ...allNo, q6: true, followUps: { arthritis: { has: false } } } });
    const plain = JSON.parse((await session({ ...settled, date: day(14), symptoms: ['fall'] }, true)).stdout);
    expect(plain.decision).toMatchObject({ today: 'go', flags: [], warnings: [{ code: 'fall' }], advice: { advice: 'repeat' } });
    const back = await run(['progress', 'add', 'ana', '--date', day(7), '--symptom', 'fall', '--symptom', 'new_back_pain']);
    expect(back.stdout).toContain('HOLD: no session today');
    expect(back.stdout).toMatch(/A fall since the last session with new back or rib pain: possible fragility fracture/);
    const bad = await run(['progress', 'add', 'ana', '--date', day(2), '--symptom', 'tripped']);
    expect(bad.exitCode).toBe(2);
  });
});

describe('SpO2 is recorded and judged; COPD has its overlay (issue 15, finding 9)', () => {
  const copd = { conditions: [{ code: 'copd' }], parq: { ...allNo, followUps: { respiratory: { has: true, a: false, b: false, c: false, d: false } } } };

  it('--measure spo2=85 in COPD: hold and refer; 90 goes ahead; out of range is refused with its range', async () => {
    const { db, run } = await client(copd);
    const program = JSON.parse((await run(['program', 'show', 'ana', '--json'])).stdout);
    expect(JSON.stringify(program)).toMatch(/Keep SpO2 at 88-90% or more during exercise/);
    const low = await run(['progress', 'add', 'ana', '--date', day(6), '--measure', 'spo2=85', '--pain-before', '1']);
    expect(low.exitCode, low.stderr).toBe(0);
    expect(low.stdout).toContain('HOLD: no session today');
    expect(low.stdout).toContain('SpO2 85% at rest is below 88%: no session; refer');
    expect(rows(db, 'select code, to_whom from referrals')).toEqual([{ code: 'spo2_low', to_whom: "the client's physician" }]);
    const ok = JSON.parse((await run(['progress', 'add', 'ana', '--date', day(4), '--measure', 'spo2=90', '--pain-before', '1', '--json'])).stdout);
    expect(ok.decision.today).toBe('go');
    expect(ok.decision.checks.map((c: { code: string }) => c.code)).not.toContain('spo2_low');
    const stored = JSON.parse((await run(['progress', 'list', 'ana', '--json'])).stdout);
    expect(stored.map((e: { measures: unknown[] }) => e.measures)).toEqual([[{ code: 'spo2', value: 85 }], [{ code: 'spo2', value: 90 }]]);
    const bad = await run(['progress', 'add', 'ana', '--date', day(2), '--measure', 'spo2=101']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('spo2 must be 50–100');
  });

  it('the CSV import takes an spo2 column; the intake takes vitals.spo2 and screening holds on it', async () => {
    const { cwd, run } = await client(copd);
    const csv = path.join(cwd, 's.csv');
    fs.writeFileSync(csv, `client,date,pain_before,spo2\nana,${day(5)},1,86\n`);
    const imported = await run(['progress', 'import', csv]);
    expect(imported.exitCode, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/Held: .*SpO2 86% at rest is below 88%/);
    const answers = { date: day(1), physicallyActive: false, conditions: [{ code: 'copd' }], medications: [], parq: copd.parq, desiredIntensity: 'moderate', vitals: { spo2: 85 } };
    fs.writeFileSync(path.join(cwd, 'b.json'), JSON.stringify(answers));
    expect((await run(['intake', 'ana', '--answers', path.join(cwd, 'b.json')])).exitCode).toBe(0);
    const verdict = JSON.parse((await run(['screen', 'ana', '--json'])).stdout);
    expect(JSON.stringify(verdict)).toContain('SpO2 85% at rest is below 88%: no session; refer');
    expect(JSON.stringify(verdict)).toContain('screening-1.3.0');
  });
});

describe('the session-side debatable items, settled per FACTS (issue 15)', () => {
  it('type 1 diabetes at 255 mg/dL without ketones checked: no session until they are checked; negative ketones go ahead', async () => {
    const { run } = await client({ conditions: [{ code: 'type1_diabetes' }], parq: { ...allNo, followUps: { metabolic: { has: true, a: false, b: false, c: false, d: false, e: false } } } });
    const r = JSON.parse((await run(['progress', 'add', 'ana', '--date', day(4), '--glucose', '255mg/dL', '--pain-before', '1', '--json'])).stdout);
    expect(r.decision).toMatchObject({ today: 'hold', checks: [{ code: 'glucose_high_type1', severity: 'hold' }] });
    const neg = JSON.parse((await run(['progress', 'add', 'ana', '--date', day(2), '--glucose', '255mg/dL', '--ketones', 'no', '--pain-before', '1', '--json'])).stdout);
    expect(neg.decision.today).toBe('go');
  });

  it('pain before 6/10 is not a plain go; effusion 2+ is judged before the session', async () => {
    const { run, session } = await client({ conditions: [{ code: 'knee_oa', side: 'left' }], parq: { ...allNo, q6: true, followUps: { arthritis: { has: false } } } });
    const pain = await session({ ...settled, date: day(14), painBefore: 6 });
    expect(pain.stdout).toMatch(/caution {2}Pain before the session 6\/10 is above 5\/10, outside the acceptable zone: no progression/);
    expect(pain.stdout).toContain('Next: reduce');
    const effusion = JSON.parse((await run(['progress', 'add', 'ana', '--date', day(7), '--pain-before', '1', '--measure', 'effusion_grade.left=2+', '--json'])).stdout);
    expect(effusion.decision.checks).toEqual([expect.objectContaining({ code: 'effusion_before_2plus', severity: 'caution' })]);
    expect(effusion.decision.advice.advice).toBe('reduce');
  });
});
