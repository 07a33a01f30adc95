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
  it('single-leg stance under partial weight bearing on the left: on the right leg the left foot only touches down, on the left leg it takes full weight', () => {
    const wb = limits('weight_bearing.left=partial');
    expect(forbiddenBy(ex('single_leg_stance'), wb)).toEqual(['clearance: left leg: partial weight bearing']);
    expect(forbiddenOnSide(ex('single_leg_stance'), wb, 'right')).toEqual([]);
    expect(forbiddenOnSide(ex('single_leg_stance'), wb, 'left')).toEqual(['clearance: left leg: partial weight bearing (the left leg takes full weight)']);
    // Non-weight-bearing: the left foot may not even steady the client.
    expect(forbiddenOnSide(ex('single_leg_stance'), limits('weight_bearing.left=non'), 'right')).toEqual(['clearance: left leg: non weight bearing (the left leg touches down)']);
  });

  it('step-ups say nothing of each leg: the trailing leg may step down first and take the weight, so a limit on one side keeps them off both', () => {
    expect(ex('step_up').tags.sided).toBeUndefined();
    const wb = limits('weight_bearing.left=partial');
    expect(forbiddenOnSide(ex('step_up'), wb, 'right')).toEqual(forbiddenBy(ex('step_up'), wb));
  });

  it('side-lying, the bottom leg is lain on: never on a side with a weight-bearing limit, so the limited leg goes on top', () => {
    const wb = limits('weight_bearing.left=partial');
    expect(forbiddenBy(ex('side_lying_hip_abduction'), wb)).toEqual([]);
    expect(forbiddenOnSide(ex('side_lying_hip_abduction'), wb, 'left')).toEqual([]);
    expect(forbiddenOnSide(ex('side_lying_hip_abduction'), wb, 'right')).toEqual(['clearance: left leg: partial weight bearing (lying on the left hip)']);
    expect(forbiddenOnSide(ex('side_lying_hip_abduction'), limits('weight_bearing.left=full'), 'right')).toEqual([]);
  });

  it('a standing hamstring curl is allowed curling the limited leg (the other leg stands) and not the other way round', () => {
    const wb = limits('weight_bearing.left=toe_touch');
    expect(forbiddenOnSide(ex('standing_hamstring_curl'), wb, 'left')).toEqual([]);
    expect(forbiddenOnSide(ex('standing_hamstring_curl'), wb, 'right')[0]).toMatch(/the left leg takes full weight/);
    // The curling foot may touch down between repetitions: non-weight-bearing keeps it off the left too.
    expect(forbiddenOnSide(ex('standing_hamstring_curl'), limits('weight_bearing.left=non'), 'left')).toEqual(['clearance: left leg: non weight bearing (the left leg touches down)']);
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
    l.exercises.set('single_leg_stance', 'overlay test');
    expect(forbiddenOnSide(ex('single_leg_stance'), l, 'right')).toEqual(['overlay test']);
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
  it('after a left knee replacement under partial weight bearing, single-leg work stays for the right leg, the left leg curls and lifts standing on the right', () => {
    const p = tka('left', 'weight_bearing.left=partial');
    expect(planned(p, 3)).toEqual(
      expect.arrayContaining(['single_leg_stance[right]', 'standing_weight_shift', 'step_down[right]', 'weighted_standing_hamstring_curl[left]', 'prone_knee_flexion', 'standing_hip_abduction[left]', 'supine_hip_abduction_slide']),
    );
    const stance = p.stages[2]!.exercises.find((x) => x.exerciseId === 'single_leg_stance')!;
    expect(stance).toMatchObject({ side: 'right', replaces: null });
    expect(stance.notes[0]).toBe(
      'not with the left leg (clearance: left leg: partial weight bearing (the left leg takes full weight)): Standing weight shifts (supported) for the left leg instead',
    );
    // A substitute on both feet is not "left leg only": it stands in for the left leg's work.
    const shift = p.stages[2]!.exercises.find((x) => x.exerciseId === 'standing_weight_shift')!;
    expect(shift).toMatchObject({ replaces: { id: 'single_leg_stance' } });
    expect(shift.side).toBeUndefined();
    expect(shift.notes[0]).toBe('for the left leg; the right leg does Single-leg stance (with support nearby)');
    expect(p.explanations).toContainEqual({
      code: 'one_side',
      text: 'Stage 3: Single-leg stance (with support nearby) with the right leg only — with the left leg working: clearance: left leg: partial weight bearing (the left leg takes full weight) — Standing weight shifts (supported) for the left leg instead',
    });
    // On and off a step: up with the free leg, down with the limited one.
    expect(p.stages[2]!.exercises.find((x) => x.exerciseId === 'step_down')!.notes[0]).toMatch(/onto the step with the right leg first and off it with the left leg, holding the rail$/);
    // Exercises that load both legs at once stay held on both.
    expect(planned(p, 3)).not.toContain('wall_squat');
    expect(planned(p, 3)).not.toContain('step_up');
    // The dose names the leg, on screen and in the client's handout.
    expect(describeDose(stance.dose, stance.side)).toMatch(/^3 × 20 s, right leg only, RPE/);
    expect(plainDose(stance).dose).toMatch(/^3 sets of 20 seconds, with your right leg only/);
  });

  it('side-lying hip abduction done each side under a left weight-bearing limit: the left leg on top only, the right leg lying on its back', () => {
    const p = tka('left', 'weight_bearing.left=partial');
    expect(planned(p, 2)).toEqual(expect.arrayContaining(['side_lying_hip_abduction[left]', 'supine_hip_abduction_slide']));
  });

  it('the same on the other side: a right knee replacement keeps the left leg loaded', () => {
    const p = tka('right', 'weight_bearing.right=partial');
    expect(planned(p, 3)).toEqual(expect.arrayContaining(['single_leg_stance[left]', 'standing_hip_abduction[right]']));
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
      'Stage 3: Forward step down (slow lowering) with the right leg only — with the left leg working: clearance: left leg: partial weight bearing (the left leg takes full weight) — its safe variant Short-arc quads (knee straightening over a roll) is already in the stage',
    );
  });
});
