import { describe, expect, it } from 'vitest';
import type { Clearance } from '../../src/domain/clearance.js';
import type { IntakeAnswers } from '../../src/domain/intake.js';
import { openedFollowUps } from '../../src/domain/parq.js';
import { acsmOutcome, screen, type ScreeningInput } from '../../src/domain/screening.js';
import { resolveSettings } from '../../src/domain/settings.js';

const TODAY = '2026-11-26';
const allNo = { q1: false, q2: false, q3: false, q4: false, q5: false, q6: false, q7: false, followUps: {}, temporaryIllness: false, healthChanged: false };

function intake(over: Partial<IntakeAnswers> = {}): IntakeAnswers {
  return {
    date: TODAY,
    physicallyActive: false,
    conditions: [],
    medications: [],
    parq: { ...allNo },
    symptoms: [],
    desiredIntensity: 'moderate',
    vitals: {},
    ...over,
  };
}

function clearance(over: Partial<Clearance> = {}): Clearance {
  return {
    id: 1,
    clientId: 1,
    clinician: 'Dr Ana Costa',
    profession: 'physician',
    contact: null,
    issuedOn: '2026-11-01',
    expiresOn: null,
    status: 'cleared',
    restrictions: [],
    note: null,
    recordedAt: '2026-11-01T10:00:00.000Z',
    ...over,
  };
}

const diabetes = { conditions: [{ code: 'type2_diabetes' as const, date: '2015-03-01' }], parq: { ...allNo, q4: true, followUps: { metabolic: { has: true, a: false, b: false, c: false, d: false, e: false } } } };

function run(i: IntakeAnswers, over: Partial<ScreeningInput> = {}) {
  return screen({ client: { dateOfBirth: '1961-04-12' }, intake: i, clearances: [], settings: resolveSettings({}), today: TODAY, ...over });
}
const codes = (v: ReturnType<typeof run>) => v.reasons.map((r) => r.code);

describe('ACSM 2015 decision table (Riebe et al. 2015, FACTS §1)', () => {
  it.each([
    [false, false, true, 'recommended'],
    [false, true, false, 'recommended'],
    [false, false, false, 'not-necessary'],
    [true, false, true, 'discontinue'],
    [true, true, false, 'recommended-before-vigorous'],
    [true, false, false, 'not-necessary'],
  ] as const)('active=%s disease=%s symptoms=%s → %s', (active, disease, symptoms, outcome) => {
    expect(acsmOutcome(active, disease, symptoms)).toBe(outcome);
  });

  it('inactive, no disease, no symptoms: no clearance, start light to moderate', () => {
    const v = run(intake());
    expect(v).toMatchObject({ gate: 'ok', startingIntensity: 'light-moderate', acsm: { outcome: 'not-necessary' }, parq: { outcome: 'proceed' } });
  });

  it('active, no disease, no symptoms: continue moderate or vigorous', () => {
    expect(run(intake({ physicallyActive: true }))).toMatchObject({ gate: 'ok', startingIntensity: 'moderate-vigorous' });
  });

  it('inactive with diabetes and no symptoms: clearance recommended, so the program waits for it', () => {
    const v = run(intake(diabetes));
    expect(v).toMatchObject({ gate: 'needs-clearance', startingIntensity: 'none', acsm: { outcome: 'recommended', knownDisease: ['metabolic'] } });
    expect(codes(v)).toContain('acsm_clearance');
  });

  it('hypertension alone and pulmonary disease alone are not ACSM disease', () => {
    const v = run(intake({ conditions: [{ code: 'hypertension' }, { code: 'copd' }], parq: { ...allNo, q1: true, q4: true, followUps: { heart: { has: false }, blood_pressure: { has: true, a: false, b: false }, respiratory: { has: true, a: false, b: false, c: false, d: false }, arthritis: { has: false }, cancer: { has: false }, metabolic: { has: false }, mental_health: { has: false }, spinal_cord: { has: false }, stroke: { has: false }, other: { has: true, a: false, b: false, c: false } } } }));
    expect(v.acsm).toMatchObject({ outcome: 'not-necessary', knownDisease: [] });
    expect(v.gate).toBe('ok');
  });

  it('active with a symptom: discontinue and refer until cleared', () => {
    const v = run(intake({ physicallyActive: true, symptoms: ['ankle_oedema'] }));
    expect(v).toMatchObject({ gate: 'refer', startingIntensity: 'none', acsm: { outcome: 'discontinue', symptoms: ['ankle_oedema'] } });
  });

  it('active with heart disease: moderate needs no clearance; vigorous waits for one', () => {
    const heart = { physicallyActive: true, conditions: [{ code: 'coronary_artery_disease' as const }], parq: { ...allNo, q1: true, followUps: { heart: { has: true, a: false, b: false, c: false, d: false }, blood_pressure: { has: false } } } };
    const moderate = run(intake(heart));
    expect(moderate).toMatchObject({ gate: 'ok', startingIntensity: 'light-moderate', acsm: { outcome: 'recommended-before-vigorous' } });
    const vigorous = run(intake({ ...heart, desiredIntensity: 'vigorous' }));
    expect(vigorous).toMatchObject({ gate: 'ok', startingIntensity: 'light-moderate' });
    expect(vigorous.reasons.find((r) => r.code === 'acsm_before_vigorous')?.severity).toBe('caution');
    const cleared = run(intake({ ...heart, desiredIntensity: 'vigorous' }), { clearances: [clearance()] });
    expect(cleared.startingIntensity).toBe('moderate-vigorous');
  });

  it('offers the ADA 2016 rule for diabetes as a setting (Colberg 2016)', () => {
    const ada = run(intake(diabetes), { settings: resolveSettings({ 'screening.diabetesRule': 'ada' }) });
    expect(ada).toMatchObject({ gate: 'ok', startingIntensity: 'light-moderate', acsm: { outcome: 'not-necessary', rule: 'ada-2016' } });
    const vigorous = run(intake({ ...diabetes, desiredIntensity: 'vigorous' }), { settings: resolveSettings({ 'screening.diabetesRule': 'ada' }) });
    expect(vigorous.acsm.rule).toBe('acsm-2015');
    expect(vigorous.gate).toBe('needs-clearance');
  });
});

