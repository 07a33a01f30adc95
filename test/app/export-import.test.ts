/**
 * Export and import on real databases: the round trip (every table equal),
 * ids remapped into a database that already holds clients, a second import
 * refused, a broken file refused with nothing written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amendEntry } from '../../src/app/amend-entry.js';
import { resolveClient } from '../../src/app/clients.js';
import { recordSession } from '../../src/app/record-session.js';
import { checkProgressInput } from '../../src/domain/progress-input.js';
import { makeDemo } from '../../src/app/demo.js';
import { InputError, UsageError, UserError } from '../../src/app/errors.js';
import { exportToFile, writeExport, type ExportSelection } from '../../src/app/export.js';
import { importExport } from '../../src/app/import.js';
import { openDatabase, type Store } from '../../src/app/open.js';
import type { ExportDocument } from '../../src/domain/export.js';
import { ctx } from '../helpers/app.js';
import { rows } from '../helpers/db.js';
import { renumbered, withoutIdentity } from '../helpers/renumber.js';
import { tempDir } from '../helpers/tmp.js';

const DATA_TABLES = ['clients', 'intakes', 'clearances', 'screenings', 'programs', 'stage_transitions', 'signoffs', 'progress_entries', 'measurements', 'entry_amendments', 'referrals', 'audit_log'];

let demoFile: string;
let demoDir: string;
afterAll(() => fs.rmSync(demoDir, { recursive: true, force: true }));
beforeAll(async () => {
  // The demo (every kind of record, its trainer settings) plus an amendment, outside the per-test folders.
  const dir = (demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridgefit-export-demo-')));
  demoFile = (await makeDemo(dir, ctx)).database;
  const store = await openDatabase(demoFile);
  try {
    const zoe = await resolveClient(store, '1');
    await amendEntry(store, zoe, { set: { nextDayPain: 2, notes: 'felt fine next morning' }, clear: [] }, ctx);
    // A session while Łukasz's referral is open: its decision names that referral by id.
    const lukasz = await resolveClient(store, '2');
    const checked = checkProgressInput({ date: ctx.today, painBefore: 1 }, { today: ctx.today, dateOfBirth: lukasz.dateOfBirth });
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    await recordSession(store, lukasz, checked.entry, ctx);
  } finally {
    await store.close();
  }
}, 120_000);

async function copyOfDemo(): Promise<{ store: Store; file: string }> {
  const file = path.join(tempDir(), 'source.db');
  fs.copyFileSync(demoFile, file);
  return { store: await openDatabase(file), file };
}

async function exportText(store: Store, selection: ExportSelection = { all: true }): Promise<string> {
  let text = '';
  await writeExport(store, selection, (chunk) => void (text += chunk), ctx.now);
  return text;
}

function tableRows(file: string, table: string) {
  return rows(file, `select * from ${table} order by id`);
}

describe('export → import → export', () => {
  it('into a fresh database gives the same document, and every table compares equal row for row', async () => {
    const { store, file } = await copyOfDemo();
    const first = await exportText(store);
    await store.close();
    const doc = JSON.parse(first) as ExportDocument;
    // The demo has every kind of record, so every table is tried.
    for (const table of DATA_TABLES) expect(tableRows(file, table).length, table).toBeGreaterThan(0);
    expect(doc.clients.length).toBe(tableRows(file, 'clients').length);

    const targetFile = path.join(tempDir(), 'fresh.db');
    const target = await openDatabase(targetFile, { create: true });
    const result = await importExport(target, first, 'all.json', ctx);
    expect(result.keptIds).toBe(true);
    const second = await exportText(target);
    await target.close();

    expect(withoutIdentity(JSON.parse(second))).toEqual(withoutIdentity(doc));
    for (const table of DATA_TABLES) expect(tableRows(targetFile, table), table).toEqual(tableRows(file, table));
    const settings = (f: string) => rows(f, "select key, value from bridgefit_meta where key like 'setting:%' order by key");
    expect(settings(targetFile).length).toBeGreaterThan(0);
    expect(settings(targetFile)).toEqual(settings(file));
  });

  it('into a database that holds clients: new ids, every reference follows, the clients there are untouched', async () => {
    const { store } = await copyOfDemo();
    const text = await exportText(store);
    await store.close();
    const { store: target, file: targetFile } = await copyOfDemo();
    const before = Object.fromEntries(DATA_TABLES.map((t) => [t, tableRows(targetFile, t)]));
    const result = await importExport(target, text, 'all.json', ctx);
    expect(result.keptIds).toBe(false);
    const doc = JSON.parse(text) as ExportDocument;
    const newIds = result.clientIds.map((c) => c.to);
    expect(Math.min(...newIds)).toBeGreaterThan(Math.max(...doc.clients.map((c) => c.id)));
    // The clients that were there are as they were.
    for (const table of DATA_TABLES) expect(tableRows(targetFile, table).slice(0, before[table]!.length), table).toEqual(before[table]);
    // The imported clients, exported again, are the file's up to ids.
    const again = JSON.parse(await exportText(target, { all: false, clientIds: newIds })) as ExportDocument;
    await target.close();
    expect(renumbered({ ...again, scope: 'all', settings: doc.settings })).toEqual(renumbered(doc));
    // The ids inside JSON values are the imported records' own, never the file's (which name another client here).
    const entryIds = new Set(again.clients.flatMap((c) => c.entries.map((e) => e.id)));
    const referralIds = new Set(again.clients.flatMap((c) => c.referrals.map((r) => r.id)));
    const evidence = again.clients.flatMap((c) => c.programs.flatMap((p) => p.stageTransitions.map((t) => t.evidence as { criteria: { entries: number[] }[] })));
    expect(evidence.length).toBeGreaterThan(0);
    for (const ev of evidence) for (const k of ev.criteria) for (const id of k.entries) expect(entryIds.has(id), `evidence entry ${id}`).toBe(true);
    const open = again.clients.flatMap((c) => c.entries.flatMap((e) => (e.decision as { openReferrals?: { id: number }[] }).openReferrals ?? []));
    expect(open.length).toBeGreaterThan(0);
    for (const r of open) expect(referralIds.has(r.id), `open referral ${r.id}`).toBe(true);
    // Every table grew by what the file holds, in one transaction.
    expect(tableRows(targetFile, 'progress_entries').length).toBe(before.progress_entries!.length * 2);
    expect(result.settingsKept).toEqual([]);
  });

  it('an audit record naming an entity bridgefit does not have (a crafted "constructor") keeps no id, and the import goes on', async () => {
    const { store } = await copyOfDemo();
    const doc = JSON.parse(await exportText(store)) as ExportDocument;
    await store.close();
    const crafted = { ...doc, exportId: '00000000-0000-4000-8000-000000000001', audit: doc.audit.map((a, i) => (i === 0 ? { ...a, entity: 'constructor' } : a)) };
    const { store: target, file } = await copyOfDemo();
    const result = await importExport(target, JSON.stringify(crafted), 'crafted.json', ctx);
    await target.close();
    expect(result.keptIds).toBe(false);
    expect(rows(file, "select entity_id from audit_log where entity = 'constructor'")).toEqual([{ entity_id: null }]);
  });

  it("keeps this database's own value of a setting the file says otherwise, and names it", async () => {
    const { store } = await copyOfDemo();
    const text = await exportText(store);
    await store.close();
    const { store: target, file: targetFile } = await copyOfDemo();
    await target.close();
    const raw = new SqliteDatabase(targetFile);
    raw.prepare("update bridgefit_meta set value = 'Alex Kim' where key = 'setting:trainer.name'").run();
    raw.prepare("delete from bridgefit_meta where key = 'setting:trainer.contact'").run();
    raw.close();
    const again = await openDatabase(targetFile);
    const result = await importExport(again, text, 'all.json', ctx);
    await again.close();
    expect(result.settingsKept).toEqual(['trainer.name']);
    const setting = (key: string) => rows(targetFile, `select value from bridgefit_meta where key = 'setting:${key}'`)[0]?.value;
    expect(setting('trainer.name')).toBe('Alex Kim');
    expect(setting('trainer.contact')).toBe((JSON.parse(text) as ExportDocument).settings['trainer.contact']);
  });

  it('one client: the same document shape, with only their records and audit', async () => {
    const { store } = await copyOfDemo();
    const zoe = await resolveClient(store, '1');
    const doc = JSON.parse(await exportText(store, { all: false, clientIds: [zoe.id] })) as ExportDocument;
    await store.close();
    expect(doc.scope).toBe('client');
    expect(doc.clients.map((c) => c.id)).toEqual([zoe.id]);
    expect(doc.settings).toEqual({});
    expect(doc.audit.length).toBeGreaterThan(0);
    expect(doc.audit.every((a) => a.clientId === zoe.id)).toBe(true);
    expect(doc.clients[0]!.entries.some((e) => e.amendments.length > 0)).toBe(true);
  });
});

describe('import refuses', () => {
  it('the same export a second time, naming the file, and writes nothing', async () => {
    const { store } = await copyOfDemo();
    const text = await exportText(store);
    await store.close();
    const targetFile = path.join(tempDir(), 'target.db');
    const target = await openDatabase(targetFile, { create: true });
    await importExport(target, text, 'all.json', ctx);
    const counts = DATA_TABLES.map((t) => tableRows(targetFile, t).length);
    await expect(importExport(target, text, 'copy-of-all.json', ctx)).rejects.toThrow(/^copy-of-all\.json was imported already \(export [0-9a-f-]+, on 2026-12-02 from all\.json\); nothing was imported$/);
    await target.close();
    expect(DATA_TABLES.map((t) => tableRows(targetFile, t).length)).toEqual(counts);
  });

  it('a broken file, naming every problem by its JSON path, before writing anything', async () => {
    const { store } = await copyOfDemo();
    const doc = JSON.parse(await exportText(store)) as ExportDocument;
    await store.close();
    const broken = structuredClone(doc) as unknown as { clients: Record<string, unknown>[] & { entries: Record<string, unknown>[] }[] };
    (broken.clients[0] as Record<string, unknown>).dateOfBirth = '12/04/1961';
    const entries = (broken.clients[0] as { entries: Record<string, unknown>[] }).entries;
    entries[0]!.attended = 'yes';
    const targetFile = path.join(tempDir(), 'target.db');
    const target = await openDatabase(targetFile, { create: true });
    const err = await importExport(target, JSON.stringify(broken), 'broken.json', ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe('broken.json is not a bridgefit export bridgefit can read (2 problems); nothing was imported:');
    expect((err as InputError).details).toEqual([
      expect.stringMatching(/^clients\[0\]\.dateOfBirth: /),
      expect.stringMatching(/^clients\[0\]\.entries\[0\]\.attended: expected boolean/),
    ]);
    // Once every field reads, the references: each to a record of the same client.
    const dangling = structuredClone(doc);
    dangling.clients[0]!.entries[1]!.programId = 9999;
    dangling.clients[1]!.id = dangling.clients[0]!.id;
    await expect(importExport(target, JSON.stringify(dangling), 'dangling.json', ctx)).rejects.toMatchObject({
      details: ['clients[0].entries[1].programId: no program 9999 of this client in the file', `clients[1].id: id ${doc.clients[0]!.id} is used by another client in the file`],
    });
    // Half a file: not JSON.
    await expect(importExport(target, JSON.stringify(doc).slice(0, 500), 'cut.json', ctx)).rejects.toThrow(/^cut\.json is not valid JSON: .*; nothing was imported$/);
    await target.close();
    for (const table of DATA_TABLES) expect(tableRows(targetFile, table), table).toEqual([]);
  });

  it('a file from a newer database schema, naming both versions', async () => {
    const { store } = await copyOfDemo();
    const doc = JSON.parse(await exportText(store)) as ExportDocument;
    const newer = { ...doc, schemaVersion: store.schemaVersion + 1 };
    await expect(importExport(store, JSON.stringify(newer), 'newer.json', ctx)).rejects.toThrow(
      new UserError(`newer.json was exported from a database at schema ${store.schemaVersion + 1}; this one is at ${store.schemaVersion}: upgrade bridgefit to import it; nothing was imported`),
    );
    await store.close();
  });

  it('a later export version or another format in one line', async () => {
    const { store } = await copyOfDemo();
    await expect(importExport(store, JSON.stringify({ format: 'bridgefit-export', version: 2 }), 'v2.json', ctx)).rejects.toThrow(/^v2\.json .*version: the file is export version 2, written by a newer bridgefit; this one reads version 1; nothing was imported$/);
    await expect(importExport(store, JSON.stringify({ resourceType: 'Bundle' }), 'fhir.json', ctx)).rejects.toThrow(UsageError);
    await store.close();
  });
});

describe('export refuses', () => {
  it('a damaged JSON cell, in one line, rather than writing a document that does not read', async () => {
    const { store, file } = await copyOfDemo();
    await store.close();
    const raw = new SqliteDatabase(file);
    raw.prepare("update progress_entries set decision = '{\"hold\": tru' where id = (select min(id) from progress_entries)").run();
    raw.close();
    const again = await openDatabase(file);
    const out = path.join(tempDir(), 'all.json');
    await expect(exportToFile(again, { all: true }, out, false, ctx.now)).rejects.toThrow(
      'the database is damaged: a JSON cell in progress_entries does not read as JSON; run "bridgefit doctor" to see which, and "bridgefit restore" a backup',
    );
    await again.close();
    expect(fs.readdirSync(path.dirname(out))).toEqual([]);
  });
});

describe('export refuses to leave rows out', () => {
  it('a measure whose client is not there (damage): the export fails naming the table, and no file is left', async () => {
    const { store, file } = await copyOfDemo();
    await store.close();
    const raw = new SqliteDatabase(file);
    raw.pragma('foreign_keys = off');
    raw.prepare('update measurements set client_id = 9999 where id = (select min(id) from measurements)').run();
    raw.close();
    const again = await openDatabase(file);
    const total = tableRows(file, 'measurements').length;
    const out = path.join(tempDir(), 'all.json');
    await expect(exportToFile(again, { all: true }, out, false, ctx.now)).rejects.toThrow(
      `the export would leave out rows (measurements: ${total - 1} of ${total}): their client or parent is not there; run "bridgefit doctor"`,
    );
    await again.close();
    expect(fs.readdirSync(path.dirname(out))).toEqual([]);
  });
});

describe('export to a file', () => {
  it('is private (0600), refuses an existing file without force, and replaces it with force', async () => {
    const { store } = await copyOfDemo();
    const out = path.join(tempDir(), 'all.json');
    const result = await exportToFile(store, { all: true }, out, false, ctx.now);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(result.bytes).toBe(fs.statSync(out).size);
    await expect(exportToFile(store, { all: true }, out, false, ctx.now)).rejects.toThrow(`${out} already exists; give --force to replace it, or choose another --out`);
    const again = await exportToFile(store, { all: true }, out, true, ctx.now);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).exportId).toBe(again.exportId);
    await store.close();
    // Nothing but the file is left beside it.
    expect(fs.readdirSync(path.dirname(out))).toEqual(['all.json']);
  });
});
