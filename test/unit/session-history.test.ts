/** Issue 15's rules, each with its source (FACTS §10): decisions that read the vitals and the history. */
import { describe, expect, it } from 'vitest';
import type { ProgressEntry } from '../../src/domain/progress-types.js';
import { decideSession, type SessionContext } from '../../src/domain/session.js';
import { checkSetting, checkUnset, resolveSettings } from '../../src/domain/settings.js';
import { vitalsFindings } from '../../src/domain/vitals-rules.js';

let nextId = 1;
const entry = (date: string, over: Partial<ProgressEntry> = {}): ProgressEntry => ({ id: nextId++, clientId: 1, date, attended: true, vitals: {}, measures: [], symptoms: [], exercises: [], ...over });
const ctx = (over: Partial<SessionContext> = {}): SessionContext => ({ conditions: [], medications: [], settings: resolveSettings({}), ...over });
const betaBlocker = [{ class: 'beta_blocker' as const }];

describe('resting heart rate before a session (FACTS §10)', () => {
  it('holds and refers above 120 bpm at rest, cardiac or not (ACSM GETP 10th contraindication; AACVPR)', () => {
    const cardiac = ctx({ conditions: [{ code: 'coronary_artery_disease' }] });
    const d = decideSession(entry('2026-11-20', { vitals: { restingHr: 128 } }), [], cardiac);
    expect(d).toMatchObject({ today: 'hold', checks: [{ code: 'hr_high', severity: 'refer' }], flags: [{ code: 'hr_high', stop: true }] });
    expect(d.checks[0]!.source).toContain('GETP 10th');
    expect(decideSession(entry('2026-11-20', { vitals: { restingHr: 121 } }), [], ctx()).today).toBe('hold');
    expect(decideSession(entry('2026-11-20', { vitals: { restingHr: 120 } }), [], ctx()).today).toBe('go');
  });

  it('on a beta-blocker: holds below 40, and below 50 with dizziness or unusual fatigue; a low rate without symptoms is expected [U]', () => {
    expect(decideSession(entry('2026-11-20', { vitals: { restingHr: 36 } }), [], ctx({ medications: betaBlocker }))).toMatchObject({ today: 'hold', flags: [{ code: 'hr_low' }] });
    expect(decideSession(entry('2026-11-20', { vitals: { restingHr: 46 } }), [], ctx({ medications: betaBlocker })).today).toBe('go');
    const dizzy = decideSession(entry('2026-11-20', { vitals: { restingHr: 46 }, symptoms: ['unusual_fatigue'] }), [], ctx({ medications: betaBlocker }));
    expect(dizzy.checks.map((c) => c.code)).toContain('hr_low');
    expect(dizzy.today).toBe('hold');
    // Without a rate-limiting drug, 36 bpm is not this rule's (an athlete's resting rate).
    expect(vitalsFindings({ restingHr: 36 }, { conditions: [], medications: [], settings: resolveSettings({}) })).toEqual([]);
  });

  it('the thresholds are settings, checked for range and order', () => {
    const s = resolveSettings({ 'screening.restingHrHold': '110', 'screening.restingHrLow': '45' });
    expect(vitalsFindings({ restingHr: 115 }, { conditions: [], medications: [], settings: s }).map((r) => r.code)).toEqual(['hr_high']);
    expect(vitalsFindings({ restingHr: 44 }, { conditions: [], medications: betaBlocker, settings: s }).map((r) => r.code)).toEqual(['hr_low']);
    expect(() => checkSetting('screening.restingHrHold', '90', {})).toThrow('100–150');
    expect(() => checkSetting('screening.restingHrLow', '50', { 'screening.restingHrLowSymptoms': '45' })).toThrow('must be below screening.restingHrLowSymptoms (45 in force)');
    expect(checkUnset('screening.restingHrLowSymptoms', { 'screening.restingHrLow': '45' })).toBeUndefined();
    expect(checkUnset('screening.restingHrLowSymptoms', { 'screening.restingHrLow': '50' })).toMatch(/would have to be above screening\.restingHrLow/);
  });
});

describe('advice reads the sessions before (FACTS §10; Thomeé 1997, Silbernagel 2007, Fees 1998)', () => {
  const settled = { painBefore: 2, painDuring: 3, painAfter: 3, nextDayPain: 2, soreness: 'none' as const };

  it('no "progress" after a session whose next-morning pain rose above its pain before (5 against 2)', () => {
    const before = entry('2026-11-18', { painBefore: 2, painDuring: 3, painAfter: 4, nextDayPain: 5 });
    const d = decideSession(entry('2026-11-20', settled), [before], ctx());
    expect(d.advice.advice).toBe('repeat');
    expect(d.advice.reasons[0]).toMatchObject({ code: 'previous_next_day', source: expect.stringContaining('Silbernagel') });
    // Settled the session before: this one may progress.
    expect(decideSession(entry('2026-11-20', settled), [entry('2026-11-18', { painBefore: 2, nextDayPain: 2 })], ctx()).advice.advice).toBe('progress');
  });

  it('no "progress" while the session\'s own next-morning response is unknown', () => {
    const d = decideSession(entry('2026-11-20', { ...settled, nextDayPain: undefined }), [], ctx());
    expect(d.advice.advice).toBe('repeat');
    expect(d.advice.reasons[0]!.code).toBe('next_day_pending');
    expect(decideSession(entry('2026-11-20', settled), [], ctx()).advice.advice).toBe('progress');
  });

  it('soreness that continued past the warm-up: the next 2 days are off, and the session after cannot progress', () => {
    const sore = entry('2026-11-18', { painBefore: 1, soreness: 'warmup_continuing' });
    const nextDay = decideSession(entry('2026-11-19', settled), [sore], ctx());
    expect(nextDay.today).toBe('hold');
    expect(nextDay.checks).toMatchObject([{ code: 'soreness_days_off', severity: 'hold', text: expect.stringContaining('no session before 2026-11-21') }]);
    expect(decideSession(entry('2026-11-20', settled), [sore], ctx()).today).toBe('hold');
    const after = decideSession(entry('2026-11-21', settled), [sore], ctx());
    expect(after.today).toBe('go');
    expect(after.advice.advice).toBe('repeat');
    expect(after.advice.reasons[0]).toMatchObject({ code: 'soreness_carry', source: expect.stringContaining('Fees') });
  });

  it('soreness the next day: 1 day off and no advance', () => {
    const sore = entry('2026-11-18', { painBefore: 1, soreness: 'after_next_day' });
    expect(decideSession(entry('2026-11-19', settled), [sore], ctx()).today).toBe('hold');
    expect(decideSession(entry('2026-11-20', settled), [sore], ctx()).advice.advice).toBe('repeat');
  });
});
