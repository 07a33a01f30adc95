/**
 * The generation rules of issue 15 ("debatable today"), one test each, run on
 * the shipped templates and exercise library so the tags, overlays and rules
 * are tested together. Sources are FACTS.md sections.
 */
import { describe, expect, it } from 'vitest';
import { parseRestriction } from '../../src/domain/clearance.js';
import { addDays } from '../../src/domain/dates.js';
import { checkIntakeAnswers, type IntakeAnswers, type IntakeCondition } from '../../src/domain/intake.js';
import { capLoadsInNote } from '../../src/domain/limits.js';
import { generateProgram, GENERATION_RULES_VERSION, type GeneratedProgram, type GenerationInput } from '../../src/domain/program.js';
import { redFlags } from '../../src/domain/progress-rules.js';
import { referralFor } from '../../src/domain/referrals.js';
import { loadTemplates } from '../../src/templates/load.js';
import { okVerdict as verdict } from '../helpers/verdict.js';

const set = loadTemplates();
const START = '2026-12-01';

const baseIntake: IntakeAnswers = {
  date: '2026-11-20',
  physicallyActive: true,
  conditions: [],
  medications: [],
  parq: { q1: false, q2: false, q3: false, q4: false, q5: false, q6: false, q7: false, followUps: {}, temporaryIllness: false, healthChanged: false },
  symptoms: [],
  desiredIntensity: 'moderate',
  vitals: { restingHr: 60 },
};


function build(templateId: string, conditions: IntakeCondition[], opts: { restrictions?: string[]; age?: number; intake?: Partial<IntakeAnswers>; input?: Partial<GenerationInput> } = {}): GeneratedProgram {
  const r = generateProgram({
    template: set.programs.get(templateId)!,
    overlays: [...set.overlays.values()],
    exercises: set.exercises,
    intake: { ...baseIntake, conditions, ...opts.intake },
    verdict: verdict((opts.restrictions ?? []).map(parseRestriction)),
    age: opts.age ?? 60,
    hrMaxFormula: 'tanaka',
    startDate: START,
    ...opts.input,
  });
  if (!r.ok) throw new Error(`refused: ${r.reason}: ${r.details.join('; ')}`);
  return r.program;
}
const tags = (id: string) => set.exercises.get(id)!.tags;
const stageIds = (p: GeneratedProgram, n: number) => p.stages[n - 1]!.exercises.map((x) => x.exerciseId);
const weeksBefore = (weeks: number) => addDays(START, -weeks * 7);

