import { describe, expect, it } from 'vitest';
import { checkClearance, clearanceExpiry, clearanceInForce, describeDrift, parseRestriction, parseRestrictions, restrictionsDrift } from '../../src/domain/clearance.js';
import { addMonths } from '../../src/domain/dates.js';

describe('restriction numbers as a person writes them (issue 20)', () => {
  it.each(['max_rpe=1e1', 'max_hr=0x6e', 'max_load_kg=Infinity', 'max_hr=110.'])('%s is refused', (t) => {
    expect(() => parseRestriction(t)).toThrow(/must be/);
  });
});

describe('restriction vocabulary', () => {
  it('parses flags and values', () => {
    expect(parseRestriction('no_impact')).toEqual({ code: 'no_impact' });
    expect(parseRestriction('no-running')).toEqual({ code: 'no_running' });
    expect(parseRestriction('weight_bearing.left=partial')).toEqual({ code: 'weight_bearing.left', value: 'partial' });
    expect(parseRestriction('weight_bearing.right=toe-touch')).toEqual({ code: 'weight_bearing.right', value: 'toe_touch' });
    expect(parseRestriction('max_hr=110')).toEqual({ code: 'max_hr', value: 110 });
    expect(parseRestriction('max_rpe=4.5')).toEqual({ code: 'max_rpe', value: 4.5 });
    expect(parseRestriction('rom.knee.left=90')).toEqual({ code: 'rom.knee.left', value: 90 });
    expect(parseRestriction('max_load_kg=5')).toEqual({ code: 'max_load_kg', value: 5 });
    // Sternal precautions (FACTS §10) and no breath-holding (FACTS §3, §7).
    expect(parseRestriction('no_push_pull')).toEqual({ code: 'no_push_pull' });
    expect(parseRestriction('no-valsalva')).toEqual({ code: 'no_valsalva' });
  });

  it('refuses unknown codes, missing or out-of-range values, and duplicates', () => {
    expect(() => parseRestriction('no_swimming')).toThrow('unknown restriction "no_swimming"');
    expect(() => parseRestriction('no_impact=yes')).toThrow('takes no value');
    expect(() => parseRestriction('max_hr')).toThrow('needs a value');
    expect(() => parseRestriction('max_hr=300')).toThrow('40–220 bpm');
    expect(() => parseRestriction('max_hr=99.5')).toThrow('whole number');
    expect(() => parseRestriction('weight_bearing.left=some')).toThrow('non, toe_touch, partial, as_tolerated, full');
    expect(() => parseRestriction('rom.neck.left=30')).toThrow('unknown restriction');
    expect(() => parseRestrictions(['max_hr=110', 'max_hr=120'])).toThrow('given twice');
  });
});

describe('clearance records', () => {
  const base = { clinician: 'Dr Ana Costa', profession: 'physician', contact: null, issuedOn: '2026-11-01', expiresOn: null, status: 'cleared' as const, restrictions: [], note: null };

  it('checks dates and that the status fits the restrictions', () => {
    expect(checkClearance(base, '2026-11-26').clinician).toBe('Dr Ana Costa');
    expect(() => checkClearance({ ...base, issuedOn: '2026-12-01' }, '2026-11-26')).toThrow('in the future');
    expect(() => checkClearance({ ...base, expiresOn: '2026-11-01' }, '2026-11-26')).toThrow('must be after');
    expect(() => checkClearance({ ...base, status: 'cleared-with-restrictions' }, '2026-11-26')).toThrow('needs at least one --restrict');
    expect(() => checkClearance({ ...base, restrictions: [{ code: 'no_impact' }] }, '2026-11-26')).toThrow('cleared-with-restrictions');
    expect(() => checkClearance({ ...base, clinician: ' ' }, '2026-11-26')).toThrow('clinician is required');
  });

  it('counts from its own expiry, else the validity in months', () => {
    expect(clearanceExpiry({ issuedOn: '2026-01-31', expiresOn: null }, 1)).toBe('2026-02-28');
    expect(clearanceExpiry({ issuedOn: '2026-01-31', expiresOn: '2026-06-30' }, 12)).toBe('2026-06-30');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2026-11-15', 2)).toBe('2027-01-15');
  });

  it('the clearance in force is the latest decision on or before the date, pending ignored', () => {
    const list = [
      { id: 1, issuedOn: '2026-01-01', status: 'cleared' as const },
      { id: 2, issuedOn: '2026-06-01', status: 'not-cleared' as const },
      { id: 3, issuedOn: '2026-07-01', status: 'pending' as const },
    ];
    expect(clearanceInForce(list, '2026-05-31')?.id).toBe(1);
    expect(clearanceInForce(list, '2026-11-26')?.id).toBe(2);
    expect(clearanceInForce(list, '2025-12-31')).toBeUndefined();
  });
});

describe('restrictionsDrift: a new clearance the program was not built with (issue 16)', () => {
  it('names what the clearance in force adds and drops, by value too, and nothing when they agree', () => {
    const built = [{ code: 'no_impact' }, { code: 'max_load_kg', value: 10 }];
    expect(restrictionsDrift(built, [{ code: 'max_load_kg', value: 10 }, { code: 'no_impact' }])).toBeNull();
    const d = restrictionsDrift(built, [{ code: 'no_running' }, { code: 'max_load_kg', value: 5 }])!;
    expect(d).toEqual({ added: [{ code: 'no_running' }, { code: 'max_load_kg', value: 5 }], removed: [{ code: 'no_impact' }, { code: 'max_load_kg', value: 10 }] });
    expect(describeDrift(d)).toBe(
      'the clearance in force differs from the one the program was built with (it adds no running, external load at most 5 kg; it drops no impact, external load at most 10 kg): regenerate to apply ("bridgefit program generate")',
    );
  });
});
