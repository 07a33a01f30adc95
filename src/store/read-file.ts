/**
 * Reading a file someone named (an answers file, a session CSV, a template):
 * only a regular file, never more than a stated number of bytes, checked
 * while reading. A FIFO would block forever and /dev/zero (or a link to it)
 * would fill the memory; both are refused before a byte is read.
 */
import fs from 'node:fs';

/** Why a named file was not read, in words that follow its name ("x.json: is larger than 1 MB"). */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** "1 MB", "512 MB": how a limit is told. */
export function describeBytes(bytes: number): string {
  const mb = bytes / (1 << 20);
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  return bytes >= 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${bytes} bytes`;
}

const KIND_WORDS: [(s: fs.Stats) => boolean, string][] = [
  [(s) => s.isDirectory(), 'is a folder, not a file'],
  [(s) => s.isFIFO(), 'is a named pipe (FIFO), not a regular file'],
  [(s) => s.isCharacterDevice() || s.isBlockDevice(), 'is a device, not a regular file'],
  [(s) => s.isSocket(), 'is a socket, not a regular file'],
];

const ERRNO_WORDS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

/**
 * The text (UTF-8) of `file`, at most `limit` bytes. Opened non-blocking so
 * that a FIFO is seen for what it is instead of waiting for a writer.
 */
export function readBoundedFile(file: string, limit: number): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new InputFileError(file, ERRNO_WORDS[code] ?? `cannot read it (${code || (err as Error).message})`);
  }
  try {
    const stat = fs.fstatSync(fd);
    for (const [is, words] of KIND_WORDS) if (is(stat)) throw new InputFileError(file, words);
    if (!stat.isFile()) throw new InputFileError(file, 'is not a regular file');
    if (stat.size > limit) throw new InputFileError(file, `is larger than the ${describeBytes(limit)} limit (${describeBytes(stat.size)})`);
    // The size is checked again while reading: a file may grow, and /proc files say 0.
    const chunks: Buffer[] = [];
    let total = 0;
    // Room for the file as it stands and one byte more (a file that grew is read on), or 64 KB where the
    // size says nothing (/proc); not 1 MB for every 5 KB template: thirty of those were a template load's garbage.
    const buf = Buffer.allocUnsafe(Math.min(limit + 1, 1 << 20, stat.size > 0 ? stat.size + 1 : 64 << 10));
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit) throw new InputFileError(file, `is larger than the ${describeBytes(limit)} limit`);
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (err) {
    if (err instanceof InputFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new InputFileError(file, ERRNO_WORDS[code] ?? `cannot read it (${code || (err as Error).message})`);
  } finally {
    fs.closeSync(fd);
  }
}

/** The same bound on a stream (stdin): read until the end or refuse past `limit` bytes. */
export async function readBoundedStream(stream: AsyncIterable<unknown>, name: string, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += b.length;
    if (total > limit) throw new InputFileError(name, `is larger than the ${describeBytes(limit)} limit`);
    chunks.push(b);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** The limits, one per kind of file bridgefit reads (README "Limits"). */
export const INPUT_LIMITS = {
  /** intake --answers, progress add --from: one client's answers or one session. */
  json: 1 << 20,
  /** progress import: many clients' sessions at once (a million rows fit several times over). */
  csv: 512 << 20,
  /** One template file; the largest built-in is about 20 KB. */
  template: 1 << 20,
  /**
   * import: an export document. Node holds a string of at most 2^29 - 24
   * characters and the file is parsed whole, so 500 MB, not more: about
   * 1,700 clients with 150 sessions each (an export of 10,000 × 150 is 2.9 GB).
   */
  export: 500 << 20,
} as const;
