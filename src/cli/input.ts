import { INPUT_LIMITS, InputFileError, readBoundedFile, readBoundedStream } from '../app/input-files.js';
import { UsageError } from '../app/errors.js';
import { oneLine } from '../domain/errors.js';
import type { IO } from './io.js';

export type InputKind = keyof typeof INPUT_LIMITS;

/**
 * The text of a file named on the command line, or of stdin for "-": only a
 * regular file, at most the limit for its kind (README "Limits").
 */
export async function readSource(io: IO, source: string, flag: string, kind: InputKind = 'json'): Promise<string> {
  const limit = INPUT_LIMITS[kind];
  try {
    if (source === '-') {
      if (io.isStdinTTY) throw new UsageError(`${flag} -: reads stdin, but stdin is a terminal; pipe the file in or name it`);
      return await readBoundedStream(io.stdin, 'stdin', limit);
    }
    return readBoundedFile(source, limit);
  } catch (err) {
    if (err instanceof InputFileError) throw new UsageError(`${flag} ${err.file === 'stdin' ? '-' : err.file}: ${err.reason}`);
    throw err;
  }
}

/** Parse JSON, naming the file and where it broke (on one line: the parser's message may quote the file's text). */
export function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    // The parser's message may quote the file's text: it is kept on one line and short.
    const why = oneLine((err as Error).message);
    throw new UsageError(`${name} is not valid JSON: ${why.length > 160 ? `${why.slice(0, 159)}…` : why}`);
  }
}
