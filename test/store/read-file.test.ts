import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputFileError, readBoundedFile, readBoundedStream } from '../../src/store/read-file.js';
import { tempDir } from '../helpers/tmp.js';

const reason = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof InputFileError) return err.reason;
    throw err;
  }
  return 'read';
};

describe('readBoundedFile: regular files only, never past the limit', () => {
  it('reads a file at the limit and refuses one byte more', () => {
    const dir = tempDir();
    const at = path.join(dir, 'at.json');
    fs.writeFileSync(at, 'x'.repeat(1024));
    expect(readBoundedFile(at, 1024)).toHaveLength(1024);
    fs.appendFileSync(at, 'y');
    expect(reason(() => readBoundedFile(at, 1024))).toBe('is larger than the 1 KB limit (2 KB)');
  });

  it('names what is not a regular file, and what is missing', () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'p');
    execFileSync('mkfifo', [fifo]);
    expect(reason(() => readBoundedFile(fifo, 10))).toBe('is a named pipe (FIFO), not a regular file');
    expect(reason(() => readBoundedFile('/dev/zero', 10))).toBe('is a device, not a regular file');
    expect(reason(() => readBoundedFile(dir, 10))).toBe('is a folder, not a file');
    expect(reason(() => readBoundedFile(path.join(dir, 'none'), 10))).toBe('no such file');
  });

  it('a file whose size says 0 (as /proc files do) is still stopped at the limit while reading', () => {
    expect(reason(() => readBoundedFile('/proc/self/maps', 16))).toBe('is larger than the 16 bytes limit');
  });

  it('stdin: the same bound', async () => {
    await expect(readBoundedStream(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), 'stdin', 1024)).rejects.toThrow('stdin: is larger than the 1 KB limit');
    expect(await readBoundedStream(Readable.from(['{"a":', '1}']), 'stdin', 1024)).toBe('{"a":1}');
  });
});
