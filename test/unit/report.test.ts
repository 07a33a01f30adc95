import { describe, expect, it } from 'vitest';
import type { Clearance } from '../../src/domain/clearance.js';
import type { Client } from '../../src/domain/client.js';
import type { IntakeAnswers } from '../../src/domain/intake.js';
import type { GeneratedProgram, PlannedExercise } from '../../src/domain/program.js';
import { buildHandout, CLIENT_STOP_SIGNS, clientWords, handoutBlockedBy, handoutStopSigns, plainDose, plainTempo } from '../../src/domain/handout.js';
import { SYMPTOM_CODES, SYMPTOMS } from '../../src/domain/symptoms.js';
import { buildReport, reportFileName, type ReportEntry, type ReportInput } from '../../src/domain/report.js';
import { LOAD_SOURCE, type LoadSuggestion } from '../../src/domain/load-progression.js';
import { resolveTrainer } from '../../src/domain/settings.js';
import { reportClock } from '../../src/cli/pdf-output.js';
import { addDays } from '../../src/domain/dates.js';
import { missingGlyphs, runs } from '../../src/render/fonts.js';
import { renderHandout, renderReport } from '../../src/render/render.js';
import { readPdf } from '../helpers/pdf.js';
import { noCareTeam } from '../helpers/care-team.js';

const TODAY = '2026-11-27';

const client: Client = {
  id: 12,
  firstName: 'Zoë',
  lastName: 'Moreau',
  dateOfBirth: '1961-04-12',
  sex: 'female',
  email: null,
  phone: null,
  goals: null,
  notes: null,
  ...noCareTeam,
  status: 'active',
  createdAt: '',
  updatedAt: '',
};

const answers: IntakeAnswers = {
  date: '2026-10-01',
  physicallyActive: false,
  conditions: [
    { code: 'knee_tka', side: 'right', date: '2026-09-01' },
    { code: 'type2_diabetes', date: '2015-03-01' },
  ],
  medications: [
    { name: 'bisoprolol', class: 'beta_blocker' },
    { name: 'gliclazide', class: 'insulin_or_sulfonylurea' },
    { name: 'paracetamol', class: 'other' },
  ],
  parq: { q1: false, q2: false, q3: false, q4: false, q5: false, q6: false, q7: false } as IntakeAnswers['parq'],
  symptoms: [],
  desiredIntensity: 'light',
  vitals: {},
};

const exercise = (name: string, extra: Partial<PlannedExercise> = {}): PlannedExercise => ({
  exerciseId: name.toLowerCase().replace(/ /g, '_'),
  name,
  cues: ['Slowly'],
  dose: { sets: 2, reps: 10, perSide: true, rpe: [3, 5], restSeconds: 60 },
  heartRate: null,
  replaces: null,
  notes: [],
  ...extra,
});

const program: GeneratedProgram = {
  rulesVersion: 'generation-1.0.0',
  templateId: 'knee_tka',
  templateVersion: '1.0.0',
  name: 'After total knee replacement',
  startDate: '2026-10-05',
  overlays: [{ id: 'type2_diabetes', version: '1.0.0', name: 'Type 2 diabetes' }],
  dosing: 'rpe-only',
  precautions: ['Dose effort by RPE'],
  preSessionChecks: ['Measure glucose'],
  redFlags: ['Chest pain'],
  stages: [1, 2].map((n) => ({
    number: n,
    name: n === 1 ? 'Early recovery' : 'Strength',
    goals: ['Bend the knee'],
    weeks: [2, 4] as [number, number],
    sessionsPerWeek: 3,
    plannedStart: '2026-10-05',
    plannedEnd: ['2026-10-19', '2026-11-02'] as [string, string],
    exercises: [exercise('Heel slides'), exercise('Sit to stand', { replaces: { id: 'squat', name: 'Squat' }, notes: ['Use the hands'] })],
    exitCriteria: [
      { measure: 'knee_flexion', side: 'affected', op: '>=', value: 100, visits: 2 },
      { measure: 'signoff', by: 'clinician' },
    ],
    precautions: [],
  })) as GeneratedProgram['stages'],
  explanations: [],
  override: null,
};

let nextId = 1;
const entry = (date: string, extra: Partial<ReportEntry> = {}): ReportEntry => ({
  id: nextId++,
  clientId: 12,
  date,
  attended: true,
  vitals: {},
  measures: [],
  symptoms: [],
  exercises: [],
  stage: 1,
  decision: { today: 'go', advice: { advice: 'repeat', reasons: [] }, flags: [], checks: [], openReferrals: [], rulesVersion: 'x' },
  ...extra,
});

const clearance = (extra: Partial<Clearance> = {}): Clearance => ({
  id: 1,
  clientId: 12,
  clinician: 'Dr Ana Costa',
  profession: 'orthopaedic surgeon',
  contact: '+33 1 98 76 54 32',
  issuedOn: '2026-09-20',
  expiresOn: null,
  status: 'cleared-with-restrictions',
  restrictions: [{ code: 'rom.knee.right', value: 100 }],
  note: null,
  recordedAt: '',
  ...extra,
});

function input(extra: Partial<ReportInput> = {}): ReportInput {
  return {
    today: TODAY,
    since: '2026-10-16',
    client,
    trainer: resolveTrainer({ 'trainer.name': 'Sam Rivera' }),
    intake: { date: answers.date, answers },
    clearances: [clearance()],
    clearanceValidityMonths: 12,
    intakeValidityMonths: 12,
    screening: undefined,
    program: { program, currentStage: 1, stageStartedOn: '2026-10-05' },
    programFits: ['knee_tka'],
    entries: [],
    referrals: [],
    transitions: [],
    signoffs: [],
    questions: [],
    nextLoads: [],
    ...extra,
  };
}

const suggestion = (extra: Partial<LoadSuggestion>): LoadSuggestion => ({ exerciseId: 'leg_press', name: 'Leg press machine', suggestedKg: 42.5, lastKg: 40, change: 'increase', reason: '+2.5 kg: two sessions at 12 reps, pain acceptable', source: LOAD_SOURCE, ...extra });
const legPress = suggestion({});
const miniSquat = suggestion({ exerciseId: 'mini_squat', name: 'Mini squat', suggestedKg: null, lastKg: null, change: 'none', reason: 'no load recorded in this stage yet' });

