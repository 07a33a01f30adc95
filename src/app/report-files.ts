/**
 * Where report PDFs go: checked paths, private files, written whole. A
 * report replaces an earlier PDF, never anything else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeDirectory } from '../store/dirs.js';
import { describeFsError, removeStalePartials, writeFileAtomically } from '../store/files.js';
import { UsageError, UserError } from './errors.js';


function startsWithPdf(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(5);
    fs.readSync(fd, head, 0, 5, 0);
    return head.toString('latin1') === '%PDF-';
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * What is at `file` now, for a command about to write there: its folder must
 * exist, and a link, a folder, a device or a pipe is refused (renaming over
 * one would replace it, not write into it). Undefined when nothing is there.
 * Shared by reports and exports.
 */
export function existingTarget(file: string): fs.Stats | undefined {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw new UsageError(`cannot write ${file}: the folder ${dir} does not exist`);
  let existing: fs.Stats | undefined;
  try {
    existing = fs.lstatSync(file, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new UsageError(`cannot write ${file}: part of the path is a file, not a folder`);
    throw err;
  }
  if (!existing) return undefined;
  if (existing.isSymbolicLink()) throw new UsageError(`${file} is a symbolic link; give the path of the file itself`);
  if (existing.isDirectory()) throw new UsageError(`cannot write ${file}: it is a folder`);
  if (!existing.isFile()) throw new UsageError(`${file} is not a regular file (a device or a pipe); not writing over it`);
  return existing;
}

/**
 * Whether a report may go to `file`: a report replaces an earlier PDF, never
 * anything else (the database itself, a note, a backup), and an earlier PDF
 * only with `force` (as backup and export do). Checked before drawing, and
 * again when writing.
 */
export function checkReportTarget(file: string, force: boolean): void {
  const existing = existingTarget(file);
  if (!existing || existing.size === 0) return;
  if (!startsWithPdf(file)) throw new UsageError(`${file} exists and is not a PDF; not replacing it`);
  if (!force) throw new UserError(`${file} already exists; give --force to replace it, or choose another --out`);
}

/** Write a finished PDF to `file` atomically (store/files.ts), after checking what is there now. */
export async function writeReportFile(file: string, bytes: Uint8Array): Promise<void> {
  const existing = existingTarget(file);
  if (existing && existing.size > 0 && !startsWithPdf(file)) throw new UsageError(`${file} exists and is not a PDF; not replacing it`);
  await writeFileAtomically(file, bytes);
}

/**
 * The folder `report --all` writes into, made if missing (0700), cleared of
 * the partial files a killed run left (never one another run is writing now).
 */
export function prepareReportFolder(outDir: string): void {
  try {
    makeDirectory(outDir);
  } catch (err) {
    throw new UsageError(`cannot make the folder ${outDir}: ${describeFsError(err, { ENOENT: 'a folder on the way cannot be made there' })}`);
  }
  if (!fs.statSync(outDir).isDirectory()) throw new UsageError(`--out-dir ${outDir} is a file, not a folder`);
  removeStalePartials(outDir, '.');
}
