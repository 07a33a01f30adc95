/**
 * `bridgefit import <file>`: an export document loaded into this database in
 * one write transaction, after the whole file is checked. Into a database
 * with no data the file's ids are kept (so export → import → export gives
 * the same document); into one with data every record gets a new id and the
 * references follow. The same export is imported once: the database keeps a
 * record of each import (its export id, file, hash) and refuses it again.
 */
import { createHash } from 'node:crypto';
import { checkExportDocument, type ExportDocument } from '../domain/export.js';
import { oneLine } from '../domain/errors.js';
import { isPersonalSetting } from '../domain/settings.js';
import { findImport, writeImport } from '../store/export.js';
import type { Store } from '../store/store.js';
import type { Ctx } from './context.js';
import { InputError, UsageError, UserError } from './errors.js';

export interface ImportResult {
  file: string;
  exportId: string;
  clients: number;
  /** Rows written, by table. */
  rows: Record<string, number>;
  /** True when the file's ids were kept (the database held no data). */
  keptIds: boolean;
  /** Source client id and the id it has here. */
  clientIds: { from: number; to: number }[];
  /** Settings in the file that this database already set otherwise: kept as they were. */
  settingsKept: string[];
}

/** At most this many problems are listed; the rest are counted. */
const LISTED = 50;

/** Parse and check an export file's text: the document, or an error naming every problem by its JSON path. */
export function readExportText(text: string, name: string): ExportDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const why = oneLine((err as Error).message);
    throw new UsageError(`${name} is not valid JSON: ${why.length > 160 ? `${why.slice(0, 159)}…` : why}; nothing was imported`);
  }
  const checked = checkExportDocument(raw);
  if (!checked.ok) {
    const { problems } = checked;
    const lines = problems.slice(0, LISTED).map((p) => `${p.path}: ${p.message}`);
    if (problems.length > LISTED) lines.push(`… and ${problems.length - LISTED} more`);
    if (problems.length === 1) throw new UsageError(`${name} is not a bridgefit export bridgefit can read: ${lines[0]}; nothing was imported`);
    throw new InputError(`${name} is not a bridgefit export bridgefit can read (${problems.length} problems); nothing was imported:`, lines);
  }
  return checked.document;
}

/** A file read and checked, ready to import: checked before the database is opened, so a bad file leaves nothing behind. */
export interface PreparedImport {
  file: string;
  document: ExportDocument;
  sha256: string;
}

export function prepareImport(text: string, file: string): PreparedImport {
  return { file, document: readExportText(text, file), sha256: createHash('sha256').update(text).digest('hex') };
}

export async function importExport(store: Store, text: string, file: string, ctx: Ctx): Promise<ImportResult> {
  return importPrepared(store, prepareImport(text, file), ctx);
}

export async function importPrepared(store: Store, prepared: PreparedImport, ctx: Ctx, progress?: (done: number, total: number) => void): Promise<ImportResult> {
  const { file, document: doc, sha256 } = prepared;
  if (doc.schemaVersion > store.schemaVersion) {
    throw new UserError(`${file} was exported from a database at schema ${doc.schemaVersion}; this one is at ${store.schemaVersion}: upgrade bridgefit to import it; nothing was imported`);
  }
  return store.write(async (tx) => {
    const earlier = await findImport(tx, doc.exportId);
    if (earlier) {
      throw new UserError(`${file} was imported already (export ${doc.exportId}, on ${earlier.importedAt.slice(0, 10)} from ${earlier.file}); nothing was imported`);
    }
    // A clinic's rules are its administrators' (row-level security says so too): a trainer moving in
    // brings their own details for reports, and keeps the clinic's screening settings.
    const mayWrite = (key: string) => store.clinic === undefined || store.clinic.role === 'admin' || isPersonalSetting(key);
    const written = await writeImport(tx, doc, { exportId: doc.exportId, file, sha256, importedAt: ctx.now, clients: doc.clients.length }, progress, mayWrite);
    return {
      file,
      exportId: doc.exportId,
      clients: doc.clients.length,
      rows: written.rows,
      keptIds: written.keptIds,
      clientIds: [...written.clients].map(([from, to]) => ({ from, to })),
      settingsKept: written.settingsKept,
    };
  });
}
