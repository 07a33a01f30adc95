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

  it('a red flag referred at a session and still open: refer, no session, no program, even with a clearance (FACTS §1, §3)', () => {
    const stop = { id: 2, reason: 'Red flag: chest pain: stop and refer', raisedOn: '2026-11-20' };
    const v = run(intake(), { clearances: [clearance()], stopReferrals: [stop] });
    expect(v).toMatchObject({ gate: 'refer', sessionToday: 'hold', startingIntensity: 'none', redFlags: [{ code: 'referral_2', text: 'referral 2 of 2026-11-20 still open: Red flag: chest pain: stop and refer' }] });
    expect(codes(v)).toContain('stop_referral_open');
    expect(run(intake(), { clearances: [clearance()], stopReferrals: [] })).toMatchObject({ gate: 'ok', sessionToday: 'go' });
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
    // Cleared, but cardiac without an exercise test: light to moderate, RPE 11–13 (Mytinger 2020).
    const cleared = run(intake({ ...heart, desiredIntensity: 'vigorous', vitals: { restingHr: 70 } }), { clearances: [clearance()] });
    expect(cleared.startingIntensity).toBe('light-moderate');
    expect(codes(cleared)).toContain('cardiac_light_moderate');
    expect(cleared.targets).toMatchObject({ rpe: '3–4/10 (11–13 on the 6–20 scale)', heartRate: { low: 90, high: 100 } });
  });

  it('active with diabetes and a clearance: may go on to vigorous', () => {
    const active = { physicallyActive: true, desiredIntensity: 'vigorous' as const, conditions: [{ code: 'type2_diabetes' as const }], parq: { ...allNo, followUps: { metabolic: { has: false } } } };
    expect(run(intake(active)).startingIntensity).toBe('light-moderate');
    expect(run(intake(active), { clearances: [clearance()] }).startingIntensity).toBe('moderate-vigorous');
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
    expect(codes(nonCardiac)).not.toContain('bp_hold');
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
    run(intake({ ...diabetes, conditions: [{ code: type }], vitals: { glucose: { value, unit }, ...(ketones !== undefined ? { ketones } : {}) } }), { clearances: [clearance()] });

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
      expect(v.targets.rpe).toBe('2–5/10 (9–13 on the 6–20 scale)');
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
    expect(v.ruleVersion).toBe('screening-1.3.0');
    for (const r of v.reasons) expect(r.source).not.toBe('');
  });
});

