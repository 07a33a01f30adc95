/**
 * Limits name their side (issue 16: "a left knee replacement loads the right
 * leg normally; ROM and weight-bearing limits apply to the named side").
 * Range work done one side at a time is limited on the side named. A leg
 * exercise done a side at a time whose tags say what each leg does
 * (tags.sided) meets each side's weight-bearing and range limits leg by leg:
 * the side it is allowed on keeps it, the other side takes an easier variant.
 * An exercise without those tags keeps a one-side limit on both legs. Run on
 * the shipped library and templates, so the tags are tested with the rule.
 */
import { describe, expect, it } from 'vitest';
import { parseRestriction } from '../../src/domain/clearance.js';
import type { IntakeAnswers } from '../../src/domain/intake.js';
import { combineLimits, forbiddenBy, forbiddenOnSide, romNotes } from '../../src/domain/limits.js';
import { describeDose } from '../../src/domain/program-text.js';
import { plainDose } from '../../src/domain/handout.js';
import { generateProgram, type GeneratedProgram } from '../../src/domain/program.js';
import { exerciseSchema } from '../../src/domain/template-schema.js';
import { loadTemplates } from '../../src/templates/load.js';
import { okVerdict as verdict } from '../helpers/verdict.js';

const set = loadTemplates();
const ex = (id: string) => set.exercises.get(id)!;
const limits = (...codes: string[]) => combineLimits(codes.map(parseRestriction), []);

const intake = (side: 'left' | 'right'): IntakeAnswers => ({
  date: '2026-11-20',
  physicallyActive: true,
  conditions: [{ code: 'knee_tka', side, date: '2026-10-01' }],
  medications: [],
  parq: { q1: false, q2: false, q3: false, q4: false, q5: false, q6: false, q7: false, followUps: {}, temporaryIllness: false, healthChanged: false },
  symptoms: [],
  desiredIntensity: 'moderate',
  vitals: { restingHr: 60 },
});

function tka(side: 'left' | 'right', ...restrictions: string[]): GeneratedProgram {
  const r = generateProgram({
    template: set.programs.get('knee_tka')!,
    overlays: [...set.overlays.values()],
    exercises: set.exercises,
    intake: intake(side),
    verdict: verdict(restrictions.map(parseRestriction)),
    age: 66,
    hrMaxFormula: 'tanaka',
    startDate: '2026-12-01',
  });
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.program;
}
const planned = (p: GeneratedProgram, stage: number) => p.stages[stage - 1]!.exercises.map((x) => `${x.exerciseId}${x.side ? `[${x.side}]` : ''}`);

describe('sided range limits on range work', () => {
  it('range work done one side at a time names the limited side; a limit on both sides is both', () => {
    const heelSlide = ex('heel_slide');
    expect(heelSlide.tags.rom.knee).toBeGreaterThan(60);
    const left = limits('rom.knee.left=60');
    expect(romNotes(heelSlide, left, true)).toEqual(['only to 60° at the left knee (clearance: left knee range of motion at most 60°); the right knee as planned']);
    expect(romNotes(heelSlide, left, false)).toEqual(['only to 60° at the knee (clearance: left knee range of motion at most 60°)']);
    const both = limits('rom.knee.left=60', 'rom.knee.right=70');
    expect(romNotes(heelSlide, both, true)).toHaveLength(1);
    expect(romNotes(heelSlide, both, true)[0]).toMatch(/^only to 60° at the left knee .*; only to 70° at the right knee/);
  });
});

