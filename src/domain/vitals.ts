/** Vital signs as typed, and their checked, normalised form. */
import { ValidationError } from './errors.js';

export interface BloodPressure {
  systolic: number;
  diastolic: number;
}

export type GlucoseUnit = 'mmol/L' | 'mg/dL';
export interface Glucose {
  value: number;
  unit: GlucoseUnit;
}

/** 1 mmol/L of glucose = 18 mg/dL (FACTS §3). */
export const MG_DL_PER_MMOL_L = 18;

export function glucoseMmol(g: Glucose): number {
  return g.unit === 'mmol/L' ? g.value : g.value / MG_DL_PER_MMOL_L;
}

export const RANGES = {
  restingHr: { min: 25, max: 220, unit: 'bpm' },
  /** Oxygen saturation by pulse oximetry, percent (FACTS §10). */
  spo2: { min: 50, max: 100, unit: '%' },
  systolic: { min: 60, max: 300, unit: 'mmHg' },
  diastolic: { min: 30, max: 200, unit: 'mmHg' },
  'mmol/L': { min: 0.5, max: 50, unit: 'mmol/L' },
  'mg/dL': { min: 9, max: 900, unit: 'mg/dL' },
} as const;

/** "150/95" → { systolic: 150, diastolic: 95 }. */
export function parseBloodPressure(text: string, field = 'bp'): BloodPressure {
  const m = /^\s*(\d{2,3})\s*\/\s*(\d{2,3})\s*(mmHg)?\s*$/i.exec(text);
  if (!m) throw new ValidationError(field, `blood pressure must look like 120/80, got "${text}"`);
  return checkBloodPressure({ systolic: Number(m[1]), diastolic: Number(m[2]) }, field);
}

export function checkBloodPressure(bp: BloodPressure, field = 'bp'): BloodPressure {
  for (const part of ['systolic', 'diastolic'] as const) {
    const r = RANGES[part];
    if (!(bp[part] >= r.min && bp[part] <= r.max)) {
      throw new ValidationError(field, `${part} pressure must be ${r.min}–${r.max} ${r.unit}, got ${bp[part]}`);
    }
  }
  if (bp.systolic <= bp.diastolic) throw new ValidationError(field, `systolic (${bp.systolic}) must be higher than diastolic (${bp.diastolic})`);
  return bp;
}

const BARE_NUMBER = /^\s*(\d+(?:[.,]\d+)?)\s*$/;

/**
 * "5.4 mmol/L", "5.4mmol/l", "97 mg/dL" → Glucose. A number alone (5.4, 97) is
 * read in `unit`, the clinic's units.glucose setting; with no setting it is
 * refused: 5.4 and 97 are both plausible, and mg/dL read as mmol/L (or the
 * reverse) is 18 times off, a missed hypo or a needless hold (FACTS §3).
 */
export function parseGlucose(text: string, field = 'glucose', unit?: GlucoseUnit): Glucose {
  const bare = BARE_NUMBER.exec(text);
  if (bare) {
    if (!unit) throw new ValidationError(field, `glucose needs its unit, like 5.4mmol/L or 97mg/dL: a number alone could be either (or "bridgefit config set units.glucose mmol/L" reads numbers alone in that unit), got "${text.trim()}"`);
    const value = Number(bare[1]!.replace(',', '.'));
    try {
      return checkGlucose({ value, unit }, field);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const other = unit === 'mmol/L' ? 'mg/dL' : 'mmol/L';
      throw new ValidationError(field, `${err.message} (a number alone is read in ${unit}, the units.glucose setting; if it is in ${other}, give the unit: ${value}${other})`);
    }
  }
  const m = /^\s*(\d+(?:[.,]\d+)?)\s*(mmol\/l|mg\/dl)\s*$/i.exec(text);
  if (!m) throw new ValidationError(field, `glucose must be a number and a unit, like 5.4mmol/L or 97mg/dL, got "${text}"`);
  const u: GlucoseUnit = m[2]!.toLowerCase() === 'mmol/l' ? 'mmol/L' : 'mg/dL';
  return checkGlucose({ value: Number(m[1]!.replace(',', '.')), unit: u }, field);
}

/**
 * A glucose as given, with the setting's unit put after a number alone
 * ("6.2" → "6.2 mmol/L"), so what is stored says its unit; anything else as
 * it was. Without a unit the number stays alone, and the check refuses it.
 */
export function withGlucoseUnit(value: unknown, unit: GlucoseUnit | undefined): unknown {
  if (!unit) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return `${value} ${unit}`;
  return typeof value === 'string' && BARE_NUMBER.test(value) ? `${value.trim()} ${unit}` : value;
}

export function checkGlucose(g: Glucose, field = 'glucose'): Glucose {
  const r = RANGES[g.unit];
  if (!(g.value >= r.min && g.value <= r.max)) throw new ValidationError(field, `glucose must be ${r.min}–${r.max} ${r.unit}, got ${g.value}`);
  return g;
}

export function formatBloodPressure(bp: BloodPressure): string {
  return `${bp.systolic}/${bp.diastolic} mmHg`;
}

export function formatGlucose(g: Glucose): string {
  const other = g.unit === 'mmol/L' ? `${Math.round(g.value * MG_DL_PER_MMOL_L)} mg/dL` : `${(g.value / MG_DL_PER_MMOL_L).toFixed(1)} mmol/L`;
  return `${g.value} ${g.unit} (${other})`;
}
