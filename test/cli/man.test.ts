import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { manPage } from '../../src/cli/man.js';
import { COMMANDS, commandModule } from '../../src/cli/main.js';
import { tempDir } from '../helpers/tmp.js';

const page = await manPage('9.9.9', '2026-12-02');
const hasMan = spawnSync('man', ['--version']).status === 0;

describe('the man page, from the same command tree as --help', () => {
  it('names every command, each of its flags, and its examples', async () => {
    expect(page).toMatch(/^\.TH BRIDGEFIT 1 "2026-12-02" "bridgefit 9\.9\.9"/);
    for (const entry of COMMANDS.filter((x) => !x.hidden)) {
      for (const e of [entry, ...(entry.children ?? [])]) {
        const name = e === entry ? entry.name : `${entry.name} ${e.name}`;
        expect(page, name).toContain(`\\fBbridgefit ${name.replace(/-/g, '\\-')}`);
        if (!e.run) continue;
        const cmd = new Command(e.name);
        (await commandModule(e)).define(cmd as never);
        for (const o of cmd.options) expect(page, `${name} ${o.long}`).toContain(o.long!.replace(/-/g, '\\-'));
      }
    }
    expect(page).toContain('bridgefit progress add zoe \\-\\-pain\\-before 2 \\-\\-rpe 4'.replace(/\\-/g, '-'));
    expect(page).toContain('.SH EXIT STATUS');
  });

  it.runIf(hasMan)('renders with man(1) without a warning', () => {
    const file = path.join(tempDir(), 'bridgefit.1');
    fs.writeFileSync(file, page);
    const r = spawnSync('man', ['-l', file], { env: { ...process.env, MANPAGER: 'cat', MANWIDTH: '80' }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('BRIDGEFIT(1)');
    expect(r.stdout).toMatch(/bridgefit progress add \[options\] <client>/);
  });

  it.runIf(hasMan)('the build writes it to dist/bridgefit.1, where package.json says it is', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { man: string[] };
    const built = path.join(import.meta.dirname, '../..', pkg.man[0]!);
    expect(fs.existsSync(built)).toBe(true);
    expect(execFileSync('man', ['-l', built], { env: { ...process.env, MANPAGER: 'cat' }, encoding: 'utf8' })).toContain('bridgefit init');
  });
});
