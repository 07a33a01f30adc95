/**
 * Several conditions, one program (issue 16): the surgical template leads,
 * then the cardiac one (FACTS §10 healing-time gates; §7 AACVPR caps); the
 * others' exercises join each stage, one per movement pattern, at most
 * MERGED_PER_STAGE, and the lead's exit criteria stay.
 */
import { describe, expect, it } from 'vitest';
import { MERGED_PER_STAGE, leadFirst, mergeTemplates } from '../../src/domain/program-merge.js';
import type { Exercise, ProgramTemplate } from '../../src/domain/template-schema.js';

const ex = (id: string, pattern: string): Exercise =>
  ({ id, name: id.replace(/_/g, ' '), cues: ['c'], tags: { joints: [], pattern, impact: 'none', legLoad: 'full', position: 'standing', equipment: ['none'] }, easier: null, harder: null }) as unknown as Exercise;
const library = new Map(
  [ex('walk', 'gait'), ex('bike', 'cardio'), ex('squat', 'squat'), ex('sit_stand', 'squat'), ex('bridge', 'bridge'), ex('step', 'step'), ex('balance', 'balance'), ex('calf', 'calf'), ex('plank', 'core'), ex('row', 'pull')].map((e) => [e.id, e]),
);
const dose = { sets: 1, reps: 10, perSide: false, rpe: [2, 4] as [number, number], restSeconds: 30 };
function template(id: string, fits: string[], stages: string[][], outcomes: ProgramTemplate['outcomes'] = []): ProgramTemplate {
  return {
    id, kind: 'program', name: id.toUpperCase(), version: '1.0.0', description: 'd', sources: [`${id} source`], fits: fits as never, outcomes,
    stages: stages.map((names, i) => ({
      name: `${id} ${i + 1}`, goals: ['g'], weeks: [1, 2], sessionsPerWeek: 2, precautions: [`${id} care`],
      exercises: names.map((exercise) => ({ exercise, dose })), exitCriteria: [{ measure: 'signoff', by: 'trainer' }],
    })),
  } as unknown as ProgramTemplate;
}

describe('leadFirst', () => {
  it('a surgical program leads, then cardiac, then the rest in the order they fit', () => {
    const oa = template('oa', ['knee_oa'], [['walk'], ['walk']]);
    const cardiac = template('cardiac', ['coronary_artery_disease', 'sternotomy'], [['walk'], ['walk']]);
    const tka = template('tka', ['knee_tka'], [['walk'], ['walk']]);
    expect(leadFirst([oa, cardiac]).map((t) => t.id)).toEqual(['cardiac', 'oa']);
    expect(leadFirst([oa, cardiac, tka]).map((t) => t.id)).toEqual(['tka', 'cardiac', 'oa']);
    expect(leadFirst([oa, template('back', ['low_back_pain'], [['walk'], ['walk']])]).map((t) => t.id)).toEqual(['oa', 'back']);
  });
});

describe('mergeTemplates', () => {
  const cardiac = template('cardiac', ['coronary_artery_disease'], [['walk', 'bike', 'sit_stand'], ['walk', 'bike'], ['walk', 'row'], ['walk']], [{ measure: 'six_minute_walk_m', everyWeeks: 6, source: 'ATS' }]);
  const oa = template('oa', ['knee_oa', 'hip_oa'], [['squat', 'bridge', 'step', 'balance', 'calf', 'plank'], ['squat', 'walk']], [{ measure: 'lefs', everyWeeks: 4, source: 'Binkley' }]);

  it('keeps the lead\'s stages and criteria; each stage takes the other\'s stage at the same point of its course', () => {
    const { template: m, from, notes } = mergeTemplates([oa, cardiac], library);
    expect(m.id).toBe('cardiac');
    expect(m.name).toBe('CARDIAC, with OA');
    expect(from).toEqual([{ id: 'oa', version: '1.0.0', name: 'OA' }]);
    expect(m.stages).toHaveLength(4);
    expect(m.stages.map((s) => s.exitCriteria)).toEqual(cardiac.stages.map((s) => s.exitCriteria));
    // Stage 1 (of 4) ↔ oa stage 1 (of 2): squat is a pattern sit_stand already has; then at most 4.
    expect(m.stages[0]!.exercises.map((x) => x.exercise)).toEqual(['walk', 'bike', 'sit_stand', 'bridge', 'step', 'balance', 'calf']);
    expect(MERGED_PER_STAGE).toBe(4);
    expect(m.stages[0]!.exercises[3]!.note).toBe('From OA, stage 1');
    // Stage 3 of 4 ↔ oa stage 2 of 2; walk is there already.
    expect(m.stages[2]!.exercises.map((x) => x.exercise)).toEqual(['walk', 'row', 'squat']);
    expect(notes[2]).toBe('Stage 3: from OA (oa) stage 2: squat');
    expect(notes[1]).toBe('Stage 2: from OA (oa) stage 1: squat, bridge, step, balance');
  });

  it('joins fits, sources, precautions and outcome scores (one per measure)', () => {
    const { template: m } = mergeTemplates([cardiac, oa], library);
    expect(m.fits).toEqual(['coronary_artery_disease', 'knee_oa', 'hip_oa']);
    expect(m.sources).toEqual(['cardiac source', 'oa source']);
    expect(m.stages[0]!.precautions).toEqual(['cardiac care', 'oa care']);
    expect(m.outcomes.map((o) => o.measure)).toEqual(['six_minute_walk_m', 'lefs']);
    expect(mergeTemplates([cardiac, oa, template('x', ['falls_risk'], [['balance'], ['balance']], [{ measure: 'lefs', everyWeeks: 8, source: 'other' }])], library).template.outcomes).toHaveLength(2);
  });
});
