/**
 * Every parser fed malformed values (fast-check): it either accepts a value
 * that keeps the rules, or refuses with its own validation error or problem
 * list — never another exception, never a value it should have refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseDocument, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { RESTRICTION_RULES, formatRestriction, parseRestriction } from '../../src/domain/clearance.js';
import { CLIENT_FIELDS, SEXES, checkClientField, type ClientField } from '../../src/domain/client.js';
import { isIsoDate, sinceDate } from '../../src/domain/dates.js';
import { ValidationError } from '../../src/domain/errors.js';
import { checkIntakeAnswers } from '../../src/domain/intake.js';
import { MEASURE_RANGES, checkProgressInput, parseDecimal, parseMeasureFlag } from '../../src/domain/progress-input.js';
import { SETTING_KEYS, checkSetting, resolveSettings } from '../../src/domain/settings.js';
import { exerciseFileSchema, overlaySchema, programTemplateSchema } from '../../src/domain/template-schema.js';
import { IMPORT_COLUMNS, RowProblem, parseImportCsv, rowToInput } from '../../src/app/import-sessions.js';
import { UsageError } from '../../src/app/errors.js';
import { builtInDir, loadTemplates, parseTemplateFile, type TemplateProblem } from '../../src/templates/load.js';
import { tempDir } from '../helpers/tmp.js';

const TODAY = '2026-11-26';
const DOB = '1950-03-14';
const RUNS = { numRuns: 300 };

/** Run `fn`; the error it threw, or its value. */
function attempt<T>(fn: () => T): { threw: false; value: T } | { threw: true; error: unknown } {
  try {
    return { threw: false, value: fn() };
  } catch (error) {
    return { threw: true, error };
  }
}

/** Text a user might type or paste: any code point, controls, and the separators parsers split on. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'0123456789-./=+ ,;:"\'\t\n\r\u0000\u00a0\u200bdwmeE'.split('')), maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
);

/** Numbers in the forms JavaScript reads and a trainer might paste: hex, binary, octal, exponents, signs, spaces. */
const numberText = fc.oneof(
  fc.double({ noNaN: false }).map(String),
  fc.integer().map((n) => n.toString(16)),
  fc.tuple(fc.constantFrom('', '-', '+', ' '), fc.constantFrom('', '0x', '0b', '0o', '0X'), fc.nat(99_999), fc.constantFrom('', '.5', 'e2', 'E-1', '.', ' ')).map((p) => p.join('')),
);

/** Every path in a JSON value, for mutating one place of a valid document. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

const replacement = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(undefined), // the key removed
  fc.constantFrom(-1, 0, 1e9, -0.5, 11, 0.1, Number.MAX_SAFE_INTEGER, '', ' ', '2026-02-30', '9999-12-31', '1800-01-01', 'yes', '120/80', '5.4', 'NaN', null, [], {}),
  anyText,
);

/** A valid document with one place changed (or removed), plus sometimes a second. */
function mutated(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const places = paths(valid).filter((p) => p.length > 0);
  const one = fc.tuple(fc.constantFrom(...places), replacement);
  return fc.array(one, { minLength: 1, maxLength: 2 }).map((changes) => {
    const doc = structuredClone(valid);
    for (const [at, value] of changes) {
      let node: Record<string | number, unknown> = doc;
      for (const key of at.slice(0, -1)) {
        if (!node || typeof node !== 'object') break;
        node = node[key] as Record<string | number, unknown>;
      }
      if (!node || typeof node !== 'object') continue;
      const last = at.at(-1)!;
      if (value === undefined) delete node[last];
      else node[last] = value;
    }
    return doc;
  });
}

