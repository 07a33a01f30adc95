/**
 * --format table|json|csv|tsv on client list, progress list, referral list
 * and summary: each CSV and TSV document is read back (csv-parse; a TSV
 * reader that undoes the documented escapes) and compared with the JSON the
 * same command prints; cells that start with = + - @ come back with the
 * apostrophe OWASP recommends.
 */
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { bf } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const day = (n: number) => {
  const d = new Date();
  d.setDate(d.getDate() - n);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

const FORMULA = "=cmd|' /C calc'!A0";

/** Two clients, one named like a formula with a phone starting with +; two sessions (one held, with a referral); notes with a tab and a newline. */
async function setup() {
  const cwd = tempDir();
  const db = path.join(cwd, 'c.db');
  const run = (args: string[]) => bf(['--db', db, ...args], { cwd });
  const ok = async (args: string[]) => {
    const r = await run(args);
    expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r;
  };
  await ok(['client', 'add', '--first-name', FORMULA, '--last-name', 'Test', '--dob', '1970-01-01', '--phone', '+44 20 7946 0000', '--notes', 'knee\tright\nsince May']);
  await ok(['client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12', '--sex', 'female', '--email', 'zoe@example.org', '--goals', '@home: stairs']);
  await ok(['progress', 'add', '1', '--date', day(3), '--pain-before', '2', '--pain-after', '3', '--rpe', '4', '--glucose', '6.2mmol/L', '--soreness', 'none',
    '--measure', 'knee_flexion.left=95', '--measure', 'effusion_grade.left=trace', '--score', 'lefs=40', '--note', '-2 reps\ton the left\nnext time more']);
  await ok(['progress', 'add', '1', '--date', day(1), '--bp', '205/112', '--pain-before', '1', '--note', '=SUM(A1)']);
  await ok(['referral', 'list']);
  return { cwd, db, run, ok };
}

/** What a JSON value is as a CSV or TSV cell: empty for none, text defused with an apostrophe. */
function asCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return String(v);
}

