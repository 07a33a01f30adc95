import type { Restriction } from '../../src/domain/clearance.js';
import type { ScreeningVerdict } from '../../src/domain/screening.js';

/** A screening verdict that lets everything through, with these clearance restrictions: the fixture generation tests build programs on. */
export function okVerdict(restrictions: Restriction[] = []): ScreeningVerdict {
  return {
    ruleVersion: 'screening-1.0.0',
    screenedOn: '2026-11-26',
    intakeDate: '2026-11-20',
    gate: 'ok',
    sessionToday: 'go',
    acsm: { outcome: 'not-necessary', rule: 'acsm-2015', physicallyActive: true, knownDisease: [], symptoms: [], desiredIntensity: 'moderate' },
    parq: { outcome: 'proceed', formVersion: 'x', yes: [] },
    redFlags: [],
    clearance: { needed: false, state: 'valid', covers: false, inForce: null, restrictions },
    startingIntensity: 'moderate-vigorous',
    dosing: 'heart-rate',
    targets: { rpe: null, heartRate: null },
    reasons: [],
  };
}
