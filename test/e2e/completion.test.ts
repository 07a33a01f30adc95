// Issue 19: shell completion from the command tree, client ids from the database.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bf } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('bridgefit completion', () => {
  it('prints a script for bash, zsh, fish and powershell that asks "bridgefit complete --"', async () => {
    const cwd = tempDir();
    for (const shell of ['bash', 'zsh', 'fish', 'powershell']) {
      const r = await bf(['completion', shell], { cwd });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout.length, shell).toBeGreaterThan(200);
      expect(r.stdout, shell).toContain('complete');
    }
    expect((await bf(['completion', 'bash'], { cwd })).stdout).toMatch(/^# bash completion for bridgefit/);
  }, 60_000);

  it('an unknown shell: one line, exit 2', async () => {
    const r = await bf(['completion', 'tcsh'], { cwd: tempDir() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['bridgefit: completion: unknown shell "tcsh"; one of bash, zsh, fish, powershell']);
  }, 60_000);

  it('completes commands, subcommands and flags from the tree, and clients from the --db being typed', async () => {
    const cwd = tempDir();
    const db = path.join(cwd, 'c.db');
    expect((await bf(['--db', db, 'client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12'], { cwd })).exitCode).toBe(0);
    const ask = async (...words: string[]) => (await bf(['complete', '--', ...words], { cwd })).stdout.split('\n');
    expect(await ask('prog')).toEqual(expect.arrayContaining([expect.stringMatching(/^program\t/), expect.stringMatching(/^progress\t/)]));
    expect(await ask('progress', '')).toEqual(expect.arrayContaining([expect.stringMatching(/^add\t/), expect.stringMatching(/^import\t/)]));
    expect(await ask('progress', 'add', '1', '--pain-b')).toEqual(expect.arrayContaining([expect.stringMatching(/^--pain-before\t/)]));
    expect(await ask('--db', db, 'client', 'show', '')).toContain('1\tZoë Moreau');
    // No database: no client ids (only the shell directive line), no error in the middle of a command line, and no file made.
    const missing = path.join(cwd, 'none.db');
    const none = await bf(['complete', '--', '--db', missing, 'client', 'show', ''], { cwd });
    expect(none.exitCode).toBe(0);
    expect(none.stderr).toBe('');
    expect(none.stdout.split('\n').filter((l) => /^\d+\t/.test(l))).toEqual([]);
    expect(fs.existsSync(missing)).toBe(false);
  }, 60_000);
});