describe('the clinician report model', () => {
  it('says who, with age on the report date, conditions with dates, and why a medication matters (FACTS §5)', () => {
    const m = buildReport(input());
    expect(m.client).toEqual({ id: 12, name: 'Zoë Moreau', dateOfBirth: '1961-04-12', age: 65, sex: 'female', archived: false });
    expect(m.conditions).toEqual([
      { label: 'total knee replacement', detail: 'right, surgery 2026-09-01' },
      { label: 'type 2 diabetes', detail: 'diagnosis 2015-03-01' },
    ]);
    expect(m.medications[0]!.why).toMatch(/intensity set by effort \(RPE\)/);
    // The class says the risk ("insulin or sulfonylurea (hypoglycaemia risk)"); the reason does not repeat it.
    expect(m.medications[1]).toMatchObject({ kind: 'insulin or sulfonylurea (hypoglycaemia risk)', why: 'glucose checked before each session' });
    expect(m.medications[2]).toEqual({ name: 'paracetamol', kind: 'other', why: null });
  });

  it('shows the clearance in force with its restrictions and validity, and marks an expired one for review', () => {
    expect(buildReport(input()).clearance).toMatchObject({ state: 'valid', validUntil: '2027-09-20', restrictions: ['right knee range of motion at most 100°'] });
    const expired = buildReport(input({ clearances: [clearance({ issuedOn: '2025-09-01' })] }));
    expect(expired.clearance.state).toBe('expired');
    expect(expired.attention.level).toBe('review');
    expect(expired.attention.items).toContain('Medical clearance from Dr Ana Costa expired on 2026-09-01');
    expect(expired.questions[0]).toMatch(/expired on 2026-09-01: please review it/);
    const none = buildReport(input({ clearances: [] }));
    expect(none.clearance.state).toBe('none');
    expect(none.attention.items).toContain('No medical clearance on file');
  });

  it('flags effort and load warnings on the log rows and once each on page 1, with their days (FACTS §10; AACVPR; Mytinger 2020)', () => {
    const warned = (date: string, rpe: number) =>
      entry(date, {
        rpe: { value: rpe, scale: 'cr10' },
        decision: {
          today: 'go', advice: { advice: 'repeat', reasons: [] }, flags: [], checks: [], openReferrals: [], rulesVersion: 'progress-1.3.0',
          warnings: [{ code: 'rpe_above_cap', text: `Effort RPE ${rpe}/10 is above the cap of 4/10 (the clearance's max_rpe=4): do not progress`, source: 'AACVPR; Mytinger 2020' }],
        },
      });
    const m = buildReport(input({ entries: [warned('2026-11-13', 6), warned('2026-11-20', 8)] }));
    expect(m.log.map((r) => r.warnings)).toEqual([
      ["Effort RPE 6/10 is above the cap of 4/10 (the clearance's max_rpe=4): do not progress (AACVPR; Mytinger 2020)"],
      ["Effort RPE 8/10 is above the cap of 4/10 (the clearance's max_rpe=4): do not progress (AACVPR; Mytinger 2020)"],
    ]);
    expect(m.attention.items).toContain("Warning on 2026-11-13 and 2026-11-20: Effort RPE 8/10 is above the cap of 4/10 (the clearance's max_rpe=4): do not progress");
    // A decision stored before progress-1.3.0 has no warnings.
    expect(buildReport(input({ entries: [entry('2026-11-20')] })).log[0]!.warnings).toEqual([]);
  });

  it('puts an open referral and a red flag first as urgent, and asks the clinician about the referral', () => {
    const flagged = entry('2026-11-20', {
      decision: { today: 'hold', advice: { advice: 'rest', reasons: [] }, flags: [{ code: 'chest_pain', text: 'Chest pain: refer', source: 's', stop: true }], checks: [], openReferrals: [], rulesVersion: 'x' },
    });
    const m = buildReport(
      input({
        entries: [flagged],
        referrals: [{ id: 4, code: 'chest_pain', raisedOn: '2026-11-20', reason: 'Chest pain: refer', toWhom: 'Dr Ana Costa', status: 'open', resolvedOn: null, resolutionNote: null }],
      }),
    );
    expect(m.attention.level).toBe('urgent');
    expect(m.attention.items[0]).toBe('Open referral (2026-11-20): Chest pain: refer');
    // The referral already says it: the same flag is not repeated.
    expect(m.attention.items.filter((i) => i.includes('Chest pain'))).toHaveLength(1);
    expect(m.attention.items).toContain('1 session held at the pre-session checks (2026-11-20)');
    expect(m.questions[0]).toMatch(/^Referral of 2026-11-20 \(Chest pain: refer\): please assess/);
    expect(m.log[0]).toMatchObject({ outcome: 'held', flags: ['Chest pain: refer'] });
  });

  it('compares outcomes with the first value ever recorded and the MCID: LEFS +9 (Binkley 1999), ODI −10 (Ostelo 2008)', () => {
    const m = buildReport(
      input({
        entries: [
          entry('2026-09-30', { measures: [{ code: 'lefs', value: 31 }, { code: 'odi', value: 40 }] }),
          entry('2026-11-01', { measures: [{ code: 'lefs', value: 36 }] }),
          entry('2026-11-25', { measures: [{ code: 'lefs', value: 40 }, { code: 'odi', value: 32 }, { code: 'tug_seconds', value: 11 }] }),
        ],
      }),
    );
    const lefs = m.outcomes.find((o) => o.code === 'lefs')!;
    // Baseline before the period still counts: 31 → 40 is +9, the MCID exactly.
    expect(lefs).toMatchObject({ baseline: { date: '2026-09-30', value: 31 }, latest: { date: '2026-11-25', value: 40 }, change: 9, mcid: 9, mcidReached: true });
    const odi = m.outcomes.find((o) => o.code === 'odi')!;
    expect(odi).toMatchObject({ change: -8, improved: true, mcidReached: false });
    // One TUG value is a baseline with no change yet: still a row, so the clinician sees it is measured.
    expect(m.outcomes.find((o) => o.code === 'tug_seconds')).toMatchObject({ baseline: { date: '2026-11-25', value: 11 }, latest: null, change: null, mcidReached: null });
    // The chart keeps the baseline point from before the period.
    expect(m.outcomeSeries.find((s) => s.code === 'lefs')!.points.map((p) => p.value)).toEqual([31, 36, 40]);
  });

  it('counts adherence from the later of the period start and the program start, and reads the pain trend', () => {
    const entries = ['2026-10-20', '2026-10-22', '2026-10-27', '2026-11-10', '2026-11-12', '2026-11-17'].map((d, i) => entry(d, { painAfter: i < 3 ? 1 : 4, nextDayPain: i < 3 ? 1 : 4 }));
    const m = buildReport(input({ entries }));
    // 2026-10-16 to 2026-11-27 at 3 a week.
    expect(m.adherence).toMatchObject({ attended: 6, planned: 18 });
    expect(m.adherence!.share).toBeCloseTo(6 / 18);
    expect(m.pain.trend).toBe('worsening');
    expect(m.attention.items).toContain('Pain is rising over the period');
    expect(m.attention.items.some((i) => i.startsWith('Adherence 33%'))).toBe(true);
    expect(m.pain.series.map((s) => s.label)).toEqual(['during', 'after', 'next morning']);
    expect(m.pain.series[1]!.points).toHaveLength(6);
  });

  it('draws the stage key measure on the affected side against its exit target, and asks for the clinician sign-off when it is all that is missing', () => {
    const entries = [
      entry('2026-11-20', { measures: [{ code: 'knee_flexion', side: 'right', value: 101 }, { code: 'knee_flexion', side: 'left', value: 130 }] }),
      entry('2026-11-24', { measures: [{ code: 'knee_flexion', side: 'right', value: 104 }] }),
    ];
    const m = buildReport(input({ entries }));
    expect(m.keyMeasure).toMatchObject({ label: 'knee flexion', op: '>=', target: 100 });
    expect(m.keyMeasure!.series).toEqual([{ label: 'right', points: [{ date: '2026-11-20', value: 101 }, { date: '2026-11-24', value: 104 }] }]);
    expect(m.criteria.map((c) => c.met)).toEqual([true, false]);
    expect(m.questions).toContain('Every exit criterion of stage 1 holds but your sign-off: may Zoë Moreau move on to stage 2 (Strength)?');
    const signed = buildReport(input({ entries, signoffs: [{ by: 'clinician', date: '2026-11-25' }] }));
    expect(signed.criteria.every((c) => c.met)).toBe(true);
    expect(signed.questions.some((q) => q.includes('your sign-off'))).toBe(false);
  });

  it('asks for the sign-off saying the next stage still waits for its time after surgery, which a sign-off does not bring forward (FACTS §10)', () => {
    const entries = [
      entry('2026-11-20', { measures: [{ code: 'knee_flexion', side: 'right', value: 101 }] }),
      entry('2026-11-24', { measures: [{ code: 'knee_flexion', side: 'right', value: 104 }] }),
    ];
    const timed = { ...program, stages: program.stages.map((s) => (s.number === 2 ? { ...s, afterSurgery: { fromWeek: 16, source: 's' } } : s)) };
    const m = buildReport(input({ entries, program: { program: timed, currentStage: 1, stageStartedOn: '2026-10-05' } }));
    // Surgery 2026-09-01 (the intake's knee replacement) + 16 weeks = 2026-12-22, after the report day.
    expect(m.questions).toContain('Every exit criterion of stage 1 holds but your sign-off: may Zoë Moreau move on to stage 2 (Strength) (stage 2 begins no earlier than 2026-12-22, 16 weeks after the surgery of 2026-09-01, whatever the sign-off)?');
  });

  it('names who signed the current stage off, and what a forced stage change was forced past', () => {
    const m = buildReport(
      input({
        signoffs: [{ by: 'clinician', date: '2026-11-25', name: 'Dr A. Physio', profession: 'physiotherapist' }],
        transitions: [
          {
            onDate: '2026-10-20',
            from: 1,
            to: 2,
            forced: true,
            reason: 'surgeon letter',
            evidence: {
              ruleVersion: 'stage-1.0.0',
              gates: [
                { code: 'stage_minimum', status: 'held', reason: 'stage 1 planned minimum 2 weeks: 10 of 14 days', source: 's' },
                { code: 'open_referrals', status: 'passed', reason: 'no referral open', source: 's' },
              ],
              forcedPast: ['stage_minimum'],
              criteria: [],
              signoffs: [{ by: 'trainer', name: null, profession: null, date: '2026-10-20' }],
            },
          },
        ],
      }),
    );
    expect(m.signoffs).toEqual(['clinician: Dr A. Physio (physiotherapist) on 2026-11-25']);
    expect(m.criteria[1]!.detail).toBe('clinician sign-off by Dr A. Physio (physiotherapist) on 2026-11-25: met');
    expect(m.transitions[0]).toMatchObject({ forced: true, forcedPast: ['stage 1 planned minimum 2 weeks: 10 of 14 days'], signoffs: ['trainer: the trainer (name not recorded) on 2026-10-20'], ruleVersion: 'stage-1.0.0' });
  });

  it("adds the trainer's own questions after the ones the record raises", () => {
    const m = buildReport(input({ clearances: [], questions: ['  May she use the pool?  ', ''], screening: { clearance: { needed: true }, reasons: [], gate: 'needs-clearance', targets: { rpe: null, heartRate: null }, dosing: 'heart-rate', screenedOn: TODAY, ruleVersion: 'screening-1.0.0' } as unknown as ReportInput['screening'] }));
    expect(m.questions).toEqual(['The screening of 2026-11-27 calls for medical clearance (clearance needed): please give it, with any restrictions.', 'May she use the pool?']);
  });

  it('gives each session its glucose as recorded, in its unit (FACTS §3)', () => {
    const m = buildReport(input({ entries: [entry('2026-11-20', { vitals: { glucose: { value: 5.4, unit: 'mmol/L' } } }), entry('2026-11-22', { vitals: { glucose: { value: 97, unit: 'mg/dL' } } }), entry('2026-11-24'), entry('2026-11-26', { vitals: { glucose: { value: 7, unit: 'mmol/L' } } })] }));
    expect(m.log.map((r) => r.glucose)).toEqual(['5.4 mmol/L', '97 mg/dL', undefined, '7.0 mmol/L']);
  });

  it('says once why a session was held: the open referrals that stopped it by their days, not a red flag of the day again', () => {
    const palpitations = 'Red flag: palpitations, racing or irregular heartbeat: stop and refer to a doctor today';
    const chest = { id: 3, code: 'chest_pain', raisedOn: '2026-11-05', reason: 'Red flag: chest pain: stop and refer', toWhom: 'GP', status: 'open' as const, resolvedOn: null, resolutionNote: null };
    const held = entry('2026-11-10', {
      attended: false,
      missedReason: `held: Referral 3 of 2026-11-05 is still open (${chest.reason}): no session until a clinician has assessed the client and the referral is resolved; Glucose 3.5 mmol/L is below 4.0 mmol/L: do not start; ${palpitations}`,
      decision: {
        today: 'hold',
        advice: { advice: 'rest', reasons: [] },
        checks: [
          { code: 'stop_referral_open', severity: 'hold', text: `Referral 3 of 2026-11-05 is still open (${chest.reason}): no session until a clinician has assessed the client and the referral is resolved`, source: 's' },
          { code: 'glucose_low', severity: 'hold', text: 'Glucose 3.5 mmol/L is below 4.0 mmol/L: do not start', source: 's' },
          { code: 'bp_caution', severity: 'caution', text: 'Blood pressure 150/95: watch', source: 's' },
        ],
        flags: [{ code: 'palpitations', text: palpitations, source: 's', stop: true }],
        openReferrals: [{ id: 3, reason: chest.reason }],
        rulesVersion: 'x',
      },
    });
    const row = buildReport(input({ entries: [held], referrals: [chest, { ...chest, id: 4, code: 'palpitations', raisedOn: '2026-11-10', reason: palpitations }] })).log[0]!;
    expect(row).toMatchObject({ outcome: 'held', held: ['Referral of 2026-11-05 still open: no session until a clinician has assessed the client', 'Glucose 3.5 mmol/L is below 4.0 mmol/L: do not start'], flags: [palpitations] });
    expect(row.missedReason).toBeUndefined();
    // Recorded without its decision: the reason stored with the entry, without "held: ".
    const bare = buildReport(input({ entries: [entry('2026-11-12', { attended: false, missedReason: 'held: Resting blood pressure 185/112 mmHg: no session', decision: null })] })).log[0]!;
    expect(bare).toMatchObject({ outcome: 'held', held: ['Resting blood pressure 185/112 mmHg: no session'] });
  });

  it('keeps only the entries of the period in the log, and works without a program or an intake', () => {
    const m = buildReport(input({ program: undefined, intake: undefined, entries: [entry('2026-09-01'), entry('2026-11-01', { attended: false, missedReason: 'flu' })] }));
    expect(m.program).toBeNull();
    expect(m.adherence).toBeNull();
    expect(m.log).toHaveLength(1);
    expect(m.log[0]).toMatchObject({ attended: false, missedReason: 'flu', outcome: 'missed' });
    expect(m.exercises).toEqual([]);
    expect(m.conditions).toEqual([]);
  });
});

