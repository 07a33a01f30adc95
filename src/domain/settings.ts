/**
 * Settings a clinic may change. The [U] items of FACTS.md (unconfirmed in a
 * source) are settings with labelled defaults, so a clinician can change them.
 */
import { ValidationError } from './errors.js';
import type { GlucoseUnit } from './vitals.js';

export const HR_MAX_FORMULAS = {
  // FACTS §5 [U coefficients]
  tanaka: { label: 'Tanaka 208 − 0.7 × age', estimate: (age: number) => 208 - 0.7 * age },
  fox: { label: '220 − age', estimate: (age: number) => 220 - age },
  gellish: { label: 'Gellish 207 − 0.7 × age', estimate: (age: number) => 207 - 0.7 * age },
} as const;
export type HrMaxFormula = keyof typeof HR_MAX_FORMULAS;

export interface BpThreshold {
  systolic: number;
  diastolic: number;
}

export interface Settings {
  /** ACSM 2015 (default) or the ADA 2016 alternative for diabetes (FACTS §1). */
  'screening.diabetesRule': 'acsm' | 'ada';
  /** How long a clearance without an expiry date counts [U]: 12 months (FACTS §1). */
  'screening.clearanceValidityMonths': number;
  /** How HRmax is estimated for heart-rate targets [U] (FACTS §5). */
  'screening.hrMaxFormula': HrMaxFormula;
  /** Resting BP at which no session starts, and the client is referred [U policy] (FACTS §3). */
  'screening.bpHold': BpThreshold;
  /** The same for cardiac clients [U policy; GETP 10th: >180/110] (FACTS §3). */
  'screening.bpHoldCardiac': BpThreshold;
  /** Resting BP that asks for a re-measure, and a referral if it stays [U policy] (FACTS §3). */
  'screening.bpRecheck': BpThreshold;
  /** How long an intake (PAR-Q+ answers) counts before it should be repeated [U] (FACTS §2). */
  'screening.intakeValidityMonths': number;
  /** Resting heart rate above which no session starts (ACSM GETP 10th: resting tachycardia >120 bpm; AACVPR) (FACTS §10). */
  'screening.restingHrHold': number;
  /** On a beta-blocker or other rate-limiting drug: resting heart rate below which no session starts [U] (FACTS §10). */
  'screening.restingHrLow': number;
  /** The same, with dizziness, breathlessness or unusual fatigue [U] (FACTS §10). */
  'screening.restingHrLowSymptoms': number;
  /** Resting SpO₂ (%) below which no session starts and the client is referred (ACSM GETP; GOLD 2024: keep ≥88%) (FACTS §10). */
  'screening.spo2Hold': number;
  /** The unit of a glucose typed as a number alone; 'none': refused, the unit must be typed (FACTS §3: both units in use). */
  'units.glucose': 'none' | GlucoseUnit;
  /** Load increase within a stage, percent [low, high] [U; ACSM 2009: 2–10%] (domain/load-progression.ts). */
  'progression.loadIncreasePercent': readonly [number, number];
  /** Sessions in a row at the top of the prescribed reps before the load goes up [U; ACSM 2009: two]. */
  'progression.loadSessionsAtTop': number;
  /** The load step, kg, for an exercise whose template names none [U]. */
  'progression.loadStepKg': number;
}
export type SettingKey = keyof Settings;

interface SettingSpec {
  default: string;
  help: string;
  parse: (text: string) => unknown;
}

const choice = (values: readonly string[]) => (text: string) => {
  if (!values.includes(text)) throw new Error(`must be one of ${values.join(', ')}`);
  return text;
};

const months = (max: number) => (text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`must be a whole number of months, 1–${max}`);
  return n;
};

/**
 * The range of every resting-BP setting (FACTS §3): at least 160/90, where the
 * PAR-Q+ first asks for follow-up (a hold or re-check below it would stop or
 * refer clients the screening clears), and at most 250/115, above which ACSM
 * GETP stops exercise even during a session (a resting level above it would
 * let a session start that must stop at once).
 */
