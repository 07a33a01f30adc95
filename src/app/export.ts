/**
 * `bridgefit export`: the database (or some clients) as one JSON document
 * (src/domain/export.ts), written a client at a time so that a large
 * database is never held whole, to a file (0600, atomically, never over an
 * existing file without --force) or to a stream.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EXPORT_FORMAT, EXPORT_VERSION } from '../domain/export.js';
import { auditPages, clientIdPages, countRows, DATA_TABLES, getStoredSettings, readExportedClients } from '../store/export.js';
import { countClients } from '../store/clients.js';
import { cannotWrite, commitPartial } from '../store/files.js';
import type { Store } from '../store/store.js';
import { UserError } from './errors.js';
import { existingTarget } from './report-files.js';

export type ExportSelection = { all: true } | { all: false; clientIds: number[] };

export interface ExportResult {
  exportId: string;
  scope: 'all' | 'client';
  clients: number;
  /** Rows written, by table. */
  rows: Record<string, number>;
  /** The file written, or "-" for a stream. */
  file: string;
  bytes: number;
}

/**
 * Where the document goes, a piece at a time, as UTF-8 bytes (each piece
 * whole records, so valid UTF-8 on its own); a returned promise is waited for
 * (backpressure). It may return the bytes it wrote; else they are counted.
 */
export type Sink = (chunk: Buffer) => number | void | Promise<number | void>;

/**
 * Write the document to `sink`. With `all`, the rows written are checked
 * against the rows in the database: a row the nesting missed (one whose
 * client and parent disagree) fails the export rather than being left out.
 * Run inside one read transaction, so the document is one moment's data.
 */
/** How many clients are written so far, of how many (a progress bar). */
export type ClientProgress = (done: number, total: number) => void;

export async function writeExport(store: Store, selection: ExportSelection, sink: Sink, now: string, progress: ClientProgress = () => {}): Promise<Omit<ExportResult, 'file'>> {
  const exportId = randomUUID();
  const scope = selection.all ? 'all' : 'client';
  const rows = Object.fromEntries(DATA_TABLES.map((t) => [t, 0])) as Record<(typeof DATA_TABLES)[number], number>;
  let bytes = 0;
  const send = async (chunk: Buffer) => {
    const wrote = await sink(chunk);
    bytes += typeof wrote === 'number' ? wrote : chunk.length;
  };
  // Small pieces (audit records, separators) are gathered to about 1 MB before they go out; a
  // client's bytes (hundreds of KB, as SQLite made them) go as they are, without another copy.
  let pending: Buffer[] = [];
  let pendingLength = 0;
  const flush = async () => {
    if (pendingLength === 0) return;
    const chunk = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingLength);
    pending = [];
    pendingLength = 0;
    await send(chunk);
  };
  const put = async (piece: string | Buffer) => {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    if (chunk.length >= 1 << 16) {
      await flush();
      await send(chunk);
      return;
    }
    pending.push(chunk);
    pendingLength += chunk.length;
    if (pendingLength >= 1 << 20) await flush();
  };
  const SEP_FIRST = Buffer.from('\n');
  const SEP = Buffer.from(',\n');

  // One snapshot: on PostgreSQL repeatable read (others write meanwhile); SQLite's transaction is one already.
  return store.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      const settings = selection.all ? await getStoredSettings(tx) : {};
      const head = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportId, exportedAt: now, schemaVersion: store.schemaVersion, scope, settings };
      const headText = JSON.stringify(head);
      await put(`${headText.slice(0, -1)},\n"clients":[`);
      let clients = 0;
      const total = selection.all ? await countClients(tx) : selection.clientIds.length;
      progress(0, total);
      const ids = async function* () {
        if (selection.all) yield* clientIdPages(tx, 25);
        else yield selection.clientIds;
      };
      for await (const page of ids()) {
        const read = await readExportedClients(tx, page);
        for (const [table, n] of Object.entries(read.counts)) rows[table as keyof typeof rows] += n;
        for (const text of read.texts) {
          await put(clients === 0 ? SEP_FIRST : SEP);
          await put(text);
          clients += 1;
        }
        progress(clients, total);
      }
      await put('\n],\n"audit":[');
      let audits = 0;
      for await (const page of auditPages(tx, selection.all ? 'all' : selection.clientIds)) {
        for (const a of page) {
          await put(audits === 0 ? SEP_FIRST : SEP);
          await put(a);
          audits += 1;
        }
      }
      rows.audit_log = audits;
      await put('\n]}\n');
      if (selection.all) {
        const counts = await countRows(tx);
        const missed = DATA_TABLES.filter((t) => counts[t] !== rows[t]);
        if (missed.length > 0) {
          throw new UserError(
            `the export would leave out rows (${missed.map((t) => `${t}: ${rows[t]} of ${counts[t]}`).join(', ')}): their client or parent is not there; run "bridgefit doctor"`,
          );
        }
      }
      await flush();
      return { exportId, scope, clients, rows, bytes } as const;
    });
}

/**
 * Whether `file` may be written: not a folder, link, device or pipe; an
 * existing file only with `force`. Checked before the database is read.
 */
export function checkExportTarget(file: string, force: boolean): void {
  if (existingTarget(file) && !force) throw new UserError(`${file} already exists; give --force to replace it, or choose another --out`);
}

/**
 * Export into `file`: written under a hidden partial name beside it (0600,
 * never over another file), given its name only once whole and on the disk.
 * A failed or killed export leaves no file that passes for a finished one.
 */
export async function exportToFile(store: Store, selection: ExportSelection, file: string, force: boolean, now: string, progress?: ClientProgress): Promise<ExportResult> {
  checkExportTarget(file, force);
  const partial = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.partial`);
  let fd: number;
  try {
    fd = fs.openSync(partial, 'wx', 0o600);
  } catch (err) {
    throw cannotWrite(file, err);
  }
  let closed = false;
  // What is written goes to the disk while the rest is read: an fsync in the background every
  // 256 MB (one at a time), so the fsync before the rename has little left to do.
  let unsynced = 0;
  let syncing: Promise<void> | null = null;
  const syncInBackground = () => {
    syncing = new Promise<void>((resolve) => fs.fsync(fd, () => resolve())).then(() => {
      syncing = null;
    });
  };
  try {
    const result = await writeExport(
      store,
      selection,
      (chunk) => {
        const bytes = chunk.length;
        try {
          // The bytes as they are; a short write goes on from where it stopped.
          for (let at = 0; at < bytes; ) at += fs.writeSync(fd, chunk, at, bytes - at);
        } catch (err) {
          throw cannotWrite(file, err);
        }
        unsynced += bytes;
        if (unsynced >= 256 << 20 && !syncing) {
          unsynced = 0;
          syncInBackground();
        }
        return bytes;
      },
      now,
      progress,
    );
    await syncing;
    fs.closeSync(fd);
    closed = true;
    // Checked again: another command may have made the file meanwhile.
    if (!force && fs.existsSync(file)) throw new UserError(`${file} was made by another command meanwhile; nothing was written`);
    try {
      commitPartial(partial, file);
    } catch (err) {
      throw cannotWrite(file, err);
    }
    return { ...result, file };
  } finally {
    await syncing; // never close the file under an fsync still running
    if (!closed) fs.closeSync(fd);
    fs.rmSync(partial, { force: true });
  }
}
