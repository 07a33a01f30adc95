/**
 * Issue 20's fuzz suite, for damaged databases: a small real database
 * (clients, an intake, a program, sessions, a referral) copied and then
 * damaged at generated places: bytes flipped, a page zeroed, the file cut
 * short, a JSON cell given a control byte. Read and write commands run on
 * each copy in process through main(). Whatever the damage:
 * - no stack trace and no "unexpected error";
 * - nothing printed carries a control character (but tab and newline);
 * - a write command either works on a copy whose damage it did not meet
 *   (SQLite reads only the pages a query needs), or refuses with one line
 *   and leaves the file's bytes exactly as they were.
 * The number of damaged copies tried is printed at the end (DATABASES_TRIED).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { damageJson } from '../helpers/damage.js';
import { bufferIO } from '../helpers/io.js';

const CLOCK = () => new Date('2026-12-02T10:00:00Z');
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
let tried = 0;
let good = '';
let dir = '';

async function run(args: string[]) {
  const b = bufferIO({});
  const code = await main(['node', 'bridgefit', ...args], b.io, {}, CLOCK);
  return { code, stdout: b.stdout(), stderr: b.stderr() };
}

const hash = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridgefit-fuzz-db-'));
  good = path.join(dir, 'good.db');
  const ok = async (args: string[]) => {
    const r = await run(['--db', good, ...args]);
    expect(r.code, r.stderr).toBe(0);
  };
  await ok(['client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12']);
  await ok(['client', 'add', '--first-name', 'Ana', '--last-name', 'Lima', '--dob', '1970-02-01']);
  const answers = path.join(dir, 'a.json');
  fs.writeFileSync(
    answers,
    JSON.stringify({
      date: '2026-11-10',
      physicallyActive: false,
      conditions: [{ code: 'knee_tka', side: 'left', date: '2026-10-20' }],
      parq: { q1: false, q2: false, q3: false, q4: false, q5: false, q6: true, q7: false, followUps: { arthritis: { has: false } } },
      desiredIntensity: 'moderate',
    }),
  );
  await ok(['intake', 'zoe', '--answers', answers]);
  await ok(['clearance', 'add', 'zoe', '--clinician', 'J. Okafor', '--profession', 'physiotherapist', '--date', '2026-11-12', '--status', 'cleared']);
  await ok(['program', 'generate', 'zoe']);
  for (const d of ['2026-11-20', '2026-11-23', '2026-11-25']) await ok(['progress', 'add', 'zoe', '--date', d, '--pain-before', '1', '--pain-after', '2', '--rpe', '3']);
  await ok(['progress', 'add', 'zoe', '--date', '2026-11-27', '--symptom', 'calf_pain_swelling', '--pain-before', '1']);
});

afterAll(() => {
  console.log(`DATABASES_TRIED ${tried}`);
  fs.rmSync(dir, { recursive: true, force: true });
});

type Damage = { kind: 'flip'; at: number; xor: number } | { kind: 'zero'; page: number } | { kind: 'cut'; pages: number } | { kind: 'json'; table: 'programs' | 'progress_entries'; column: string };

const damage = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), xor: fc.integer({ min: 1, max: 255 }) }).map((d) => d as Damage),
  fc.record({ kind: fc.constant('zero' as const), page: fc.integer({ min: 1, max: 200 }) }).map((d) => d as Damage),
  fc.record({ kind: fc.constant('cut' as const), pages: fc.integer({ min: 1, max: 40 }) }).map((d) => d as Damage),
  fc.constantFrom<Damage>({ kind: 'json', table: 'programs', column: 'snapshot' }, { kind: 'json', table: 'progress_entries', column: 'decision' }),
);

/** A copy of the good database with one damage done to it. */
function damaged(d: Damage): string {
  tried += 1;
  const file = path.join(dir, `d${tried}.db`);
  fs.copyFileSync(good, file);
  const bytes = fs.readFileSync(file);
  const pageSize = bytes.readUInt16BE(16) || 65536;
  const pages = Math.floor(bytes.length / pageSize);
  if (d.kind === 'flip') {
    // Past the 100-byte header most of the time, so the damage is inside a page.
    const at = Math.min(bytes.length - 1, Math.floor(d.at * bytes.length));
    bytes[at] = bytes[at]! ^ d.xor;
    fs.writeFileSync(file, bytes);
  } else if (d.kind === 'zero') {
    const page = ((d.page - 1) % pages) + 1;
    bytes.fill(0, (page - 1) * pageSize, page * pageSize);
    fs.writeFileSync(file, bytes);
  } else if (d.kind === 'cut') {
    fs.truncateSync(file, Math.max(0, bytes.length - Math.min(d.pages, pages - 1) * pageSize));
  } else {
    damageJson(file, d.table, d.column, 1);
  }
  return file;
}

function sane(r: { stdout: string; stderr: string }) {
  const printed = r.stdout + r.stderr;
  expect(printed, printed).not.toMatch(/unexpected error|\n\s+at .+\(.+:\d+:\d+\)/);
  expect(CONTROL.test(printed), printed).toBe(false);
}

const READS = [['client', 'list'], ['client', 'show', '1'], ['program', 'status', '1'], ['progress', 'list', '1'], ['summary'], ['doctor']];
const WRITES = [
  ['client', 'add', '--first-name', 'New', '--last-name', 'Client', '--dob', '1980-01-01'],
  ['config', 'set', 'trainer.name', 'Sam Rivera'],
  ['progress', 'add', '1', '--date', '2026-12-01', '--pain-before', '1'],
];

describe('fuzz: a damaged database never makes bridgefit crash, print a control character or write', () => {
  it('reads: one line or a result, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(damage, fc.constantFrom(...READS), async (d, args) => {
        const file = damaged(d);
        sane(await run(['--db', file, ...args]));
      }),
      { numRuns: 120 },
    );
  }, 300_000);

  it('writes: refused with one line and the file untouched, or done on a copy whose damage they never met', async () => {
    await fc.assert(
      fc.asyncProperty(damage, fc.constantFrom(...WRITES), async (d, args) => {
        const file = damaged(d);
        const before = hash(file);
        const r = await run(['--db', file, ...args]);
        sane(r);
        if (r.code !== 0) {
          expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
          expect(hash(file), `${args.join(' ')} refused but changed the file: ${r.stderr}`).toBe(before);
        }
      }),
      { numRuns: 120 },
    );
  }, 300_000);
});