export const BP_SETTING_RANGE = { systolic: { min: 160, max: 250 }, diastolic: { min: 90, max: 115 } } as const;
const BP_RANGE_TEXT = `systolic ${BP_SETTING_RANGE.systolic.min}–${BP_SETTING_RANGE.systolic.max} and diastolic ${BP_SETTING_RANGE.diastolic.min}–${BP_SETTING_RANGE.diastolic.max} mmHg (from the PAR-Q+ follow-up level, 160/90, to where ACSM GETP stops exercise, above 250/115)`;

const bp = (text: string): BpThreshold => {
  const m = /^(\d{2,3})\/(\d{2,3})$/.exec(text);
  if (!m) throw new Error('must be systolic/diastolic, like 200/110');
  // Swapped numbers would hold (or never hold) every session.
  if (Number(m[1]) <= Number(m[2])) throw new Error('must be systolic/diastolic with the systolic higher, like 200/110');
  const value = { systolic: Number(m[1]), diastolic: Number(m[2]) };
  const r = BP_SETTING_RANGE;
  if (value.systolic < r.systolic.min || value.systolic > r.systolic.max || value.diastolic < r.diastolic.min || value.diastolic > r.diastolic.max) throw new Error(`must be ${BP_RANGE_TEXT}`);
  return value;
};

const BP_KEYS = ['screening.bpHold', 'screening.bpHoldCardiac', 'screening.bpRecheck'] as const;
type BpKey = (typeof BP_KEYS)[number];
const fmt = (b: BpThreshold) => `${b.systolic}/${b.diastolic}`;

/**
 * The BP settings against each other, `key` at `value` and the others as in
 * force (stored, else default): the re-check level below the general hold in
 * both numbers (at or above it, the hold always comes first and no re-check
 * is ever asked), and the cardiac hold not above the general hold (cardiac
 * clients are held at the same level or lower; GETP 10th: above 180/110;
 * FACTS §3). Whichever is set first, the one set later is checked. Returns
 * the problem, or undefined. A stored value that no longer parses is skipped
 * (resolveSettings names it).
 */
function bpOrderProblem(key: BpKey, value: BpThreshold, stored: Partial<Record<string, string>>): string | undefined {
  const inForce = (k: BpKey): BpThreshold | undefined => {
    if (k === key) return value;
    try {
      return bp(stored[k] ?? SETTINGS[k].default);
    } catch {
      return undefined;
    }
  };
  const hold = inForce('screening.bpHold');
  const cardiac = inForce('screening.bpHoldCardiac');
  const recheck = inForce('screening.bpRecheck');
  const by = (k: BpKey) => (k === key ? '' : ` (${fmt(inForce(k)!)} in force)`);
  if (hold && recheck && (recheck.systolic >= hold.systolic || recheck.diastolic >= hold.diastolic)) {
    const which = key === 'screening.bpRecheck' ? `below screening.bpHold${by('screening.bpHold')}` : `above screening.bpRecheck${by('screening.bpRecheck')}`;
    return `must be ${which} in both numbers: a re-check level at or above the hold level is never reached`;
  }
  if (hold && cardiac && (cardiac.systolic > hold.systolic || cardiac.diastolic > hold.diastolic)) {
    const which = key === 'screening.bpHoldCardiac' ? `at or below screening.bpHold${by('screening.bpHold')}` : `at or above screening.bpHoldCardiac${by('screening.bpHoldCardiac')}`;
    return `must be ${which} in both numbers: cardiac clients are held at the general level or lower (GETP 10th: above 180/110)`;
  }
  return undefined;
}

const bpm = (min: number, max: number) => (text: string) => {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new Error(`must be a whole number of beats per minute, ${min}–${max}`);
  return n;
};

const percent = (min: number, max: number) => (text: string) => {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new Error(`must be a whole percentage, ${min}–${max}`);
  return n;
};

