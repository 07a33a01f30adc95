/**
 * Issue 15, findings 6, 8, 9 and the session-side debatable items, rule by
 * rule, each with its source (FACTS §3, §4, §5, §10): effort and load caps,
 * falls, SpO2, the type 1 ketone question, pain and effusion before a session.
 */
import { describe, expect, it } from 'vitest';
import type { IntakeAnswers } from '../../src/domain/intake.js';
import { PROGRESS_RULES_VERSION } from '../../src/domain/progress-rules.js';
import type { ProgressEntry } from '../../src/domain/progress-types.js';
import { referralFor } from '../../src/domain/referrals.js';
import { screen } from '../../src/domain/screening.js';
import { decideSession, heldAsNotTrained, stopsTraining, type SessionContext } from '../../src/domain/session.js';
import { carriedForward } from '../../src/domain/session-history.js';
import { cr10Of, effortCaps, effortWarnings, rangeWarnings, RPE_RISES } from '../../src/domain/session-safety.js';
import { checkSetting, resolveSettings } from '../../src/domain/settings.js';
import { asksAboutKetones, vitalsFindings } from '../../src/domain/vitals-rules.js';

let nextId = 1;
const entry = (date: string, over: Partial<ProgressEntry> = {}): ProgressEntry => ({ id: nextId++, clientId: 1, date, attended: true, vitals: {}, measures: [], symptoms: [], exercises: [], ...over });
/** A session every other rule lets progress: no soreness, pain settled by the next morning. */
const good = (date: string, over: Partial<ProgressEntry> = {}) => entry(date, { painBefore: 1, painDuring: 2, painAfter: 2, nextDayPain: 1, soreness: 'none', stage: 1, ...over });
const ctx = (over: Partial<SessionContext> = {}): SessionContext => ({ conditions: [], medications: [], settings: resolveSettings({}), ...over });
/** A stage whose exercises plan RPE up to 7/10. */
const stage = { number: 1, exercises: [{ dose: { rpe: [3, 5] as const } }, { dose: { rpe: [4, 7] as const } }] };
const program = { templateId: 'knee_tka', stage };

/** The advice and the rule that decided it (the first reason). */
const decided = (d: ReturnType<typeof decideSession>) => [d.advice.advice, d.advice.reasons[0]?.code];

/** Decide each session in turn with the ones before it, as record-session does. */
function decideAll(entries: ProgressEntry[], c: SessionContext) {
  return entries.map((e, i) => decideSession(e, entries.slice(0, i), c));
}

