import { describe, expect, it } from 'vitest';
import { painTrendFromHalves } from '../../src/domain/outcomes.js';
import { redFlags, sessionAdvice } from '../../src/domain/progress-rules.js';
import type { ProgressEntry } from '../../src/domain/progress-types.js';
import { decideSession, heldAsNotTrained, stopsTraining, type SessionContext } from '../../src/domain/session.js';
import { isMedicalDoctor, referralFor } from '../../src/domain/referrals.js';
import { resolveSettings } from '../../src/domain/settings.js';
import { nextAction, summaryRow, type ClientFigures } from '../../src/domain/summary.js';

let nextId = 1;
const entry = (date: string, over: Partial<ProgressEntry> = {}): ProgressEntry => ({
  id: nextId++,
  clientId: 1,
  date,
  attended: true,
  vitals: {},
  measures: [],
  symptoms: [],
  exercises: [],
  ...over,
});
const ctx = (over: Partial<SessionContext> = {}): SessionContext => ({ conditions: [], medications: [], settings: resolveSettings({}), ...over });

describe('a session decision (FACTS §1, §3, §4)', () => {
  it('holds before the session on a hold-level BP (180/110 for a cardiac client) and refers', () => {
    const cardiac = ctx({ conditions: [{ code: 'coronary_artery_disease' }] });
    const d = decideSession(entry('2026-11-20', { vitals: { bp: { systolic: 182, diastolic: 90 } } }), [], cardiac);
    expect(d).toMatchObject({ today: 'hold', flags: [{ code: 'bp_hold', stop: true }] });
    expect(decideSession(entry('2026-11-20', { vitals: { bp: { systolic: 182, diastolic: 90 } } }), [], ctx()).today).toBe('go');
  });

  it('holds when the client is unwell, after a severe hypo, or with glucose below 4.0', () => {
    expect(decideSession(entry('2026-11-20', { vitals: { unwell: true } }), [], ctx()).today).toBe('hold');
    expect(decideSession(entry('2026-11-20', { vitals: { severeHypoLast24h: true } }), [], ctx()).today).toBe('hold');
    expect(decideSession(entry('2026-11-20', { vitals: { glucose: { value: 3.8, unit: 'mmol/L' } } }), [], ctx()).today).toBe('hold');
    expect(decideSession(entry('2026-11-20', { vitals: { glucose: { value: 16, unit: 'mmol/L' }, ketones: false, weakOrTired: true } }), [], ctx()).today).toBe('hold');
  });

  it('a second reading in the same session governs, and both are said (FACTS §3: measure again; refer if it stays there)', () => {
    const bp = (first: [number, number], second?: [number, number]) =>
      decideSession(entry('2026-11-20', { vitals: { bp: { systolic: first[0], diastolic: first[1] }, ...(second ? { bpRecheck: { systolic: second[0], diastolic: second[1] } } : {}) } }), [], ctx());
    // 168/102 reaches the re-check level: measure again.
    expect(bp([168, 102]).checks.map((c) => c.code)).toEqual(['bp_recheck']);
    const settled = bp([168, 102], [138, 86]);
    expect(settled.checks.map((c) => c.code)).toEqual(['bp_rechecked']);
    expect(settled.checks[0]!.text).toBe('Resting blood pressure measured again: 168/102 mmHg, then 138/86 mmHg; decided on the second reading');
    expect(settled.flags).toEqual([]);
    // Still there after rest: refer, and hold progression (the session may go ahead below the hold level).
    const stays = bp([168, 102], [164, 100]);
    expect(stays.today).toBe('go');
    expect(stays.flags).toEqual([expect.objectContaining({ code: 'bp_repeated_high', stop: false, text: expect.stringContaining('two readings today (168/102 mmHg, then 164/100 mmHg after rest)') })]);
    expect(stays.advice.advice).not.toBe('progress');
    // A hold-level first reading measured again below it: decided on the second.
    expect(bp([204, 112], [150, 92]).today).toBe('go');
    expect(bp([204, 112], [201, 108]).today).toBe('hold');
  });

  it('a glucose below 4.0 re-checked after 15 g of carbohydrate decides on the second reading (Turner 2019; FACTS §3)', () => {
    const low = { glucose: { value: 3.6, unit: 'mmol/L' as const } };
    expect(decideSession(entry('2026-11-20', { vitals: low }), [], ctx()).today).toBe('hold');
    const again = decideSession(entry('2026-11-20', { vitals: { ...low, glucoseRecheck: { value: 5.2, unit: 'mmol/L' } } }), [], ctx());
    expect(again.today).toBe('go');
    expect(again.checks.map((c) => c.code)).toEqual(['glucose_rechecked']);
    expect(decideSession(entry('2026-11-20', { vitals: { ...low, glucoseRecheck: { value: 3.9, unit: 'mmol/L' } } }), [], ctx()).today).toBe('hold');
  });

  it('an ACSM sign or symptom at a session stops it and asks for clearance', () => {
    for (const s of ['ankle_oedema', 'claudication', 'unusual_fatigue', 'orthopnoea', 'heart_murmur'] as const) {
      const d = decideSession(entry('2026-11-20', { symptoms: [s] }), [], ctx());
      expect(d.today, s).toBe('hold');
      expect(d.flags[0]).toMatchObject({ code: `symptom_${s}`, stop: true });
    }
  });

  it('a finding after the session refers and holds progression, without calling the session held', () => {
    const d = decideSession(entry('2026-11-20', { measures: [{ code: 'effusion_grade', side: 'left', value: 3 }] }), [], ctx());
    expect(d).toMatchObject({ today: 'go', flags: [{ code: 'effusion_2plus', stop: false }], advice: { advice: 'reduce' } });
  });

  it('holds every later session while a referral for a red flag or a new sign or symptom is open (stop and refer, FACTS §1, §3)', () => {
    const fine = entry('2026-11-20', { painBefore: 1, painDuring: 2, painAfter: 2, soreness: 'none' });
    const chest = { id: 2, code: 'chest_pain', reason: 'Red flag: chest pain', raisedOn: '2026-11-13' };
    const d = decideSession(fine, [], ctx({ openReferrals: [chest] }));
    expect(d.today).toBe('hold');
    expect(d.checks).toEqual([expect.objectContaining({ code: 'stop_referral_open', severity: 'hold', text: expect.stringMatching(/^Referral 2 of 2026-11-13 is still open \(Red flag: chest pain\): no session until a clinician has assessed/) })]);
    expect(heldAsNotTrained(fine, d)).toMatchObject({ attended: false, missedReason: expect.stringMatching(/^held: Referral 2 of 2026-11-13/) });
    // An ACSM sign (stop and seek clearance) holds as well; a finding after a session, or blood pressure, does not.
    expect(decideSession(fine, [], ctx({ openReferrals: [{ ...chest, code: 'symptom_ankle_oedema' }] })).today).toBe('hold');
    for (const code of ['effusion_2plus', 'next_day_pain_rise', 'tka_flexion_below_80', 'bp_hold', 'bp_repeated_high']) {
      expect(decideSession(fine, [], ctx({ openReferrals: [{ ...chest, code }] })).today, code).toBe('go');
    }
    // The referral's own day: that session raised it and was decided then.
    expect(decideSession(entry('2026-11-13', { painBefore: 1 }), [], ctx({ openReferrals: [{ ...chest, entryId: 7 }] })).today).toBe('go');
    // Raised by an intake that day: a session the same day is held.
    expect(decideSession(entry('2026-11-13', { painBefore: 1 }), [], ctx({ openReferrals: [{ ...chest, entryId: null }] })).today).toBe('hold');
    // A missed session is recorded as it was.
    expect(decideSession(entry('2026-11-20', { attended: false, missedReason: 'ill' }), [], ctx({ openReferrals: [chest] })).checks).toEqual([]);
  });

  it('tells which referrals stop training: red-flag symptoms and new ACSM signs or symptoms', () => {
    expect(['chest_pain', 'calf_pain_swelling', 'night_pain', 'symptom_claudication', 'symptom_ankle_oedema'].every(stopsTraining)).toBe(true);
    expect(['claudication', 'effusion_2plus', 'bp_hold', 'toString', 'symptom_toString', ''].some(stopsTraining)).toBe(false);
  });

  it('never advises progress without a program in force that day', () => {
    const fine = entry('2026-11-20', { painBefore: 1, painDuring: 2, painAfter: 2, nextDayPain: 1, soreness: 'none' });
    const d = decideSession(fine, [], ctx({ noProgram: true }));
    expect(d.advice.advice).toBe('repeat');
    expect(d.advice.reasons[0]!.code).toBe('no_program');
  });

  it('sends medical red flags to a doctor, the acute ones today, and the rest to the clearing clinician', () => {
    const surgeon = { clinician: 'Mr P. Shah', profession: 'orthopaedic surgeon', contact: null };
    const gp = { clinician: 'Dr A. Lee', profession: 'GP', contact: '020 7946 0000' };
    expect(referralFor('palpitations', surgeon)).toBe("the client's physician, today; emergency services if severe or not settling");
    expect(referralFor('palpitations', gp)).toBe('Dr A. Lee (GP), 020 7946 0000, today; emergency services if severe or not settling');
    // Chest pain at rest and possible stroke: emergency services first (FACTS §10: AHA; AHA/ASA BE FAST), then the doctor, and the clearing clinician is told.
    expect(referralFor('chest_pain', surgeon)).toBe(`emergency services now (chest pain at rest or not settling within minutes of stopping may be a heart attack); then the client's physician; and tell Mr P. Shah (orthopaedic surgeon)`);
    expect(referralFor('chest_pain', gp)).toBe(`emergency services now (chest pain at rest or not settling within minutes of stopping may be a heart attack); then Dr A. Lee (GP), 020 7946 0000`);
    expect(referralFor('neuro_signs', null)).toMatch(/^emergency services now \(possible stroke: .*\); then the client's physician$/);
    expect(referralFor('hr_high', surgeon)).toBe("the client's physician");
    expect(referralFor('bp_hold', surgeon)).toBe("the client's physician");
    expect(referralFor('symptom_claudication', { ...gp, profession: 'cardiologist' })).toBe('Dr A. Lee (cardiologist), 020 7946 0000');
    expect(referralFor('night_pain', null)).toBe("the client's physician");
    expect(referralFor('tka_flexion_below_80', surgeon)).toBe('Mr P. Shah (orthopaedic surgeon)');
    expect(referralFor('effusion_2plus', null)).toBe("the client's physician");
    // Doctors who take medical red flags, as trainers write them; not a surgeon or a non-medical "doctor".
    for (const p of ['GP', 'physician', 'General Practitioner', 'cardiologist', 'family doctor', 'MD, internal medicine', 'Doctor']) expect(isMedicalDoctor(p), p).toBe(true);
    for (const p of ['orthopaedic surgeon', 'physiotherapist', 'Doctor of Physical Therapy', 'chiropractor (Doctor of Chiropractic)', 'naturopathic doctor', 'medical exercise specialist', 'non-medical exercise physiologist', 'MDT physio']) expect(isMedicalDoctor(p), p).toBe(false);
  });

  it('never advises progress while a referral is open, or within a week of the last progression', () => {
    const fine = entry('2026-11-20', { painBefore: 1, painDuring: 2, painAfter: 2, nextDayPain: 1, soreness: 'none' });
    expect(decideSession(fine, [], ctx()).advice.advice).toBe('progress');
    const open = decideSession(fine, [], ctx({ openReferrals: [{ id: 4, code: 'effusion_2plus', reason: 'Knee effusion 2+', raisedOn: '2026-11-18' }] })).advice;
    expect(open.advice).toBe('repeat');
    expect(open.reasons[0]!.code).toBe('referral_open');
    expect(decideSession(fine, [], ctx({ lastProgressOn: '2026-11-15' })).advice.reasons[0]!.code).toBe('progressed_recently');
    expect(decideSession(fine, [], ctx({ lastProgressOn: '2026-11-13' })).advice.advice).toBe('progress');
  });

  it('a repeated high reading (160/100 twice in a row) refers', () => {
    const before = entry('2026-11-18', { vitals: { bp: { systolic: 164, diastolic: 92 } } });
    const d = decideSession(entry('2026-11-20', { vitals: { bp: { systolic: 162, diastolic: 101 } } }), [before], ctx());
    expect(d.flags.map((f) => f.code)).toContain('bp_repeated_high');
  });

  it('a held session is kept as not trained, with the reason', () => {
    const e = entry('2026-11-20', { vitals: { bp: { systolic: 210, diastolic: 100 } }, exercises: [{ exerciseId: 'x', completed: true }] });
    const kept = heldAsNotTrained(e, decideSession(e, [], ctx()));
    expect(kept).toMatchObject({ attended: false, exercises: [], missedReason: expect.stringMatching(/^held: Resting blood pressure 210\/100/) });
  });
});

describe('progress rules the review asked for', () => {
  it('high next-morning pain reduces even without a pain-before on record', () => {
    const a = sessionAdvice(entry('2026-11-20', { painDuring: 4, painAfter: 5, nextDayPain: 8 }), []);
    expect(a.advice).toBe('reduce');
  });

  it('a pain flare counts only recent sessions, and not those before an earlier referral was resolved', () => {
    const old = entry('2026-10-01', { painBefore: 1, nextDayPain: 4 });
    const now = entry('2026-11-20', { painBefore: 1, nextDayPain: 4 });
    expect(redFlags(now, [old], { conditions: [] })).toEqual([]);
    const recent = entry('2026-11-12', { painBefore: 1, nextDayPain: 4 });
    expect(redFlags(now, [recent], { conditions: [] }).map((f) => f.code)).toEqual(['next_day_pain_rise']);
    expect(redFlags(now, [recent], { conditions: [], riseCountsFrom: '2026-11-15' })).toEqual([]);
  });

  it('effusion 1+ again is compared with the last session that graded the same knee', () => {
    const graded = entry('2026-11-10', { measures: [{ code: 'effusion_grade', side: 'right', value: 2 }] });
    const ungraded = entry('2026-11-14', { painDuring: 2 });
    const a = sessionAdvice(entry('2026-11-18', { measures: [{ code: 'effusion_grade', side: 'right', value: 2 }] }), [graded, ungraded]);
    expect(a.advice).toBe('repeat');
  });

  it('flags knee flexion below 100° from about 7 weeks after a knee replacement', () => {
    const tka = { conditions: [{ code: 'knee_tka', side: 'left', date: '2026-09-01' }] };
    const at = (date: string, value: number) => redFlags(entry(date, { measures: [{ code: 'knee_flexion', side: 'left', value }] }), [], tka).map((f) => f.code);
    expect(at('2026-10-20', 99)).toEqual(['tka_flexion_below_100']);
    expect(at('2026-10-20', 100)).toEqual([]);
    expect(at('2026-10-13', 95)).toEqual([]); // 6 weeks
  });
});

describe('summary rows', () => {
  const figures = (over: Partial<ClientFigures> = {}): ClientFigures => ({
    clientId: 1,
    name: 'Zoë Moreau',
    status: 'active',
    program: { stage: 2, stageName: 'Strength', sessionsPerWeek: 3, startDate: '2026-10-01', stageStartedOn: '2026-10-20' },
    attended: 10,
    lastSession: '2026-11-25',
    pain: { earlier: { mean: 4, n: 5 }, later: { mean: 2.5, n: 5 } },
    outcomes: [{ code: 'lefs', baseline: 31, latest: 40 }],
    openReferrals: { count: 0, first: null },
    screeningRefers: false,
    clearanceNeeded: false,
    latestDecision: null,
    ...over,
  });

  it('works out planned sessions, adherence, the pain trend and outcomes', () => {
    const r = summaryRow(figures(), { from: '2026-10-30', to: '2026-11-26' });
    expect(r).toMatchObject({ sessionsPlanned: 12, sessionsAttended: 10, adherence: 0.83, painTrend: 'improving', flagged: false });
    expect(r.outcomes).toEqual([{ code: 'lefs', baseline: 31, latest: 40, change: 9, improved: true, mcidReached: true }]);
  });

  it('the trend needs two sessions in each half and a change of a point', () => {
    expect(painTrendFromHalves({ mean: 4, n: 1 }, { mean: 1, n: 5 })).toBe('unknown');
    expect(painTrendFromHalves({ mean: 3, n: 2 }, { mean: 3.9, n: 2 })).toBe('stable');
    expect(painTrendFromHalves({ mean: 3, n: 2 }, { mean: 4, n: 2 })).toBe('worsening');
  });

  it('flags and names the most urgent next action', () => {
    // A screening that refers is flagged like an open referral (ACSM 2015: no exercise until assessed).
    const refers = summaryRow(figures({ screeningRefers: true }), { from: '2026-10-30', to: '2026-11-26' });
    expect(refers.flagged).toBe(true);
    expect(refers.nextAction).toBe('the screening refers to a clinician: no exercise until they have assessed');
    const referral = summaryRow(figures({ openReferrals: { count: 2, first: 'Red flag: chest pain' } }), { from: '2026-10-30', to: '2026-11-26' });
    expect(referral).toMatchObject({ flagged: true, nextAction: 'follow up the open referral: Red flag: chest pain' });
    const slipping = summaryRow(figures({ attended: 4 }), { from: '2026-10-30', to: '2026-11-26' });
    expect(slipping).toMatchObject({ flagged: true, nextAction: 'sessions are being missed: contact the client' });
    expect(nextAction(figures({ program: null }), null, 'unknown')).toBe('no program yet: screen and generate one');
    // A screening that needs medical clearance, none on file since: flagged, and the clearance is the next thing (FACTS §1).
    const waiting = summaryRow(figures({ program: null, attended: 0, lastSession: null, clearanceNeeded: true }), { from: '2026-10-30', to: '2026-11-26' });
    expect(waiting).toMatchObject({ flagged: true, nextAction: 'the screening needs medical clearance: no program or session until it is on file' });
  });
});
