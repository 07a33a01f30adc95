/**
 * Files bridgefit writes besides the database itself — backups, the copy
 * taken before an upgrade, reports: private from the first byte, and under
 * their final name only once whole, so a killed run or a full disk never
 * leaves something that passes for a finished file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeDirectory } from './dirs.js';

/** A file bridgefit could not read or write, with the path the person asked for (not a temporary one). */
export class FileError extends Error {
  override readonly name = 'FileError';
  constructor(
    readonly file: string,
    readonly code: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const WORDS: Record<string, string> = {
  ENOENT: 'no such folder, or it does not take new files',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
};

/** A Node error from the file system that a person can act on (not a bug). */
export function isFsError(err: unknown): err is NodeJS.ErrnoException {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return err instanceof Error && typeof code === 'string' && code in WORDS;
}

/** The problem in a few words: "permission denied", "the disk is full". */
export function describeFsError(err: unknown, words: Record<string, string> = {}): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && (words[code] ?? WORDS[code])) ?? (err as Error).message;
}

/** "cannot write <file>: <why>" for a file-system error met while writing `file`; anything else passes through. */
export function cannotWrite(file: string, err: unknown): unknown {
  if (err instanceof FileError || !isFsError(err)) return err;
  return new FileError(file, err.code, `cannot write ${file}: ${describeFsError(err)}`, { cause: err });
}

/** Create an empty file only its owner can read, in a folder only its owner can enter (when we make it). */
export function createPrivateFile(file: string): void {
  makeDirectory(path.dirname(file));
  fs.closeSync(fs.openSync(file, 'wx', 0o600));
  fs.chmodSync(file, 0o600);
}

/** The temporary name a file is written under, beside it; the pid keeps two runs apart and lets a later run spot a dead one's. */
export function partialName(target: string): string {
  return `${target}.${process.pid}.partial`;
}

const PARTIAL = /\.(\d+)\.partial(-journal|-wal|-shm)?$/;

/**
 * Remove, in `dir`, the partial files (and SQLite's `-journal`, `-wal`, `-shm` of one) that a
 * killed run left: only names starting with `prefix`, and only when the run
 * whose pid they carry is gone. Best effort: a folder that cannot be read is left.
 */
export function removeStalePartials(dir: string, prefix = ''): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = PARTIAL.exec(name);
    if (!m || !name.startsWith(prefix) || Number(m[1]) === process.pid || isRunning(Number(m[1]))) continue;
    try {
      if (fs.lstatSync(path.join(dir, name)).isFile()) fs.rmSync(path.join(dir, name), { force: true });
    } catch {
      // Someone else removed it, or it cannot be removed: it is never taken for a finished file either way.
    }
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Give a finished partial file its final name: its bytes reach the disk
 * first, then the rename, then the folder entry (so a power cut leaves the
 * old state or the whole new file, never a name pointing at missing data).
 */
export function commitPartial(partial: string, target: string): void {
  syncFile(partial);
  fs.renameSync(partial, target);
  syncFolder(path.dirname(target));
}

/**
 * Write `bytes` to `file` atomically: into a hidden partial file beside it
 * (0600, never over another), then commitPartial (fsync, rename, fsync the
 * folder). Readers see the old file or the whole new one; a killed run leaves
 * only a partial file, which removeStalePartials clears. The one atomic file
 * write: reports and every other file bridgefit writes whole.
 */
export async function writeFileAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.partial`);
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      let at = 0;
      while (at < bytes.length) at += fs.writeSync(fd, bytes, at, bytes.length - at);
    } finally {
      fs.closeSync(fd);
    }
    commitPartial(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw cannotWrite(file, err);
  }
}

/** Its bytes on the disk, not only in the page cache. */
export function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems (and Windows) cannot fsync a folder; the rename itself has happened.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
