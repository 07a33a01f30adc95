/**
 * Medical clearance: who cleared the client, until when, and with which
 * restrictions, from a documented vocabulary the program generator can act on.
 */
import { addMonths } from './dates.js';
import { ValidationError } from './errors.js';
import { checkPlainText, parseDecimal } from './text.js';

export const CLEARANCE_STATUSES = ['cleared', 'cleared-with-restrictions', 'not-cleared', 'pending'] as const;
export type ClearanceStatus = (typeof CLEARANCE_STATUSES)[number];

export const WEIGHT_BEARING = ['non', 'toe_touch', 'partial', 'as_tolerated', 'full'] as const;
export type WeightBearing = (typeof WEIGHT_BEARING)[number];

export const ROM_JOINTS = ['knee', 'hip', 'shoulder', 'ankle', 'elbow', 'wrist'] as const;
export const LEGS = ['left', 'right'] as const;

type ValueKind =
  | { kind: 'flag' }
  | { kind: 'number'; min: number; max: number; unit: string; integer: boolean }
  | { kind: 'choice'; values: readonly string[] };

interface RestrictionRule {
  /** The code, or its pattern for documentation. */
  pattern: RegExp;
  example: string;
  meaning: string;
  value: ValueKind;
}

/** The restriction vocabulary (also in the README). */
export const RESTRICTION_RULES: readonly RestrictionRule[] = [
  { pattern: /^no_running$/, example: 'no_running', meaning: 'no running or jogging', value: { kind: 'flag' } },
  { pattern: /^no_impact$/, example: 'no_impact', meaning: 'no jumping, hopping, running or other impact', value: { kind: 'flag' } },
  { pattern: /^no_overhead_loading$/, example: 'no_overhead_loading', meaning: 'no load lifted or held above shoulder height', value: { kind: 'flag' } },
  { pattern: /^no_loaded_spinal_flexion$/, example: 'no_loaded_spinal_flexion', meaning: 'no forward bending or twisting of the spine under load', value: { kind: 'flag' } },
  { pattern: /^supervised_only$/, example: 'supervised_only', meaning: 'every session supervised', value: { kind: 'flag' } },
  // Sternal precautions after a sternotomy (FACTS §10; AACVPR; Adams et al. 2016).
  { pattern: /^no_push_pull$/, example: 'no_push_pull', meaning: 'no pushing or pulling with the arms (presses, rows, push-ups, planks; sternal precautions)', value: { kind: 'flag' } },
  // No breath-holding against effort in hypertension, heart disease, retinopathy (FACTS §3, §7; Pescatello 2004).
  { pattern: /^no_valsalva$/, example: 'no_valsalva', meaning: 'no breath-holding (Valsalva): breathe out on effort, no heavy sustained holds or grips', value: { kind: 'flag' } },
  {
    pattern: /^weight_bearing\.(left|right)$/,
    example: 'weight_bearing.left=partial',
    meaning: 'weight bearing allowed on that leg',
    value: { kind: 'choice', values: WEIGHT_BEARING },
  },
  { pattern: /^max_hr$/, example: 'max_hr=110', meaning: 'heart-rate ceiling, beats per minute', value: { kind: 'number', min: 40, max: 220, unit: 'bpm', integer: true } },
  { pattern: /^max_rpe$/, example: 'max_rpe=4', meaning: 'effort ceiling on the CR10 scale (0–10)', value: { kind: 'number', min: 1, max: 10, unit: 'CR10', integer: false } },
  { pattern: /^max_load_kg$/, example: 'max_load_kg=5', meaning: 'heaviest external load, kilograms', value: { kind: 'number', min: 0, max: 500, unit: 'kg', integer: false } },
  {
    pattern: new RegExp(`^rom\\.(${ROM_JOINTS.join('|')})\\.(left|right)$`),
    example: 'rom.knee.left=90',
    meaning: `range-of-motion limit in degrees (flexion or elevation) for a joint (${ROM_JOINTS.join(', ')}) and side`,
    value: { kind: 'number', min: 0, max: 180, unit: '°', integer: true },
  },
];

export interface Restriction {
  code: string;
  value?: string | number;
}

