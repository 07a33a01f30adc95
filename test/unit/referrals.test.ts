import { describe, expect, it } from 'vitest';
import type { DatedReferral } from '../../src/domain/referral.js';
import { alreadyReferred } from '../../src/domain/referrals.js';

const r = (over: Partial<DatedReferral>): DatedReferral => ({ id: 1, code: 'chest_pain', reason: 'Red flag: chest pain', raisedOn: '2026-11-10', status: 'open', resolvedOn: null, entryId: 7, ...over });
const at = (date: string, entryId: number | null = 9) => ({ date, entryId });

describe('alreadyReferred: a finding is referred once', () => {
  it('is covered by a referral on the same finding that is open now, whenever it was raised', () => {
    expect(alreadyReferred('chest_pain', at('2026-11-20'), [r({})])).toBe(true);
    expect(alreadyReferred('chest_pain', at('2026-11-01'), [r({})])).toBe(true);
  });

  it('is not covered by a referral on another finding', () => {
    expect(alreadyReferred('dizziness_syncope', at('2026-11-20'), [r({})])).toBe(false);
  });

  it('is covered by one that was open on its day and resolved after it (an older session caught up from paper)', () => {
    expect(alreadyReferred('chest_pain', at('2026-11-15'), [r({ status: 'resolved', resolvedOn: '2026-11-18' })])).toBe(true);
  });

  it('is new once the referral was resolved on or before its day: the clinician cleared it, this is found again', () => {
    expect(alreadyReferred('chest_pain', at('2026-11-18'), [r({ status: 'resolved', resolvedOn: '2026-11-18' })])).toBe(false);
    expect(alreadyReferred('chest_pain', at('2026-11-25'), [r({ status: 'resolved', resolvedOn: '2026-11-18' })])).toBe(false);
  });

  it('is covered by one the same session raised, even resolved since (an amended session decided again)', () => {
    expect(alreadyReferred('chest_pain', at('2026-11-10', 7), [r({ status: 'resolved', resolvedOn: '2026-11-10' })])).toBe(true);
    // An intake's own finding (no entry) is never matched by entry.
    expect(alreadyReferred('chest_pain', at('2026-11-10', null), [r({ entryId: null, status: 'resolved', resolvedOn: '2026-11-10' })])).toBe(false);
  });

  it('is covered by one raised on a later day: a clinician has seen the client for it since', () => {
    expect(alreadyReferred('chest_pain', at('2026-11-01'), [r({ status: 'resolved', resolvedOn: '2026-11-12' })])).toBe(true);
  });
});