describe('client flags', () => {
  const field = fc.constantFrom(...CLIENT_FIELDS);
  const value = fc.oneof(anyText, fc.constantFrom('1900-01-01', '1899-12-31', TODAY, '2026-11-27', '2023-02-29', ' 1961-04-12 ', 'FEMALE', 'a@b.c', 'a@b', '+33 1 23', '1234', 'x'.repeat(101), 'y'.repeat(4001)));

  it('refuse with a ValidationError naming the field, or return a value that keeps the rules', () => {
    fc.assert(
      fc.property(field, value, (f: ClientField, raw) => {
        const r = attempt(() => checkClientField(f, raw, TODAY));
        if (r.threw) {
          expect(r.error).toBeInstanceOf(ValidationError);
          expect((r.error as ValidationError).field).toBe(f);
          expect((r.error as Error).message).not.toMatch(/\n/);
          return;
        }
        const v = r.value;
        if (v === null) {
          expect(['sex', 'email', 'phone', 'goals', 'notes', 'gpName', 'gpContact', 'surgeonName', 'surgeonContact', 'physioName', 'physioContact']).toContain(f);
          expect(raw.normalize('NFC').trim()).toBe('');
          return;
        }
        const text = String(v);
        expect(text).toBe(text.normalize('NFC').trim());
        expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
        if (f === 'firstName' || f === 'lastName') {
          expect(text.length).toBeGreaterThan(0);
          expect(text.length).toBeLessThanOrEqual(100);
          expect(text).not.toMatch(/[\n\t]/);
        }
        if (f === 'dateOfBirth') {
          expect(isIsoDate(text)).toBe(true);
          expect(text >= '1900-01-01' && text <= TODAY).toBe(true);
        }
        if (f === 'sex') expect(SEXES).toContain(text);
        if (f === 'email') expect(text).toMatch(/^\S+@\S+\.\S+$/);
        if (f === 'phone') expect(text.replace(/\D/g, '').length).toBeGreaterThanOrEqual(5);
        if (f === 'goals' || f === 'notes') expect(text.length).toBeLessThanOrEqual(4000);
        // The care team is printed in a referral's one line.
        if (/^(gp|surgeon|physio)/.test(f)) {
          expect(text.length).toBeLessThanOrEqual(200);
          expect(text).not.toMatch(/[\n\t]/);
        }
        // What was stored reads back as itself.
        expect(checkClientField(f, text, TODAY)).toBe(v);
      }),
      RUNS,
    );
  });
});

const VALID_INTAKE = {
  date: '2026-11-20',
  physicallyActive: false,
  conditions: [
    { code: 'knee_tka', side: 'right', date: '2026-09-01' },
    { code: 'type2_diabetes', date: '2015-03-01' },
  ],
  medications: [
    { name: 'bisoprolol', class: 'beta_blocker' },
    { name: 'metformin', class: 'other' },
  ],
  parq: {
    q1: false, q2: false, q3: false, q4: true, q5: true, q6: true, q7: false,
    followUps: {
      arthritis: { has: true, a: false, b: true, c: false },
      cancer: { has: false }, heart: { has: false }, blood_pressure: { has: false },
      metabolic: { has: true, a: false, b: false, c: false, d: false, e: false },
      mental_health: { has: false }, respiratory: { has: false }, spinal_cord: { has: false },
      stroke: { has: false },
      other: { has: true, a: false, b: false, c: true },
    },
    temporaryIllness: false,
    healthChanged: false,
  },
  symptoms: [],
  desiredIntensity: 'moderate',
  goals: 'Walk to the market and back without knee pain',
  vitals: { restingHr: 68, bp: '138/86', glucose: '7.2 mmol/L' },
};

describe('intake answers files', () => {
  it('the README example is accepted (so the mutations start from a valid file)', () => {
    expect(checkIntakeAnswers(VALID_INTAKE, { today: TODAY, dateOfBirth: DOB })).toMatchObject({ ok: true });
  });

  it('anything at all, or the valid file with a place broken: a problem list or answers that keep the rules, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue(), mutated(VALID_INTAKE)), (input) => {
        const r = checkIntakeAnswers(input, { today: TODAY, dateOfBirth: DOB });
        if (!r.ok) {
          expect(r.problems.length).toBeGreaterThan(0);
          for (const p of r.problems) {
            expect(typeof p.path).toBe('string');
            expect(p.message.length).toBeGreaterThan(0);
            expect(p.message).not.toMatch(/\n/);
          }
          return;
        }
        const a = r.answers;
        expect(isIsoDate(a.date)).toBe(true);
        expect(a.date >= DOB && a.date <= TODAY).toBe(true);
        for (const c of a.conditions) if (c.date) expect(c.date >= DOB && c.date <= TODAY).toBe(true);
        expect(['light', 'moderate', 'vigorous']).toContain(a.desiredIntensity);
        // Accepted answers, stored and read back, are accepted again: nothing stored that cannot be reloaded.
        expect(checkIntakeAnswers(JSON.parse(JSON.stringify(a)), { today: TODAY, dateOfBirth: DOB }).ok).toBe(true);
      }),
      RUNS,
    );
  });
});

