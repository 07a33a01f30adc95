import { describe, expect, it } from 'vitest';
import type { Restriction } from '../../src/domain/clearance.js';
import type { IntakeAnswers } from '../../src/domain/intake.js';
import { combineLimits } from '../../src/domain/limits.js';
import { fittingTemplates, generateProgram, type GenerationInput } from '../../src/domain/program.js';
import type { ScreeningVerdict } from '../../src/domain/screening.js';
import { exerciseSchema, overlaySchema, programTemplateSchema, type Exercise } from '../../src/domain/template-schema.js';

const ex = (id: string, tags: Record<string, unknown>, easier: string | null = null): Exercise =>
  exerciseSchema.parse({
    id,
    name: id.replace(/_/g, ' '),
    cues: ['cue'],
    tags: { joints: ['knee'], pattern: 'squat', impact: 'none', legLoad: 'full', position: 'standing', equipment: ['none'], ...tags },
    easier,
  });

const library = new Map(
  [
    ex('jump_squat', { impact: 'high', rom: { knee: 110 } }, 'step_touch'),
    ex('step_touch', { impact: 'low', pattern: 'aerobic' }, 'seated_march'),
    ex('seated_march', { legLoad: 'none', position: 'seated', pattern: 'aerobic' }),
    ex('deep_squat', { rom: { knee: 120 } }, 'mini_squat'),
    ex('mini_squat', { rom: { knee: 45 }, legLoad: 'partial' }, 'quad_set'),
    ex('quad_set', { legLoad: 'none', position: 'supine', pattern: 'isometric' }),
    ex('overhead_press', { joints: ['shoulder'], pattern: 'push', overhead: true, externalLoad: true, legLoad: 'none', position: 'seated', rom: { shoulder: 170 } }, 'wall_slide'),
    ex('wall_slide', { joints: ['shoulder'], pattern: 'mobility', rom: { shoulder: 150 } }, 'pendulum'),
    ex('pendulum', { joints: ['shoulder'], pattern: 'mobility', rom: { shoulder: 30 } }),
    ex('jog', { impact: 'high', running: true, pattern: 'aerobic' }),
    ex('bike', { pattern: 'aerobic', legLoad: 'none', position: 'seated', rom: { knee: 110 } }, 'seated_march'),
  ].map((e) => [e.id, e]),
);

const dose = (extra: Record<string, unknown> = {}) => ({ sets: 2, reps: 10, rpe: [3, 6], restSeconds: 60, ...extra });
const template = programTemplateSchema.parse({
  id: 'test_program',
  kind: 'program',
  name: 'Test program',
  version: '1.2.0',
  description: 'for tests',
  sources: ['tests'],
  fits: ['knee_tka'],
  stages: [
    {
      name: 'One',
      goals: ['g'],
      weeks: [2, 4],
      sessionsPerWeek: 3,
      exercises: [
        { exercise: 'deep_squat', dose: dose() },
        { exercise: 'jump_squat', dose: dose() },
        { exercise: 'bike', dose: { sets: 1, minutes: 20, rpe: [4, 7], hrr: [40, 70], restSeconds: 0 } },
      ],
      exitCriteria: [{ measure: 'knee_flexion', side: 'affected', op: '>=', value: 100, visits: 2 }],
    },
    {
      name: 'Two',
      goals: ['g'],
      weeks: [3, 6],
      sessionsPerWeek: 2,
      exercises: [
        { exercise: 'overhead_press', dose: dose({ rpe: [6, 8] }) },
        { exercise: 'jog', dose: { sets: 1, minutes: 10, rpe: [5, 7], hrr: [60, 80], restSeconds: 0 } },
      ],
      exitCriteria: [{ measure: 'signoff', by: 'clinician' }],
    },
  ],
});

const general = programTemplateSchema.parse({ ...template, id: 'general', fits: [] });

const overlay = (id: string, extra: Record<string, unknown>) =>
  overlaySchema.parse({ id, kind: 'overlay', name: id, version: '1.0.0', sources: ['s'], appliesTo: { conditions: ['hypertension'] }, precautions: ['p'], redFlags: ['r'], ...extra });

const intake: IntakeAnswers = {
  date: '2026-11-20',
  physicallyActive: true,
  conditions: [{ code: 'knee_tka', side: 'left' }],
  medications: [],
  parq: { q1: false, q2: false, q3: false, q4: false, q5: false, q6: false, q7: false, followUps: {}, temporaryIllness: false, healthChanged: false },
  symptoms: [],
  desiredIntensity: 'moderate',
  vitals: { restingHr: 60 },
};

