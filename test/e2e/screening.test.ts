import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bf, bfInTerminal } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';
import { CONDITION_CODES } from '../../src/domain/conditions.js';
import { allNo } from '../helpers/answers.js';



/** Zoë: right knee replacement, type 2 diabetes, a beta-blocker; inactive. */
const zoeAnswers = {
  date: '2026-11-20',
  physicallyActive: false,
  conditions: [
    { code: 'knee_tka', side: 'right', date: '2026-09-01' },
    { code: 'type2_diabetes', date: '2015-03-01' },
  ],
  medications: [{ name: 'bisoprolol', class: 'beta_blocker' }],
  parq: {
    ...allNo,
    q4: true,
    q6: true,
    followUps: {
      arthritis: { has: false },
      cancer: { has: false },
      heart: { has: false },
      blood_pressure: { has: false },
      metabolic: { has: true, a: false, b: false, c: false, d: false, e: false },
      mental_health: { has: false },
      respiratory: { has: false },
      spinal_cord: { has: false },
      stroke: { has: false },
      other: { has: true, a: false, b: false, c: true },
    },
  },
  symptoms: [],
  desiredIntensity: 'moderate',
  goals: 'Walk to the market without knee pain',
  vitals: { restingHr: 68, bp: '138/86', glucose: '126 mg/dL' },
};

async function setup() {
  const cwd = tempDir();
  const db = path.join(cwd, 'clients.db');
  const run = (args: string[], input?: string) => bf(['--db', db, ...args], { cwd, ...(input !== undefined ? { input } : {}) });
  await run(['client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12', '--sex', 'female']);
  const write = (name: string, value: unknown) => {
    const file = path.join(cwd, name);
    fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
    return file;
  };
  return { cwd, db, run, write };
}

