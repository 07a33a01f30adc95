/**
 * Range limits name their side (issue 16): range work done one side at a time
 * (heel slides each side) is limited on the side the clinician named, the
 * other side as planned. Exercises are not otherwise sided: the tags do not
 * say whether the resting limb's posture (sitting, tabletop) also uses the
 * range, so anything a limit forbids stays forbidden on both sides.
 */
import { describe, expect, it } from 'vitest';
import { combineLimits, romNotes } from '../../src/domain/limits.js';
import { loadTemplates } from '../../src/templates/load.js';

const set = loadTemplates();

describe('sided range limits', () => {
  it('range work done one side at a time names the limited side; a limit on both sides is both', () => {
    const heelSlide = set.exercises.get('heel_slide')!;
    expect(heelSlide.tags.rom.knee).toBeGreaterThan(60);
    const left = combineLimits([{ code: 'rom.knee.left', value: 60 }], []);
    expect(romNotes(heelSlide, left, true)).toEqual(['only to 60° at the left knee (clearance: left knee range of motion at most 60°); the right knee as planned']);
    expect(romNotes(heelSlide, left, false)).toEqual(['only to 60° at the knee (clearance: left knee range of motion at most 60°)']);
    const both = combineLimits([{ code: 'rom.knee.left', value: 60 }, { code: 'rom.knee.right', value: 70 }], []);
    expect(romNotes(heelSlide, both, true)).toHaveLength(1);
    expect(romNotes(heelSlide, both, true)[0]).toMatch(/^only to 60° at the left knee .*; only to 70° at the right knee/);
  });
});