describe('effort above the cap or rising, load above max_load_kg (FACTS §10; AACVPR; Mytinger 2020)', () => {
  it("the reviewer's case: RPE 3, 6, 8, 9 under a clearance cap of 4: only the first may progress; each after is held at the level and warned", () => {
    const c = ctx({ program, restrictions: [{ code: 'max_rpe', value: 4 }] });
    const days = ['2026-10-01', '2026-10-08', '2026-10-15', '2026-10-22'];
    const entries = [3, 6, 8, 9].map((rpe, i) => good(days[i]!, { rpe: { value: rpe, scale: 'cr10' } }));
    const [first, ...later] = decideAll(entries, c);
    expect(first!.advice.advice).toBe('progress');
    expect(first!.warnings).toEqual([]);
    for (const d of later) {
      expect(d.advice.advice).toBe('repeat');
      expect(d.today).toBe('go');
      expect(d.advice.reasons[0]).toMatchObject({ code: 'rpe_above_cap', source: expect.stringContaining('Mytinger') });
      expect(d.warnings[0]!.text).toMatch(/above the cap of 4\/10 \(the clearance's max_rpe=4\): do not progress/);
      expect(d.flags).toEqual([]); // a warning in the report, not a referral
    }
    // The fourth is also the third rise in a row for the same work.
    expect(later[2]!.warnings.map((w) => w.code)).toEqual(['rpe_above_cap', 'rpe_rising']);
    expect(later[2]!.warnings[1]!.text).toContain('2026-10-01 3/10, 2026-10-08 6/10, 2026-10-15 8/10, 2026-10-22 9/10');
    expect(later[2]!.rulesVersion).toBe('progress-1.4.0');
    expect(PROGRESS_RULES_VERSION).toBe('progress-1.4.0');
  });

  it('the stage plan caps effort too (its highest planned RPE); the clearance wins when stricter', () => {
    expect(effortCaps(stage, [])).toEqual({ rpe: { value: 7, by: "stage 1's planned effort (RPE up to 7/10)" } });
    expect(effortCaps(stage, [{ code: 'max_rpe', value: 4 }, { code: 'max_load_kg', value: 5 }])).toEqual({
      rpe: { value: 4, by: "the clearance's max_rpe=4" },
      loadKg: { value: 5, by: "the clearance's max_load_kg=5" },
    });
    const d = decideSession(good('2026-10-01', { rpe: { value: 8, scale: 'cr10' } }), [], ctx({ program }));
    expect(decided(d)).toEqual(['repeat', 'rpe_above_cap']);
    expect(decideSession(good('2026-10-01', { rpe: { value: 7, scale: 'cr10' } }), [], ctx({ program })).advice.advice).toBe('progress');
  });

  it('RPE rising three times in a row for the same work does not progress, under the cap too [U default]; a change of work resets it', () => {
    expect(RPE_RISES).toBe(3);
    const days = ['2026-10-01', '2026-10-08', '2026-10-15', '2026-10-22'];
    const rising = [3, 4, 5, 6].map((rpe, i) => good(days[i]!, { rpe: { value: rpe, scale: 'cr10' } }));
    const last = decideAll(rising, ctx({ program })).at(-1)!;
    expect(decided(last)).toEqual(['repeat', 'rpe_rising']);
    // Two rises are not a trend; a flat step breaks the run.
    expect(effortWarnings(rising[2]!, rising.slice(0, 2), {})).toEqual([]);
    const flat = [3, 4, 4, 5].map((rpe, i) => good(days[i]!, { rpe: { value: rpe, scale: 'cr10' } }));
    expect(effortWarnings(flat[3]!, flat.slice(0, 3), {})).toEqual([]);
    // Harder work (the next stage, or more load) is expected to feel harder.
    const moved = rising.map((e, i) => (i === 3 ? { ...e, stage: 2 } : e));
    expect(effortWarnings(moved[3]!, moved.slice(0, 3), {})).toEqual([]);
    const loaded = rising.map((e, i) => ({ ...e, exercises: [{ exerciseId: 'goblet_squat', sets: 3, reps: 10, loadKg: i === 3 ? 10 : 8, completed: true }] }));
    expect(effortWarnings(loaded[3]!, loaded.slice(0, 3), {})).toEqual([]);
  });

  it('Borg 6–20 is read on CR10 by the ACSM classes, at the top of each class [U]', () => {
    expect(cr10Of({ value: 12, scale: 'borg' })).toBe(4);
    expect(cr10Of({ value: 13, scale: 'borg' })).toBe(5);
    expect(cr10Of({ value: 15, scale: 'borg' })).toBe(7);
    const caps = { rpe: { value: 4, by: 'cap' } };
    expect(effortWarnings(good('2026-10-01', { rpe: { value: 15, scale: 'borg' } }), [], caps).map((w) => w.code)).toEqual(['rpe_above_cap']);
    expect(effortWarnings(good('2026-10-01', { rpe: { value: 12, scale: 'borg' } }), [], caps)).toEqual([]);
  });

  it('a load above the clearance’s max_load_kg does not progress and is flagged on the entry; at the cap it is fine', () => {
    const c = ctx({ program, restrictions: [{ code: 'max_load_kg', value: 5 }] });
    const heavy = good('2026-10-01', { exercises: [{ exerciseId: 'goblet_squat', sets: 3, reps: 10, loadKg: 8, completed: true }, { exerciseId: 'step_up', sets: 2, reps: 10, completed: true }] });
    const d = decideSession(heavy, [], c);
    expect(decided(d)).toEqual(['repeat', 'load_above_cap']);
    expect(d.warnings).toEqual([expect.objectContaining({ code: 'load_above_cap', text: expect.stringContaining("goblet squat 8 kg: do not progress; keep loads within the clinician's limit") })]);
    const atCap = good('2026-10-01', { exercises: [{ exerciseId: 'goblet_squat', sets: 3, reps: 10, loadKg: 5, completed: true }] });
    expect(decideSession(atCap, [], c).warnings).toEqual([]);
  });
});

describe('a fall since the last session (FACTS §10; Giangregorio 2014 Too Fit To Fracture; CDC STEADI)', () => {
  const fall = (over: Partial<ProgressEntry> = {}) => good('2026-10-01', { symptoms: ['fall'], ...over });

  it('in osteoporosis: hold and refer to a doctor (possible fragility fracture); training stops until the referral is resolved', () => {
    const d = decideSession(fall(), [], ctx({ conditions: [{ code: 'osteoporosis' }] }));
    expect(d).toMatchObject({ today: 'hold', flags: [{ code: 'fall_possible_fracture', stop: true }] });
    expect(d.flags[0]!.text).toMatch(/^A fall since the last session in osteoporosis: possible fragility fracture/);
    expect(d.flags[0]!.source).toContain('Too Fit To Fracture');
    expect(heldAsNotTrained(fall(), d).attended).toBe(false);
    expect(stopsTraining('fall_possible_fracture')).toBe(true);
    expect(referralFor('fall_possible_fracture', { clinician: 'J. Okafor', profession: 'physiotherapist', contact: null })).toBe("the client's physician");
  });

  it('with new back pain (or height loss), anyone: hold and refer', () => {
    const d = decideSession(fall({ symptoms: ['fall', 'new_back_pain'] }), [], ctx());
    expect(d).toMatchObject({ today: 'hold', flags: [{ code: 'fall_possible_fracture', stop: true }] });
    expect(d.flags[0]!.text).toContain('with new back or rib pain');
    expect(decideSession(fall({ symptoms: ['fall', 'height_loss'] }), [], ctx()).today).toBe('hold');
  });

  it('in a falls risk (the condition, or a falls-prevention program): hold and refer for a falls assessment', () => {
    expect(decideSession(fall(), [], ctx({ conditions: [{ code: 'falls_risk' }] }))).toMatchObject({ today: 'hold', flags: [{ code: 'fall_review' }] });
    const otago = decideSession(fall(), [], ctx({ program: { templateId: 'falls_prevention' } }));
    expect(otago).toMatchObject({ today: 'hold', flags: [{ code: 'fall_review' }] });
    expect(otago.flags[0]!.text).toContain('(falls-prevention program)');
  });

  it('elsewhere: recorded and shown as a warning; the session goes ahead and does not progress', () => {
    const d = decideSession(fall(), [], ctx());
    expect(d).toMatchObject({ today: 'go', flags: [], warnings: [{ code: 'fall' }] });
    expect(decided(d)).toEqual(['repeat', 'fall']);
    expect(d.warnings[0]!.source).toContain('STEADI');
  });

  it('new back pain in osteoporosis, without a fall: hold and refer (the overlay’s own check)', () => {
    const d = decideSession(good('2026-10-01', { symptoms: ['new_back_pain'] }), [], ctx({ conditions: [{ code: 'osteoporosis' }] }));
    expect(d).toMatchObject({ today: 'hold', flags: [{ code: 'possible_vertebral_fracture', stop: true }] });
    expect(decideSession(good('2026-10-01', { symptoms: ['new_back_pain'] }), [], ctx()).today).toBe('go');
  });
});

describe('SpO2 at rest (FACTS §10; ACSM GETP; GOLD 2024)', () => {
  const copd = ctx({ conditions: [{ code: 'copd' }] });
  const spo2 = (value: number) => good('2026-10-01', { measures: [{ code: 'spo2', value }] });

  it('85% in COPD: hold and refer to a doctor; 90%: go', () => {
    const d = decideSession(spo2(85), [], copd);
    expect(d).toMatchObject({ today: 'hold', checks: [{ code: 'spo2_low', severity: 'refer' }], flags: [{ code: 'spo2_low', stop: true }] });
    expect(d.checks[0]!.text).toBe('SpO2 85% at rest is below 88%: no session; refer');
    expect(d.checks[0]!.source).toContain('GOLD 2024');
    expect(referralFor('spo2_low', null)).toBe("the client's physician");
    const ok = decideSession(spo2(90), [], copd);
    expect(ok).toMatchObject({ today: 'go', checks: [], flags: [] });
  });

  it('88–89%: the session may start, watched (keep ≥88–90% during exercise)', () => {
    expect(decideSession(spo2(88), [], copd)).toMatchObject({ today: 'go', checks: [{ code: 'spo2_watch', severity: 'caution' }] });
  });

  it('the threshold is a setting with bounds, like the BP and heart-rate ones', () => {
    expect(checkSetting('screening.spo2Hold', '90')).toBe('90');
    expect(() => checkSetting('screening.spo2Hold', '84')).toThrow(/must be a whole percentage, 85–92/);
    expect(() => checkSetting('screening.spo2Hold', '93')).toThrow(/85–92/);
    const strict = ctx({ conditions: [{ code: 'copd' }], settings: resolveSettings({ 'screening.spo2Hold': '90' }) });
    expect(decideSession(spo2(89), [], strict).today).toBe('hold');
  });

  it('screening judges an intake SpO2 the same way (screening-1.3.0)', () => {
    const intake: IntakeAnswers = {
      date: '2026-11-26', physicallyActive: false, conditions: [{ code: 'copd' }], medications: [],
      parq: { q1: false, q2: false, q3: false, q4: false, q5: false, q6: false, q7: false, followUps: {}, temporaryIllness: false, healthChanged: false },
      symptoms: [], desiredIntensity: 'moderate', vitals: { spo2: 85 },
    };
    const v = screen({ client: { dateOfBirth: '1966-01-01' }, intake, clearances: [], settings: resolveSettings({}), today: '2026-11-26' });
    expect(v.reasons).toContainEqual(expect.objectContaining({ code: 'spo2_low', severity: 'refer' }));
    expect(v.ruleVersion).toBe('screening-1.3.0');
  });
});

describe('type 1 diabetes: ketones from 250 mg/dL (older ADA/ACSM rule, Colberg 2010; FACTS §3, §10)', () => {
  const t1 = { conditions: ['type1_diabetes' as const], medications: [], settings: resolveSettings({}) };
  const g = (value: number) => ({ glucose: { value, unit: 'mg/dL' as const } });

  it('255 mg/dL with ketones not checked: ask, and do not start until they are checked and negative', () => {
    expect(asksAboutKetones({ value: 255, unit: 'mg/dL' }, true)).toBe(true);
    const r = vitalsFindings(g(255), t1);
    expect(r).toEqual([expect.objectContaining({ code: 'glucose_high_type1', severity: 'hold', text: expect.stringContaining('until ketones are checked and negative'), source: expect.stringContaining('Colberg') })]);
    expect(vitalsFindings({ ...g(255), ketones: true }, t1)[0]).toMatchObject({ code: 'glucose_high_type1', severity: 'hold' });
    expect(vitalsFindings({ ...g(255), ketones: false }, t1)[0]).toMatchObject({ code: 'glucose_high_no_ketones', severity: 'caution' });
  });

  it('249 mg/dL in type 1, and 255 mg/dL in type 2, are not asked (Turner 2019: above 270)', () => {
    expect(asksAboutKetones({ value: 249, unit: 'mg/dL' }, true)).toBe(false);
    expect(vitalsFindings(g(249), t1)).toEqual([]);
    expect(asksAboutKetones({ value: 255, unit: 'mg/dL' }, false)).toBe(false);
    expect(vitalsFindings(g(255), { ...t1, conditions: ['type2_diabetes'] })).toEqual([]);
    // A prompt that does not know the conditions asks from 250.
    expect(asksAboutKetones({ value: 13.9, unit: 'mmol/L' }, undefined)).toBe(true);
  });
});

describe('what is already too high before a session (FACTS §4 pain model; Sturgill 2009)', () => {
  it('pain before 6/10 is outside the acceptable zone: not a plain go: a caution, and reduce', () => {
    const d = decideSession(good('2026-10-01', { painBefore: 6 }), [], ctx());
    expect(d.today).toBe('go');
    expect(d.checks).toEqual([expect.objectContaining({ code: 'pain_before_high', severity: 'caution', source: expect.stringContaining('Thomeé') })]);
    expect(d.advice).toMatchObject({ advice: 'reduce', reasons: expect.arrayContaining([expect.objectContaining({ code: 'pain_before_high' })]) });
    // 5/10 is within the acceptable zone.
    expect(decideSession(good('2026-10-01', { painBefore: 5, nextDayPain: 5 }), [], ctx()).checks).toEqual([]);
  });

  it('effusion 2+ at the session is judged before it: hold progression and reduce today; the next session, not graded again, does not progress', () => {
    const swollen = good('2026-10-01', { measures: [{ code: 'effusion_grade', side: 'left', value: 3 }] });
    const d = decideSession(swollen, [], ctx());
    expect(d.checks).toEqual([expect.objectContaining({ code: 'effusion_before_2plus', severity: 'caution', text: expect.stringContaining("2+ (left knee) at the session: hold progression; reduce today's load") })]);
    expect(d.advice.advice).toBe('reduce');
    const next = good('2026-10-09');
    expect(carriedForward(next, [swollen]).noProgress).toEqual([expect.objectContaining({ code: 'previous_effusion', source: expect.stringContaining('Sturgill') })]);
    expect(decided(decideSession(next, [swollen], ctx()))).toEqual(['repeat', 'previous_effusion']);
    // Graded again at trace: the effusion rules judge it; the carry-forward is done.
    const regraded = good('2026-10-09', { measures: [{ code: 'effusion_grade', side: 'left', value: 1 }] });
    expect(carriedForward(regraded, [swollen]).noProgress).toEqual([]);
  });
});

describe('rangeWarnings: a range measured past the clearance limit (issue 16)', () => {
  const at = (measures: ProgressEntry['measures']): ProgressEntry => ({ id: 1, clientId: 1, date: '2026-11-20', attended: true, vitals: {}, measures, symptoms: [], exercises: [] });
  it('warns for the joint and side the limit names, only past it', () => {
    const limits = [{ code: 'rom.knee.right', value: 90 }];
    expect(rangeWarnings(at([{ code: 'knee_flexion', side: 'right', value: 90 }]), limits)).toEqual([]);
    expect(rangeWarnings(at([{ code: 'knee_flexion', side: 'left', value: 120 }]), limits)).toEqual([]);
    expect(rangeWarnings(at([{ code: 'knee_extension', side: 'right', value: 95 }]), limits)).toEqual([]); // a deficit, not a range
    const w = rangeWarnings(at([{ code: 'knee_flexion', side: 'right', value: 104 }]), limits);
    expect(w).toEqual([expect.objectContaining({ code: 'rom_beyond_limit', text: expect.stringContaining("knee flexion (right) 104° is beyond the clinician's limit of 90° (rom.knee.right=90)") })]);
    expect(rangeWarnings(at([{ code: 'shoulder_abduction', side: 'left', value: 100 }]), [{ code: 'rom.shoulder.left', value: 90 }])[0]!.code).toBe('rom_beyond_limit');
  });
});