const percentRange = (text: string): readonly [number, number] => {
  const m = /^(\d+(?:\.\d+)?)(?:\s*[-–]\s*(\d+(?:\.\d+)?))?$/.exec(text);
  if (!m) throw new Error('must be a percentage or a range of them, like 5-10');
  const lo = Number(m[1]);
  const hi = Number(m[2] ?? m[1]);
  if (lo < 1 || hi > 20 || lo > hi) throw new Error('must be low-high percent within 1–20, low not above high, like 5-10');
  return [lo, hi];
};

export const SETTINGS: Record<SettingKey, SettingSpec> = {
  'screening.diabetesRule': {
    default: 'acsm',
    help: 'acsm: ACSM 2015 for everyone; ada: ADA 2016 — sedentary clients with diabetes and no symptoms need no clearance for light to moderate activity',
    parse: choice(['acsm', 'ada']),
  },
  'screening.clearanceValidityMonths': {
    default: '12',
    help: 'months a clearance without its own expiry date counts [unconfirmed default]',
    parse: months(60),
  },
  'screening.intakeValidityMonths': {
    default: '12',
    help: 'months an intake counts before it should be repeated (PAR-Q+ validity) [unconfirmed default]',
    parse: months(60),
  },
  'screening.bpHold': {
    default: '200/110',
    help: 'resting blood pressure (systolic or diastolic reached) at which no session starts and the client is referred; 160–250/90–115, above bpRecheck [unconfirmed policy]',
    parse: bp,
  },
  'screening.bpHoldCardiac': {
    default: '180/110',
    help: 'the same for cardiac clients; 160–250/90–115, not above bpHold [unconfirmed policy; GETP 10th: above 180/110]',
    parse: bp,
  },
  'screening.bpRecheck': {
    default: '160/100',
    help: 'resting blood pressure that asks for a re-measure, and a referral if it stays; 160–250/90–115, below bpHold [unconfirmed policy]',
    parse: bp,
  },
  'screening.restingHrHold': {
    default: '120',
    help: 'resting heart rate (bpm) above which no session starts and the client is referred; 100–150 [ACSM GETP 10th: above 120]',
    parse: bpm(100, 150),
  },
  'screening.restingHrLow': {
    default: '40',
    help: 'on a beta-blocker or rate-limiting drug: resting heart rate (bpm) below which no session starts and the prescriber is asked; 30–50, below restingHrLowSymptoms [unconfirmed default]',
    parse: bpm(30, 50),
  },
  'screening.restingHrLowSymptoms': {
    default: '50',
    help: 'the same with dizziness, breathlessness or unusual fatigue; 40–60 [unconfirmed default]',
    parse: bpm(40, 60),
  },
  'screening.spo2Hold': {
    default: '88',
    help: 'resting oxygen saturation (SpO2, %) below which no session starts and the client is referred; 85–92 [GOLD 2024, ACSM GETP: keep 88% or more]',
    parse: percent(85, 92),
  },
  'units.glucose': {
    default: 'none',
    help: 'the unit of a blood glucose typed as a number alone (intake, progress add --glucose 6.2, prompts, CSV): mmol/L or mg/dL; none: the unit must be typed (1 mmol/L = 18 mg/dL)',
    parse: (text: string) => {
      const unit = ({ none: 'none', 'mmol/l': 'mmol/L', 'mg/dl': 'mg/dL' } as Record<string, string>)[text.toLowerCase()];
      if (!unit) throw new Error('must be one of mmol/L, mg/dL, none');
      return unit;
    },
  },
  'screening.hrMaxFormula': {
    default: 'tanaka',
    help: `maximum heart-rate estimate for heart-rate targets: ${Object.entries(HR_MAX_FORMULAS).map(([k, v]) => `${k} (${v.label})`).join(', ')} [unconfirmed coefficients]`,
    parse: choice(Object.keys(HR_MAX_FORMULAS)),
  },
  'progression.loadIncreasePercent': {
    default: '5-10',
    help: 'load increase within a stage, percent of the working load (low-high; rounded to the exercise\'s load step, at least one step), after loadSessionsAtTop sessions at the top of the prescribed reps with pain acceptable; a template may set its own [unconfirmed default; ACSM 2009: 2–10%]',
    parse: percentRange,
  },
  'progression.loadSessionsAtTop': {
    default: '2',
    help: 'sessions in a row at the top of the prescribed reps, pain acceptable, before the load goes up; 1–6 [unconfirmed default; ACSM 2009: two consecutive sessions]',
    parse: (text: string) => {
      const n = Number(text);
      if (!/^\d+$/.test(text) || n < 1 || n > 6) throw new Error('must be a whole number of sessions, 1–6');
      return n;
    },
  },
  'progression.loadStepKg': {
    default: '1',
    help: 'the load step, kg, for an exercise whose template names none (loads go up and down by whole steps); 0.25–10 [unconfirmed default]',
    parse: (text: string) => {
      const n = parseFloat(text);
      if (!/^\d+(\.\d+)?$/.test(text) || n < 0.25 || n > 10) throw new Error('must be kilograms, 0.25–10, like 0.5 or 2.5');
      return n;
    },
  },
};

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** The load progression defaults in force (domain/load-progression.ts). */
export function loadDefaultsOf(settings: Pick<Settings, 'progression.loadIncreasePercent' | 'progression.loadSessionsAtTop' | 'progression.loadStepKg'>): { stepKg: number; increasePercent: readonly [number, number]; sessionsAtTop: number } {
  return { stepKg: settings['progression.loadStepKg'], increasePercent: settings['progression.loadIncreasePercent'], sessionsAtTop: settings['progression.loadSessionsAtTop'] };
}