describe('intake from an answers file, then screen', () => {
  it('saves the intake with its verdict, and screen --json gives the contract fields', async () => {
    const { db, run, write } = await setup();
    const r = await run(['intake', 'zoe', '--answers', write('zoe.json', zoeAnswers), '--json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const saved = JSON.parse(r.stdout);
    expect(saved).toMatchObject({ intakeId: 1, clientId: 1, date: '2026-11-20', screening: { gate: 'needs-clearance' } });

    const s = await run(['screen', 'zoe', '--json']);
    expect(s.exitCode).toBe(0);
    const v = JSON.parse(s.stdout);
    expect(v).toMatchObject({
      acsm: { outcome: 'recommended' },
      parq: { outcome: 'seek-more-information' },
      gate: 'needs-clearance',
      startingIntensity: 'none',
      dosing: 'rpe-only',
      ruleVersion: 'screening-1.3.0',
    });
    expect(v.reasons.length).toBeGreaterThan(0);
    for (const reason of v.reasons) expect(Object.keys(reason)).toEqual(expect.arrayContaining(['code', 'text', 'source']));

    expect(rows(db, 'select client_id, intake_date, form_version from intakes')).toEqual([
      { client_id: 1, intake_date: '2026-11-20', form_version: 'PAR-Q+ 2020 (bridgefit short wording)' },
    ]);
    // The intake stored its verdict; an unchanged screen does not store it again.
    expect(rows(db, 'select rule_version, gate from screenings')).toEqual([{ rule_version: 'screening-1.3.0', gate: 'needs-clearance' }]);
    const stored = JSON.parse(rows(db, 'select answers from intakes')[0]!.answers as string);
    expect(stored.vitals).toEqual({ restingHr: 68, bp: { systolic: 138, diastolic: 86 }, glucose: { value: 126, unit: 'mg/dL' } });
  });

  it('summary flags a client whose screening needs clearance until one is recorded, as report --all --flagged does', async () => {
    const { run, write } = await setup();
    await run(['intake', 'zoe', '--answers', write('zoe.json', zoeAnswers)]);
    const before = JSON.parse((await run(['summary', '--format', 'json'])).stdout)[0];
    expect(before).toMatchObject({ flagged: true, nextAction: 'the screening needs medical clearance: no program or session until it is on file' });
    const summary = async () => JSON.parse((await run(['summary', '--format', 'json'])).stdout)[0];
    // Asked for, not given; a letter from before the screening: still waiting.
    await run(['clearance', 'add', 'zoe', '--clinician', 'Dr Ana Costa', '--profession', 'physician', '--date', '2026-11-21', '--status', 'pending']);
    await run(['clearance', 'add', 'zoe', '--clinician', 'Dr Old', '--profession', 'physician', '--date', '2026-10-01', '--status', 'cleared']);
    expect(await summary()).toMatchObject({ flagged: true, nextAction: 'the screening needs medical clearance: no program or session until it is on file' });
    // Refused: the screening's question is answered with a no, so the client is referred.
    await run(['clearance', 'add', 'zoe', '--clinician', 'Dr Ana Costa', '--profession', 'physician', '--date', '2026-11-22', '--status', 'not-cleared']);
    expect(await summary()).toMatchObject({ flagged: true, nextAction: 'the screening refers to a clinician: no exercise until they have assessed' });
    await run(['clearance', 'add', 'zoe', '--clinician', 'Dr Ana Costa', '--profession', 'physician', '--date', '2026-11-23', '--status', 'cleared']);
    expect(await summary()).toMatchObject({ flagged: false, nextAction: 'no program yet: screen and generate one' });
  });

  it('a clearance opens the gate; the human verdict shows it with its restrictions', async () => {
    const { run, write } = await setup();
    await run(['intake', 'zoe', '--answers', write('zoe.json', zoeAnswers)]);
    const c = await run([
      'clearance', 'add', 'zoe', '--clinician', 'Dr Ana Costa', '--profession', 'physician', '--date', '2026-11-21',
      '--status', 'cleared-with-restrictions', '--restrict', 'no_impact', '--restrict', 'weight_bearing.right=partial', '--restrict', 'rom.knee.right=100',
    ]);
    expect(c.exitCode).toBe(0);
    expect(c.stderr).toContain('Recorded clearance 1 for Zoë Moreau: cleared-with-restrictions by Dr Ana Costa on 2026-11-21');
    const s = await run(['screen', 'zoe']);
    expect(s.exitCode).toBe(0);
    expect(s.stdout).toMatch(/Gate\s+OK to start/);
    expect(s.stdout).toMatch(/Restrictions\s+no impact; right leg: partial weight bearing; right knee range of motion at most 100°/);
    expect(s.stdout).toMatch(/Dosing\s+RPE or talk test only/);
    const v = JSON.parse((await run(['screen', 'zoe', '--json'])).stdout);
    expect(v).toMatchObject({ gate: 'ok', startingIntensity: 'light-moderate', clearance: { state: 'valid', covers: true } });
  });

  it('reports every mistake in a file with its JSON path, and writes nothing', async () => {
    const { db, run, write } = await setup();
    const bad = {
      ...zoeAnswers,
      physicallyActive: 'yes',
      conditions: [{ code: 'knee_tka' }, { code: 'flu' }],
      desiredIntensity: 'extreme',
      vitals: { bp: '150-90', glucose: '5.4' },
      colour: 'blue',
    };
    const r = await run(['intake', 'zoe', '--answers', write('bad.json', bad)]);
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^bridgefit: .*bad\.json: 7 problems; nothing was saved$/);
    expect(lines.slice(1)).toEqual([
      '  physicallyActive: expected boolean, got "yes"',
      // The count follows the condition list (lung_disease joined it in turn 2; others may follow).
      `  conditions[1].code: "flu" is not one of the ${CONDITION_CODES.length} codes listed by "bridgefit intake --schema"`,
      '  desiredIntensity: expected one of "light", "moderate", "vigorous", got "extreme"',
      '  vitals.bp: blood pressure must look like 120/80, got "150-90"',
      '  vitals.glucose: glucose needs its unit, like 5.4mmol/L or 97mg/dL: a number alone could be either (or "bridgefit config set units.glucose mmol/L" reads numbers alone in that unit), got "5.4"',
      '  (top level): unknown field "colour"',
      // The cross-field rules run in the same pass as the schema.
      '  conditions[0].side: required for total knee replacement: left, right or both',
    ]);
    expect(rows(db, 'select * from intakes')).toEqual([]);

    const second = await run(['intake', 'zoe', '--answers', write('bad2.json', { ...zoeAnswers, conditions: [{ code: 'knee_tka' }], parq: { ...allNo, q1: true } })]);
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toContain('conditions[0].side: required for total knee replacement: left, right or both');
    expect(second.stderr).toContain('parq.followUps.heart: required: a YES on q1 or a recorded condition opens the "heart" follow-up page');
    expect(second.stderr).toContain('parq.followUps.blood_pressure: required');

    const future = await run(['intake', 'zoe', '--answers', write('future.json', { ...zoeAnswers, date: '2099-01-01' })]);
    expect(future.stderr).toContain('date: 2099-01-01 is in the future');
    expect(rows(db, 'select * from intakes')).toEqual([]);
  });

  it('refuses a file that is not JSON, a missing file, and no --answers without a terminal', async () => {
    const { run, write } = await setup();
    const notJson = await run(['intake', 'zoe', '--answers', write('x.json', '{"physicallyActive": tru')]);
    expect(notJson.exitCode).toBe(2);
    expect(notJson.stderr).toMatch(/^bridgefit: .*x\.json is not valid JSON: /);
    expect(notJson.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await run(['intake', 'zoe', '--answers', 'nope.json']);
    expect(missing).toMatchObject({ exitCode: 2, stderr: 'bridgefit: --answers nope.json: no such file\n' });
    const none = await run(['intake', 'zoe']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/^bridgefit: missing --answers <file\|->/);
  });

  it('reads answers from stdin with "-"', async () => {
    const { run } = await setup();
    const r = await run(['intake', '1', '--answers', '-', '--json'], JSON.stringify({ ...zoeAnswers, conditions: [], medications: [], parq: allNo, vitals: {} }));
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).screening).toMatchObject({ gate: 'ok', startingIntensity: 'light-moderate', dosing: 'heart-rate' });
  });

  it('prints the JSON Schema of the answers format', async () => {
    const { run } = await setup();
    const r = await run(['intake', '--schema']);
    expect(r.exitCode).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['physicallyActive', 'parq', 'desiredIntensity']));
    expect(schema.properties.conditions.items.properties.code.enum).toContain('rotator_cuff_repair');
    expect(schema.properties.medications.items.properties.class.enum).toEqual(['beta_blocker', 'rate_limiting', 'insulin_or_sulfonylurea', 'anticoagulant', 'corticosteroid', 'other']);
  });

  it('keeps every intake; the newest is the one in force', async () => {
    const { db, run, write } = await setup();
    await run(['intake', 'zoe', '--answers', write('a.json', zoeAnswers)]);
    await run(['intake', 'zoe', '--answers', write('b.json', { ...zoeAnswers, date: '2026-11-25', symptoms: ['chest_pain'] })]);
    const list = JSON.parse((await run(['intake', 'list', 'zoe', '--json'])).stdout);
    expect(list.map((i: { id: number; date: string }) => [i.id, i.date])).toEqual([[1, '2026-11-20'], [2, '2026-11-25']]);
    const v = JSON.parse((await run(['screen', 'zoe', '--json'])).stdout);
    expect(v).toMatchObject({ intakeId: 2, gate: 'refer', redFlags: [{ code: 'chest_pain' }] });
    expect(rows(db, 'select count(*) as n from intakes')).toEqual([{ n: 2 }]);
    const piped = await run(['intake', 'list', 'zoe']);
    // Follow-up YES answers too (other.c), not only the seven questions.
    expect(piped.stdout.split('\n')[1]).toMatch(/^2\t2026-11-25\tknee_tka\.right,type2_diabetes\t1\tq4,q6,other\.c\tno\tchest_pain$/);
  });

  it('a red flag at intake raises a referral that holds sessions until resolved, once', async () => {
    const { db, run, write } = await setup();
    const first = JSON.parse((await run(['intake', 'zoe', '--answers', write('a.json', { ...zoeAnswers, symptoms: ['chest_pain'] }), '--json'])).stdout);
    expect(first.referralsRaised).toEqual([
      { id: 1, code: 'chest_pain', reason: expect.stringMatching(/^Red flag: pain, pressure or discomfort in the chest.*: stop and refer to a clinician$/), toWhom: expect.stringMatching(/^emergency services now \(chest pain at rest .*\); then the client's physician$/) },
    ]);
    expect(rows(db, 'select entry_id, raised_on, status from referrals')).toEqual([{ entry_id: null, raised_on: '2026-11-20', status: 'open' }]);
    // A session the same day is held by it.
    const session = JSON.parse((await run(['progress', 'add', 'zoe', '--date', '2026-11-20', '--pain-before', '1', '--rpe', '3', '--json'])).stdout);
    expect(session.decision.today).toBe('hold');
    expect(session.decision.checks.map((c: { code: string }) => c.code)).toContain('stop_referral_open');
    // Screen names the red flag once (the intake's), and a second intake with it raises no second referral.
    expect(JSON.parse((await run(['screen', 'zoe', '--json'])).stdout).redFlags).toEqual([{ code: 'chest_pain', text: expect.any(String) }]);
    const again = JSON.parse((await run(['intake', 'zoe', '--answers', write('b.json', { ...zoeAnswers, date: '2026-11-22', symptoms: ['chest_pain'] }), '--json'])).stdout);
    expect(again.referralsRaised).toEqual([]);
    // Resolved: screening again does not bring it back.
    expect((await run(['referral', 'resolve', '1', '--note', 'GP: not cardiac'])).exitCode).toBe(0);
    await run(['screen', 'zoe']);
    expect(rows(db, 'select count(*) as n from referrals')).toEqual([{ n: 1 }]);
  });

  it('a YES to PAR-Q+ Q2 (chest pain) is one red flag: one referral, named once by screen', async () => {
    const { run, write } = await setup();
    const r = JSON.parse((await run(['intake', 'zoe', '--answers', write('q2.json', { ...zoeAnswers, parq: { ...zoeAnswers.parq, q2: true } }), '--json'])).stdout);
    expect(r.referralsRaised.map((x: { code: string }) => x.code)).toEqual(['chest_pain']);
    expect(JSON.parse((await run(['screen', 'zoe', '--json'])).stdout).redFlags.map((f: { code: string }) => f.code)).toEqual(['chest_pain']);
  });

  it('deleting a client removes their intakes, clearances and verdicts in one go', async () => {
    const { db, run, write } = await setup();
    await run(['intake', 'zoe', '--answers', write('a.json', zoeAnswers)]);
    await run(['clearance', 'add', 'zoe', '--clinician', 'Dr A', '--profession', 'GP', '--status', 'cleared']);
    expect((await run(['client', 'delete', 'zoe', '--yes'])).exitCode).toBe(0);
    for (const table of ['intakes', 'clearances', 'screenings']) expect(rows(db, `select * from ${table}`)).toEqual([]);
    expect(rows(db, 'select action from audit_log')).toEqual([{ action: 'client.delete' }]);
  });

  it('screen without an intake says what to do', async () => {
    const { run } = await setup();
    const r = await run(['screen', 'zoe']);
    expect(r).toMatchObject({ exitCode: 3, stderr: 'bridgefit: no intake for Zoë Moreau yet; run "bridgefit intake 1" first\n' });
  });
});

