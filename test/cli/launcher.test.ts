/**
 * The launcher (bin/bridgefit.js) names its code-cache files by the command
 * word, from a list of its own: it must be the CLI's top-level commands, so a
 * new command gets its cache and a mistyped word (a client's name) never
 * becomes part of a file name in the temporary directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.js';
import { BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('the launcher', () => {
  it('knows exactly the top-level commands', () => {
    const text = fs.readFileSync(BIN, 'utf8');
    const list = /const NOUNS = new Set\(\[([^\]]*)\]\)/.exec(text)?.[1];
    expect(list).toBeDefined();
    const nouns = [...list!.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]).sort();
    expect(nouns).toEqual(COMMANDS.map((c) => c.name).sort());
  });

  it('a word that is not a command is cached as "other", never by its text; the folder is the user\'s own', async () => {
    const tmp = tempDir();
    const r = await execa(process.execPath, [BIN, 'moreau'], { reject: false, env: { ...process.env, TMPDIR: tmp }, cwd: tmp });
    expect(r.exitCode).toBe(2);
    const dir = path.join(tmp, `bridgefit-code-cache-${os.userInfo().uid}`);
    const files = fs.readdirSync(dir);
    expect(files.some((f) => f.endsWith('-other.bin'))).toBe(true);
    expect(files.join(' ')).not.toContain('moreau');
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of files) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
  });
});