describe('PAR-Q+ (FACTS §2)', () => {
  it('opens only the follow-up pages a YES or a recorded condition concerns', () => {
    expect(openedFollowUps({ ...allNo, q6: true }, [])).toEqual(['arthritis']);
    expect(openedFollowUps({ ...allNo, q1: true }, [])).toEqual(['heart', 'blood_pressure']);
    expect(openedFollowUps({ ...allNo }, ['type2_diabetes'])).toEqual(['metabolic']);
    expect(openedFollowUps({ ...allNo, q4: true }, [])).toHaveLength(10);
  });

  it('all NO: proceed; over 45 and aiming for vigorous: see a qualified exercise professional first', () => {
    const v = run(intake({ desiredIntensity: 'vigorous' }));
    expect(v.parq.outcome).toBe('proceed');
    expect(codes(v)).toContain('parq_qep_vigorous');
    expect(v.parq.formVersion).toMatch(/PAR-Q\+ 2020/);
  });

  it('a YES with every follow-up NO: proceed', () => {
    const v = run(intake({ parq: { ...allNo, q6: true, followUps: { arthritis: { has: true, a: false, b: false, c: false } } } }));
    expect(v).toMatchObject({ gate: 'ok', parq: { outcome: 'proceed', yes: ['q6'] } });
  });

  it('a YES on a follow-up: seek more information before becoming more active', () => {
    const v = run(intake({ parq: { ...allNo, q6: true, followUps: { arthritis: { has: true, a: false, b: true, c: false } } } }));
    expect(v).toMatchObject({ gate: 'needs-clearance', parq: { outcome: 'seek-more-information', yes: ['q6', 'arthritis.b'] } });
  });

  it('resting BP at or above 160/90 answers follow-up 4b YES whatever was ticked', () => {
    const v = run(intake({ vitals: { bp: { systolic: 150, diastolic: 92 } } }));
    expect(v.parq).toMatchObject({ outcome: 'seek-more-information', yes: ['blood_pressure.b'] });
    expect(v.gate).toBe('needs-clearance');
  });

  it('delays for a temporary illness (no session today), and for a change in health or pregnancy (clearance)', () => {
    const ill = run(intake({ parq: { ...allNo, temporaryIllness: true } }));
    expect(ill).toMatchObject({ parq: { outcome: 'delay' }, sessionToday: 'hold', gate: 'ok' });
    const changed = run(intake({ parq: { ...allNo, healthChanged: true } }));
    expect(changed).toMatchObject({ parq: { outcome: 'delay' }, gate: 'needs-clearance' });
    const pregnant = run(intake({ conditions: [{ code: 'pregnancy' }] }));
    expect(pregnant).toMatchObject({ parq: { outcome: 'delay' }, gate: 'needs-clearance' });
  });
});

