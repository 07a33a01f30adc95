/**
 * `bridgefit export <client> --format fhir`: one client's record as a FHIR R4
 * Bundle (src/domain/fhir.ts). The record is read as the JSON export reads it
 * (store/export.ts readExportedClients, in one read transaction, so it is one
 * moment's data), mapped by the domain, and written to a file (0600,
 * atomically, never over a file without --force) or to a stream.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ExportedClient } from '../domain/export.js';
import { buildFhirBundle, type Bundle, type FhirDocument } from '../domain/fhir.js';
import type { GeneratedProgram } from '../domain/program.js';
import { reportFileName } from '../domain/report.js';
import { resolveSettings, resolveTrainer } from '../domain/settings.js';
import { getStoredSettings, readExportedClients } from '../store/export.js';
import { writeFileAtomically } from '../store/files.js';
import type { Store } from '../store/store.js';
import { NotFoundError, UsageError, UserError } from './errors.js';
import { checkExportTarget } from './export.js';
import { existingTarget } from './report-files.js';
import type { FitsOf } from './fits.js';

/** The namespace of bridgefit's FHIR ids (UUID v5, RFC 4122 §4.3): fixed, so the same record always gets the same id. */
export const FHIR_ID_NAMESPACE = 'bc5ffabd-7f8d-472a-a7ec-42a7887635bc';

/** A name-based UUID, version 5 (SHA-1), RFC 4122 §4.3. */
export function uuidV5(name: string, namespace: string = FHIR_ID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface FhirOptions {
  /** The first day of the window (--since), or undefined for every dated record. */
  since?: string;
  now: string;
  fits: FitsOf;
}

export interface FhirExportResult {
  clientId: number;
  /** The file written, or "-" for a stream. */
  file: string;
  bytes: number;
  since: string | null;
  /** Resources in the bundle, by type. */
  resources: Record<string, number>;
  /** The PDFs the bundle references (DocumentReference). */
  documents: string[];
}

/** One client's record, as the JSON export holds it, with the settings the mapping needs: one read transaction. */
async function readClient(store: Store, clientId: number) {
  return store.db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
    const read = await readExportedClients(tx, [clientId]);
    const text = read.texts[0];
    if (text === undefined) throw new NotFoundError(`no client with id ${clientId}`);
    const stored = await getStoredSettings(tx);
    return { client: JSON.parse(text.toString('utf8')) as ExportedClient, stored };
  });
}

/** The client's bundle. Reads only. */
export async function clientBundle(store: Store, clientId: number, opts: FhirOptions, documentsIn?: string): Promise<{ bundle: Bundle; documents: FhirDocument[] }> {
  const { client, stored } = await readClient(store, clientId);
  const documents = documentsIn === undefined ? [] : documentsBeside(documentsIn, client);
  const fits = new Map<number, readonly string[]>();
  for (const p of client.programs) fits.set(p.id, await opts.fits(p.snapshot as unknown as GeneratedProgram));
  const settings = resolveSettings(stored);
  const bundle = buildFhirBundle({
    client,
    ...(opts.since !== undefined ? { since: opts.since } : {}),
    now: opts.now,
    trainer: resolveTrainer(stored),
    clearanceValidityMonths: settings['screening.clearanceValidityMonths'],
    fits,
    documents,
    uuid: (name) => uuidV5(name),
  });
  return { bundle, documents };
}

/**
 * The client's report and handout PDFs (the names `report` and `demo` give
 * them) when they are in `dir`, beside the bundle: referenced by file name,
 * with their size and SHA-1 (R4 Attachment). Only regular files that are PDFs.
 */
export function documentsBeside(dir: string, client: Pick<ExportedClient, 'id' | 'firstName' | 'lastName'>): FhirDocument[] {
  const out: FhirDocument[] = [];
  for (const kind of ['report', 'handout'] as const) {
    const fileName = reportFileName(client.id, client.firstName, client.lastName, `-${kind}`);
    const file = path.join(dir, fileName);
    const stat = fs.lstatSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    const bytes = fs.readFileSync(file);
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') continue;
    out.push({ kind, fileName, size: bytes.length, sha1: createHash('sha1').update(bytes).digest('base64'), createdAt: stat.mtime.toISOString() });
  }
  return out;
}

/** Whether `file` begins as bundleText writes a bundle. */
function startsAsBundle(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(64);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n).toString('utf8').startsWith('{\n  "resourceType": "Bundle",');
  } finally {
    fs.closeSync(fd);
  }
}

/** The bundle as the file holds it: JSON, two-space indented, one newline at the end. */
export function bundleText(bundle: Bundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

function counts(bundle: Bundle): Record<string, number> {
  const by: Record<string, number> = {};
  for (const e of bundle.entry) by[e.resource.resourceType] = (by[e.resource.resourceType] ?? 0) + 1;
  return by;
}

/** Write the bundle to a stream (standard output). */
export async function writeFhir(store: Store, clientId: number, sink: (text: string) => unknown, opts: FhirOptions): Promise<FhirExportResult> {
  const { bundle } = await clientBundle(store, clientId, opts);
  const text = bundleText(bundle);
  await sink(text);
  return { clientId, file: '-', bytes: Buffer.byteLength(text), since: opts.since ?? null, resources: counts(bundle), documents: [] };
}

/**
 * Write the bundle to `file`, atomically (store/files.ts writeFileAtomically:
 * a 0600 partial beside it, fsync, rename), referencing the client's report
 * PDFs in the same folder. An existing file is replaced only with `force`;
 * checked before reading and again before the rename.
 */
export async function exportFhirToFile(store: Store, clientId: number, file: string, force: boolean | 'earlier-bundle', opts: FhirOptions): Promise<FhirExportResult> {
  // 'earlier-bundle' (the demo): replace a bundle bridgefit wrote before, never another file.
  if (force === 'earlier-bundle') {
    if (existingTarget(file) && !startsAsBundle(file)) throw new UsageError(`${file} exists and is not a FHIR bundle; not replacing it`);
    force = true;
  }
  checkExportTarget(file, force);
  const { bundle, documents } = await clientBundle(store, clientId, opts, path.dirname(path.resolve(file)));
  const bytes = Buffer.from(bundleText(bundle), 'utf8');
  checkExportTarget(file, true); // still a place a file may go (not become a link or a folder meanwhile)
  if (!force && fs.existsSync(file)) throw new UserError(`${file} was made by another command meanwhile; nothing was written`);
  await writeFileAtomically(file, bytes);
  return { clientId, file, bytes: bytes.length, since: opts.since ?? null, resources: counts(bundle), documents: documents.map((d) => d.fileName) };
}