const VALID_PROGRESS = {
  date: '2026-11-20',
  attended: true,
  durationMin: 45,
  painBefore: 2,
  painAfter: 3,
  nextDayPain: 2,
  rpe: 4,
  bp: '132/84',
  restingHr: 70,
  glucose: '6.1 mmol/L',
  measures: [{ code: 'lefs', value: 42 }, { code: 'knee_flexion', side: 'left', value: 105 }],
  symptoms: [],
  exercises: [{ exerciseId: 'sit_to_stand', sets: 2, reps: 10 }],
  notes: 'walked to the session',
};

function expectProgressKeepsRules(input: unknown): void {
  const r = checkProgressInput(input, { today: TODAY, dateOfBirth: DOB });
  if (!r.ok) {
    expect(r.problems.length).toBeGreaterThan(0);
    for (const p of r.problems) expect(p.message).not.toMatch(/\n/);
    return;
  }
  const e = r.entry;
  expect(isIsoDate(e.date)).toBe(true);
  expect(e.date >= DOB && e.date <= TODAY).toBe(true);
  for (const k of ['painBefore', 'painDuring', 'painAfter', 'nextDayPain'] as const) {
    if (e[k] !== undefined) expect(Number.isInteger(e[k]) && e[k]! >= 0 && e[k]! <= 10, k).toBe(true);
  }
  if (e.rpe) expect(e.rpe.value >= 0 && e.rpe.value <= 20).toBe(true);
  for (const m of e.measures) {
    const range = MEASURE_RANGES[m.code as keyof typeof MEASURE_RANGES];
    expect(range, m.code).toBeDefined();
    expect(m.value >= range.min && m.value <= range.max).toBe(true);
  }
  if (!e.attended) {
    expect(e.missedReason).toBeTruthy();
    expect(e.painBefore ?? e.painAfter ?? e.rpe ?? e.durationMin).toBeUndefined();
  }
}

describe('progress JSON (--from)', () => {
  it('the valid entry is accepted', () => {
    expect(checkProgressInput(VALID_PROGRESS, { today: TODAY, dateOfBirth: DOB })).toMatchObject({ ok: true });
  });

  it('anything, or the valid entry with a place broken: problems or an entry in range, never a throw', () => {
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.jsonValue(), mutated(VALID_PROGRESS)), expectProgressKeepsRules), RUNS);
  });

  it('--measure and --score flags: a ValidationError or a known measure with a finite value', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.constantFrom('lefs=42', 'knee_flexion.left=105', 'effusion_grade=2+', 'lefs=1e400', 'x=1', 'lefs=')), fc.constantFrom('--measure' as const, '--score' as const), (text, flag) => {
        const r = attempt(() => parseMeasureFlag(text, flag));
        if (r.threw) return void expect(r.error).toBeInstanceOf(ValidationError);
        expect(Object.keys(MEASURE_RANGES)).toContain(r.value.code);
        // Effusion keeps the grade's name (the schema stores its number); every other measure is a number.
        if (r.value.code === 'effusion_grade') expect(['none', 'trace', '1+', '2+', '3+']).toContain(r.value.value);
        else expect(Number.isFinite(r.value.value)).toBe(true);
      }),
      RUNS,
    );
  });

  it('a measure value is taken only as plain decimal digits: never hex, binary, octal, an exponent or Infinity', () => {
    const value = fc.oneof(
      numberText,
      fc.constantFrom('0x3', '0X1f', '0b11', '0o7', '1e2', '1E2', '2.5e1', 'Infinity', '-Infinity', 'NaN', '.5', '5.', '+5', '1_000', '٣', ' 42 ', '-0', '9'.repeat(400)),
    );
    const code = fc.constantFrom('lefs', 'nprs', 'knee_flexion.left', 'hop_symmetry', 'knee_extension.right', 'effusion_grade.left');
    fc.assert(
      fc.property(code, value, (c, v) => {
        const r = attempt(() => parseMeasureFlag(`${c}=${v}`, c.includes('.') ? '--measure' : '--score'));
        if (r.threw) {
          expect(r.error).toBeInstanceOf(ValidationError);
          expect((r.error as Error).message).not.toMatch(/\n/);
          return;
        }
        // Effusion takes no number but 0 (2 could mean 1+ or 2+; FACTS §4).
        if (c.startsWith('effusion_grade')) return void expect(r.value.value, `${c}=${v}`).toBe('none');
        // Whatever was accepted was typed as decimal digits, and is exactly that number.
        expect(v.trim(), `${c}=${v}`).toMatch(/^-?\d+(\.\d+)?$/);
        expect(r.value.value).toBe(Number(v.trim()));
      }),
      RUNS,
    );
  });
});