describe('what the clinician must look at', () => {
  const verdict = (gate: 'ok' | 'needs-clearance' | 'refer', headline: string) =>
    ({ gate, screenedOn: '2026-11-20', ruleVersion: 'screening-1.0.0', reasons: [{ severity: gate === 'refer' ? 'refer' : gate === 'needs-clearance' ? 'clearance' : 'info', text: headline }], clearance: { needed: gate !== 'ok', covers: false, inForce: null }, targets: { rpe: null, heartRate: null }, dosing: 'heart-rate' }) as unknown as ReportInput['screening'];

  it('a screening that refers is urgent, says REFER, and asks the clinician to assess first (ACSM 2015; PAR-Q+)', () => {
    const m = buildReport(input({ clearances: [], screening: verdict('refer', 'Red flag: new pain at night or at rest: stop and refer to a clinician') }));
    expect(m.attention.level).toBe('urgent');
    expect(m.attention.items[0]).toBe('Screening of 2026-11-20 refers the client to a clinician: Red flag: new pain at night or at rest: stop and refer to a clinician');
    expect(m.screening!.gate).toBe('refer');
    expect(m.questions[0]).toMatch(/^The screening of 2026-11-20 found: Red flag: new pain at night .* Please assess before exercise begins or goes on/);
    // Not the clearance question as well: the referral comes first.
    expect(m.questions.some((q) => q.startsWith('The screening calls for medical clearance'))).toBe(false);
  });

  it('an open referral for a red flag from a session since the screening: page 1 says refer, and no handout is given (FACTS §1, §3)', () => {
    const chest = { id: 4, code: 'chest_pain', raisedOn: '2026-11-22', reason: 'Red flag: chest pain: stop and refer', toWhom: 'GP', status: 'open' as const, resolvedOn: null, resolutionNote: null };
    const m = buildReport(input({ screening: verdict('ok', 'no findings'), referrals: [chest] }));
    expect(m.screening).toMatchObject({ gate: 'refer', headline: 'referral 4 of 2026-11-22 is open: no exercise until a clinician has assessed the client', byReferral: true });
    expect(handoutBlockedBy(input({ screening: verdict('ok', 'no findings'), referrals: [chest] }))).toBe('referral 4 of 2026-11-22 (Red flag: chest pain: stop and refer) is open: no exercise until a clinician has assessed them');
    // A finding after a session refers without stopping training; a resolved one says nothing.
    for (const referrals of [[{ ...chest, code: 'effusion_2plus' }], [{ ...chest, status: 'resolved' as const, resolvedOn: '2026-11-24' }]]) {
      expect(buildReport(input({ screening: verdict('ok', 'no findings'), referrals })).screening!.gate).toBe('ok');
      expect(handoutBlockedBy(input({ screening: verdict('ok', 'no findings'), referrals }))).toBeUndefined();
    }
  });

  it('asks once about several open referrals, and not again through a screening that refers only because of one of them', () => {
    const open = (id: number, raisedOn: string, code: string, reason: string) => ({ id, code, raisedOn, reason, toWhom: 'GP', status: 'open' as const, resolvedOn: null, resolutionNote: null });
    const referrals = [open(2, '2026-11-03', 'bp_hold', 'Resting blood pressure 185/112 mmHg: no session; refer'), open(3, '2026-11-05', 'chest_pain', 'Red flag: chest pain: stop and refer'), open(4, '2026-11-10', 'palpitations', 'Red flag: palpitations: stop and refer')];
    const m = buildReport(input({ screening: verdict('ok', 'no findings'), referrals }));
    expect(m.screening!.gate).toBe('refer');
    expect(m.questions).toEqual(['The 3 open referrals, raised 2026-11-03 to 2026-11-10: please assess each, and say whether training may continue and with what changes.']);
    expect(m.attention.items.filter((i) => i.startsWith('Open referral'))).toHaveLength(3);
    expect(m.attention.items.some((i) => i.startsWith('Screening of'))).toBe(false);
    // A screening that refers on its own findings is still said, with its question.
    const refer = buildReport(input({ screening: verdict('refer', 'Red flag: new pain at night or at rest'), referrals: [referrals[0]!] }));
    expect(refer.attention.items.some((i) => i.startsWith('Screening of 2026-11-20 refers'))).toBe(true);
    expect(refer.questions).toHaveLength(2);
  });

  it('range recorded beyond the clearance limit is for review, with a question to raise or lift the limit', () => {
    const entries = [entry('2026-11-20', { measures: [{ code: 'knee_flexion', side: 'right', value: 104 }] }), entry('2026-11-24', { measures: [{ code: 'knee_flexion', side: 'right', value: 108 }, { code: 'knee_flexion', side: 'left', value: 130 }] })];
    const m = buildReport(input({ entries }));
    expect(m.beyondLimits).toEqual([{ restriction: 'right knee range of motion at most 100°', measure: 'right knee flexion', value: 108, date: '2026-11-24' }]);
    expect(m.attention.items).toContain("Right knee flexion 108° on 2026-11-24 is beyond the clearance's limit (right knee range of motion at most 100°)");
    expect(m.questions).toContain('Right knee flexion is now 108° (2026-11-24), beyond your limit (right knee range of motion at most 100°): may the limit be raised or lifted?');
    // Within the limit, or before the clearance was given: nothing to say.
    expect(buildReport(input({ entries: [entry('2026-11-20', { measures: [{ code: 'knee_flexion', side: 'right', value: 100 }] })] })).beyondLimits).toEqual([]);
    expect(buildReport(input({ entries: [entry('2026-09-10', { measures: [{ code: 'knee_flexion', side: 'right', value: 120 }] })], since: '2026-09-01' })).beyondLimits).toEqual([]);
  });

  it('names a stale intake (PAR-Q+ 12 months), a stage long past its plan, no intake at all, and an archived client', () => {
    const stale = buildReport(input({ intake: { date: '2025-10-01', answers: { ...answers, date: '2025-10-01' } } }));
    expect(stale.attention.items).toContain('The intake is from 2025-10-01, older than 12 months: it should be repeated');
    const overdue = buildReport(input({ program: { program, currentStage: 1, stageStartedOn: '2026-09-01' } }));
    expect(overdue.attention.items).toContain('In stage 1 for 87 days; planned 2–4 weeks');
    const none = buildReport(input({ intake: undefined }));
    expect(none.attention.items).toContain('No intake on file, so no screening: medical history, medications and symptoms are not known');
    const archived = buildReport(input({ client: { ...client, status: 'archived' } }));
    expect(archived.client.archived).toBe(true);
    expect(archived.attention.items).toContain('This client is archived: no longer seen');
  });

  it('a screening that needs clearance not yet given is urgent; one made before the clearance now in force is not held against the client', () => {
    const needs = buildReport(input({ screening: { ...verdict('needs-clearance', 'Peripheral artery disease: medical clearance needed'), screenedOn: '2026-11-20' } as ReportInput['screening'] }));
    expect(needs.attention.level).toBe('urgent');
    expect(needs.attention.items).toContain('Screening of 2026-11-20: medical clearance needed before exercise: Peripheral artery disease: medical clearance needed');
    expect(needs.questions[0]).toMatch(/^The screening of 2026-11-20 calls for medical clearance/);
    // The clearance in force (2026-09-20) came after a screening of 2026-09-01: that screening is stale, not a hold.
    const stale = buildReport(input({ screening: { ...verdict('needs-clearance', 'clearance needed'), screenedOn: '2026-09-01' } as ReportInput['screening'] }));
    expect(stale.screeningStale).toBe(true);
    expect(stale.attention.items.some((i) => i.startsWith('Screening of'))).toBe(false);
  });

  it('says an open referral once, on one line with the days its red flag came again', () => {
    const flag = (date: string) =>
      entry(date, { decision: { today: 'hold', advice: { advice: 'rest', reasons: [] }, flags: [{ code: 'chest_pain', text: 'Chest pain: refer', source: 's', stop: true }], checks: [], openReferrals: [], rulesVersion: 'x' } });
    const m = buildReport(
      input({
        entries: [flag('2026-11-10'), flag('2026-11-17'), flag('2026-11-24')],
        referrals: [{ id: 4, code: 'chest_pain', raisedOn: '2026-11-10', reason: 'Chest pain: refer', toWhom: 'Dr Ana Costa', status: 'open', resolvedOn: null, resolutionNote: null }],
      }),
    );
    expect(m.attention.items.filter((i) => i.includes('Chest pain'))).toEqual(['Open referral (2026-11-10): Chest pain: refer; flagged again on 2026-11-17 and 2026-11-24']);
  });

  it('compares single-leg stance leg with leg, never left with right (Bohannon 2006 norms are per leg)', () => {
    const m = buildReport(
      input({
        entries: [
          entry('2026-11-20', { measures: [{ code: 'single_leg_stance_s', side: 'left', value: 30 }, { code: 'single_leg_stance_s', side: 'right', value: 4 }] }),
          entry('2026-11-26', { measures: [{ code: 'single_leg_stance_s', side: 'left', value: 31 }, { code: 'single_leg_stance_s', side: 'right', value: 5 }] }),
        ],
      }),
    );
    expect(m.outcomes.map((o) => [o.label, o.baseline.value, o.latest?.value, o.change])).toEqual([
      ['single-leg stance, eyes open (left)', 30, 31, 1],
      ['single-leg stance, eyes open (right)', 4, 5, 1],
    ]);
    expect(m.outcomeSeries.map((s) => s.label)).toEqual(['single-leg stance, eyes open (left)', 'single-leg stance, eyes open (right)']);
  });

  it("gives the next session's load of each loaded exercise with the last one and why, and none without loaded exercises", () => {
    const m = buildReport(input({ nextLoads: [legPress, miniSquat] }));
    expect(m.nextLoads).toEqual([
      { name: 'Leg press machine', lastKg: 40, suggestedKg: 42.5, change: 'increase', reason: '+2.5 kg: two sessions at 12 reps, pain acceptable' },
      { name: 'Mini squat', lastKg: null, suggestedKg: null, change: 'none', reason: 'no load recorded in this stage yet' },
    ]);
    expect(m.loadSource).toBe(LOAD_SOURCE);
    expect(buildReport(input()).nextLoads).toEqual([]);
    expect(buildReport(input()).loadSource).toBeNull();
  });

  it('leaves the command that records a sign-off out of the clinician page', () => {
    const m = buildReport(input());
    expect(m.criteria[1]!.detail).toBe('no clinician sign-off for this stage yet: not met');
  });
});

