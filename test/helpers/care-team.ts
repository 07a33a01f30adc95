/** A client's care-team fields when none is recorded (the GP, surgeon and physiotherapist of migration 0011). */
export const noCareTeam = {
  gpName: null,
  gpContact: null,
  surgeonName: null,
  surgeonContact: null,
  physioName: null,
  physioContact: null,
} as const;