/** The unit a glucose typed alone is read in, from the settings in force; undefined when none decides. */
export function glucoseUnitOf(settings: Pick<Settings, 'units.glucose'>): GlucoseUnit | undefined {
  const u = settings['units.glucose'];
  return u === 'none' ? undefined : u;
}

export function isSettingKey(key: string): key is SettingKey {
  return key in SETTINGS;
}

/**
 * Who the trainer is, printed in every report's header and signature block.
 * Kept apart from the rule settings: changing a name must not look like a
 * change of screening rules.
 */
export const TRAINER_FIELDS = {
  'trainer.name': 'your name as it appears on reports, e.g. "Sam Rivera"',
  'trainer.credentials': 'qualifications after your name, e.g. "ACSM-CEP, BSc Exercise Science"',
  'trainer.organisation': 'practice or gym, e.g. "Northside Medical Fitness"',
  'trainer.contact': 'how a clinician reaches you, e.g. "sam@example.org · +44 20 7946 0000"',
} as const;
export type TrainerKey = keyof typeof TRAINER_FIELDS;
export const TRAINER_KEYS = Object.keys(TRAINER_FIELDS) as TrainerKey[];
export type TrainerProfile = Record<TrainerKey, string>;

/** Every key `config` knows: the rule settings, then the trainer's details. */
export const CONFIG_KEYS: readonly string[] = [...SETTING_KEYS, ...TRAINER_KEYS];

export function isConfigKey(key: string): key is SettingKey | TrainerKey {
  return key in SETTINGS || key in TRAINER_FIELDS;
}

/** The default text of a key ('' for a trainer detail not given). */
export function configDefault(key: SettingKey | TrainerKey): string {
  return isSettingKey(key) ? SETTINGS[key].default : '';
}

export function configHelp(key: SettingKey | TrainerKey): string {
  return isSettingKey(key) ? SETTINGS[key].help : TRAINER_FIELDS[key];
}

const TRAINER_MAX = 200;

/**
 * Check one value as typed; returns the text to store. With `stored` (the
 * settings in force, as stored), a BP threshold is also checked against the
 * other two (bpOrderProblem).
 */