describe('sternal precautions after a sternotomy (FACTS §10: AACVPR; Adams et al. 2016, "keep your move in the tube")', () => {
  it('3 weeks after surgery: no pushing or pulling with the arms, nothing over 4.5 kg in the hands, in the stages within 8 weeks', () => {
    const p = build('cardiac_rehab', [{ code: 'sternotomy', date: weeksBefore(3) }]);
    expect(p.rulesVersion).toBe(GENERATION_RULES_VERSION);
    expect(GENERATION_RULES_VERSION).toBe('generation-1.4.0');
    expect(p.overlays.map((o) => o.id)).toEqual(['cardiac', 'sternal_precautions']);
    // Stage 1 starts at week 3 and stage 2 at week 5 (before week 8); stage 3 starts at week 9.
    for (const n of [1, 2]) {
      for (const x of p.stages[n - 1]!.exercises) {
        expect(tags(x.exerciseId).armPushPull, `stage ${n}: ${x.exerciseId}`).toBe(false);
        if (tags(x.exerciseId).handLoad) expect(x.notes.join(' ')).toContain('at most 4.5 kg in the hands');
      }
      expect(p.stages[n - 1]!.precautions[0]).toContain(`until ${addDays(weeksBefore(3), 56)} (8 weeks after the surgery)`);
    }
    expect(stageIds(p, 1)).not.toContain('seated_band_row');
    expect(stageIds(p, 1)).not.toContain('wall_push_up');
    expect(stageIds(p, 2)).toContain('dumbbell_scaption');
    // After the 8 weeks the program is the template's again.
    expect(stageIds(p, 3)).toEqual(expect.arrayContaining(['seated_cable_row', 'incline_push_up']));
    expect(p.stages[2]!.precautions.join(' ')).not.toContain('Sternal');
    expect(p.precautions.join('\n')).toMatch(/Keep your move in the tube/);
    expect(p.precautions.join('\n')).toContain('Nothing over 4.5 kg (10 lb) in the hands');
    expect(p.explanations.map((e) => e.text)).toContain('Stage 1: Seated band row replaced by Shoulder blade setting — overlay sternal_precautions (pushes or pulls with the arms)');
  });

  it('10 weeks after surgery: the normal program, the precautions not applied, and it says so', () => {
    const p = build('cardiac_rehab', [{ code: 'sternotomy', date: weeksBefore(10) }]);
    expect(p.overlays.map((o) => o.id)).toEqual(['cardiac']);
    expect(stageIds(p, 1)).toEqual(set.programs.get('cardiac_rehab')!.stages[0]!.exercises.map((e) => e.exercise));
    expect(p.precautions.join(' ')).not.toContain('tube');
    expect(p.explanations.find((e) => e.code === 'overlay_sternal_precautions')!.text).toMatch(/not applied .*no stage falls until/);
  });

  it('with no surgery date the precautions apply to every stage (the safe side), and say the date is missing', () => {
    const p = build('cardiac_rehab', [{ code: 'sternotomy' }]);
    for (const s of p.stages) for (const x of s.exercises) expect(tags(x.exerciseId).armPushPull, x.exerciseId).toBe(false);
    expect(p.explanations.find((e) => e.code === 'overlay_sternal_precautions')!.text).toContain('the date it counts from is not recorded');
  });

  it('the clearance restriction no_push_pull drops arm pushing and pulling in every stage and shows on the program', () => {
    expect(parseRestriction('no_push_pull')).toEqual({ code: 'no_push_pull' });
    expect(() => parseRestriction('no_push_pull=1')).toThrow('takes no value');
    const p = build('general_reconditioning', [], { restrictions: ['no_push_pull'] });
    for (const s of p.stages) for (const x of s.exercises) expect(tags(x.exerciseId).armPushPull, x.exerciseId).toBe(false);
    expect(p.precautions[0]).toMatch(/^No pushing or pulling with the arms/);
    expect(p.explanations.map((e) => e.text)).toContain('Restriction applied: no pushing or pulling with the arms');
  });
});

describe('no_valsalva (FACTS §3, §7: hypertension, heart disease, retinopathy; Pescatello 2004)', () => {
  it('can be entered as a restriction; loaded and holding exercises say to breathe out, and the program shows it', () => {
    expect(parseRestriction('no-valsalva')).toEqual({ code: 'no_valsalva' });
    const p = build('low_back_pain', [], { restrictions: ['no_valsalva'] });
    expect(p.precautions[0]).toMatch(/^No breath-holding \(Valsalva\): breathe out on effort/);
    const all = p.stages.flatMap((s) => s.exercises);
    const deadlift = all.find((x) => x.exerciseId === 'kettlebell_deadlift')!;
    expect(deadlift.notes).toContain('breathe out on effort; no breath-holding, no lifting to failure');
    const plank = all.find((x) => x.exerciseId === 'plank_knees')!;
    expect(plank.notes.join(' ')).toContain('keep breathing through the hold; no breath-holding, no maximal or long heavy holds');
    // Without it, the same program says nothing of the kind.
    const plain = build('low_back_pain', []);
    expect(plain.stages.flatMap((s) => s.exercises).some((x) => x.notes.some((n) => n.includes('breath-holding')))).toBe(false);
  });
});