describe('findings the review asked for (FACTS §1–§3)', () => {
  it('a red flag or an ACSM "discontinue" holds today as well as referring', () => {
    expect(run(intake({ symptoms: ['cauda_equina'] }))).toMatchObject({ gate: 'refer', sessionToday: 'hold' });
    expect(run(intake({ physicallyActive: true, symptoms: ['ankle_oedema'] }))).toMatchObject({ gate: 'refer', sessionToday: 'hold' });
    expect(run(intake({ parq: { ...allNo, healthChanged: true } })).sessionToday).toBe('hold');
  });

  it('PAR-Q+ Q2 (chest pain) and Q3 (dizziness) count as symptoms and red flags', () => {
    const q2 = run(intake({ parq: { ...allNo, q2: true, followUps: { heart: { has: false } } } }));
    expect(q2).toMatchObject({ gate: 'refer', acsm: { outcome: 'recommended', symptoms: ['chest_pain'] }, redFlags: [{ code: 'chest_pain' }] });
    const q3 = run(intake({ parq: { ...allNo, q3: true, followUps: { heart: { has: false }, stroke: { has: false }, other: { has: false } } } }));
    expect(q3.redFlags.map((f) => f.code)).toEqual(['dizziness_syncope']);
  });

  it('Q7 (only medically supervised activity) needs a clearance', () => {
    const all = { arthritis: { has: false }, cancer: { has: false }, heart: { has: false }, blood_pressure: { has: false }, metabolic: { has: false }, mental_health: { has: false }, respiratory: { has: false }, spinal_cord: { has: false }, stroke: { has: false }, other: { has: false } };
    const v = run(intake({ parq: { ...allNo, q7: true, followUps: all } }));
    expect(v.gate).toBe('needs-clearance');
    expect(codes(v)).toContain('parq_supervised_only');
  });

  it('a delay does not hide a follow-up YES', () => {
    const v = run(intake({ conditions: [{ code: 'cancer' }], parq: { ...allNo, temporaryIllness: true, followUps: { cancer: { has: true, a: false, b: true } } } }));
    expect(v).toMatchObject({ parq: { outcome: 'delay', yes: ['cancer.b'] }, gate: 'needs-clearance', sessionToday: 'hold' });
  });

  it('counts a YES on a follow-up page that was answered though not opened', () => {
    const v = run(intake({ parq: { ...allNo, followUps: { cancer: { has: true, a: false, b: true } } } }));
    expect(v.parq).toMatchObject({ outcome: 'seek-more-information', yes: ['cancer.b'] });
  });

  it('a clearance given before a disease was diagnosed does not cover it', () => {
    const cad = { conditions: [{ code: 'coronary_artery_disease' as const, date: '2026-06-01' }], parq: { ...allNo, q1: true, followUps: { heart: { has: true, a: false, b: false, c: false, d: false }, blood_pressure: { has: false } } } };
    const v = run(intake(cad), { clearances: [clearance({ issuedOn: '2026-01-15' })] });
    expect(v).toMatchObject({ gate: 'needs-clearance', clearance: { state: 'valid', covers: false } });
    expect(codes(v)).toContain('clearance_predates_diagnosis');
  });

  it('a new PAR-Q+ YES since the last intake needs a clearance given after it', () => {
    const before = intake({ date: '2026-06-01', parq: { ...allNo, q6: true, followUps: { arthritis: { has: true, a: false, b: true, c: false } } } });
    const same = intake({ date: '2026-11-20', parq: { ...allNo, q6: true, followUps: { arthritis: { has: true, a: false, b: true, c: false } } } });
    const worse = intake({ date: '2026-11-20', parq: { ...allNo, q6: true, followUps: { arthritis: { has: true, a: true, b: true, c: false } } } });
    const old = [clearance({ issuedOn: '2026-06-10' })];
    expect(run(same, { previous: before, clearances: old }).gate).toBe('ok');
    const v = run(worse, { previous: before, clearances: old });
    expect(v.gate).toBe('needs-clearance');
    expect(v.reasons.find((r) => r.code === 'clearance_predates_findings')?.text).toContain('PAR-Q+ arthritis.a');
  });

  it('an expired clearance keeps its restrictions in force', () => {
    const v = run(intake({ conditions: [{ code: 'knee_tka', side: 'right' }] }), {
      clearances: [clearance({ issuedOn: '2025-01-10', status: 'cleared-with-restrictions', restrictions: [{ code: 'weight_bearing.right', value: 'non' }] })],
    });
    expect(v.clearance).toMatchObject({ state: 'expired', restrictions: [{ code: 'weight_bearing.right', value: 'non' }] });
    expect(codes(v)).toContain('restrictions_still_apply');
  });

  it('the BP thresholds are settings, with boundaries where FACTS puts them', () => {
    expect(codes(run(intake({ vitals: { bp: { systolic: 159, diastolic: 89 } } })))).not.toContain('parq_bp_160_90');
    expect(codes(run(intake({ vitals: { bp: { systolic: 160, diastolic: 89 } } })))).toContain('parq_bp_160_90');
    expect(codes(run(intake({ vitals: { bp: { systolic: 159, diastolic: 90 } } })))).toContain('parq_bp_160_90');
    expect(codes(run(intake({ vitals: { bp: { systolic: 199, diastolic: 109 } } })))).not.toContain('bp_hold');
    const stricter = resolveSettings({ 'screening.bpHold': '190/105' });
    expect(codes(run(intake({ vitals: { bp: { systolic: 192, diastolic: 90 } } }), { settings: stricter }))).toContain('bp_hold');
  });

  it('glucose rules apply to any recorded glucose, with the Turner 2019 extras', () => {
    expect(run(intake({ vitals: { glucose: { value: 2.5, unit: 'mmol/L' } } })).sessionToday).toBe('hold');
    expect(run(intake({ ...diabetes, vitals: { glucose: { value: 15.0, unit: 'mmol/L' } } }), { clearances: [clearance()] }).sessionToday).toBe('go');
    expect(run(intake({ ...diabetes, vitals: { glucose: { value: 16, unit: 'mmol/L' }, ketones: false, weakOrTired: true } })).sessionToday).toBe('hold');
    expect(run(intake({ ...diabetes, vitals: { glucose: { value: 6, unit: 'mmol/L' }, severeHypoLast24h: true } })).sessionToday).toBe('hold');
    const t1 = run(intake({ conditions: [{ code: 'type1_diabetes' }], parq: { ...allNo, followUps: { metabolic: { has: false } } }, vitals: { glucose: { value: 2.9, unit: 'mmol/L' } } }));
    expect(codes(t1)).toContain('glucose_low');
    expect(t1.reasons.find((r) => r.code === 'glucose_low')?.text).toContain('do not exercise alone');
    const sulfonylurea = run(intake({ ...diabetes, medications: [{ name: 'gliclazide', class: 'insulin_or_sulfonylurea' }], vitals: { glucose: { value: 95, unit: 'mg/dL' } } }));
    expect(codes(sulfonylurea)).toContain('glucose_extra_carbohydrate');
    expect(codes(run(intake(diabetes)))).toContain('glucose_unmeasured');
  });

  it('flags an intake older than the validity (12 months by default)', () => {
    expect(codes(run(intake({ date: '2025-11-25' })))).toContain('intake_stale');
    expect(codes(run(intake({ date: '2025-11-26' })))).not.toContain('intake_stale');
  });

  it('a YES on the first page caps the start at light to moderate (PAR-Q+)', () => {
    const v = run(intake({ physicallyActive: true, parq: { ...allNo, q6: true, followUps: { arthritis: { has: true, a: false, b: false, c: false } } } }));
    expect(v).toMatchObject({ gate: 'ok', startingIntensity: 'light-moderate' });
  });
});