describe('red flags and resting blood pressure (FACTS §3)', () => {
  it.each(['chest_pain', 'dizziness_syncope', 'palpitations', 'neuro_signs', 'calf_pain_swelling', 'cauda_equina'] as const)('%s refers', (symptom) => {
    const v = run(intake({ symptoms: [symptom] }));
    expect(v.gate).toBe('refer');
    expect(v.redFlags.map((f) => f.code)).toEqual([symptom]);
  });

  it('holds and refers at resting 200/110, or 180/110 for a cardiac client', () => {
    expect(run(intake({ vitals: { bp: { systolic: 200, diastolic: 95 } } }))).toMatchObject({ gate: 'refer', sessionToday: 'hold' });
    expect(run(intake({ vitals: { bp: { systolic: 150, diastolic: 110 } } }))).toMatchObject({ gate: 'refer', sessionToday: 'hold' });
    const nonCardiac = run(intake({ vitals: { bp: { systolic: 185, diastolic: 95 } } }));
    expect(nonCardiac.sessionToday).toBe('go');
    expect(codes(nonCardiac)).toContain('bp_recheck');
    const cardiac = run(
      intake({ conditions: [{ code: 'heart_failure' }], parq: { ...allNo, followUps: { heart: { has: true, a: false, b: false, c: true, d: false } } }, vitals: { bp: { systolic: 185, diastolic: 95 } } }),
    );
    expect(cardiac).toMatchObject({ gate: 'refer', sessionToday: 'hold' });
    expect(codes(cardiac)).toContain('bp_hold');
  });

  it('asks for a re-measure at 160/100 without blocking', () => {
    const v = run(intake({ vitals: { bp: { systolic: 158, diastolic: 100 } } }));
    expect(codes(v)).toContain('bp_recheck');
  });
});

describe('glucose before activity, clients with diabetes (Turner et al. 2019)', () => {
  const withGlucose = (value: number, unit: 'mmol/L' | 'mg/dL', ketones?: boolean, type = 'type2_diabetes' as 'type1_diabetes' | 'type2_diabetes') =>
    run(intake({ ...diabetes, conditions: [{ code: type }], vitals: { glucose: { value, unit }, ...(ketones !== undefined ? { ketones } : {}) } }));

  it('holds below 4.0 mmol/L (72 mg/dL), in either unit', () => {
    expect(withGlucose(3.9, 'mmol/L').sessionToday).toBe('hold');
    expect(withGlucose(70, 'mg/dL').sessionToday).toBe('hold');
    expect(withGlucose(4.0, 'mmol/L').sessionToday).toBe('go');
    expect(withGlucose(72, 'mg/dL').sessionToday).toBe('go');
  });

  it('type 1 below 2.9 mmol/L: contraindicated', () => {
    expect(codes(withGlucose(2.8, 'mmol/L', undefined, 'type1_diabetes'))).toContain('glucose_severe_low');
  });

  it('above 15.0 mmol/L: holds with ketones or unchecked, not when ketones are negative', () => {
    expect(withGlucose(15.5, 'mmol/L', true).sessionToday).toBe('hold');
    expect(withGlucose(15.5, 'mmol/L').sessionToday).toBe('hold');
    const ok = withGlucose(280, 'mg/dL', false);
    expect(ok.sessionToday).toBe('go');
    expect(codes(ok)).toContain('glucose_high_no_ketones');
  });
});

