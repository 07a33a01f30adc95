/** The one atomic file write (store/files.ts), and the report files that go through it (app/report-files.ts). */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeReportFile } from '../../src/app/report-files.js';
import { writeFileAtomically } from '../../src/store/files.js';
import { mode, tempDir } from '../helpers/tmp.js';

afterEach(() => vi.restoreAllMocks());

describe('writeFileAtomically', () => {
  it('writes the bytes under the name only once they are on the disk: fsync, then rename, then the folder', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.pdf');
    const order: string[] = [];
    vi.spyOn(fs, 'fsyncSync').mockImplementation(() => order.push('fsync'));
    const rename = fs.renameSync;
    vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      order.push('rename');
      rename(from, to);
    });
    await writeFileAtomically(file, Buffer.from('%PDF-1.7 whole'));
    expect(order).toEqual(['fsync', 'rename', 'fsync']);
    expect(fs.readFileSync(file, 'latin1')).toBe('%PDF-1.7 whole');
    expect(mode(file)).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['a.pdf']);
  });

  it('leaves nothing behind and the old file as it was when the write fails', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.pdf');
    fs.writeFileSync(file, '%PDF-old');
    vi.spyOn(fs, 'fsyncSync').mockImplementation(() => {
      throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
    });
    await expect(writeFileAtomically(file, Buffer.from('%PDF-new'))).rejects.toThrow(`cannot write ${file}: the disk is full`);
    expect(fs.readFileSync(file, 'latin1')).toBe('%PDF-old');
    expect(fs.readdirSync(dir)).toEqual(['a.pdf']);
  });
});

describe('writeReportFile', () => {
  it('replaces an earlier PDF, never another kind of file, a link or a folder', async () => {
    const dir = tempDir();
    const pdf = path.join(dir, 'r.pdf');
    fs.writeFileSync(pdf, '%PDF-1.7 old');
    await writeReportFile(pdf, Buffer.from('%PDF-1.7 new'));
    expect(fs.readFileSync(pdf, 'latin1')).toBe('%PDF-1.7 new');
    const note = path.join(dir, 'notes.txt');
    fs.writeFileSync(note, 'keep me');
    await expect(writeReportFile(note, Buffer.from('%PDF-'))).rejects.toThrow(`${note} exists and is not a PDF; not replacing it`);
    fs.symlinkSync(pdf, path.join(dir, 'link.pdf'));
    await expect(writeReportFile(path.join(dir, 'link.pdf'), Buffer.from('%PDF-'))).rejects.toThrow('is a symbolic link');
    await expect(writeReportFile(path.join(dir, 'missing', 'r.pdf'), Buffer.from('%PDF-'))).rejects.toThrow('does not exist');
    expect(fs.readFileSync(note, 'utf8')).toBe('keep me');
  });
});