describe('clearance', () => {
  it('lists the history, marking an expired clearance as expired', async () => {
    const { run } = await setup();
    await run(['clearance', 'add', 'zoe', '--clinician', 'Dr Old', '--profession', 'GP', '--date', '2024-01-10', '--status', 'cleared']);
    await run(['clearance', 'add', 'zoe', '--clinician', 'J. Okafor', '--profession', 'physiotherapist', '--date', '2026-11-01', '--expires', '2027-02-01', '--status', 'cleared-with-restrictions', '--restrict', 'max_hr=110', '--restrict', 'no_running']);
    const list = JSON.parse((await run(['clearance', 'list', 'zoe', '--json'])).stdout);
    expect(list).toEqual([
      expect.objectContaining({ id: 1, clinician: 'Dr Old', state: 'expired', validUntil: '2025-01-10', restrictions: [] }),
      expect.objectContaining({ id: 2, state: 'valid', validUntil: '2027-02-01', restrictions: [{ code: 'max_hr', value: 110 }, { code: 'no_running' }] }),
    ]);
    const piped = (await run(['clearance', 'list', 'zoe'])).stdout.split('\n');
    expect(piped[0]).toBe('1\t2024-01-10\tcleared\texpired\t2025-01-10\tsuperseded\tDr Old (GP)\t-');
    expect(piped[1]).toBe('2\t2026-11-01\tcleared-with-restrictions\tvalid\t2027-02-01\tyes\tJ. Okafor (physiotherapist)\tmax_hr=110 no_running');
  });

  it('refuses bad flags with exit 2, naming the flag, and writes nothing', async () => {
    const { db, run } = await setup();
    const base = ['clearance', 'add', 'zoe', '--clinician', 'Dr A', '--profession', 'GP'];
    const cases: [string[], string][] = [
      [[...base, '--status', 'maybe'], '--status must be one of cleared, cleared-with-restrictions, not-cleared, pending, got "maybe"'],
      [[...base, '--status', 'cleared-with-restrictions', '--restrict', 'no_swimming'], '--restrict: unknown restriction "no_swimming"'],
      [[...base, '--status', 'cleared-with-restrictions', '--restrict', 'max_hr=300'], '--restrict: max_hr must be a whole number 40–220 bpm, got "300"'],
      [[...base, '--status', 'cleared', '--restrict', 'no_impact'], '--status: restrictions were given, so the status is cleared-with-restrictions, not cleared'],
      [[...base, '--status', 'cleared', '--date', '2026-13-01'], '--date: 2026-13-01 is not a calendar date: there is no month 13 (months are 01–12)'],
      [[...base, '--status', 'cleared', '--date', '2026-01-10', '--expires', '2026-01-01'], '--expires: the expiry 2026-01-01 must be after the clearance date 2026-01-10'],
      [['clearance', 'add', 'zoe', '--clinician', 'Dr A'], 'missing --profession (the profession); there is no terminal to ask on'],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.stderr).toMatch(new RegExp(`^bridgefit: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      expect(r.exitCode).toBe(2);
    }
    expect(rows(db, 'select * from clearances')).toEqual([]);
  });
});

describe('settings', () => {
  it('the ADA rule for diabetes changes the verdict, and bad settings are refused', async () => {
    const { run, write } = await setup();
    const file = write('a.json', { ...zoeAnswers, medications: [], conditions: [{ code: 'type2_diabetes' }], parq: { ...allNo, followUps: { metabolic: { has: false } } } });
    await run(['intake', 'zoe', '--answers', file]);
    expect(JSON.parse((await run(['screen', 'zoe', '--json'])).stdout).gate).toBe('needs-clearance');
    expect((await run(['config', 'set', 'screening.diabetesRule', 'ada'])).exitCode).toBe(0);
    expect((await run(['config', 'get', 'screening.diabetesRule'])).stdout).toBe('ada\n');
    expect(JSON.parse((await run(['screen', 'zoe', '--json'])).stdout)).toMatchObject({ gate: 'ok', acsm: { rule: 'ada-2016' } });
    const bad = await run(['config', 'set', 'screening.diabetesRule', 'who']);
    expect(bad).toMatchObject({ exitCode: 2, stderr: 'bridgefit: screening.diabetesRule must be one of acsm, ada, got "who"\n' });
    expect((await run(['config', 'set', 'colour', 'blue'])).exitCode).toBe(2);
    expect((await run(['config', 'unset', 'screening.diabetesRule'])).exitCode).toBe(0);
    expect(JSON.parse((await run(['config', 'list', '--json'])).stdout)[0]).toMatchObject({ key: 'screening.diabetesRule', value: 'acsm', isDefault: true });
  });
});

describe('blood-pressure settings', () => {
  const RANGE = 'must be systolic 160–250 and diastolic 90–115 mmHg (from the PAR-Q+ follow-up level, 160/90, to where ACSM GETP stops exercise, above 250/115)';

  it('refuses a threshold out of range, or out of order with the others in force, and writes nothing', async () => {
    const { cwd, db, run } = await setup();
    const refused: [string, string, string][] = [
      ['screening.bpHold', '300/200', `screening.bpHold ${RANGE}, got "300/200"`],
      ['screening.bpHold', '120/70', `screening.bpHold ${RANGE}, got "120/70"`],
      ['screening.bpRecheck', '210/120', `screening.bpRecheck ${RANGE}, got "210/120"`],
      ['screening.bpRecheck', '210/105', 'screening.bpRecheck must be below screening.bpHold (200/110 in force) in both numbers: a re-check level at or above the hold level is never reached, got "210/105"'],
      ['screening.bpHoldCardiac', '210/110', 'screening.bpHoldCardiac must be at or below screening.bpHold (200/110 in force) in both numbers: cardiac clients are held at the general level or lower (GETP 10th: above 180/110), got "210/110"'],
      ['screening.bpHold', '170/100', 'screening.bpHold must be above screening.bpRecheck (160/100 in force) in both numbers: a re-check level at or above the hold level is never reached, got "170/100"'],
    ];
    for (const [key, value, message] of refused) {
      const r = await run(['config', 'set', key, value]);
      expect(r.exitCode, `${key} ${value}`).toBe(2);
      expect(r.stderr).toBe(`bridgefit: ${message}\n`);
    }
    expect(rows(db, "select key from bridgefit_meta where key like 'setting:%'")).toEqual([]);

    // Raise the hold first, and the higher re-check fits under it; going back to the default hold would not.
    expect((await run(['config', 'set', 'screening.bpHold', '230/115'])).exitCode).toBe(0);
    expect(rows(db, "select key, value from bridgefit_meta where key like 'setting:%'")).toEqual([{ key: 'setting:screening.bpHold', value: '230/115' }]);
    expect((await run(['config', 'set', 'screening.bpRecheck', '210/105'])).exitCode).toBe(0);
    const unset = await run(['config', 'unset', 'screening.bpHold']);
    expect(unset.exitCode).toBe(2);
    expect(unset.stderr).toBe('bridgefit: screening.bpHold back at its default 200/110 would have to be above screening.bpRecheck (210/105 in force) in both numbers: a re-check level at or above the hold level is never reached; change the other setting first\n');
    expect((await run(['config', 'get', 'screening.bpHold'])).stdout).toBe('230/115\n');

    // No database yet: the defaults are in force, and a refused value creates none.
    const fresh = path.join(cwd, 'new.db');
    const none = await bf(['--db', fresh, 'config', 'set', 'screening.bpRecheck', '205/105'], { cwd });
    expect(none.exitCode).toBe(2);
    expect(fs.existsSync(fresh)).toBe(false);
  });
});

describe('the interview at a terminal', () => {
  it('asks only what applies, shows a summary and saves on confirmation', async () => {
    const { cwd, db } = await setup();
    const r = await bfInTerminal(
      ['--db', db, 'intake', 'zoe'],
      [
        { waitFor: 'Conditions and surgeries', send: ' \r' }, // tick the first: total knee replacement
        { waitFor: 'which side?', send: '\x1b[B\r' }, // right
        { waitFor: 'surgery date', send: '2026-09-01\r' },
        { waitFor: 'Does the client take any medication?', send: 'n\r' },
        { waitFor: 'Q1.', send: 'n\r' },
        { waitFor: 'Q2.', send: 'n\r' },
        { waitFor: 'Q3.', send: 'n\r' },
        { waitFor: 'Q4.', send: 'n\r' },
        { waitFor: 'Q5.', send: 'n\r' },
        { waitFor: 'Q6.', send: 'y\r' },
        { waitFor: 'Q7.', send: 'n\r' },
        { waitFor: 'Follow-up 1.', send: 'y\r' },
        { waitFor: '1a.', send: 'n\r' },
        { waitFor: '1b.', send: 'n\r' },
        { waitFor: '1c.', send: 'n\r' },
        { waitFor: 'temporary illness', send: 'n\r' },
        { waitFor: 'Physically active', send: 'n\r' },
        { waitFor: 'Any of these', send: '\r' },
        { waitFor: 'How hard', send: '\r' },
        { waitFor: 'Goals', send: 'Walk to the market\r' },
        { waitFor: 'Resting heart rate', send: '70\r' },
        { waitFor: 'Resting blood pressure', send: '128/82\r' },
        { waitFor: 'Save this intake?', send: '\r' },
      ],
      { cwd },
    );
    expect(r.exitCode).toBe(0);
    // Only the arthritis page was opened by Q6; no glucose question without diabetes.
    expect(r.screen).not.toContain('Follow-up 2.');
    expect(r.screen).not.toContain('glucose');
    expect(r.screen).toContain('Conditions   total knee replacement (right) 2026-09-01');
    expect(r.screen).toMatch(/Gate\s+OK to start/);
    const answers = JSON.parse(rows(db, 'select answers from intakes')[0]!.answers as string);
    expect(answers).toMatchObject({
      conditions: [{ code: 'knee_tka', side: 'right', date: '2026-09-01' }],
      parq: { q6: true, followUps: { arthritis: { has: true, a: false, b: false, c: false } } },
      goals: 'Walk to the market',
      vitals: { restingHr: 70, bp: { systolic: 128, diastolic: 82 } },
    });
  });

  it('Ctrl-C in the middle writes nothing', async () => {
    const { cwd, db } = await setup();
    const r = await bfInTerminal(
      ['--db', db, 'intake', 'zoe'],
      [
        { waitFor: 'Conditions and surgeries', send: '\r' },
        { waitFor: 'Does the client take any medication?', send: 'n\r' },
        { waitFor: 'Q1.', send: '\x03' },
      ],
      { cwd },
    );
    expect(r.exitCode).toBe(130);
    expect(r.screen).toContain('cancelled; nothing was changed');
    expect(rows(db, 'select * from intakes')).toEqual([]);
    expect(rows(db, 'select * from screenings')).toEqual([]);
  });
});