describe('the clinician report PDF', () => {
  const render = async (extra: Partial<ReportInput>) => readPdf(Buffer.from((await renderReport(buildReport(input(extra)), { log: true, created: new Date(`${TODAY}T00:00:00Z`) })).bytes));
  const referral = (id: number, raisedOn: string, reason: string) => ({ id, code: 'effusion_2plus', raisedOn, reason, toWhom: 'Dr Ana Costa (orthopaedic surgeon)', status: 'open' as const, resolvedOn: null, resolutionNote: null });

  it('has a glucose column in the session log only when a session of the period has glucose', async () => {
    const logOf = (text: string) => text.slice(text.indexOf('Session log'), text.indexOf('Stage changes'));
    const without = logOf((await render({ entries: [entry('2026-11-20', { vitals: { bp: { systolic: 128, diastolic: 82 } } })] })).text);
    expect(without).toContain('128/82');
    expect(without).not.toContain('Glucose');
    const withGlucose = logOf((await render({ entries: [entry('2026-11-20'), entry('2026-11-22', { vitals: { glucose: { value: 4.6, unit: 'mmol/L' } } })] })).text);
    expect(withGlucose).toContain('Glucose');
    expect(withGlucose).toContain('4.6 mmol/L');
  });

  it('keeps the Referrals heading on the page of its first row, wherever the log before it ends', async () => {
    const referrals = [referral(1, '2026-11-02', 'Effusion 2+ after the session, twice in a row: refer to the surgeon for review of the swelling before loading further')];
    // One more session each time moves the heading down the page by a row, across every place it can fall.
    for (let n = 4; n <= 24; n++) {
      const entries = Array.from({ length: n }, (_, i) => entry(addDays('2026-10-17', i), { painDuring: 2, painAfter: 2 }));
      const pdf = await render({ entries, referrals });
      const page = pdf.pages.findIndex((p) => /(^|\n)Referrals\n/.test(p));
      expect(page, `${n} sessions`).toBeGreaterThan(0);
      expect(pdf.pages[page]!.replace(/\s+/g, ' '), `${n} sessions: the Referrals heading is on page ${page + 1} without its first row`).toContain('2026-11-02 Effusion 2+ after the session');
    }
  }, 120_000);

  const flagged = (date: string, code: string, text: string) =>
    entry(date, { painDuring: 2, decision: { today: 'go', advice: { advice: 'repeat', reasons: [] }, flags: [{ code, text, source: 's', stop: false }], checks: [], openReferrals: [], warnings: [], rulesVersion: 'x' } });
  const flat = (p: string) => p.replace(/\s+/g, ' ');

  it('keeps page 1 to one page with 200 sessions, 60 red flags and 30 open referrals: the rest is "and N more, see page 2", listed in full there', async () => {
    const entries = Array.from({ length: 200 }, (_, i) => (i < 60 ? flagged(addDays('2026-10-16', Math.floor(i / 2)), `rule_${i}`, `Finding number ${i} at this session: refer to the clinician for review`) : entry(addDays('2026-10-16', Math.floor(i / 5)), { painDuring: 2 })));
    const referrals = Array.from({ length: 30 }, (_, i) => ({ ...referral(100 + i, addDays('2026-10-16', i), `Referral reason number ${i}: effusion 2+ after the session, review before loading`), code: `ref_${i}` }));
    // The stage's loads too: they are on the stage's page, never page 1.
    const pdf = await render({ entries, referrals, nextLoads: [legPress, miniSquat] });
    const [page1, page2] = [flat(pdf.pages[0]!), flat(pdf.pages[1]!)];
    expect(page1).toContain('Needs your attention');
    expect(page1).toContain('Open referral (2026-10-16): Referral reason number 0');
    expect(page1).toContain('Page 1 of');
    expect(page1).not.toContain('Loads for the next session');
    expect(pdf.text).toContain('Leg press machine 40 kg 42.5 kg (up)');
    const more = /and (\d+) more: see the full list on page 2/.exec(page1);
    expect(more, page1).not.toBeNull();
    // Everything page 1 has to say is on page 1: the fields, the program and the questions.
    for (const part of ['Medical history and clearance', 'Program and response', 'Questions for you']) expect(page1).toContain(part);
    // Page 2 starts with the full list: every referral and every finding, once each.
    expect(page2.indexOf('Everything for your attention')).toBeGreaterThan(-1);
    expect(page2.indexOf('Everything for your attention')).toBeLessThan(page2.indexOf('Response over time') === -1 ? Infinity : page2.indexOf('Response over time'));
    const listed = pdf.text.slice(pdf.text.indexOf('Everything for your attention'), pdf.text.indexOf('Response over time'));
    for (let i = 0; i < 30; i++) expect(listed.split(`Referral reason number ${i}:`).length - 1, `referral ${i}`).toBe(1);
    for (let i = 0; i < 60; i++) expect(listed.split(`Finding number ${i} at`).length - 1, `finding ${i}`).toBe(1);
    // What page 1 shows plus what it folds is the whole list.
    const model = buildReport(input({ entries, referrals }));
    expect(model.attention.items.length).toBeGreaterThanOrEqual(90);
    const shownOnPage1 = model.attention.items.filter((i) => page1.includes(flat(i))).length;
    expect(shownOnPage1).toBeGreaterThan(0);
    expect(shownOnPage1 + Number(more![1])).toBe(model.attention.items.length);
  }, 60_000);

  it('keeps page 1 to one page with 20 medications, every outcome measure and 40 red flags too', async () => {
    const medications = Array.from({ length: 20 }, (_, i) => ({ name: `medicine number ${i + 1} with a long name`, class: (i % 3 === 0 ? 'beta_blocker' : 'other') as 'beta_blocker' | 'other' }));
    const scores = (date: string, v: number) => entry(date, { measures: [{ code: 'lefs', value: 30 + v }, { code: 'odi', value: 40 - v }, { code: 'nprs', value: 6 - (v % 3) }, { code: 'tug_seconds', value: 14 - v }, { code: 'chair_stand_30s', value: 8 + v }, { code: 'six_minute_walk_m', value: 300 + 10 * v }, { code: 'psfs', value: 4 + (v % 3) }, { code: 'quickdash', value: 40 - v }, { code: 'single_leg_stance_s', side: 'left', value: 5 + v }, { code: 'single_leg_stance_s', side: 'right', value: 4 + v }] });
    const entries = [scores('2026-10-20', 0), ...Array.from({ length: 40 }, (_, i) => flagged(addDays('2026-10-21', i), `rule_${i}`, `Finding number ${i}: refer to the clinician for review of this finding`)), scores('2026-11-26', 5)];
    const pdf = await render({ entries, intake: { date: answers.date, answers: { ...answers, medications } } });
    const [page1, page2] = [flat(pdf.pages[0]!), flat(pdf.pages[1]!)];
    for (const part of ['Needs your attention', 'Medical history and clearance', 'Program and response', 'Outcome measures against baseline', 'Questions for you']) expect(page1, part).toContain(part);
    expect(page1).toMatch(/see the full list on page 2/);
    expect(page1).toContain('Page 1 of');
    expect(page2).toContain('Everything for your attention');
    // The long medication list gives way on page 1, and is whole on page 2.
    expect(page1).toMatch(/medicine number 4 with a long name[^•]*? and 16 more: see page 2/);
    expect(page1).not.toContain('medicine number 5 ');
    const full = pdf.text.slice(pdf.text.indexOf('Everything for your attention'), pdf.text.indexOf('Response over time'));
    for (let i = 1; i <= 20; i++) expect(full, `medicine ${i}`).toContain(`medicine number ${i} with a long name`);
    expect(full).toContain('single-leg stance, eyes open (right)');
    expect(page1).toContain('LEFS (0–80) 30 (2026-10-20) 35 (2026-11-26)');
  }, 60_000);

  it('says a resolved referral on page 1 once, with the day and who resolved it, and its red flag not again', async () => {
    const text = 'Knee flexion 70° (right) is below 80°: refer to the surgical team';
    const entries = ['2026-11-02', '2026-11-05', '2026-11-09', '2026-11-12', '2026-11-16'].map((d) => flagged(d, 'tka_flexion_below_80', text));
    const referrals = [{ id: 7, code: 'tka_flexion_below_80', raisedOn: '2026-11-02', reason: text, toWhom: 'surgical team', status: 'resolved' as const, resolvedOn: '2026-11-20', resolutionNote: 'continue', resolvedBy: 'Dr Ana Costa' }];
    const pdf = await render({ entries, referrals });
    const page1 = flat(pdf.pages[0]!);
    expect(page1.split('below 80°').length - 1).toBe(1);
    expect(page1).toContain('Resolved on 2026-11-20 by Dr Ana Costa: referral of 2026-11-02');
    // The Referrals table says it too.
    expect(pdf.text).toContain('resolved 2026-11-20 by Dr Ana Costa: continue');
  }, 60_000);

  it("shows the next session's loads with the stage, off page 1, and no heading for a stage without loaded exercises", async () => {
    const capped = suggestion({ exerciseId: 'knee_extension', name: 'Seated knee extension', lastKg: 12, suggestedKg: 10, change: 'reduce', reason: "2 kg down to the cap of 10 kg (the clearance's max_load_kg=10)" });
    const pdf = await render({ nextLoads: [legPress, capped, miniSquat] });
    expect(flat(pdf.pages[0]!)).not.toContain('Loads for the next session');
    const text = pdf.text;
    const at = text.indexOf("Loads for the next session, by the program's load progression");
    // After the stage's exercises, before its exit criteria.
    expect(at).toBeGreaterThan(text.indexOf('Stage 1: Early recovery'));
    expect(at).toBeLessThan(text.indexOf('Exit criteria for this stage'));
    const section = text.slice(at, text.indexOf('Exit criteria for this stage'));
    expect(section).toContain('Exercise Last load Next session Why');
    expect(section).toContain('Leg press machine 40 kg 42.5 kg (up) +2.5 kg: two sessions at 12 reps, pain acceptable');
    expect(section).toContain("Seated knee extension 12 kg 10 kg (down) 2 kg down to the cap of 10 kg (the clearance's max_load_kg=10)");
    expect(section).toContain('Mini squat none recorded no suggestion no load recorded in this stage yet');
    expect(section).toContain('Rule: ACSM Position Stand');
    expect(section).toContain("Each session's load is in the session log.");
    const without = await render({});
    expect(without.text).toContain('Stage 1: Early recovery');
    expect(without.text).not.toContain('Loads for the next session');
    expect(without.text).not.toContain('ACSM Position Stand');
  }, 60_000);

  it('lists breaches in the session log, keeps a baseline-only measure in the outcomes table, and shows the exercises done', async () => {
    const pdf = await render({
      entries: [
        entry('2026-11-20', { measures: [{ code: 'knee_flexion', side: 'right', value: 96 }, { code: 'tug_seconds', value: 14 }] }),
        entry('2026-11-24', { measures: [{ code: 'knee_flexion', side: 'right', value: 108 }], exercises: [{ exerciseId: 'sit_to_stand', sets: 2, reps: 8, loadKg: 5, completed: true }] }),
      ],
    });
    expect(flat(pdf.pages[0]!)).toContain('Timed Up and Go (s) 14 (2026-11-20) not measured again yet – – baseline only: no change yet');
    expect(pdf.text).toContain("BEYOND LIMIT: right knee flexion 108°, past the clearance's limit of 100°");
    expect(pdf.text).toContain('Done: Sit to stand 2×8 at 5 kg');
  }, 60_000);

  it('ends with the reply form, on a page that carries other content too, however long the report', async () => {
    const referrals = [referral(1, '2026-11-02', 'Effusion 2+ after the session, twice in a row: refer to the surgeon')];
    for (const n of [0, 3, 8, 13, 18, 23, 28]) {
      const entries = Array.from({ length: n }, (_, i) => entry(addDays('2026-10-17', i), { painDuring: 2, painAfter: 2 }));
      const three = [1, 2, 3].map((i) => referral(i, `2026-11-0${i}`, `Effusion 2+ after the session, time ${i}: refer to the surgeon`));
      for (const refs of [[], referrals, three]) {
        const pdf = await render({ entries, referrals: refs });
        const last = flat(pdf.pages.at(-1)!);
        for (const part of ['Your reply to the trainer', 'Continue', 'Modify', 'Stop', 'See me', 'New or changed restrictions', 'Next review date', 'Signature']) expect(last, `${n} sessions`).toContain(part);
        // The page carries the end of the report before the form: the last referral (its table's header repeated), or the line saying there is none.
        expect(last, `${n} sessions, ${refs.length} referrals`).toContain(refs.length ? flat(refs.at(-1)!.reason).slice(0, 40) : 'No referral open or resolved in this period');
        if (refs.length) expect(last).toMatch(/Raised Reason To Status/);
        // A short Referrals section brings the stage changes along: the form's page is never nearly empty.
        expect(last, `${n} sessions, ${refs.length} referrals`).toContain('Stage changes');
        expect(pdf.text.indexOf('Your reply to the trainer')).toBeGreaterThan(pdf.text.lastIndexOf('Referrals'));
      }
    }
  }, 120_000);
});