/** The TSV documented in the README: a header line, tab-separated cells, \\ \t \n \r escaped. */
function readTsv(text: string): Record<string, string>[] {
  expect(text.endsWith('\n')).toBe(true);
  const [header, ...lines] = text.slice(0, -1).split('\n').map((l) => l.split('\t').map((c) => c.replace(/\\(.)/g, (_, ch: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' })[ch] ?? `\\${ch}`)));
  for (const l of lines) expect(l).toHaveLength(header!.length);
  return lines.map((l) => Object.fromEntries(header!.map((h, i) => [h, l[i]!])));
}

async function documents(run: (args: string[]) => Promise<{ stdout: string; stderr: string; exitCode: number }>, args: string[]) {
  const json = await run([...args, '--format', 'json']);
  const csv = await run([...args, '--format', 'csv']);
  const tsv = await run([...args, '--format', 'tsv']);
  for (const r of [json, csv, tsv]) expect(r.exitCode, r.stderr).toBe(0);
  // --json is --format json, as it always was.
  expect((await run([...args, '--json'])).stdout).toBe(json.stdout);
  return { json: JSON.parse(json.stdout) as Record<string, unknown>[], csv: parse(csv.stdout, { columns: true }) as Record<string, string>[], csvText: csv.stdout, tsv: readTsv(tsv.stdout), tsvText: tsv.stdout };
}

const at = (o: unknown, p: string): unknown => p.split('.').reduce<unknown>((v, k) => (v == null ? undefined : (v as Record<string, unknown>)[k]), o);

describe('client list --format', () => {
  it('csv and tsv have a header of the JSON fields and the same values, formulas defused', async () => {
    const { run } = await setup();
    const { json, csv, csvText, tsv, tsvText } = await documents(run, ['client', 'list']);
    const columns = ['id', 'firstName', 'lastName', 'dateOfBirth', 'age', 'sex', 'email', 'phone', 'goals', 'notes', 'gpName', 'gpContact', 'surgeonName', 'surgeonContact', 'physioName', 'physioContact', 'status', 'createdAt', 'updatedAt'];
    expect(csvText.split('\n')[0]).toBe(columns.join(','));
    expect(tsvText.split('\n')[0]).toBe(columns.join('\t'));
    expect(Object.keys(json[0]!)).toEqual(columns);
    expect(json).toHaveLength(2);
    for (const doc of [csv, tsv]) {
      expect(doc).toHaveLength(json.length);
      doc.forEach((row, i) => expect(row).toEqual(Object.fromEntries(columns.map((c) => [c, asCell(json[i]![c])]))));
    }
    const formula = csv.find((r) => r.lastName === 'Test')!;
    expect(formula.firstName).toBe(`'${FORMULA}`);
    expect(formula.phone).toBe("'+44 20 7946 0000");
    expect(formula.notes).toBe('knee\tright\nsince May');
    expect(csv.find((r) => r.lastName === 'Moreau')!.goals).toBe("'@home: stairs");
    // The note's tab and newline are escaped in TSV: each client is one line.
    expect(tsvText.trimEnd().split('\n')).toHaveLength(3);
    expect(tsvText).toContain('knee\\tright\\nsince May');
  }, 60_000);

  it('piped with no --format (or --format table): tab-separated rows, no header, as scripts expect', async () => {
    const { run } = await setup();
    const plain = await run(['client', 'list']);
    expect(plain.stdout).toBe((await run(['client', 'list', '--format', 'table'])).stdout);
    const lines = plain.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]!.split('\t')).toEqual(['2', 'Zoë Moreau', '1961-04-12', expect.any(String), 'active', '', 'zoe@example.org']);
  }, 60_000);

  it('--json with --format csv or tsv is refused, with one line', async () => {
    const { run } = await setup();
    for (const f of ['csv', 'tsv']) {
      const r = await run(['client', 'list', '--json', '--format', f]);
      expect(r.exitCode).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`bridgefit: --json and --format ${f} ask for two formats: give one\n`);
    }
    expect((await run(['client', 'list', '--format', 'xlsx'])).exitCode).toBe(2);
  }, 60_000);
});

describe('progress list --format', () => {
  const row0 = (doc: Record<string, string>[]) => doc[0]!;
  it('csv and tsv: one column per JSON path, the lists as one cell each, advice and flags from the decision', async () => {
    const { run } = await setup();
    const { json, csv, tsv, tsvText } = await documents(run, ['progress', 'list', '1']);
    expect(json).toHaveLength(2);
    const scalar = ['id', 'clientId', 'date', 'stage', 'programId', 'attended', 'missedReason', 'durationMin', 'painBefore', 'painDuring', 'painAfter', 'nextDayPain',
      'rpe.value', 'rpe.scale', 'vitals.bp.systolic', 'vitals.bp.diastolic', 'vitals.restingHr', 'vitals.glucose.value', 'vitals.glucose.unit', 'vitals.ketones',
      'vitals.weakOrTired', 'vitals.severeHypoLast24h', 'vitals.unwell', 'soreness', 'notes', 'recordedAt'];
    for (const doc of [csv, tsv]) {
      expect(doc).toHaveLength(2);
      doc.forEach((row, i) => {
        const e = json[i] as Record<string, unknown> & { measures: { code: string; side?: string; value: number; grade?: string }[]; symptoms: string[]; exercises: { exerciseId: string; completed: boolean }[]; decision: { advice: { advice: string }; flags: { code: string }[]; warnings: { code: string }[] } };
        for (const c of scalar) expect(row[c], c).toBe(asCell(at(e, c)));
        expect(row.measures).toBe(e.measures.map((m) => `${m.code}${m.side ? `.${m.side}` : ''}=${m.grade ?? m.value}`).join(';'));
        expect(row.symptoms).toBe(e.symptoms.join(';'));
        expect(row.exercises).toBe(e.exercises.map((x) => (x.completed ? x.exerciseId : `${x.exerciseId} (not completed)`)).join(';'));
        expect(row.advice).toBe(e.decision.advice.advice);
        expect(row.flagged).toBe([...e.decision.flags, ...e.decision.warnings].map((f) => f.code).join(';'));
      });
      const later = ['voided.at', 'voided.reason', 'vitals.bpRecheck.systolic', 'vitals.bpRecheck.diastolic', 'vitals.glucoseRecheck.value', 'vitals.glucoseRecheck.unit'];
      for (const c of later) expect(row0(doc)[c], c).toBe(asCell(at(json[0] as Record<string, unknown>, c)));
      expect(Object.keys(doc[0]!)).toEqual([...scalar.slice(0, 24), 'measures', 'symptoms', 'exercises', 'notes', 'advice', 'flagged', 'recordedAt', ...later]);
    }
    expect(csv[0]).toMatchObject({ 'rpe.value': '4', 'rpe.scale': 'cr10', 'vitals.glucose.value': '6.2', 'vitals.glucose.unit': 'mmol/L', measures: 'knee_flexion.left=95;effusion_grade.left=trace;lefs=40', notes: "'-2 reps\ton the left\nnext time more" });
    expect(csv[1]).toMatchObject({ attended: 'false', 'vitals.bp.systolic': '205', notes: "'=SUM(A1)", flagged: 'bp_hold' });
    expect(tsvText.trimEnd().split('\n')).toHaveLength(3);
  }, 60_000);
});

describe('referral list --format', () => {
  it('csv and tsv: the JSON fields, the client named like a formula defused', async () => {
    const { run, ok } = await setup();
    await ok(['referral', 'resolve', '1', '--note', '+ GP: may continue']);
    const { json, csv, tsv, csvText } = await documents(run, ['referral', 'list', '--all']);
    const columns = ['id', 'clientId', 'client', 'entryId', 'raisedOn', 'code', 'reason', 'toWhom', 'status', 'resolvedOn', 'resolutionNote', 'resolvedBy'];
    expect(csvText.split('\n')[0]).toBe(columns.join(','));
    expect(Object.keys(json[0]!).sort()).toEqual([...columns].sort());
    expect(json).toHaveLength(1);
    for (const doc of [csv, tsv]) expect(doc).toEqual(json.map((r) => Object.fromEntries(columns.map((c) => [c, asCell(r[c])]))));
    expect(csv[0]).toMatchObject({ client: `'${FORMULA} Test`, code: 'bp_hold', status: 'resolved', resolutionNote: "'+ GP: may continue" });
    // Open referrals only, by default: none left, so the header alone.
    expect((await run(['referral', 'list', '--format', 'csv'])).stdout).toBe(`${columns.join(',')}\n`);
  }, 60_000);
});

describe('summary --format', () => {
  it('csv and tsv: the documented columns with the JSON values; outcomes as text', async () => {
    const { run } = await setup();
    const { json, csv, tsv, tsvText } = await documents(run, ['summary', '--since', '14d']);
    const columns = ['clientId', 'client', 'status', 'stage', 'stageName', 'sessionsPlanned', 'sessionsAttended', 'adherence', 'painTrend', 'outcomes', 'openReferrals', 'lastSession', 'nextAction', 'flagged'];
    expect(tsvText.split('\n')[0]).toBe(columns.join('\t'));
    expect(json).toHaveLength(2);
    for (const doc of [csv, tsv]) {
      expect(doc).toHaveLength(2);
      doc.forEach((row, i) => {
        for (const c of columns.filter((x) => x !== 'outcomes')) expect(row[c], c).toBe(asCell(json[i]![c]));
        const outcomes = json[i]!.outcomes as { code: string; baseline: number; latest: number }[];
        expect(row.outcomes!.split('; ').filter(Boolean).map((o) => o.split(' ')[0])).toEqual(outcomes.map((o) => o.code));
      });
    }
    const formula = csv.find((r) => r.clientId === '1')!;
    expect(formula.client).toBe(`'${FORMULA} Test`);
    expect(formula.outcomes).toMatch(/^lefs 40→40/);
    expect(formula.flagged).toBe('true');
  }, 60_000);
});
