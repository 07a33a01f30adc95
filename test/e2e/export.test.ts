/** `bridgefit export` and `bridgefit import` as a trainer runs them: the built binary, pipes, exit codes, one line on stderr. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bf, bfInTerminal } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { mode, tempDir } from '../helpers/tmp.js';

const TABLES = ['clients', 'intakes', 'clearances', 'screenings', 'programs', 'stage_transitions', 'signoffs', 'progress_entries', 'measurements', 'entry_amendments', 'referrals', 'audit_log'];

/** The demo database, made once by the binary; each test works on a copy. */
let demo: string;
beforeAll(async () => {
  const dir = tempDir();
  const r = await bf(['demo', '--dir', dir], { cwd: dir });
  expect(r.exitCode, r.stderr).toBe(0);
  demo = path.join(dir, 'demo.db');
  const saved = fs.readFileSync(demo);
  const keep = path.join(fs.mkdtempSync(path.join(path.dirname(dir), 'bridgefit-export-e2e-')), 'demo.db');
  fs.writeFileSync(keep, saved);
  demo = keep;
}, 120_000);
afterAll(() => fs.rmSync(path.dirname(demo), { recursive: true, force: true }));

function copy(cwd: string): string {
  const file = path.join(cwd, 'clients.db');
  fs.copyFileSync(demo, file);
  return file;
}

const oneLine = (stderr: string) => stderr.trimEnd().split('\n');
const same = (text: string) => {
  const doc = JSON.parse(text);
  delete doc.exportId;
  delete doc.exportedAt;
  return doc;
};

describe('bridgefit export', () => {
  it('--all --out file: 0600, the whole demo; import into a fresh database and export again gives the same document', async () => {
    const cwd = tempDir();
    const db = copy(cwd);
    const r = await bf(['--db', db, 'export', '--all', '--format', 'json', '--out', 'all.json'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Exported 5 clients \(\d+ session entries, \d+ audit records\) to all\.json\n$/);
    expect(mode(path.join(cwd, 'all.json'))).toBe(0o600);
    const first = fs.readFileSync(path.join(cwd, 'all.json'), 'utf8');
    expect(JSON.parse(first).clients).toHaveLength(5);

    const imported = await bf(['--db', 'fresh.db', 'import', 'all.json'], { cwd });
    expect(imported.exitCode, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/^Imported 5 clients \(.*; ids kept\) from all\.json\n$/);
    const again = await bf(['--db', 'fresh.db', 'export', '--all', '--out', '-'], { cwd });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(same(again.stdout)).toEqual(same(first));
    for (const t of TABLES) expect(rows(path.join(cwd, 'fresh.db'), `select * from ${t} order by id`), t).toEqual(rows(db, `select * from ${t} order by id`));

    // The same file again: refused, naming it, nothing written.
    const twice = await bf(['--db', 'fresh.db', 'import', 'all.json'], { cwd });
    expect(twice.exitCode).toBe(1);
    expect(oneLine(twice.stderr)).toEqual([expect.stringMatching(/^bridgefit: all\.json was imported already \(export [0-9a-f-]+, on \d{4}-\d\d-\d\d from all\.json\); nothing was imported$/)]);
    expect(rows(path.join(cwd, 'fresh.db'), 'select count(*) as n from clients')).toEqual([{ n: 5 }]);
  });

  it('<client> to stdout: one client, their records; imported into the database beside the others with new ids', async () => {
    const cwd = tempDir();
    const db = copy(cwd);
    const r = await bf(['--db', db, 'export', 'zoe'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.scope).toBe('client');
    expect(doc.clients.map((c: { firstName: string }) => c.firstName)).toEqual(['Zoë']);
    fs.writeFileSync(path.join(cwd, 'zoe.json'), r.stdout);
    const imported = await bf(['--db', db, 'import', 'zoe.json', '--json'], { cwd });
    expect(imported.exitCode, imported.stderr).toBe(0);
    const result = JSON.parse(imported.stdout);
    expect(result.keptIds).toBe(false);
    expect(result.clientIds).toEqual([{ from: doc.clients[0].id, to: 6 }]);
    expect(rows(db, "select count(*) as n from clients where first_name = 'Zoë'")).toEqual([{ n: 2 }]);
    const entries = (id: number) => rows(db, `select session_date, pain_before, decision from progress_entries where client_id = ${id} order by id`);
    expect(entries(6)).toEqual(entries(doc.clients[0].id));
  });

  it('import - reads the document from stdin', async () => {
    const cwd = tempDir();
    const db = copy(cwd);
    const r = await bf(['--db', db, 'export', '--all'], { cwd });
    const imported = await bf(['--db', 'piped.db', '-q', 'import', '-'], { cwd, input: r.stdout });
    expect(imported.exitCode, imported.stderr).toBe(0);
    expect(imported.stderr).toBe('');
    expect(rows(path.join(cwd, 'piped.db'), 'select count(*) as n from progress_entries')).toEqual(rows(db, 'select count(*) as n from progress_entries'));
  });

  it('--schema prints the JSON Schema of the document', async () => {
    const cwd = tempDir();
    const r = await bf(['export', '--schema'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.properties.format.const).toBe('bridgefit-export');
    expect(schema.properties.version.const).toBe(1);
  });

  it.each([
    [['export', 'nobody'], 3, /^bridgefit: no client (matches|fits|named) .*nobody/i],
    [['export'], 2, /^bridgefit: missing <client>: which client to export\? \(or --all for everything, --schema for the format\)$/],
    [['export', 'zoe', '--all'], 2, /^bridgefit: give a client or --all, not both$/],
    [['export', '--all', '--format', 'csv'], 2, /^bridgefit: --format csv: the export is written as json or fhir$/],
    [['export', '--all', '--out', '-', '--json'], 2, /^bridgefit: --json and --out - both write to standard output/],
    [['export', '--all', '--out', 'no/such/folder/x.json'], 2, /^bridgefit: cannot write no\/such\/folder\/x\.json: the folder .* does not exist$/],
  ])('%j: exit %i and one line', async (args, code, line) => {
    const cwd = tempDir();
    const db = copy(cwd);
    const r = await bf(['--db', db, ...args], { cwd });
    expect(r.exitCode).toBe(code);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toEqual([expect.stringMatching(line)]);
  });

  it('an existing --out without --force is refused and left as it was; --force replaces it', async () => {
    const cwd = tempDir();
    const db = copy(cwd);
    fs.writeFileSync(path.join(cwd, 'notes.json'), 'my notes');
    const r = await bf(['--db', db, 'export', '--all', '--out', 'notes.json'], { cwd });
    expect(r.exitCode).toBe(1);
    expect(oneLine(r.stderr)).toEqual(['bridgefit: notes.json already exists; give --force to replace it, or choose another --out']);
    expect(fs.readFileSync(path.join(cwd, 'notes.json'), 'utf8')).toBe('my notes');
    const forced = await bf(['--db', db, 'export', '--all', '--out', 'notes.json', '--force'], { cwd });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(cwd, 'notes.json'), 'utf8')).format).toBe('bridgefit-export');
    expect(fs.readdirSync(cwd).sort()).toEqual(['clients.db', 'notes.json']);
  });
});