/** "CODE" or "CODE=VALUE" (as given to --restrict) → a checked restriction. */
export function parseRestriction(text: string): Restriction {
  const [rawCode, ...rest] = text.split('=');
  const code = (rawCode ?? '').trim().toLowerCase().replace(/-/g, '_');
  const rawValue = rest.length > 0 ? rest.join('=').trim() : undefined;
  const rule = RESTRICTION_RULES.find((r) => r.pattern.test(code));
  if (!rule) {
    throw new ValidationError(
      'restrict',
      `unknown restriction "${rawCode}"; known: no_running, no_impact, no_overhead_loading, no_loaded_spinal_flexion, supervised_only, no_push_pull, no_valsalva, weight_bearing.left|right, max_hr, max_rpe, max_load_kg, rom.<${ROM_JOINTS.join('|')}>.<left|right>`,
    );
  }
  const v = rule.value;
  if (v.kind === 'flag') {
    if (rawValue !== undefined) throw new ValidationError('restrict', `${code} takes no value`);
    return { code };
  }
  if (rawValue === undefined || rawValue === '') throw new ValidationError('restrict', `${code} needs a value, e.g. ${rule.example}`);
  if (v.kind === 'choice') {
    const value = rawValue.toLowerCase().replace(/[- ]/g, '_');
    if (!v.values.includes(value)) throw new ValidationError('restrict', `${code} must be one of ${v.values.join(', ')}, got "${rawValue}"`);
    return { code, value };
  }
  // As a person writes it: "1e1", "0x10" or "Infinity" are not numbers here (parseDecimal).
  const n = parseDecimal(rawValue) ?? NaN;
  if (!Number.isFinite(n) || n < v.min || n > v.max || (v.integer && !Number.isInteger(n))) {
    throw new ValidationError('restrict', `${code} must be ${v.integer ? 'a whole number ' : ''}${v.min}–${v.max} ${v.unit}, got "${rawValue}"`);
  }
  return { code, value: n === 0 ? 0 : n }; // "-0" is stored as 0
}

/** Check a list of restrictions: each known, none given twice. */
export function parseRestrictions(texts: readonly string[]): Restriction[] {
  const out: Restriction[] = [];
  for (const t of texts) {
    const r = parseRestriction(t);
    if (out.some((o) => o.code === r.code)) throw new ValidationError('restrict', `${r.code} is given twice`);
    out.push(r);
  }
  return out;
}

export function formatRestriction(r: Restriction): string {
  return r.value === undefined ? r.code : `${r.code}=${r.value}`;
}

/** A restriction in words, for people (screen output, reports). */
export function describeRestriction(r: Restriction): string {
  const [head, joint, side] = r.code.split('.');
  switch (head) {
    case 'no_running':
      return 'no running';
    case 'no_impact':
      return 'no impact';
    case 'no_overhead_loading':
      return 'no overhead loading';
    case 'no_loaded_spinal_flexion':
      return 'no loaded spinal flexion';
    case 'supervised_only':
      return 'supervised sessions only';
    case 'no_push_pull':
      return 'no pushing or pulling with the arms';
    case 'no_valsalva':
      return 'no breath-holding (Valsalva)';
    case 'weight_bearing':
      return `${joint} leg: ${String(r.value).replace(/_/g, '-')} weight bearing`;
    case 'max_hr':
      return `heart rate at most ${r.value} bpm`;
    case 'max_rpe':
      return `effort at most ${r.value}/10 (CR10)`;
    case 'max_load_kg':
      return `external load at most ${r.value} kg`;
    case 'rom':
      return `${side} ${joint} range of motion at most ${r.value}°`;
    default:
      return formatRestriction(r);
  }
}

/** What a clinician decided, as the trainer records it. */
export interface ClearanceFields {
  clinician: string;
  profession: string;
  contact: string | null;
  /** The day the clinician cleared (or declined to clear). */
  issuedOn: string;
  /** Expiry or review date; without one, the configured validity applies. */
  expiresOn: string | null;
  status: ClearanceStatus;
  restrictions: Restriction[];
  note: string | null;
}

/** A stored clearance decision. */
export interface Clearance extends ClearanceFields {
  id: number;
  clientId: number;
  recordedAt: string;
}

/** Cross-field rules for a new clearance record. */
export function checkClearance(f: ClearanceFields, today: string): ClearanceFields {
  const clinician = f.clinician.normalize('NFC').trim();
  const profession = f.profession.normalize('NFC').trim();
  if (!clinician) throw new ValidationError('clinician', 'the clinician is required');
  if (!profession) throw new ValidationError('profession', "the clinician's profession is required");
  checkPlainText('clinician', clinician, 'line', "the clinician's name");
  checkPlainText('profession', profession, 'line', 'the profession');
  checkPlainText('contact', f.contact, 'line', 'the contact');
  checkPlainText('note', f.note, 'note', 'the note');
  if (f.issuedOn > today) throw new ValidationError('date', `the clearance date ${f.issuedOn} is in the future`);
  if (f.expiresOn !== null && f.expiresOn <= f.issuedOn) {
    throw new ValidationError('expires', `the expiry ${f.expiresOn} must be after the clearance date ${f.issuedOn}`);
  }
  if (f.status === 'cleared-with-restrictions' && f.restrictions.length === 0 && !f.note) {
    throw new ValidationError('restrict', 'cleared-with-restrictions needs at least one --restrict (or a --note saying what they are)');
  }
  if (f.status !== 'cleared-with-restrictions' && f.restrictions.length > 0) {
    throw new ValidationError('status', `restrictions were given, so the status is cleared-with-restrictions, not ${f.status}`);
  }
  const note = f.note?.normalize('NFC').trim() || null;
  const contact = f.contact?.normalize('NFC').trim() || null;
  return { ...f, clinician, profession, contact, note };
}