describe('what the new-user trial found', () => {
  it('no session today while the gate is closed', () => {
    expect(run(intake(diabetes))).toMatchObject({ gate: 'needs-clearance', sessionToday: 'hold' });
  });

  it('says when a follow-up YES comes from the measured BP, not from the answer', () => {
    const v = run(intake({ conditions: [{ code: 'hypertension' }], parq: { ...allNo, q1: true, followUps: { heart: { has: false }, blood_pressure: { has: true, a: false, b: false } } }, vitals: { bp: { systolic: 165, diastolic: 102 } } }));
    expect(v.reasons.find((r) => r.code === 'parq_follow_up_yes')?.text).toContain('blood_pressure.b from the measured BP');
  });

  it('flags answers that contradict the recorded conditions', () => {
    const v = run(intake({ conditions: [{ code: 'type1_diabetes' }], parq: { ...allNo, followUps: { metabolic: { has: false } } } }));
    expect(codes(v)).toContain('parq_contradicts_record');
  });

  it('gives effort targets on the 0–10 scale, capped by the clearance', () => {
    const v = run(intake({ physicallyActive: true }), { clearances: [clearance({ status: 'cleared-with-restrictions', restrictions: [{ code: 'max_rpe', value: 5 }] })] });
    expect(v).toMatchObject({ startingIntensity: 'light-moderate', targets: { rpe: '2–5/10 (9–13 on the 6–20 scale)' } });
    const capped = run(intake({ physicallyActive: true }), { clearances: [clearance({ status: 'cleared-with-restrictions', restrictions: [{ code: 'max_rpe', value: 3 }] })] });
    expect(capped.targets.rpe).toBe('2–3/10, capped at 3/10 as cleared');
  });
});