function verdict(over: { restrictions?: Restriction[]; gate?: ScreeningVerdict['gate']; dosing?: ScreeningVerdict['dosing']; start?: ScreeningVerdict['startingIntensity'] } = {}): ScreeningVerdict {
  return {
    ruleVersion: 'screening-1.0.0',
    screenedOn: '2026-11-26',
    intakeDate: '2026-11-20',
    gate: over.gate ?? 'ok',
    sessionToday: 'go',
    acsm: { outcome: 'not-necessary', rule: 'acsm-2015', physicallyActive: true, knownDisease: [], symptoms: [], desiredIntensity: 'moderate' },
    parq: { outcome: 'proceed', formVersion: 'x', yes: [] },
    redFlags: [],
    clearance: { needed: false, state: 'valid', covers: false, inForce: null, restrictions: over.restrictions ?? [] },
    startingIntensity: over.start ?? 'moderate-vigorous',
    dosing: over.dosing ?? 'heart-rate',
    targets: { rpe: null, heartRate: null },
    reasons: [{ code: 'red_flag_chest_pain', severity: 'refer', text: 'Red flag: chest pain', source: 's' }],
  };
}

function run(over: Partial<GenerationInput> = {}, v: ScreeningVerdict = verdict()) {
  return generateProgram({ template, overlays: [], exercises: library, intake, verdict: v, age: 60, hrMaxFormula: 'fox', startDate: '2026-12-01', ...over });
}
const ok = (r: ReturnType<typeof run>) => {
  if (!r.ok) throw new Error(`generation refused: ${r.reason}`);
  return r.program;
};
const ids = (r: ReturnType<typeof run>, stage = 0) => ok(r).stages[stage]!.exercises.map((e) => e.exerciseId);

