/**
 * Issue 20's fuzz suite, for the files a person names: generated answers
 * files, session files, session CSVs and templates, most of them broken on
 * purpose (control characters, deep nesting, huge cells, YAML alias bombs,
 * random bytes). Every command runs in process through main(), so thousands
 * of inputs take seconds. Each run must end with a clear refusal (or, for the
 * rare generated input that happens to be valid, a normal result), and:
 * - no stack trace and no "unexpected error", whatever the input;
 * - nothing printed carries a control character (but tab and newline);
 * - a refused run leaves every table exactly as it was.
 * The number of inputs tried is printed at the end (INPUTS_TRIED).
 */
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { IMPORT_COLUMNS } from '../../src/app/import-sessions.js';
import { main } from '../../src/cli/main.js';
import { bufferIO } from '../helpers/io.js';
import { tempDir } from '../helpers/tmp.js';

const CLOCK = () => new Date('2026-12-02T10:00:00Z');
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
let tried = 0;

async function run(args: string[]) {
  const b = bufferIO({});
  const code = await main(['node', 'bridgefit', ...args], b.io, {}, CLOCK);
  return { code, stdout: b.stdout(), stderr: b.stderr() };
}

/** Every table's rows, in order: the same string before and after means nothing was written. */
function dump(db: string): string {
  const raw = new SqliteDatabase(db, { readonly: true });
  try {
    const tables = raw.prepare("select name from sqlite_master where type = 'table' order by name").pluck().all() as string[];
    return JSON.stringify(tables.map((t) => [t, raw.prepare(`select * from "${t}" order by rowid`).all()]));
  } finally {
    raw.close();
  }
}

async function setup() {
  const dir = tempDir();
  const db = path.join(dir, 'f.db');
  expect((await run(['--db', db, 'client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12'])).code).toBe(0);
  return { dir, db };
}

/** Run `args` on a file holding `text`; check what every run must hold. */
async function check(ctx: { dir: string; db: string }, text: string | Buffer, name: string, args: (file: string) => string[], refusedOnly = false) {
  tried += 1;
  const file = path.join(ctx.dir, name);
  fs.writeFileSync(file, text);
  const before = dump(ctx.db);
  const r = await run(['--db', ctx.db, ...args(file)]);
  const printed = r.stdout + r.stderr;
  expect(printed, printed).not.toMatch(/unexpected error|\n\s+at .+\(.+:\d+:\d+\)/);
  expect(CONTROL.test(printed), printed).toBe(false);
  if (refusedOnly) expect(r.code, printed).not.toBe(0);
  if (r.code !== 0) {
    expect(r.stderr.split('\n')[0], printed).toMatch(/^bridgefit: /);
    expect(dump(ctx.db)).toBe(before);
  }
  return r;
}

/** Text with the characters that break things: controls, quotes, separators, non-BMP, bidi. */
const nasty = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', ',', ';', '"', "'", '=', '+', '-', '@', '\n', '\r', '\t', '\u0000', '\u001b', '[', ']', '{', '}', ':', '.', '/', '\u202e', '😀', 'é', ' ') , maxLength: 40 });

const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.dictionary(fc.constantFrom('physicallyActive', 'parq', 'conditions', 'symptoms', 'medications', 'vitals', 'goals', 'desiredIntensity', 'painBefore', 'measures', 'notes', 'rpe', 'bp', 'date', 'x'), fc.oneof(fc.jsonValue({ maxDepth: 3 }), nasty)).map((v) => JSON.stringify(v)),
  nasty,
  fc.integer({ min: 1000, max: 20000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1, max: 3 }).map((n) => `{"goals": "${'x'.repeat(n * 3000)}\\u001b[2J", "symptoms": ${JSON.stringify(Array(n * 40).fill('chest_pain'))}}`),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
);

const csvCell = fc.oneof(nasty, fc.constantFrom('1', 'zoe', '2026-11-30', 'yes', 'no', '120/80', 'lefs=40;lefs=41', '1e3', '-1', '5.', 'x'.repeat(5000)));
const csvText = fc.oneof(
  fc.tuple(fc.subarray([...IMPORT_COLUMNS], { minLength: 1 }), fc.array(fc.array(csvCell, { maxLength: 8 }), { maxLength: 6 })).map(([h, rows]) => [h.join(','), ...rows.map((r) => r.join(','))].join('\n')),
  nasty,
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
);

const yamlText = fc.oneof(
  nasty,
  fc.constantFrom(
    // The "billion laughs": each alias doubles what the one before it holds.
    `a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: &d [*c,*c]\ne: &e [*d,*d]\nf: &f [*e,*e]\ng: &g [*f,*f]\nh: &h [*g,*g]\ni: &i [*h,*h]\nj: [*i,*i]\n`,
    'kind: program\nid: x\nstages: [',
    'exercises:\n  - id: x\n    name: "\u001b[2J"\n',
    `kind: overlay\nid: ${'a'.repeat(10000)}\n`,
  ),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
);

afterAll(() => console.log(`INPUTS_TRIED ${tried}`));

describe('fuzz: no input file makes bridgefit crash, print a control character or write on refusal', () => {
  it('intake --answers', async () => {
    const ctx = await setup();
    await fc.assert(fc.asyncProperty(jsonish, (t) => check(ctx, t, 'a.json', (f) => ['intake', 'zoe', '--answers', f]).then(() => true)), { numRuns: 250 });
  }, 300_000);

  it('progress add --from', async () => {
    const ctx = await setup();
    await fc.assert(fc.asyncProperty(jsonish, (t) => check(ctx, t, 's.json', (f) => ['progress', 'add', 'zoe', '--from', f]).then(() => true)), { numRuns: 250 });
  }, 300_000);

  it('progress import (CSV)', async () => {
    const ctx = await setup();
    await fc.assert(fc.asyncProperty(csvText, (t) => check(ctx, t, 's.csv', (f) => ['progress', 'import', f]).then(() => true)), { numRuns: 250 });
  }, 300_000);

  it('template validate', async () => {
    const ctx = await setup();
    await fc.assert(fc.asyncProperty(yamlText, (t) => check(ctx, t, 't.yaml', (f) => ['template', 'validate', f], true).then(() => true)), { numRuns: 200 });
  }, 300_000);
});
