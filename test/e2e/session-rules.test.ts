/** Issue 15's findings, each reproduced on the built binary: what `progress add` decides and who a referral goes to. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bf } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';

const allNo = { q1: false, q2: false, q3: false, q4: false, q5: false, q6: false, q7: false };
const day = (n: number) => {
  const d = new Date();
  d.setDate(d.getDate() - n);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

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