describe('program generation', () => {
  it('plans stage dates from the start date and the minimum weeks of each stage', () => {
    const p = ok(run());
    expect(p.stages.map((s) => [s.plannedStart, s.plannedEnd])).toEqual([
      ['2026-12-01', ['2026-12-14', '2026-12-28']],
      ['2026-12-15', ['2027-01-04', '2027-01-25']],
    ]);
    expect(p).toMatchObject({ templateId: 'test_program', templateVersion: '1.2.0', fits: ['knee_tka'], rulesVersion: 'generation-1.4.0' });
  });

  it("sets a STEADI chair-stand criterion to the cut-off for the client's age and sex (CDC STEADI, FACTS §8)", () => {
    const steadi = programTemplateSchema.parse({
      ...template,
      stages: template.stages.map((st, i) => (i === 1 ? { ...st, exitCriteria: [{ measure: 'chair_stand_30s', op: '>=', value: 10, visits: 2, norm: 'steadi', note: 'template' }] } : st)),
    });
    const criterion = (age: number, sex: GenerationInput['sex']) => ok(run({ template: steadi, age, sex })).stages[1]!.exitCriteria[0]!;
    // A 62-year-old man is below average under 14 (the trial's client was shown a fixed 10).
    expect(criterion(62, 'male')).toMatchObject({ value: 14, note: 'CDC STEADI: below 14 is below average for men 60–64' });
    expect(criterion(72, 'female')).toMatchObject({ value: 10, note: 'CDC STEADI: below 10 is below average for women 70–74' });
    expect(criterion(91, 'female').value).toBe(4);
    // Sex not recorded: the stricter of the two.
    expect(criterion(67, null)).toMatchObject({ value: 12, note: expect.stringContaining('the stricter') });
    // Outside the norms: the template's value, said so.
    expect(criterion(45, 'male')).toMatchObject({ value: 10, note: expect.stringMatching(/^CDC STEADI norms cover ages 60–94; 10 is the template's default for age 45/) });
    expect(programTemplateSchema.safeParse({ ...template, stages: template.stages.map((st) => ({ ...st, exitCriteria: [{ measure: 'knee_flexion', op: '>=', value: 90, norm: 'steadi' }] })) }).success).toBe(false);
  });

  it('is deterministic', () => {
    expect(run({ overlays: [overlay('b', { caps: { rpe: 6 } }), overlay('a', { caps: { rpe: 5 } })] })).toEqual(
      run({ overlays: [overlay('a', { caps: { rpe: 5 } }), overlay('b', { caps: { rpe: 6 } })] }),
    );
  });

  it('replaces a forbidden exercise with the first allowed easier variant, and says why', () => {
    const p = ok(run({}, verdict({ restrictions: [{ code: 'no_impact' }] })));
    expect(p.stages[0]!.exercises.map((e) => [e.exerciseId, e.replaces?.id ?? null])).toEqual([
      ['deep_squat', null],
      ['seated_march', 'jump_squat'],
      ['bike', null],
    ]);
    expect(p.explanations.map((e) => e.text)).toContain('Stage 1: jump squat replaced by seated march — clearance: no impact');
    // Stage 2: jogging has no allowed variant and is dropped; the press stays.
    expect(ids(run({}, verdict({ restrictions: [{ code: 'no_impact' }] })), 1)).toEqual(['overhead_press']);
  });

  it('walks down to the gentlest variant for weight bearing and range of motion', () => {
    expect(ids(run({}, verdict({ restrictions: [{ code: 'rom.knee.left', value: 60 }] })))).toEqual(['mini_squat', 'step_touch', 'seated_march']);
    expect(ids(run({}, verdict({ restrictions: [{ code: 'weight_bearing.left', value: 'non' }] })))).toEqual(['quad_set', 'seated_march', 'bike']);
    // Range work stays under a range-of-motion limit, done within it.
    const shoulder = ok(run({}, verdict({ restrictions: [{ code: 'no_overhead_loading' }, { code: 'rom.shoulder.right', value: 90 }] })));
    expect(shoulder.stages[1]!.exercises.map((e) => e.exerciseId)).toEqual(['wall_slide', 'jog']);
    expect(shoulder.stages[1]!.exercises[0]!.notes).toContain('only to 90° at the shoulder (clearance: right shoulder range of motion at most 90°)');
  });

  it('drops an exercise whose safe variant is already in the stage', () => {
    const p = ok(run({}, verdict({ restrictions: [{ code: 'weight_bearing.left', value: 'non' }, { code: 'rom.knee.left', value: 90 }] })));
    // bike needs 110° of knee flexion → seated march, which jump squat already became.
    expect(p.stages[0]!.exercises.map((e) => e.exerciseId)).toEqual(['quad_set', 'seated_march']);
    expect(p.explanations.some((e) => e.text.includes('bike dropped') && e.text.includes('already in the stage'))).toBe(true);
  });

  it('refuses when a stage would be left without a safe exercise', () => {
    const r = run({}, verdict({ restrictions: [{ code: 'no_impact' }, { code: 'no_overhead_loading' }, { code: 'weight_bearing.left', value: 'non' }] }));
    expect(r).toMatchObject({ ok: false, reason: 'stage 2 (Two) of test_program would have no safe exercise' });
    expect(!r.ok && r.details.length).toBe(2); // the press (no standing variant) and the jog
  });

  it('the strictest limit wins: lowest RPE and heart rate, tightest range of motion', () => {
    const limits = combineLimits(
      [{ code: 'max_rpe', value: 6 }, { code: 'rom.knee.left', value: 90 }, { code: 'rom.knee.right', value: 70 }, { code: 'max_hr', value: 120 }],
      [overlay('cardiac', { caps: { rpe: 4 } }), overlay('other', { caps: { rpe: 7 } })],
    );
    expect(limits.maxRpe).toEqual({ value: 4, by: 'overlay cardiac' });
    expect(limits.rom.knee?.value).toBe(70);
    const p = ok(run({ overlays: [overlay('cardiac', { appliesTo: { conditions: ['knee_tka'] }, caps: { rpe: 4 } })] }, verdict({ restrictions: [{ code: 'max_rpe', value: 6 }, { code: 'max_hr', value: 110 }] })));
    for (const s of p.stages) for (const e of s.exercises) expect(e.dose.rpe[1]).toBeLessThanOrEqual(4);
    const bike = p.stages[0]!.exercises.find((e) => e.exerciseId === 'bike')!;
    // 220 − 60 = 160; rest 60; 40–70% HRR → 100–130, capped at 110.
    expect(bike.heartRate).toEqual({ low: 100, high: 110 });
  });

  it('caps the first stage at light to moderate when the screening says so', () => {
    const p = ok(run({}, verdict({ start: 'light-moderate' })));
    expect(p.stages[0]!.exercises.every((e) => e.dose.rpe[1] <= 5)).toBe(true);
    expect(p.stages[0]!.exercises.find((e) => e.exerciseId === 'bike')!.dose.hrr).toEqual([40, 59]);
    expect(p.stages[1]!.exercises[0]!.dose.rpe).toEqual([6, 8]);
  });

  it('doses by RPE and the talk test when dosing is RPE-only', () => {
    const p = ok(run({}, verdict({ dosing: 'rpe-only' })));
    const bike = p.stages[0]!.exercises.find((e) => e.exerciseId === 'bike')!;
    expect(bike.dose.hrr).toBeUndefined();
    expect(bike.dose.talkTest).toBe('can_talk');
    expect(bike.heartRate).toBeNull();
  });

  it('applies the overlays the conditions and medications call for, with their avoid lists', () => {
    const o = overlay('osteoporosis', { appliesTo: { conditions: ['knee_tka'] }, avoid: { impact: ['high'] }, precautions: ['no loaded spinal flexion'] });
    const p = ok(run({ overlays: [o, overlay('unrelated', { appliesTo: { conditions: ['copd'] } })] }));
    expect(p.overlays.map((x) => x.id)).toEqual(['osteoporosis']);
    expect(ids(run({ overlays: [o] }))).toEqual(['deep_squat', 'step_touch', 'bike']);
    expect(p.precautions).toContain('no loaded spinal flexion');
    const meds = overlay('rate', { appliesTo: { medicationClasses: ['beta_blocker'] } });
    expect(ok(run({ overlays: [meds], intake: { ...intake, medications: [{ name: 'bisoprolol', class: 'beta_blocker' }] } })).overlays.map((x) => x.id)).toEqual(['rate']);
  });

  it('refuses while the screening gate is closed, unless overridden with a reason', () => {
    const closed = verdict({ gate: 'needs-clearance' });
    expect(run({}, closed)).toMatchObject({ ok: false, reason: 'the screening needs a medical clearance first' });
    const p = ok(run({ override: 'cleared by phone' }, closed));
    expect(p.override).toBe('cleared by phone');
    expect(p.explanations[0]!.code).toBe('gate_override');
  });

  it('uses the sessions per week asked for', () => {
    expect(ok(run({ sessionsPerWeek: 2 })).stages.map((s) => s.sessionsPerWeek)).toEqual([2, 2]);
  });

  it('chooses the template made for a condition, else the general one', () => {
    expect(fittingTemplates([general, template], ['knee_tka']).map((t) => t.id)).toEqual(['test_program']);
    expect(fittingTemplates([general, template], ['copd']).map((t) => t.id)).toEqual(['general']);
  });

  it('under an override every stage stays light to moderate, and a referral cannot be overridden', () => {
    const p = ok(run({ override: 'letter to follow' }, verdict({ gate: 'needs-clearance' })));
    for (const st of p.stages) for (const e of st.exercises) expect(e.dose.rpe[1]).toBeLessThanOrEqual(5);
    expect(p.explanations[0]!.text).toContain('Held back by: Red flag: chest pain');
    expect(run({ override: 'client feels fine' }, verdict({ gate: 'refer' }))).toMatchObject({ ok: false, reason: expect.stringContaining('cannot override a referral') });
  });

  it("keeps a clinician's heart-rate ceiling visible under RPE-only dosing", () => {
    const p = ok(run({}, verdict({ dosing: 'rpe-only', restrictions: [{ code: 'max_hr', value: 105 }] })));
    expect(p.precautions[0]).toBe('Heart rate never above 105 bpm (clearance: heart rate at most 105 bpm)');
    const bike = p.stages[0]!.exercises.find((e) => e.exerciseId === 'bike')!;
    expect(bike.notes).toContain('heart rate never above 105 bpm');
  });

  it('doses cardiac clients at resting heart rate + 20 to 30, not by %HRR', () => {
    const cardiacIntake = { ...intake, conditions: [...intake.conditions, { code: 'coronary_artery_disease' as const }] };
    const p = ok(run({ intake: cardiacIntake }));
    const bike = p.stages[0]!.exercises.find((e) => e.exerciseId === 'bike')!;
    expect(bike.dose.hrr).toBeUndefined();
    expect(bike.heartRate).toEqual({ low: 80, high: 90 });
  });

  it('an effort cap also caps the heart-rate reserve', () => {
    const p = ok(run({}, verdict({ restrictions: [{ code: 'max_rpe', value: 3 }] })));
    const bike = p.stages[0]!.exercises.find((e) => e.exerciseId === 'bike')!;
    expect(bike.dose.rpe).toEqual([3, 3]);
    expect(bike.dose.hrr).toEqual([39, 39]);
  });

  it('keeps the strictest blood-pressure hold of several overlays, once', () => {
    const check = (s: number, rule: string) => ({ preSessionChecks: [{ check: 'blood_pressure', rule, holdIf: { systolicAtLeast: s, diastolicAtLeast: 110 } }] });
    const a = overlay('a', { appliesTo: { conditions: ['knee_tka'] }, ...check(200, 'hold at 200/110') });
    const b = overlay('b', { appliesTo: { conditions: ['knee_tka'] }, ...check(180, 'hold at 180/110') });
    expect(ok(run({ overlays: [a, b] })).preSessionChecks).toEqual(['hold at 180/110']);
  });

  it('says when an exit criterion lies beyond a range-of-motion limit', () => {
    const p = ok(run({}, verdict({ restrictions: [{ code: 'rom.knee.left', value: 90 }] })));
    expect(p.explanations.map((e) => e.text)).toContain(
      'Stage 1: the exit criterion knee flexion >= 100° is beyond the 90° limit (clearance: left knee range of motion at most 90°); review the limit with the clinician before this stage',
    );
  });
});

