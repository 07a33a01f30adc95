import { describe, expect, it } from 'vitest';
import type { DatedReferral } from '../../src/domain/referral.js';
import { alreadyReferred, referralFor } from '../../src/domain/referrals.js';

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

describe('referralFor: the care team on the record takes what is theirs', () => {
  const gp = { name: 'Dr A. Shah', contact: '020 7946 0000' };
  const surgeon = { name: 'Mr B. Okafor', contact: 'ortho@hospital.example' };
  const physio = { name: 'C. Lund', contact: null };
  const team = { gp, surgeon, physio };
  const physioClearance = { clinician: 'Dana Physio', profession: 'physiotherapist', contact: null };

  it('sends medical red flags and vital signs to the GP, not to the physiotherapist of the clearance', () => {
    expect(referralFor('bp_hold', physioClearance, team)).toBe('Dr A. Shah (GP), 020 7946 0000');
    expect(referralFor('palpitations', physioClearance, team)).toBe('Dr A. Shah (GP), 020 7946 0000, today; emergency services if severe or not settling');
  });

  it('calls emergency services first for chest pain and possible stroke, then the GP, and tells the clearance clinician', () => {
    expect(referralFor('chest_pain', physioClearance, team)).toMatch(/^emergency services now \(chest pain .*\); then Dr A\. Shah \(GP\), 020 7946 0000; and tell Dana Physio \(physiotherapist\)$/);
    expect(referralFor('neuro_signs', null, team)).toMatch(/^emergency services now \(possible stroke.*\); then Dr A\. Shah \(GP\), 020 7946 0000$/);
  });

  it('sends a stiff knee after replacement to the surgeon, telling the physiotherapist; an effusion to the physiotherapist, telling the surgeon', () => {
    expect(referralFor('tka_flexion_below_80', physioClearance, team)).toBe('Mr B. Okafor (surgeon), ortho@hospital.example; and tell C. Lund (physiotherapist)');
    expect(referralFor('effusion_2plus', physioClearance, team)).toBe('C. Lund (physiotherapist); and tell Mr B. Okafor (surgeon), ortho@hospital.example');
    expect(referralFor('next_day_pain_rise', null, { physio })).toBe('C. Lund (physiotherapist)');
    expect(referralFor('effusion_2plus', null, { surgeon })).toBe('Mr B. Okafor (surgeon), ortho@hospital.example');
  });

  it('sends a hot swollen joint with fever to the surgeon (possible infection), telling the GP; a possible DVT to the GP today, telling the surgeon', () => {
    expect(referralFor('fever_joint_swelling', null, team)).toBe('Mr B. Okafor (surgeon), ortho@hospital.example; and tell Dr A. Shah (GP), 020 7946 0000');
    expect(referralFor('calf_pain_swelling', null, team)).toBe('Dr A. Shah (GP), 020 7946 0000, today; emergency services if severe or not settling; and tell Mr B. Okafor (surgeon), ortho@hospital.example');
    expect(referralFor('fever_joint_swelling', null, { gp })).toBe('Dr A. Shah (GP), 020 7946 0000');
  });

  it('names the role when only a contact is on record', () => {
    expect(referralFor('bp_hold', null, { gp: { name: null, contact: '020 7946 0000' } })).toBe("the client's GP, 020 7946 0000");
  });

  it('keeps the old answer when the record names no one', () => {
    for (const code of ['bp_hold', 'effusion_2plus', 'tka_flexion_below_80', 'fever_joint_swelling', 'fall_review']) {
      expect(referralFor(code, physioClearance, {})).toBe(referralFor(code, physioClearance));
    }
    expect(referralFor('effusion_2plus', physioClearance)).toBe('Dana Physio (physiotherapist)');
    expect(referralFor('bp_hold', physioClearance)).toBe("the client's physician");
    expect(referralFor('effusion_2plus', null)).toBe("the client's physician");
    // A doctor's clearance still takes medical flags when no GP is on record.
    expect(referralFor('bp_hold', { clinician: 'Dr K. Osei', profession: 'cardiologist', contact: null }, { physio })).toBe('Dr K. Osei (cardiologist)');
  });

  it('sends pregnancy warning signs to the midwife or obstetrician whoever is on record', () => {
    expect(referralFor('vaginal_bleeding', null, team)).toMatch(/^the client's midwife or obstetrician, today/);
  });
});
