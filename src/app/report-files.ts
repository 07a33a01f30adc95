/**
 * Where report PDFs go: checked paths, private files, written whole. A
 * report replaces an earlier PDF, never anything else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeDirectory } from '../store/dirs.js';
import { describeFsError, removeStalePartials, writeFileAtomically } from '../store/files.js';
import { UsageError } from './errors.js';

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

/** Write a finished PDF to `file` atomically (store/files.ts), after checking what is there now. */
export async function writeReportFile(file: string, bytes: Uint8Array): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw new UsageError(`cannot write ${file}: the folder ${dir} does not exist`);
  // Renaming over a device, a pipe or a link would replace it, not write into it.
  let existing: fs.Stats | undefined;
  try {
    existing = fs.lstatSync(file, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new UsageError(`cannot write ${file}: part of the path is a file, not a folder`);
    throw err;
  }
  if (existing?.isSymbolicLink()) throw new UsageError(`${file} is a symbolic link; give the path of the file itself`);
  if (existing?.isDirectory()) throw new UsageError(`cannot write ${file}: it is a folder`);
  if (existing && !existing.isFile()) throw new UsageError(`${file} is not a regular file (a device or a pipe); not writing over it`);
  // A report replaces an earlier PDF, never anything else (the database itself, a note, a backup).
  if (existing?.isFile() && existing.size > 0 && !startsWithPdf(file)) throw new UsageError(`${file} exists and is not a PDF; not replacing it`);
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