describe('the client handout', () => {
  it('says each dose in plain words', () => {
    // Effort in talk-test words (FACTS §5), the numbers after them; never the scale's name.
    expect(plainDose(exercise('Heel slides'))).toEqual({ dose: '2 sets of 10 repetitions on each side; rest 60 seconds between sets', effort: 'moderate, you can still talk, but not sing (3 to 5 out of 10)' });
    expect(plainDose(exercise('Walk', { dose: { sets: 1, minutes: 10, perSide: false, rpe: [2, 4], restSeconds: 0, talkTest: 'can_talk' }, heartRate: { low: 95, high: 110 } }))).toEqual({
      dose: '1 set of 10 minutes',
      effort: 'moderate, you can talk but not sing (2 to 4 out of 10); heart rate 95 to 110 beats a minute',
    });
    // From 2 minutes up, seconds read as minutes.
    expect(plainDose(exercise('Bike', { dose: { sets: 1, seconds: 300, perSide: false, rpe: [2, 4], restSeconds: 0 } })).dose).toBe('1 set of 5 minutes');
    expect(plainDose(exercise('Bike', { dose: { sets: 2, seconds: 150, perSide: false, rpe: [2, 4], restSeconds: 120 } })).dose).toBe('2 sets of 2 minutes 30 seconds; rest 2 minutes between sets');
    expect(plainDose(exercise('Plank', { dose: { sets: 3, seconds: 30, perSide: false, rpe: [2, 4], restSeconds: 30 } })).dose).toBe('3 sets of 30 seconds; rest 30 seconds between sets');
    // Tempo codes in words.
    expect(plainDose(exercise('Bridge', { dose: { sets: 2, reps: 10, perSide: false, rpe: [3, 5], restSeconds: 30, tempo: '5-s hold' } })).dose).toBe('2 sets of 10 repetitions; hold each one for 5 seconds; rest 30 seconds between sets');
    expect(plainDose(exercise('Squat', { dose: { sets: 1, reps: 1, perSide: false, rpe: [3, 5], restSeconds: 0, tempo: '2-2-3' } })).dose).toBe('1 set of 1 repetition; slowly and under control');
    expect(plainTempo('3-s hold at end of range')).toBe('hold each one for 3 seconds at the end of the movement');
    expect(plainTempo('3-s lowering')).toBe('lower slowly, over 3 seconds');
  });

  it('lists the red-flag symptoms that fit the client in plain words (FACTS §3) and whom to call, the pain rule (Silbernagel 2007) and the restrictions', () => {
    const h = buildHandout(input())!;
    expect(h.painLimit).toBe(5);
    expect(h.stopSigns.emergency).toEqual([
      'pain, pressure or tightness in your chest, neck, jaw or arms',
      'fainting, or nearly fainting',
      'sudden weakness on one side, slurred speech, confusion or loss of vision',
    ]);
    expect(h.stopSigns.today).toContain('a painful, swollen calf');
    expect(h.stopSigns.today).toContain('feeling dizzy or light-headed');
    const all = [...h.stopSigns.emergency, ...h.stopSigns.today].join(' ');
    expect(all).not.toMatch(/DVT|cardiac|syncope|exertion|bladder/);
    expect(h.restrictions).toEqual([{ text: 'Bend your right knee no further than 100°', angle: { degrees: 100, joint: 'knee', side: 'right' } }]);
    expect(h.exercises.map((x) => x.name)).toEqual(['Heel slides', 'Sit to stand']);
    expect(handoutStopSigns(['low_back_pain']).emergency.some((s) => s.includes('bladder'))).toBe(true);
    expect(handoutStopSigns(['low_back_pain']).today.some((s) => s.includes('calf'))).toBe(false);
    expect(buildHandout(input({ program: undefined }))).toBeUndefined();
  });

  it('has client words for every red-flag symptom', () => {
    for (const code of SYMPTOM_CODES.filter((c) => SYMPTOMS[c].redFlag)) expect(CLIENT_STOP_SIGNS[code], code).toBeDefined();
  });

  it('leaves out the trainer’s notes and the stage goals, and says when a referral is open', () => {
    const h = buildHandout(input())!;
    expect(JSON.stringify(h)).not.toContain('Use the hands');
    expect(JSON.stringify(h)).not.toContain('Bend the knee');
    expect(h.referred).toBe(false);
    const referral = { id: 1, code: 'effusion_2plus', raisedOn: '2026-11-20', reason: 'effusion 2+', toWhom: 'GP', resolvedOn: null, resolutionNote: null };
    expect(buildHandout(input({ referrals: [{ ...referral, status: 'open' }] }))!.referred).toBe(true);
    expect(buildHandout(input({ referrals: [{ ...referral, status: 'resolved', resolvedOn: '2026-11-25' }] }))!.referred).toBe(false);
  });
});

