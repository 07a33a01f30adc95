/** The blood-pressure settings: each in a sane range, and in order with the others in force (FACTS §3). */
import { describe, expect, it } from 'vitest';
import { checkSetting, checkUnset } from '../../src/domain/settings.js';

describe('BP thresholds (config set)', () => {
  it('each lies between the PAR-Q+ follow-up level (160/90) and where exercise stops (250/115)', () => {
    const range = 'must be systolic 160–250 and diastolic 90–115 mmHg (from the PAR-Q+ follow-up level, 160/90, to where ACSM GETP stops exercise, above 250/115)';
    for (const key of ['screening.bpHold', 'screening.bpHoldCardiac', 'screening.bpRecheck']) {
      expect(() => checkSetting(key, '300/200'), key).toThrow(`${key} ${range}, got "300/200"`);
      expect(() => checkSetting(key, '120/70'), key).toThrow(`${key} ${range}, got "120/70"`);
      expect(() => checkSetting(key, '251/110'), key).toThrow(range);
      expect(() => checkSetting(key, '200/116'), key).toThrow(range);
      expect(() => checkSetting(key, '159/95'), key).toThrow(range);
      expect(() => checkSetting(key, '170/89'), key).toThrow(range);
    }
    expect(checkSetting('screening.bpHold', '250/115')).toBe('250/115');
    expect(checkSetting('screening.bpRecheck', '160/90')).toBe('160/90');
  });

  it('refuses a re-check level at or above the hold level in force, whichever is set first', () => {
    expect(() => checkSetting('screening.bpRecheck', '210/105', {})).toThrow(
      'screening.bpRecheck must be below screening.bpHold (200/110 in force) in both numbers: a re-check level at or above the hold level is never reached, got "210/105"',
    );
    expect(() => checkSetting('screening.bpRecheck', '180/110', {})).toThrow('below screening.bpHold (200/110 in force)');
    expect(checkSetting('screening.bpRecheck', '180/105', {})).toBe('180/105');
    // With a higher hold stored, the same re-check is fine; the hold set below it later is refused.
    expect(checkSetting('screening.bpRecheck', '210/105', { 'screening.bpHold': '230/115' })).toBe('210/105');
    expect(() => checkSetting('screening.bpHold', '200/110', { 'screening.bpRecheck': '210/105' })).toThrow(
      'screening.bpHold must be above screening.bpRecheck (210/105 in force) in both numbers',
    );
  });

  it('refuses a cardiac hold above the general hold in force, whichever is set first', () => {
    expect(() => checkSetting('screening.bpHoldCardiac', '210/110', {})).toThrow(
      'screening.bpHoldCardiac must be at or below screening.bpHold (200/110 in force) in both numbers: cardiac clients are held at the general level or lower (GETP 10th: above 180/110), got "210/110"',
    );
    expect(checkSetting('screening.bpHoldCardiac', '200/110', {})).toBe('200/110');
    expect(() => checkSetting('screening.bpHold', '175/110', {})).toThrow('screening.bpHold must be at or above screening.bpHoldCardiac (180/110 in force) in both numbers');
    expect(checkSetting('screening.bpHold', '175/110', { 'screening.bpHoldCardiac': '170/105' })).toBe('175/110');
  });

  it('going back to a default that breaks the order is refused too', () => {
    expect(checkUnset('screening.bpHold', { 'screening.bpRecheck': '210/105', 'screening.bpHold': '230/115' })).toBe(
      'screening.bpHold back at its default 200/110 would have to be above screening.bpRecheck (210/105 in force) in both numbers: a re-check level at or above the hold level is never reached; change the other setting first',
    );
    expect(checkUnset('screening.bpHold', { 'screening.bpHold': '230/115' })).toBeUndefined();
    expect(checkUnset('screening.diabetesRule', {})).toBeUndefined();
  });
});