describe('dosing and heart-rate targets (FACTS §5)', () => {
  it('switches to RPE-only with a beta-blocker or another rate-limiting drug', () => {
    for (const cls of ['beta_blocker', 'rate_limiting'] as const) {
      const v = run(intake({ medications: [{ name: 'metoprolol', class: cls }], vitals: { restingHr: 60 } }));
      expect(v.dosing).toBe('rpe-only');
      expect(v.targets.heartRate).toBeNull();
      expect(v.targets.rpe).toMatch(/^9–13/);
    }
    expect(run(intake({ medications: [{ name: 'warfarin', class: 'anticoagulant' }] })).dosing).toBe('heart-rate');
  });

  it('uses Karvonen with the configured HRmax estimate', () => {
    // Age 65: Tanaka 208 − 45.5 = 162.5; rest 70; 30–59% HRR → 98–125.
    const v = run(intake({ vitals: { restingHr: 70 } }));
    expect(v.targets.heartRate).toMatchObject({ low: 98, high: 125 });
    // 220 − 65 = 155: 30% → 95.5 → 96, 59% → 120.45 → 120.
    const fox = run(intake({ vitals: { restingHr: 70 } }), { settings: resolveSettings({ 'screening.hrMaxFormula': 'fox' }) });
    expect(fox.targets.heartRate).toMatchObject({ low: 96, high: 120 });
  });

  it('caps the heart-rate target at the clearance maximum', () => {
    const v = run(intake({ physicallyActive: true, vitals: { restingHr: 70 } }), {
      clearances: [clearance({ status: 'cleared-with-restrictions', restrictions: [{ code: 'max_hr', value: 110 }] })],
    });
    expect(v.targets.heartRate?.high).toBe(110);
    expect(v.clearance.restrictions).toEqual([{ code: 'max_hr', value: 110 }]);
  });
});

describe('clearance (FACTS §1)', () => {
  it('a valid clearance lets a client who needs one start', () => {
    const v = run(intake(diabetes), { clearances: [clearance()] });
    expect(v).toMatchObject({ gate: 'ok', startingIntensity: 'light-moderate', clearance: { needed: true, state: 'valid', covers: true } });
  });

  it('expires after its own date, or after the configured validity (12 months by default)', () => {
    const expired = run(intake(diabetes), { clearances: [clearance({ issuedOn: '2025-11-25' })] });
    expect(expired).toMatchObject({ gate: 'needs-clearance', clearance: { state: 'expired', inForce: { validUntil: '2026-11-25' } } });
    const stillValid = run(intake(diabetes), { clearances: [clearance({ issuedOn: '2025-11-26' })] });
    expect(stillValid.clearance.state).toBe('valid');
    const ownDate = run(intake(diabetes), { clearances: [clearance({ expiresOn: '2026-11-25' })] });
    expect(ownDate.clearance.state).toBe('expired');
    const sixMonths = run(intake(diabetes), { clearances: [clearance({ issuedOn: '2026-05-01' })], settings: resolveSettings({ 'screening.clearanceValidityMonths': '6' }) });
    expect(sixMonths.clearance.state).toBe('expired');
  });

  it('a clearance given before new symptoms does not cover them', () => {
    const early = run(intake({ date: '2026-11-20', symptoms: ['ankle_oedema'] }), { clearances: [clearance({ issuedOn: '2026-11-01' })] });
    expect(early).toMatchObject({ gate: 'needs-clearance', clearance: { covers: false } });
    expect(codes(early)).toContain('clearance_predates_findings');
    const after = run(intake({ date: '2026-11-20', symptoms: ['ankle_oedema'] }), { clearances: [clearance({ issuedOn: '2026-11-21' })] });
    expect(after).toMatchObject({ gate: 'ok', clearance: { covers: true } });
  });

  it('"not cleared" refers, and a pending request changes nothing', () => {
    expect(run(intake(), { clearances: [clearance({ status: 'not-cleared' })] }).gate).toBe('refer');
    const pending = run(intake(diabetes), { clearances: [clearance({ id: 2, status: 'pending', issuedOn: '2026-11-20' })] });
    expect(pending.gate).toBe('needs-clearance');
    expect(codes(pending)).toContain('clearance_pending');
  });

  it('the latest decision is the one in force', () => {
    const v = run(intake(diabetes), { clearances: [clearance({ id: 1, issuedOn: '2026-10-01', status: 'not-cleared' }), clearance({ id: 2, issuedOn: '2026-11-10' })] });
    expect(v).toMatchObject({ gate: 'ok', clearance: { inForce: { id: 2 } } });
  });

  it('every verdict carries the rule version, and every reason a source', () => {
    const v = run(intake(diabetes));
    expect(v.ruleVersion).toBe('screening-1.0.0');
    for (const r of v.reasons) expect(r.source).not.toBe('');
  });
});
