import fs from 'node:fs';
import { UsageError } from '../app/errors.js';
import type { IO } from './io.js';

/** The text of a file named on the command line, or of stdin for "-". */
export async function readSource(io: IO, source: string, flag: string): Promise<string> {
  if (source === '-') {
    if (io.isStdinTTY) throw new UsageError(`${flag} -: reads stdin, but stdin is a terminal; pipe the file in or name it`);
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return fs.readFileSync(source, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${flag} ${source}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`${flag} ${source}: is a folder, not a file`);
    if (code === 'EACCES') throw new UsageError(`${flag} ${source}: permission denied`);
    throw err;
  }
}

/** Parse JSON, naming the file and where it broke. */
export function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UsageError(`${name} is not valid JSON: ${(err as Error).message}`);
  }
}