describe('pregnancy (FACTS §10: ACOG Committee Opinion 804, 2020; Mottola et al., BJSM 2018)', () => {
  const dueIn = (weeksPregnantAtStart: number) => addDays(START, (40 - weeksPregnantAtStart) * 7);

  it('second trimester: no supine exercise, effort capped at RPE 5/10 (12–14 on 6–20), no fall-risk drills, its red flags listed', () => {
    const p = build('general_reconditioning', [{ code: 'pregnancy', dueDate: dueIn(20) }]);
    expect(p.overlays.map((o) => o.id)).toEqual(['pregnancy', 'pregnancy_after_first_trimester']);
    for (const s of p.stages) {
      for (const x of s.exercises) {
        expect(tags(x.exerciseId).position, x.exerciseId).not.toBe('supine');
        expect(tags(x.exerciseId).fallRisk, x.exerciseId).toBe(false);
        expect(x.dose.rpe[1], x.exerciseId).toBeLessThanOrEqual(5);
      }
    }
    expect(p.redFlags).toEqual(expect.arrayContaining(['Vaginal bleeding (ACOG 804)', 'Regular painful contractions (ACOG 804)', 'Amniotic fluid leaking (ACOG 804)', 'Calf pain or swelling (ACOG 804)', 'Headache (ACOG 804)']));
    expect(p.precautions.join('\n')).toContain('RPE 12-14 on the 6-20 scale (about 4-5 on CR10');
    expect(p.explanations.map((e) => e.text)).toContain('Stage 1: Bridge dropped — overlay pregnancy_after_first_trimester (supine) — and no easier variant is allowed');
  });

  it('first trimester: supine work stays in the stage that ends before week 14, and goes from the stage that reaches it', () => {
    const p = build('general_reconditioning', [{ code: 'pregnancy', dueDate: dueIn(6) }]);
    // Stage 1 runs weeks 6–9 at the longest; stage 2 starts at week 9 and may run to week 15.
    expect(stageIds(p, 1)).toContain('glute_bridge');
    for (const x of p.stages[1]!.exercises) expect(tags(x.exerciseId).position, x.exerciseId).not.toBe('supine');
    expect(p.stages[1]!.precautions[0]).toContain('week 14 of pregnancy');
  });

  it('the weeks count from the last period when no due date is given; with neither, no supine work at all', () => {
    const lmp = build('general_reconditioning', [{ code: 'pregnancy', date: addDays(START, -6 * 7) }]);
    expect(stageIds(lmp, 1)).toContain('glute_bridge');
    const undated = build('general_reconditioning', [{ code: 'pregnancy' }]);
    for (const s of undated.stages) for (const x of s.exercises) expect(tags(x.exerciseId).position).not.toBe('supine');
  });

  it('the warning signs recorded at a session stop it and go to the midwife or obstetrician (ACOG 804)', () => {
    const entry = { date: '2026-12-10', attended: true, symptoms: ['vaginal_bleeding' as const], measures: [], exercises: [] } as unknown as Parameters<typeof redFlags>[0];
    const flags = redFlags(entry, [], { conditions: [{ code: 'pregnancy' }] });
    expect(flags).toHaveLength(1);
    expect(flags[0]!.text).toContain('refer to the client\'s midwife or obstetrician, today');
    expect(flags[0]!.source).toContain('ACOG Committee Opinion 804');
    expect(referralFor('contractions', null)).toMatch(/^the client's midwife or obstetrician, today/);
    expect(referralFor('fluid_leak', { clinician: 'Dr Ana Costa', profession: 'physician', contact: null })).toContain('and tell Dr Ana Costa (physician)');
  });

  it('a due date is for pregnancy only, and must be plausible', () => {
    const answers = (conditions: unknown[]) => ({ ...baseIntake, conditions, parq: { ...baseIntake.parq, followUps: undefined } });
    const check = (conditions: unknown[]) => checkIntakeAnswers(answers(conditions), { today: '2026-11-20', dateOfBirth: '1990-01-01' });
    expect(check([{ code: 'pregnancy', dueDate: '2027-04-01' }]).ok).toBe(true);
    const wrong = check([{ code: 'low_back_pain', dueDate: '2027-04-01' }, { code: 'pregnancy', dueDate: '2028-04-01' }]);
    expect(wrong.ok ? [] : wrong.problems.filter((p) => p.path.endsWith('dueDate'))).toEqual([
      { path: 'conditions[0].dueDate', message: 'a due date is for pregnancy only' },
      { path: 'conditions[1].dueDate', message: '2028-04-01 is not within 3 weeks before to 42 weeks after the intake date (2026-11-20)' },
    ]);
  });
});

describe('cancer (FACTS §2: PAR-Q+ page 2; bone metastases, low blood counts and treatment days as flags)', () => {
  it('bone metastases: no high-impact, fall-risk or loaded spinal flexion work, and new bone pain is referred', () => {
    const p = build('acl_reconstruction', [{ code: 'acl_reconstruction', side: 'left' }, { code: 'cancer', flags: ['bone_metastases'] }]);
    expect(p.overlays.map((o) => o.id)).toEqual(['cancer', 'cancer_bone_metastases']);
    for (const s of p.stages) {
      for (const x of s.exercises) {
        const t = tags(x.exerciseId);
        expect(t.impact, x.exerciseId).not.toBe('high');
        expect(t.fallRisk, x.exerciseId).toBe(false);
        expect(t.loadedSpinalFlexion, x.exerciseId).toBe(false);
      }
    }
    expect(p.redFlags.join('\n')).toMatch(/New or worse bone, back or neck pain.*stop and refer to the oncology team/);
    // The same program without the flag keeps its hops.
    const plain = build('acl_reconstruction', [{ code: 'acl_reconstruction', side: 'left' }, { code: 'cancer' }]);
    expect(plain.overlays.map((o) => o.id)).toEqual(['cancer']);
    expect(plain.stages.flatMap((s) => s.exercises).some((x) => tags(x.exerciseId).impact === 'high')).toBe(true);
  });

  it('a YES on PAR-Q+ 2b (chemo- or radiotherapy now) counts as on treatment: reduce on treatment days, effort at most 5/10', () => {
    const parq = { ...baseIntake.parq, q4: true, followUps: { cancer: { has: true, a: false, b: true } } };
    const p = build('general_reconditioning', [{ code: 'cancer' }], { intake: { parq } });
    expect(p.overlays.map((o) => o.id)).toEqual(['cancer', 'cancer_treatment']);
    expect(p.precautions.join('\n')).toMatch(/Treatment days - .* reduce/);
    for (const s of p.stages) for (const x of s.exercises) expect(x.dose.rpe[1]).toBeLessThanOrEqual(5);
    const low = build('general_reconditioning', [{ code: 'cancer', flags: ['low_blood_counts'] }]);
    for (const s of low.stages) for (const x of s.exercises) expect(x.dose.rpe[1]).toBeLessThanOrEqual(3);
  });

  it('flags are for the condition that takes them', () => {
    const check = (conditions: unknown[]) => checkIntakeAnswers({ ...baseIntake, conditions, parq: { ...baseIntake.parq, q4: true, followUps: { cancer: { has: true, a: false, b: false }, arthritis: { has: false }, heart: { has: false }, blood_pressure: { has: false }, metabolic: { has: false }, mental_health: { has: false }, respiratory: { has: false }, spinal_cord: { has: false }, stroke: { has: false }, other: { has: false } } } }, { today: '2026-11-20', dateOfBirth: '1960-01-01' });
    expect(check([{ code: 'cancer', flags: ['bone_metastases', 'on_treatment'] }]).ok).toBe(true);
    const wrong = check([{ code: 'osteoporosis', flags: ['bone_metastases'] }]);
    expect(wrong.ok ? [] : wrong.problems).toEqual([{ path: 'conditions[0].flags[0]', message: 'osteoporosis takes no flags' }]);
  });
});

describe('a load cap is never contradicted by a note (issue 15)', () => {
  it('max_load_kg=5: "Start light (e.g. 8 kg)" is rewritten to the cap, and the program says so', () => {
    const p = build('low_back_pain', [], { restrictions: ['max_load_kg=5'] });
    const deadlift = p.stages.flatMap((s) => s.exercises).find((x) => x.exerciseId === 'kettlebell_deadlift')!;
    expect(deadlift.notes).toEqual(['Start light (no more than 5 kg); neutral spine throughout', 'load at most 5 kg']);
    expect(p.explanations.some((e) => e.code === 'note_load_capped' && e.text.includes('named more than 5 kg'))).toBe(true);
    // A cap the note keeps within leaves it alone.
    const roomy = build('low_back_pain', [], { restrictions: ['max_load_kg=10'] });
    expect(roomy.stages.flatMap((s) => s.exercises).find((x) => x.exerciseId === 'kettlebell_deadlift')!.notes[0]).toBe('Start light (e.g. 8 kg); neutral spine throughout');
  });

  it('rewrites ranges and single loads above the cap only', () => {
    expect(capLoadsInNote('Start with 0.5-1 kg', 0.5)).toEqual({ note: 'Start with no more than 0.5 kg', changed: true });
    expect(capLoadsInNote('Start with 0.5-1 kg', 1)).toEqual({ note: 'Start with 0.5-1 kg', changed: false });
    expect(capLoadsInNote('1-2 kg, then 4 kg', 3).note).toBe('1-2 kg, then no more than 3 kg');
    expect(capLoadsInNote('10 reps, 2 sets', 1).changed).toBe(false);
  });
});

describe('a heart-rate ceiling never collapses the target range (issue 15; Karvonen, FACTS §5)', () => {
  it('max_hr=100 at age 30: the range moves down below the ceiling and says so, instead of "100–100"', () => {
    const p = build('general_reconditioning', [], { restrictions: ['max_hr=100'], age: 30 });
    const aerobic = p.stages.flatMap((s) => s.exercises).filter((x) => x.heartRate);
    expect(aerobic.length).toBeGreaterThan(0);
    for (const x of aerobic) {
      expect(x.heartRate!.high).toBe(100);
      expect(x.heartRate!.high - x.heartRate!.low).toBeGreaterThanOrEqual(10);
      expect(x.notes.join(' ')).toMatch(/heart-rate range moved down to 90–100 bpm \(planned \d+–\d+\) to stay under the 100 bpm ceiling/);
    }
  });

  it('a ceiling too close to the resting rate for a range doses by RPE and the talk test, never above the ceiling', () => {
    const p = build('general_reconditioning', [], { restrictions: ['max_hr=68'], age: 30 });
    const walking = p.stages[0]!.exercises.find((x) => x.exerciseId === 'walking')!;
    expect(walking.heartRate).toBeNull();
    expect(walking.dose.talkTest).toBe('can_talk');
    expect(walking.notes.join(' ')).toContain('dose by RPE and the talk test: the 68 bpm ceiling (clearance: heart rate at most 68 bpm) leaves no target range above the resting 60 bpm');
    expect(walking.notes).toContain('heart rate never above 68 bpm');
  });
});

describe('the resting BP hold in the text is the one the rules apply (FACTS §3; GETP 10th pp. 228–229)', () => {
  it('a cardiac client with high blood pressure: every stop line, check and stage precaution says 180/110, none 200/110', () => {
    const p = build('cardiac_rehab', [{ code: 'coronary_artery_disease' }, { code: 'hypertension' }], { intake: { medications: [{ name: 'bisoprolol', class: 'beta_blocker' }] } });
    const text = [...p.redFlags, ...p.preSessionChecks, ...p.precautions, ...p.stages.flatMap((s) => s.precautions)].join('\n');
    expect(text).not.toContain('200/110');
    expect(p.redFlags).toContain('Resting BP 180/110 or higher before the session (do not start)');
    expect(p.preSessionChecks.filter((c) => c.includes('BP'))).toEqual([expect.stringContaining('do not start if resting BP is 180/110 or higher (cardiac rule')]);
    for (const s of p.stages) expect(s.precautions).toContain('Do not start the session if resting BP is 180/110 or higher (cardiac rule, ACSM GETP 10th ed., pp. 228-229)');
    expect(text).not.toMatch(/\{bp_hold\}/);
  });

  it('a client without heart disease gets the general hold, and both follow the settings', () => {
    const p = build('general_reconditioning', [{ code: 'hypertension' }]);
    expect(p.redFlags).toContain('Resting BP 200/110 or higher before the session (do not start)');
    const set2 = build('cardiac_rehab', [{ code: 'heart_failure' }], { input: { bpHoldCardiac: { systolic: 170, diastolic: 105 } } });
    expect(set2.redFlags).toContain('Resting BP 170/105 or higher before the session (do not start)');
  });
});

describe('load progression kept in the program (issue 16; ACSM 2009 position stand)', () => {
  it("the template's rule, the exercise's own step over the program's, only on loaded exercises dosed in reps; a clearance's max_load_kg is read at suggestion time, not frozen here", () => {
    const p = build('knee_hip_oa', [{ code: 'knee_oa', side: 'left' }], { restrictions: ['max_load_kg=30'] });
    const stage2 = p.stages[1]!.exercises;
    expect(stage2.find((x) => x.exerciseId === 'leg_press')!.loadRule).toEqual({ stepKg: 2.5, increasePercent: [5, 10], sessionsAtTop: 2 });
    expect(stage2.filter((x) => x.loadRule).map((x) => x.exerciseId)).toEqual(['leg_press']);
    expect(p.stages[2]!.exercises.find((x) => x.exerciseId === 'weighted_seated_knee_extension')!.loadRule).toEqual({ stepKg: 0.5, increasePercent: [5, 10], sessionsAtTop: 2 });
  });

  it("an overlay's hand-load cap is the rule's cap (sternal precautions: 4.5 kg in the hands)", () => {
    const p = build('general_reconditioning', [{ code: 'sternotomy', date: weeksBefore(3) }]);
    const held = p.stages.flatMap((s) => s.exercises).filter((x) => x.loadRule && tags(x.exerciseId).handLoad);
    for (const x of held.filter((x) => x.loadRule!.maxKg !== undefined)) expect(x.loadRule).toMatchObject({ maxKg: 4.5, maxBy: expect.stringContaining('sternal_precautions') });
    expect(held.some((x) => x.loadRule!.maxKg === 4.5)).toBe(true);
  });
});
