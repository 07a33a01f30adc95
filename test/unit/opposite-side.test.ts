/** A sided restriction on the other side from the client's condition (issue 16): a likely slip, asked about or noted. */
import { describe, expect, it } from 'vitest';
import { oppositeSideRestrictions, parseRestrictions } from '../../src/domain/clearance.js';

const label = (c: string) => ({ knee_tka: 'total knee replacement', hip_oa: 'hip osteoarthritis' })[c] ?? c;

describe('oppositeSideRestrictions', () => {
  it('names a weight-bearing or range limit on the side no condition is on', () => {
    const r = parseRestrictions(['weight_bearing.right=partial', 'rom.knee.left=90', 'rom.hip.right=70', 'no_running', 'max_load_kg=5']);
    expect(oppositeSideRestrictions(r, [{ code: 'knee_tka', side: 'left' }], label)).toEqual([
      'weight_bearing.right=partial limits the right side, but the total knee replacement is on the left',
      'rom.hip.right=70 limits the right side, but the total knee replacement is on the left',
    ]);
  });

  it('nothing when a condition is on that side, on both sides, or no condition has a side', () => {
    const r = parseRestrictions(['weight_bearing.right=partial']);
    expect(oppositeSideRestrictions(r, [{ code: 'knee_tka', side: 'left' }, { code: 'hip_oa', side: 'right' }], label)).toEqual([]);
    expect(oppositeSideRestrictions(r, [{ code: 'knee_tka', side: 'both' }], label)).toEqual([]);
    expect(oppositeSideRestrictions(r, [{ code: 'type2_diabetes' }], label)).toEqual([]);
  });
});