describe('numbers typed as flags (--pain-before, --rpe, --hr, --duration …)', () => {
  it('plain decimal digits only, read as written; anything else is refused', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, numberText), (text) => {
        const n = parseDecimal(text);
        const plain = /^-?\d+(\.\d+)?$/.test(text.trim());
        if (n === undefined) return void expect(plain && Number.isFinite(Number(text.trim())), JSON.stringify(text)).toBe(false);
        expect(plain, JSON.stringify(text)).toBe(true);
        expect(n).toBe(Number(text.trim()));
      }),
      RUNS,
    );
  });

  it('what Number() took and no trainer types is refused', () => {
    for (const t of ['0x3', '0b11', '0o7', '1e1', '3e0', 'Infinity', '', ' ', '.5', '3.', '+3', '3,5', '1 000']) expect(parseDecimal(t), JSON.stringify(t)).toBeUndefined();
    expect(parseDecimal(' 3 ')).toBe(3);
    expect(parseDecimal('-2.75')).toBe(-2.75);
  });
});

describe('CSV import', () => {
  const cell = fc.oneof(anyText, fc.constantFrom('', 'yes', 'no', 'maybe', '3', '-1', '11', '1e3', 'Infinity', '0x10', '120/80', 'lefs=42;knee_flexion.left=105', 'lefs=abc', 'chest_pain;dizziness'));
  // Known names, padded with spaces as spreadsheets write them, repeated, or anything.
  const column = fc.oneof(fc.tuple(fc.constantFrom('', ' ', '  '), fc.constantFrom(...IMPORT_COLUMNS), fc.constantFrom('', ' ')).map(([a, c, b]) => a + c + b), anyText);
  const quote = (c: string) => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  const csvText = fc.oneof(
    anyText.map((text) => ({ text, columns: undefined })),
    fc.tuple(fc.array(column, { minLength: 1, maxLength: 6 }), fc.array(fc.array(cell, { maxLength: 7 }), { maxLength: 4 }), fc.constantFrom('\n', '\r\n')).map(([header, rows, nl]) => ({
      text: [header, ...rows].map((r) => r.map(quote).join(',')).join(nl),
      columns: header.length,
    })),
  );

  it('the file: a UsageError naming it, or rows holding every column of the header under its known name', () => {
    fc.assert(
      fc.property(csvText, ({ text, columns }) => {
        const r = attempt(() => parseImportCsv(text, 'in.csv'));
        if (r.threw) {
          expect(r.error).toBeInstanceOf(UsageError);
          expect((r.error as Error).message).toMatch(/^in\.csv/);
          expect((r.error as Error).message).not.toMatch(/[\n\r\u0000-\u0008]/);
          return;
        }
        // A column the import does not know, or one of two of the same name, would be dropped in silence: it must have been refused.
        for (const row of r.value) {
          for (const key of Object.keys(row)) expect(IMPORT_COLUMNS as readonly string[]).toContain(key);
          if (columns !== undefined) expect(Object.keys(row)).toHaveLength(columns);
        }
      }),
      RUNS,
    );
  });

  it('reads a header written with spaces after the commas, and refuses a column given twice', () => {
    const rows = parseImportCsv('client, date ,pain_before, symptoms, bp\n2,2024-03-05,2,chest_pain,205/115\n', 'in.csv');
    expect(rows).toEqual([{ client: '2', date: '2024-03-05', pain_before: '2', symptoms: 'chest_pain', bp: '205/115' }]);
    expect(() => parseImportCsv('client,date,pain_before, pain_before\n1,2024-02-01,2,9\n', 'in.csv')).toThrow('in.csv: the "pain_before" column appears twice; nothing was imported');
  });

  it('names every cell of a row that cannot be read, when asked to collect them', () => {
    const problems: RowProblem[] = [];
    const input = rowToInput({ date: '2026-11-20', pain_before: 'two', rpe: '0x3', ketones: 'maybe', measures: 'lefs=abc', notes: 'ok', pain_after: '3' }, problems);
    expect(problems.map((p) => p.column)).toEqual(['pain_before', 'rpe', 'ketones', 'measures']);
    expect(input).toEqual({ date: '2026-11-20', painAfter: 3, notes: 'ok' });
  });

  it('a number cell takes plain decimals only', () => {
    for (const v of ['0x3', '1e1', 'Infinity', '3.', '.5', '3 4', '+3']) expect(() => rowToInput({ date: '2026-11-20', pain_before: v }), v).toThrow(RowProblem);
    expect(rowToInput({ date: '2026-11-20', pain_before: ' 3 ', rpe: '4.5', duration_min: '30' })).toMatchObject({ painBefore: 3, rpe: 4.5, durationMin: 30 });
  });

  it('a row: a RowProblem naming a real column, or input the progress check handles', () => {
    const row = fc.dictionary(fc.constantFrom(...IMPORT_COLUMNS), cell, { maxKeys: 8 });
    fc.assert(
      fc.property(row, (cells) => {
        const r = attempt(() => rowToInput({ date: '2026-11-20', ...cells }));
        if (r.threw) {
          expect(r.error).toBeInstanceOf(RowProblem);
          expect(IMPORT_COLUMNS as readonly string[]).toContain((r.error as RowProblem).column);
          return;
        }
        for (const v of Object.values(r.value)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
        expectProgressKeepsRules(r.value);
      }),
      RUNS,
    );
  });
});

describe('restrictions (--restrict)', () => {
  const structured = fc
    .tuple(fc.constantFrom(...RESTRICTION_RULES.map((r) => r.example.split('=')[0]!), 'rom.knee.right', 'weight_bearing.right', 'No-Running', 'max_hr '), fc.option(fc.oneof(anyText, fc.constantFrom('40', '220', '221', '39.9', '4.5', '1e2', '0x20', 'partial', 'toe touch', 'Infinity', '-0'))))
    .map(([code, value]) => (value === null ? code : `${code}=${value}`));

  it('a ValidationError, or a known code with a value of the right kind and range that reads back the same', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, structured), (text) => {
        const r = attempt(() => parseRestriction(text));
        if (r.threw) {
          expect(r.error).toBeInstanceOf(ValidationError);
          expect((r.error as Error).message).not.toMatch(/\n/);
          return;
        }
        const restriction = r.value;
        const rule = RESTRICTION_RULES.find((x) => x.pattern.test(restriction.code));
        expect(rule, restriction.code).toBeDefined();
        const kind = rule!.value;
        if (kind.kind === 'flag') expect(restriction.value).toBeUndefined();
        if (kind.kind === 'choice') expect(kind.values).toContain(restriction.value);
        if (kind.kind === 'number') {
          const n = restriction.value as number;
          expect(typeof n).toBe('number');
          expect(n >= kind.min && n <= kind.max).toBe(true);
          if (kind.integer) expect(Number.isInteger(n)).toBe(true);
        }
        expect(parseRestriction(formatRestriction(restriction))).toEqual(restriction);
      }),
      RUNS,
    );
  });
});