export function checkSetting(key: string, text: string, stored?: Partial<Record<string, string>>): string {
  if (!isConfigKey(key)) throw new ValidationError('key', `unknown setting "${key}"; known: ${CONFIG_KEYS.join(', ')}`);
  const value = text.normalize('NFC').trim();
  if (!isSettingKey(key)) {
    // Printed on every page a clinician reads: one line of text, not a document.
    if (value === '') throw new ValidationError('value', `${key} is empty; "bridgefit config unset ${key}" removes it`);
    if (/[\u0000-\u001f\u007f]/.test(value)) throw new ValidationError('value', `${key} must be one line of text without control characters`);
    if (value.length > TRAINER_MAX) throw new ValidationError('value', `${key} is ${value.length} characters; at most ${TRAINER_MAX}`);
    return value;
  }
  let parsed: unknown;
  try {
    parsed = SETTINGS[key].parse(value);
  } catch (err) {
    throw new ValidationError('value', `${key} ${(err as Error).message}, got "${text}"`);
  }
  if (stored && (BP_KEYS as readonly string[]).includes(key)) {
    const problem = bpOrderProblem(key as BpKey, parsed as BpThreshold, stored);
    if (problem) throw new ValidationError('value', `${key} ${problem}, got "${text}"`);
  }
  if (stored && (LOW_HR_KEYS as readonly string[]).includes(key)) {
    const problem = lowHrOrderProblem(key as LowHrKey, parsed as number, stored);
    if (problem) throw new ValidationError('value', `${key} ${problem}, got "${text}"`);
  }
  return value;
}

const LOW_HR_KEYS = ['screening.restingHrLow', 'screening.restingHrLowSymptoms'] as const;
type LowHrKey = (typeof LOW_HR_KEYS)[number];

/** The low resting-HR level without symptoms must stay below the one with symptoms (FACTS §10: <40, or <50 with symptoms). */
function lowHrOrderProblem(key: LowHrKey, value: number, stored: Partial<Record<string, string>>): string | undefined {
  const inForce = (k: LowHrKey) => (k === key ? value : Number(stored[k] ?? SETTINGS[k].default));
  const low = inForce('screening.restingHrLow');
  const withSymptoms = inForce('screening.restingHrLowSymptoms');
  if (low < withSymptoms) return undefined;
  return key === 'screening.restingHrLow'
    ? `must be below screening.restingHrLowSymptoms (${withSymptoms} in force): a client with symptoms is held at the higher rate`
    : `must be above screening.restingHrLow (${low} in force): a client with symptoms is held at the higher rate`;
}

/**
 * Whether going back to `key`'s default (config unset) keeps the BP settings
 * in order with the others in force; the problem, or undefined.
 */
export function checkUnset(key: string, stored: Partial<Record<string, string>>): string | undefined {
  if ((LOW_HR_KEYS as readonly string[]).includes(key)) {
    const k = key as LowHrKey;
    const problem = lowHrOrderProblem(k, Number(SETTINGS[k].default), stored);
    return problem && `${key} back at its default ${SETTINGS[k].default} ${problem.replace(/^must be/, 'would have to be')}; change the other setting first`;
  }
  if (!(BP_KEYS as readonly string[]).includes(key)) return undefined;
  const k = key as BpKey;
  const problem = bpOrderProblem(k, bp(SETTINGS[k].default), stored);
  return problem && `${key} back at its default ${SETTINGS[k].default} ${problem.replace(/^must be/, 'would have to be')}; change the other setting first`;
}

/** The trainer's details as stored; a detail not given is ''. */
export function resolveTrainer(stored: Partial<Record<string, string>>): TrainerProfile {
  return Object.fromEntries(TRAINER_KEYS.map((k) => [k, stored[k] ?? ''])) as TrainerProfile;
}

/** Stored text values (missing ones default) → typed settings. */
export function resolveSettings(stored: Partial<Record<string, string>>): Settings {
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    try {
      out[key] = SETTINGS[key].parse(stored[key] ?? SETTINGS[key].default);
    } catch (err) {
      // A value stored by an older bridgefit that a newer check refuses: one clear line, and how to mend it.
      throw new ValidationError(key, `the stored setting ${key} (${stored[key]}) ${(err as Error).message}; "bridgefit config set ${key} …" or "config unset ${key}" mends it`);
    }
  }
  return out as unknown as Settings;
}

/**
 * Settings about the person rather than the screening rules: in a clinic each
 * member has their own (what a report signs with); the rest are the clinic's.
 */
export function isPersonalSetting(key: string): boolean {
  return key.startsWith('trainer.');
}