describe('the client handout in the client’s words (issue 17)', () => {
  it('gives hypoglycaemia advice only to clients on insulin or a sulfonylurea (FACTS §3: below 4.0 mmol/L, 15 g, 15 minutes)', () => {
    const h = buildHandout(input())!;
    expect(h.hypo).not.toBeNull();
    expect(h.hypo!.carry.join(' ')).toMatch(/meter/);
    expect(h.hypo!.carry.join(' ')).toMatch(/15 g/);
    expect(h.hypo!.below4.join(' ')).toContain('Below 4.0 mmol/L (72 mg/dL), do not start');
    expect(h.hypo!.below4.join(' ')).toContain('Take 15 g of fast sugar, wait 15 minutes and check again');
    expect(h.logSheet.glucose).toBe(true);
    const metformin = { ...answers, medications: [{ name: 'metformin', class: 'other' as const }] };
    const none = buildHandout(input({ intake: { date: answers.date, answers: metformin } }))!;
    expect(none.hypo).toBeNull();
    expect(none.logSheet.glucose).toBe(false);
  });

  it('says limits in plain words: range with its angle, effort by the talk test, weight bearing per leg', () => {
    const h = buildHandout(
      input({
        clearances: [clearance({ restrictions: [{ code: 'rom.knee.left', value: 95 }, { code: 'max_rpe', value: 4 }, { code: 'weight_bearing.left', value: 'partial' }, { code: 'no_impact' }, { code: 'max_load_kg', value: 5 }] })],
      }),
    )!;
    expect(h.restrictions).toEqual([
      { text: 'Bend your left knee no further than 95°', angle: { degrees: 95, joint: 'knee', side: 'left' } },
      { text: 'Effort: no harder than 4 out of 10 (moderate, you can still talk, but not sing)' },
      { text: 'Put only part of your weight on your left leg, as your physiotherapist showed you' },
      { text: 'No jumping, hopping or running' },
      { text: 'Lift, carry or hold nothing heavier than 5 kg' },
    ]);
    expect(JSON.stringify(h)).not.toMatch(/CR10|RPE|range of motion/);
  });

  it('never says CR10, RPE or an ASSET phase: stage and program names and cues in the client’s words', () => {
    expect(clientWords('Protected passive range (ASSET phase 1, to about week 6)')).toBe('Protected passive range');
    expect(clientWords('Keep it at RPE 3-4 (CR10), talking')).toBe('Keep it at effort 3-4 out of 10, talking');
    const cuff = { ...program, name: 'After rotator cuff repair (ASSET consensus, Thigpen et al. 2016)', stages: program.stages.map((st) => ({ ...st, name: 'Active range (ASSET phase 2, about weeks 6-12)', exercises: st.exercises.map((x) => ({ ...x, cues: ['Stay at RPE 3 on CR10'] })) })) };
    const h = buildHandout(input({ program: { program: cuff, currentStage: 1, stageStartedOn: '2026-10-05' } }))!;
    expect(JSON.stringify(h)).not.toMatch(/CR10|ASSET|RPE|et al/);
    expect(h.stageName).toBe('Active range');
  });

  it('names the operated limb from the program’s condition and its side', () => {
    expect(buildHandout(input())!.limb).toEqual({ side: 'right', part: 'knee', operated: true, condition: 'total knee replacement' });
    const oa = { ...answers, conditions: [{ code: 'knee_oa' as const, side: 'left' as const, date: '2020-01-01' }] };
    expect(buildHandout(input({ intake: { date: answers.date, answers: oa }, programFits: ['knee_oa'] }))!.limb).toEqual({ side: 'left', part: 'knee', operated: false, condition: 'knee osteoarthritis' });
    // A program for another condition says no limb.
    expect(buildHandout(input({ programFits: ['type2_diabetes'] }))!.limb).toBeNull();
  });

  it('draws it all on the page: the advice, the limb, the angle, the log sheet; no CR10 or ASSET anywhere', async () => {
    const pdf = await readPdf(Buffer.from((await renderHandout(buildHandout(input())!, new Date(`${TODAY}T00:00:00Z`))).bytes));
    const text = pdf.text;
    expect(text).toContain('These exercises are for your right knee, after your total knee replacement.');
    expect(text).toContain('Bend your right knee no further than 100°');
    expect(text).toContain('0° = leg straight');
    expect(text).toContain('what to do below 4.0 mmol/L (72 mg/dL)');
    expect(text).toContain('Low blood sugar (a hypo): bring to every session');
    expect(pdf.pages.at(-1)).toContain('Your home exercise log');
    expect(pdf.pages.at(-1)!.replace(/\s+/g, ' ')).toContain('Blood sugar before');
    expect(text).not.toMatch(/CR10|ASSET|\bRPE\b/);
    const metformin = { ...answers, medications: [{ name: 'metformin', class: 'other' as const }] };
    const plain = (await readPdf(Buffer.from((await renderHandout(buildHandout(input({ intake: { date: answers.date, answers: metformin } }))!, new Date(`${TODAY}T00:00:00Z`))).bytes))).text;
    expect(plain).not.toMatch(/blood sugar/i);
  }, 60_000);
});