/** The last day a clearance counts: its own expiry, else `validityMonths` after it was issued. */
export function clearanceExpiry(c: Pick<Clearance, 'issuedOn' | 'expiresOn'>, validityMonths: number): string {
  return c.expiresOn ?? addMonths(c.issuedOn, validityMonths);
}

export type ClearanceState = 'valid' | 'expired' | 'not-cleared' | 'pending';

/** How a clearance stands on `today`. An expired clearance is shown as expired everywhere. */
export function clearanceState(c: Pick<Clearance, 'issuedOn' | 'expiresOn' | 'status'>, today: string, validityMonths: number): ClearanceState {
  if (c.status === 'pending') return 'pending';
  if (c.status === 'not-cleared') return 'not-cleared';
  return today > clearanceExpiry(c, validityMonths) ? 'expired' : 'valid';
}

/**
 * The clearance in force: the latest decision (cleared, with restrictions, or
 * not cleared) issued on or before `date`. A pending request changes nothing
 * until the clinician answers.
 */
export function clearanceInForce<T extends Pick<Clearance, 'id' | 'issuedOn' | 'status'>>(clearances: readonly T[], date: string): T | undefined {
  return clearances
    .filter((c) => c.status !== 'pending' && c.issuedOn <= date)
    .sort((a, b) => (a.issuedOn === b.issuedOn ? a.id - b.id : a.issuedOn < b.issuedOn ? -1 : 1))
    .at(-1);
}

/**
 * What the clearance in force restricts that the active program was not built
 * with, or no longer restricts (issue 16: a new clearance must not be applied
 * silently nor silently ignored). Restrictions compare as written
 * (`max_load_kg=5` and `max_load_kg=10` differ). Null when they agree.
 */
export function restrictionsDrift(builtWith: readonly Restriction[], inForce: readonly Restriction[]): { added: Restriction[]; removed: Restriction[] } | null {
  const key = (r: Restriction) => formatRestriction(r);
  const had = new Set(builtWith.map(key));
  const has = new Set(inForce.map(key));
  const added = inForce.filter((r) => !had.has(key(r)));
  const removed = builtWith.filter((r) => !has.has(key(r)));
  return added.length || removed.length ? { added, removed } : null;
}

/** The drift in words: "the clearance in force differs from the one the program was built with (it adds no running; …): regenerate to apply". */
export function describeDrift(d: { added: Restriction[]; removed: Restriction[] }): string {
  const parts = [d.added.length ? `it adds ${d.added.map(describeRestriction).join(', ')}` : '', d.removed.length ? `it drops ${d.removed.map(describeRestriction).join(', ')}` : ''].filter(Boolean);
  return `the clearance in force differs from the one the program was built with (${parts.join('; ')}): regenerate to apply ("bridgefit program generate")`;
}

/**
 * Sided restrictions (weight_bearing.left, rom.knee.right) that name neither
 * side the client's sided conditions are on: a left knee replacement with a
 * limit on the right knee is more often a slip than the clinician's meaning
 * (issue 16). Each is a sentence; none when the client has no sided condition
 * or one is recorded for both sides.
 */
export function oppositeSideRestrictions(
  restrictions: readonly Restriction[],
  conditions: readonly { code: string; side?: 'left' | 'right' | 'both' }[],
  labelOf: (code: string) => string,
): string[] {
  const sided = conditions.filter((c) => c.side !== undefined);
  if (sided.length === 0 || sided.some((c) => c.side === 'both')) return [];
  const sides = new Set(sided.map((c) => c.side));
  const out: string[] = [];
  for (const r of restrictions) {
    const side = /^(?:weight_bearing|rom\.[a-z_]+)\.(left|right)$/.exec(r.code)?.[1] as 'left' | 'right' | undefined;
    if (!side || sides.has(side)) continue;
    const where = sided.map((c) => `the ${labelOf(c.code)} is on the ${c.side}`).join(', ');
    out.push(`${formatRestriction(r)} limits the ${side} side, but ${where}`);
  }
  return out;
}
