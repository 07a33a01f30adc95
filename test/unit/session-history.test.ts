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