describe('dates (--since)', () => {
  const since = fc.oneof(
    anyText,
    fc.tuple(fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String), fc.constantFrom('0', '999999999', '100000000000', '1e3')), fc.constantFrom('d', 'w', 'm', 'y', '')).map(([n, u]) => `${n}${u}`),
    fc.constantFrom('2026-02-29', '2024-02-29', ' 7d', '7D', '-7d', '2026-11-27'),
  );

  it('undefined, or a real date; a relative one never after today', () => {
    fc.assert(
      fc.property(since, (text) => {
        const r = attempt(() => sinceDate(text, TODAY));
        expect(r.threw, r.threw ? String(r.error) : '').toBe(false);
        if (r.threw || r.value === undefined) return;
        expect(isIsoDate(r.value), `${text} → ${r.value}`).toBe(true);
        if (!isIsoDate(text)) expect(r.value <= TODAY).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('settings (config set)', () => {
  const key = fc.oneof(fc.constantFrom(...SETTING_KEYS), anyText);
  const value = fc.oneof(anyText, fc.constantFrom('acsm', 'ada', ' 12 ', '0', '61', '1.5', '200/110', '110/200', '80/80', '999/99', 'tanaka', 'fox', '1e1'));

  it('a ValidationError, or text that resolves to a usable setting', () => {
    fc.assert(
      fc.property(key, value, (k, text) => {
        const r = attempt(() => checkSetting(k, text));
        if (r.threw) {
          expect(r.error).toBeInstanceOf(ValidationError);
          return;
        }
        expect(r.value).toBe(text.trim());
        const settings = resolveSettings({ [k]: r.value }) as unknown as Record<string, unknown>;
        const v = settings[k];
        if (typeof v === 'object' && v !== null && 'systolic' in v) {
          // A blood-pressure threshold is systolic over diastolic, so the systolic is the higher.
          const bp = v as { systolic: number; diastolic: number };
          expect(bp.systolic, `${k}=${text}`).toBeGreaterThan(bp.diastolic);
          // Between the PAR-Q+ follow-up level and where exercise stops (FACTS §3).
          expect(bp.systolic >= 160 && bp.systolic <= 250 && bp.diastolic >= 90 && bp.diastolic <= 115, `${k}=${text}`).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('BP thresholds set one after another never leave a re-check at or above the hold, or a cardiac hold above it', () => {
    const bpKey = fc.constantFrom('screening.bpHold', 'screening.bpHoldCardiac', 'screening.bpRecheck');
    const bpText = fc.tuple(fc.integer({ min: 60, max: 300 }), fc.integer({ min: 40, max: 150 })).map(([s, d]) => `${s}/${d}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(bpKey, bpText), { minLength: 1, maxLength: 8 }), (steps) => {
        const stored: Record<string, string> = {};
        for (const [k, text] of steps) {
          const r = attempt(() => checkSetting(k, text, stored));
          if (r.threw) expect(r.error).toBeInstanceOf(ValidationError);
          else stored[k] = r.value;
          const s = resolveSettings(stored);
          const [hold, cardiac, recheck] = [s['screening.bpHold'], s['screening.bpHoldCardiac'], s['screening.bpRecheck']];
          expect(recheck.systolic < hold.systolic && recheck.diastolic < hold.diastolic, JSON.stringify(stored)).toBe(true);
          expect(cardiac.systolic <= hold.systolic && cardiac.diastolic <= hold.diastolic, JSON.stringify(stored)).toBe(true);
        }
      }),
      RUNS,
    );
  });
});

describe('templates', () => {
  const builtIn = builtInDir();
  const valid = ['programs/knee_tka.yaml', 'overlays/hypertension.yaml', 'exercises/trunk.yaml'].map((f) => parseDocument(fs.readFileSync(path.join(builtIn, f), 'utf8')).toJS() as Record<string, unknown>);
  const content = fc.oneof(
    anyText,
    fc.jsonValue().map((v) => stringify(v)),
    ...valid.map((doc) => mutated(doc).map((d) => stringify(d))),
    fc.constantFrom('kind: program\n', 'exercises: []\n', 'a: 1\na: 2\n', '- 1\n- 2\n', '\t:', '{', '*x', '&a [*a]', 'kind: overlay\nid: x\n'),
  );

  it('one file: problems naming the file, one line each, or a template its schema accepts', () => {
    const dir = tempDir();
    let n = 0;
    fc.assert(
      fc.property(content, (text) => {
        const file = path.join(dir, `t${n++}.yaml`);
        fs.writeFileSync(file, text);
        const problems: TemplateProblem[] = [];
        const r = attempt(() => parseTemplateFile(file, problems));
        expect(r.threw, r.threw ? String(r.error) : '').toBe(false);
        if (r.threw) return;
        for (const p of problems) {
          expect(p.file).toBe(file);
          expect(p.message.length).toBeGreaterThan(0);
          expect(`${p.path}: ${p.message}`).not.toMatch(/\n/);
        }
        const parsed = r.value;
        if (parsed === undefined || parsed.kind === 'invalid-program') return void expect(problems.length).toBeGreaterThan(0);
        expect(problems).toEqual([]);
        if (parsed.kind === 'program') expect(programTemplateSchema.safeParse(parsed.program).success).toBe(true);
        if (parsed.kind === 'overlay') expect(overlaySchema.safeParse(parsed.overlay).success).toBe(true);
        if (parsed.kind === 'exercises') expect(exerciseFileSchema.safeParse({ exercises: parsed.exercises }).success).toBe(true);
      }),
      RUNS,
    );
  });

  it("a trainer's folder of such files never stops loading: the built-ins stay, the problems are listed", () => {
    fc.assert(
      fc.property(fc.array(content, { minLength: 1, maxLength: 4 }), (texts) => {
        const dir = tempDir();
        texts.forEach((t, i) => fs.writeFileSync(path.join(dir, `f${i}.yaml`), t));
        const r = attempt(() => loadTemplates(dir));
        expect(r.threw, r.threw ? String(r.error) : '').toBe(false);
        if (r.threw) return;
        expect(r.value.programs.size).toBeGreaterThanOrEqual(11);
        for (const p of r.value.problems) expect(`${p.path}: ${p.message}`).not.toMatch(/\n/);
      }),
      { numRuns: 25 }, // each run loads the 200-odd built-in templates too
    );
  }, 60_000);
});

describe('what these properties found, pinned', () => {
  it('a relative --since too far back for the calendar is not a date (it threw, or gave year 0099)', () => {
    expect(sinceDate('703787d', TODAY)).toBeUndefined();
    expect(sinceDate('100000000000d', TODAY)).toBeUndefined();
    expect(sinceDate('99999999m', TODAY)).toBeUndefined();
    expect(sinceDate('5000d', TODAY)).toBe('2013-03-19');
  });

  it('a blood-pressure setting with the numbers swapped is refused', () => {
    expect(() => checkSetting('screening.bpHold', '110/200')).toThrow('systolic higher');
    expect(checkSetting('screening.bpHold', '200/110')).toBe('200/110');
  });

  it('a message quoting a line break stays one line', () => {
    expect(() => parseRestriction('no_running\nmax_hr=300')).toThrow('unknown restriction "no_running\\nmax_hr"');
    const r = checkIntakeAnswers({ ...VALID_INTAKE, vitals: { glucose: 'a\nb' } }, { today: TODAY, dateOfBirth: DOB });
    expect(r.ok).toBe(false);
    if (!r.ok) for (const p of r.problems) expect(p.message).not.toContain('\n');
  });

  it('"-0" as a restriction value is stored as 0', () => {
    expect(Object.is(parseRestriction('rom.knee.left=-0').value, 0)).toBe(true);
  });

  it('a YAML alias to no anchor is a problem in the file, not a crash', () => {
    const file = path.join(tempDir(), 'alias.yaml');
    fs.writeFileSync(file, 'kind: program\nid: *nowhere\n');
    const problems: TemplateProblem[] = [];
    expect(parseTemplateFile(file, problems)).toBeUndefined();
    expect(problems).toEqual([{ file, path: '(file)', message: expect.stringMatching(/^not valid YAML: .*alias/) }]);
  });
});