describe('report files and dates', () => {
  it('names files safely on every OS, whatever the name', () => {
    expect(reportFileName(12, 'Zoë', "O'Brien")).toBe('0012-zoe-obrien.pdf');
    expect(reportFileName(3, 'Łukasz', 'Nowak', '-handout')).toBe('0003-lukasz-nowak-handout.pdf');
    // Without a romanised name (app/romanise.ts gives one), letters outside Latin are dropped.
    expect(reportFileName(7, '娜', '李')).toBe('0007-client.pdf');
    expect(reportFileName(7, '娜', '李', '-report', 'li na')).toBe('0007-li-na-report.pdf');
    expect(reportFileName(8, 'CON', 'AUX')).toBe('0008-con-aux.pdf');
    expect(reportFileName(9, '../../etc', 'passwd\u0000')).toBe('0009-etc-passwd.pdf');
    expect(reportFileName(12345, 'A'.repeat(80), 'B')).toMatch(/^12345-a{40}\.pdf$/);
  });

  it('takes the date from SOURCE_DATE_EPOCH when set (reproducible builds), and refuses a malformed one', () => {
    const now = () => new Date('2026-11-27T10:00:00Z');
    expect(reportClock({ SOURCE_DATE_EPOCH: '1796256000' }, now)).toEqual({ created: new Date('2026-12-03T00:00:00Z'), today: '2026-12-03' });
    expect(reportClock({}, now).created).toEqual(now());
    expect(() => reportClock({ SOURCE_DATE_EPOCH: '17e8' }, now)).toThrow(/SOURCE_DATE_EPOCH must be a whole number/);
  });
});