describe('a leg exercise done a side at a time, read leg by leg', () => {
  it('step-ups under partial weight bearing on the left: led by the right leg the left only pushes off (partial), led by the left it takes full weight', () => {
    const wb = limits('weight_bearing.left=partial');
    expect(forbiddenBy(ex('step_up'), wb)).toEqual(['clearance: left leg: partial weight bearing']);
    expect(forbiddenOnSide(ex('step_up'), wb, 'right')).toEqual([]);
    expect(forbiddenOnSide(ex('step_up'), wb, 'left')).toEqual(['clearance: left leg: partial weight bearing (the left leg takes full weight)']);
    // Non-weight-bearing: the left foot may not even steady the client on the step.
    expect(forbiddenOnSide(ex('step_up'), limits('weight_bearing.left=non'), 'right')).toEqual(['clearance: left leg: non weight bearing (the left leg takes part of the weight)']);
  });

  it('a standing hamstring curl is allowed curling the limited leg (the other leg stands) and not the other way round', () => {
    const wb = limits('weight_bearing.left=toe_touch');
    expect(forbiddenOnSide(ex('standing_hamstring_curl'), wb, 'left')).toEqual([]);
    expect(forbiddenOnSide(ex('standing_hamstring_curl'), wb, 'right')[0]).toMatch(/the left leg takes full weight/);
    // A knee range limit reads the curling knee only.
    const rom = limits('rom.knee.left=60');
    expect(forbiddenOnSide(ex('standing_hamstring_curl'), rom, 'right')).toEqual([]);
    expect(forbiddenOnSide(ex('standing_hamstring_curl'), rom, 'left')).toEqual(['clearance: left knee range of motion at most 60° (the left knee needs 90°)']);
  });

  it('the resting leg is read too: a seated knee extension flexes both knees to 90°, so a left knee limit of 60° keeps it off both sides', () => {
    const rom = limits('rom.knee.left=60');
    expect(forbiddenOnSide(ex('seated_knee_extension'), rom, 'right')).toEqual(['clearance: left knee range of motion at most 60° (the left knee needs 90°)']);
    expect(forbiddenOnSide(ex('seated_knee_extension'), rom, 'left')).toHaveLength(1);
    // Single-leg stance lifts the other foot (knee about 30°): a 20° limit on the left keeps the client off the right leg.
    const tight = limits('rom.knee.left=20');
    expect(forbiddenOnSide(ex('single_leg_stance'), tight, 'left')).toEqual([]);
    expect(forbiddenOnSide(ex('single_leg_stance'), tight, 'right')[0]).toMatch(/the left knee needs 30°/);
  });

  it('everything that is not weight bearing or range applies whatever the side', () => {
    const l = combineLimits([parseRestriction('weight_bearing.left=partial')], []);
    l.exercises.set('step_up', 'overlay test');
    expect(forbiddenOnSide(ex('step_up'), l, 'right')).toEqual(['overlay test']);
  });

  it('an exercise without sided tags is read as both legs', () => {
    const untagged = ex('mini_squat');
    expect(untagged.tags.sided).toBeUndefined();
    const wb = limits('weight_bearing.left=partial');
    expect(forbiddenOnSide(untagged, wb, 'right')).toEqual(forbiddenBy(untagged, wb));
  });

  it('the tags may not say a leg needs more than the whole exercise does', () => {
    const bad = exerciseSchema.safeParse({
      id: 'x',
      name: 'X',
      cues: ['c'],
      tags: { joints: ['knee'], pattern: 'step', impact: 'none', legLoad: 'partial', position: 'standing', equipment: ['step'], rom: { knee: 40 }, sided: { working: { legLoad: 'full', rom: { knee: 60 } }, other: { legLoad: 'none', rom: {} } } },
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.message)).toEqual([
      "full is more than the exercise's legLoad (partial); raise tags.legLoad",
      "60° is more than the exercise's rom.knee (40); raise tags.rom.knee",
    ]);
  });
});

describe('generation: the other leg trains as planned', () => {
  it('after a left knee replacement under partial weight bearing, step-ups stay for the right leg and the left takes an easier variant', () => {
    const p = tka('left', 'weight_bearing.left=partial');
    expect(planned(p, 3)).toEqual(expect.arrayContaining(['step_up[right]', 'short_arc_quad[left]', 'single_leg_stance[right]', 'standing_weight_shift[left]', 'standing_hip_abduction[left]', 'side_lying_hip_abduction[right]']));
    const stepUp = p.stages[2]!.exercises.find((x) => x.exerciseId === 'step_up')!;
    expect(stepUp).toMatchObject({ side: 'right', replaces: null });
    expect(p.stages[2]!.exercises.find((x) => x.exerciseId === 'short_arc_quad')).toMatchObject({ side: 'left', replaces: { id: 'step_up' } });
    expect(p.explanations).toContainEqual({
      code: 'one_side',
      text: 'Stage 3: Step up (15-20 cm step) with the right leg only — with the left leg working: clearance: left leg: partial weight bearing (the left leg takes full weight) — Short-arc quads (knee straightening over a roll) for the left leg instead',
    });
    // Exercises that load both legs at once stay held on both.
    expect(planned(p, 3)).not.toContain('wall_squat');
    // The dose names the leg, on screen and in the client's handout.
    expect(describeDose(stepUp.dose, stepUp.side)).toMatch(/^3 × 10 reps, right leg only, RPE/);
    expect(plainDose(stepUp).dose).toMatch(/^3 sets of 10 repetitions, with your right leg only/);
  });

  it('the same on the other side: a right knee replacement keeps the left leg loaded', () => {
    const p = tka('right', 'weight_bearing.right=partial');
    expect(planned(p, 3)).toEqual(expect.arrayContaining(['step_up[left]', 'short_arc_quad[right]']));
  });

  it('without a sided limit nothing is sided, and a limit on both sides sides nothing', () => {
    expect(tka('left').stages.flatMap((s) => s.exercises).filter((x) => x.side)).toEqual([]);
    const both = tka('left', 'weight_bearing.left=partial', 'weight_bearing.right=partial');
    expect(both.stages.flatMap((s) => s.exercises).filter((x) => x.side)).toEqual([]);
    expect(both.explanations.filter((e) => e.code === 'one_side')).toEqual([]);
  });

  it('one exercise id appears once in a stage: a variant already planned is said, not added twice', () => {
    const p = tka('left', 'weight_bearing.left=partial');
    for (const s of p.stages) expect(new Set(s.exercises.map((x) => x.exerciseId)).size).toBe(s.exercises.length);
    expect(p.explanations.map((e) => e.text)).toContain(
      'Stage 3: Side step up with the right leg only — with the left leg working: clearance: left leg: partial weight bearing (the left leg takes full weight) — its safe variant Short-arc quads (knee straightening over a roll) is already in the stage',
    );
  });
});
