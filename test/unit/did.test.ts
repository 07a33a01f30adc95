import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { parseDidFlag } from '../../src/domain/progress-input.js';
import { closeMatches } from '../../src/domain/text.js';

describe('--did: what was done of an exercise (issue 16)', () => {
  it.each([
    ['sit_to_stand=3x10', { exerciseId: 'sit_to_stand', sets: 3, reps: 10, completed: true }],
    ['leg_press=3x12@40kg', { exerciseId: 'leg_press', sets: 3, reps: 12, loadKg: 40, completed: true }],
    ['goblet_squat = 2 x 8 @ 12.5 kg'.replace(' = ', '='), { exerciseId: 'goblet_squat', sets: 2, reps: 8, loadKg: 12.5, completed: true }],
    ['walking=20min', { exerciseId: 'walking', sets: 1, seconds: 1200, completed: true }],
    ['lunge=skipped', { exerciseId: 'lunge', completed: false }],
  ])('%s', (text, done) => expect(parseDidFlag(text)).toEqual(done));

  it.each(['squat', 'squat=', 'squat=3x', 'squat=three', 'Squat=3x10', 'squat=3x10@kg', 'squat=1e1x3'])('%s is refused, saying the forms', (text) => {
    expect(() => parseDidFlag(text)).toThrow(ValidationError);
    expect(() => parseDidFlag(text)).toThrow(/EXERCISE=SETSxREPS\[@LOADkg\]/);
  });
});

describe('closeMatches: what an unknown id may have meant', () => {
  const ids = ['sit_to_stand', 'supported_sit_to_stand', 'mini_squat', 'goblet_squat', 'heel_raise', 'walking'];
  it('a typo, a missing letter, a word of the id', () => {
    expect(closeMatches('sit_to_stnd', ids)).toEqual(['sit_to_stand']);
    expect(closeMatches('heel_raises', ids)).toEqual(['heel_raise']);
    expect(closeMatches('squatt', ids)).toEqual(['goblet_squat', 'mini_squat']);
    expect(closeMatches('walk', ids)).toEqual(['walking']);
  });
  it('nothing near: nothing', () => expect(closeMatches('bench_press', ids)).toEqual([]));
});