describe('fonts by script', () => {
  it('splits text into runs a font can draw, spaces in Arabic text in their own run', () => {
    expect(runs('Zoë Łukasz Αλέξανδρος Ирина')).toEqual([{ face: 'sans', text: 'Zoë Łukasz Αλέξανδρος Ирина' }]);
    expect(runs('Zoë 李娜')).toEqual([
      { face: 'sans', text: 'Zoë ' },
      { face: 'cjk', text: '李娜' },
    ]);
    expect(runs('عائشة الحسن', true)).toEqual([
      { face: 'arabic-bold', text: 'عائشة' },
      { face: 'sans-bold', text: ' ' },
      { face: 'arabic-bold', text: 'الحسن' },
    ]);
    expect(runs('flexion ≥ 100°').map((r) => r.face)).toEqual(['sans', 'math', 'sans']);
  });

  it('names the characters no embedded font has', () => {
    expect(missingGlyphs('Zoë 李娜 عائشة ≥')).toEqual([]);
    expect(missingGlyphs('김민지 שלום สมชาย')).toEqual([]);
    // Ethiopic and Devanagari conjuncts are not covered: named, so the trainer is told.
    expect(missingGlyphs('ሰላም')).toEqual(['ሰ', 'ላ', 'ም']);
  });
});

describe('the attention box, one line per matter (issue 17)', () => {
  // A knee that stays below 80° raises the same rule at every session, in words that carry the day's value.
  const low = (date: string, value: number) =>
    entry(date, {
      measures: [{ code: 'knee_flexion', side: 'right', value }],
      decision: { today: 'go', advice: { advice: 'repeat', reasons: [] }, flags: [{ code: 'tka_flexion_below_80', text: `Knee flexion ${value}° (right) is below 80°: refer to the surgical team`, source: 's', stop: false }], checks: [], openReferrals: [], warnings: [], rulesVersion: 'x' },
    });
  const five = [low('2026-11-02', 70), low('2026-11-05', 72), low('2026-11-09', 74), low('2026-11-12', 76), low('2026-11-16', 78)];
  const referral = { id: 7, code: 'tka_flexion_below_80', raisedOn: '2026-11-02', reason: 'Knee flexion 70° (right) is below 80°: refer to the surgical team', toWhom: 'surgical team', entryId: null };

  it('says a resolved red flag once, with the day and who resolved it, never as five flags', () => {
    const m = buildReport(input({ entries: five, referrals: [{ ...referral, status: 'resolved', resolvedOn: '2026-11-20', resolutionNote: 'Surgeon reviewed: continue', resolvedBy: 'Dr Ana Costa' }] }));
    expect(m.attention.items.filter((i) => /below 80/.test(i))).toEqual([]);
    expect(m.attention.resolved).toEqual(['Resolved on 2026-11-20 by Dr Ana Costa: referral of 2026-11-02, Knee flexion 70° (right) is below 80°: refer to the surgical team (flagged on 5 sessions). Note: Surgeon reviewed: continue']);
    // A resolved matter is not urgent (what is left is for review: adherence and the like).
    expect(m.attention.level).not.toBe('urgent');
    expect(m.attention.items.some((i) => /referral|red flag/i.test(i))).toBe(false);
  });

  it('says an open one once, with the days it came again; a flag with no referral once, with its days', () => {
    const open = buildReport(input({ entries: five, referrals: [{ ...referral, status: 'open', resolvedOn: null, resolutionNote: null }] }));
    expect(open.attention.items.filter((i) => /below 80/.test(i))).toEqual(['Open referral (2026-11-02): Knee flexion 70° (right) is below 80°: refer to the surgical team; flagged again on 2026-11-05, 2026-11-09, 2026-11-12 and 2026-11-16']);
    const none = buildReport(input({ entries: five }));
    expect(none.attention.items.filter((i) => /below 80/.test(i))).toEqual(['Red flag on 5 days from 2026-11-02 to 2026-11-16: Knee flexion 78° (right) is below 80°: refer to the surgical team']);
  });

  it('takes a referral resolved after the report day as open on it', () => {
    const m = buildReport(input({ entries: five, referrals: [{ ...referral, status: 'resolved', resolvedOn: '2026-12-20', resolutionNote: 'later', resolvedBy: 'X' }] }));
    expect(m.attention.resolved).toEqual([]);
    expect(m.attention.items[0]).toMatch(/^Open referral \(2026-11-02\)/);
  });

  it('puts a range beyond the clearance limit in the box and on its session log row; RPE above the cap too', () => {
    const m = buildReport(
      input({
        entries: [
          entry('2026-11-20', { measures: [{ code: 'knee_flexion', side: 'right', value: 96 }] }),
          entry('2026-11-24', {
            measures: [{ code: 'knee_flexion', side: 'right', value: 108 }],
            rpe: { value: 8, scale: 'cr10' },
            decision: { today: 'go', advice: { advice: 'repeat', reasons: [] }, flags: [], checks: [], openReferrals: [], warnings: [{ code: 'rpe_above_cap', text: 'Effort RPE 8/10 is above the cap of 5/10', source: 'AACVPR' }], rulesVersion: 'x' },
          }),
        ],
      }),
    );
    expect(m.log.map((r) => r.breaches)).toEqual([[], ["right knee flexion 108°, past the clearance's limit of 100°"]]);
    expect(m.log[1]!.warnings).toEqual(['Effort RPE 8/10 is above the cap of 5/10 (AACVPR)']);
    expect(m.attention.items).toContain("Right knee flexion 108° on 2026-11-24 is beyond the clearance's limit (right knee range of motion at most 100°)");
    expect(m.attention.items).toContain('Warning on 2026-11-24: Effort RPE 8/10 is above the cap of 5/10');
  });

  it('says a range past the limit once, when the session rule has warned of it too (rom_beyond_limit, progress-1.4.0)', () => {
    const warned = (date: string, value: number) =>
      entry(date, {
        measures: [{ code: 'knee_flexion', side: 'right', value }],
        decision: { today: 'go', advice: { advice: 'repeat', reasons: [] }, flags: [], checks: [], openReferrals: [], warnings: [{ code: 'rom_beyond_limit', text: `knee flexion (right) ${value}° is beyond the clinician's limit of 100°`, source: 's' }], rulesVersion: 'x' },
      });
    const m = buildReport(input({ entries: [warned('2026-11-20', 104), warned('2026-11-24', 108)] }));
    expect(m.attention.items.filter((i) => /10[48]°/.test(i))).toEqual(["Right knee flexion 108° on 2026-11-24 is beyond the clearance's limit (right knee range of motion at most 100°)"]);
    expect(m.log.map((r) => [r.breaches.length, r.warnings.length])).toEqual([
      [1, 0],
      [1, 0],
    ]);
  });

  it('gives the key measure chart the clearance limit on the same joint and side, none when the clearance has none', () => {
    expect(buildReport(input()).keyMeasure!.limit).toEqual({ value: 100, text: 'right knee range of motion at most 100°' });
    expect(buildReport(input({ clearances: [clearance({ restrictions: [{ code: 'rom.knee.left', value: 90 }] })] })).keyMeasure!.limit).toBeNull();
    expect(buildReport(input({ clearances: [clearance({ status: 'cleared', restrictions: [] })] })).keyMeasure!.limit).toBeNull();
  });

  it('shows the exercises and loads done, by name, a skipped one as skipped', () => {
    const m = buildReport(
      input({
        entries: [
          entry('2026-11-24', {
            exercises: [
              { exerciseId: 'sit_to_stand', sets: 2, reps: 8, loadKg: 5, completed: true },
              { exerciseId: 'heel_slides', completed: false },
              { exerciseId: 'walking_outdoors', sets: 1, seconds: 600, completed: true },
              { exerciseId: 'squat', sets: 3, reps: 10, completed: true },
              { exerciseId: 'heel_slides', sets: 1, completed: true },
            ],
          }),
        ],
      }),
    );
    expect(m.log[0]!.done).toEqual(['Sit to stand 2×8 at 5 kg', 'Heel slides: skipped', 'walking outdoors 10 min', 'Squat 3×10', 'Heel slides 1 set']);
  });
});