describe('bridgefit import refuses', () => {
  it.each([
    ['invalid JSON', '{"format": "bridgefit-export", ', 2, /^bridgefit: bad\.json is not valid JSON: .*; nothing was imported$/],
    ['another format', '{"resourceType": "Bundle", "type": "collection"}', 2, /^bridgefit: bad\.json is not a bridgefit export bridgefit can read: format: expected "bridgefit-export", got nothing: not a bridgefit export; nothing was imported$/],
    ['a later version', '{"format": "bridgefit-export", "version": 7}', 2, /^bridgefit: bad\.json .*export version 7, written by a newer bridgefit; this one reads version 1; nothing was imported$/],
  ])('%s: exit %i, one line, nothing written', async (_what, text, code, line) => {
    const cwd = tempDir();
    const db = copy(cwd);
    fs.writeFileSync(path.join(cwd, 'bad.json'), text);
    const before = rows(db, 'select count(*) as n from clients');
    const r = await bf(['--db', db, 'import', 'bad.json'], { cwd });
    expect(r.exitCode).toBe(code);
    expect(oneLine(r.stderr)).toEqual([expect.stringMatching(line)]);
    expect(rows(db, 'select count(*) as n from clients')).toEqual(before);
    // Where there was no database, none is made.
    const none = await bf(['--db', 'new.db', 'import', 'bad.json'], { cwd });
    expect(none.exitCode).toBe(code);
    expect(fs.existsSync(path.join(cwd, 'new.db'))).toBe(false);
  });

  it('a file with several problems: a summary line, then one line per problem by JSON path', async () => {
    const cwd = tempDir();
    const db = copy(cwd);
    const r = await bf(['--db', db, 'export', '--all'], { cwd });
    const doc = JSON.parse(r.stdout);
    doc.clients[0].status = 'gone';
    doc.clients[1].entries = 'none';
    fs.writeFileSync(path.join(cwd, 'bad.json'), JSON.stringify(doc));
    const imported = await bf(['--db', db, 'import', 'bad.json'], { cwd });
    expect(imported.exitCode).toBe(2);
    expect(oneLine(imported.stderr)).toEqual([
      'bridgefit: bad.json is not a bridgefit export bridgefit can read (2 problems); nothing was imported:',
      expect.stringMatching(/^ {2}clients\[0\]\.status: /),
      expect.stringMatching(/^ {2}clients\[1\]\.entries: /),
    ]);
  });

  it('a missing file, naming it', async () => {
    const cwd = tempDir();
    const r = await bf(['--db', 'x.db', 'import', 'nothing.json'], { cwd });
    expect(r.exitCode).toBe(2);
    expect(oneLine(r.stderr)).toEqual(['bridgefit: import nothing.json: no such file']);
    expect(fs.existsSync(path.join(cwd, 'x.db'))).toBe(false);
  });
});

describe('progress bars at a terminal (issue 19)', () => {
  it('export --all and import each show a bar over the clients; piped, none', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'demo.db');
    fs.copyFileSync(demo, db);
    const out = path.join(dir, 'all.json');
    const exported = await bfInTerminal(['--db', db, 'export', '--all', '--out', out], [], { cwd: dir, timeoutMs: 60_000 });
    expect(exported.exitCode, exported.screen).toBe(0);
    expect(exported.screen).toMatch(/Exporting \[#+\] 5\/5/);
    const imported = await bfInTerminal(['--db', path.join(dir, 'fresh.db'), 'import', out], [], { cwd: dir, timeoutMs: 60_000 });
    expect(imported.exitCode, imported.screen).toBe(0);
    expect(imported.screen).toMatch(/Importing \[#+\] 5\/5/);
    const piped = await bf(['--db', path.join(dir, 'other.db'), 'import', out], { cwd: dir });
    expect(piped.exitCode, piped.stderr).toBe(0);
    expect(piped.stderr).not.toContain('\r');
  }, 120_000);
});
