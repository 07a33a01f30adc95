/**
 * The root's help and the version come from dist/help.js (src/cli/help.ts), a
 * bundle of the command declarations alone, not from the whole CLI: they must
 * be the same bytes, on both streams, with the same exit code, as the full CLI
 * prints for the same command line; and the launcher must send it no other
 * command line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { main as helpMain, SERVED } from '../../src/cli/help.js';
import { COMMANDS, main } from '../../src/cli/main.js';
import type { Entry } from '../../src/cli/registry.js';
import { BIN } from '../helpers/cli.js';
import { bufferIO } from '../helpers/io.js';
import { tempDir } from '../helpers/tmp.js';

const DIST = path.join(path.dirname(BIN), '..', 'dist');

/** Every command path, groups and the commands under them: `client`, `client show` … */
function paths(entries: readonly Entry[], prefix: string[] = []): string[][] {
  return entries.flatMap((e) => [[...prefix, e.name], ...paths(e.children ?? [], [...prefix, e.name])]);
}

async function inProcess(run: typeof main | typeof helpMain, args: string[]) {
  const b = bufferIO();
  const code = await run(['node', 'bridgefit', ...args], b.io);
  return { code, stdout: b.stdout(), stderr: b.stderr() };
}

describe('the help bundle', () => {
  it('serves exactly the command lines the launcher sends it', () => {
    const text = fs.readFileSync(BIN, 'utf8');
    const list = /const ROOT_ONLY = (\[.*\]);/.exec(text)?.[1];
    expect(list).toBeDefined();
    expect(JSON.parse(list!.replace(/'/g, '"'))).toEqual(SERVED);
  });

  it.each(SERVED.map((line) => [line.join(' ') || '(nothing)', line]))('prints what the full CLI prints for %s', async (_name, line) => {
    const full = await inProcess(main, [...line]);
    const small = await inProcess(helpMain, [...line]);
    expect(small).toEqual(full);
    expect(full.stdout + full.stderr).toContain(line.includes('--version') ? '0.' : 'Usage: bridgefit');
  });

  it('refuses a command line it was not made for, rather than draw a help without the flags', async () => {
    for (const p of paths(COMMANDS)) await expect(inProcess(helpMain, [...p, '--help'])).rejects.toThrow(/cannot run/);
    await expect(inProcess(helpMain, ['--no-color', '--help'])).rejects.toThrow(/cannot run/);
  });

  it('every other help goes to the full CLI: no command path or help request of one is a line the bundle serves', () => {
    const served = new Set(SERVED.map((l) => l.join('\0')));
    for (const p of paths(COMMANDS)) for (const line of [p, [...p, '--help'], ['help', ...p], [...p, '-h']]) expect(served.has(line.join('\0'))).toBe(false);
  });

  it('the built bundle, through the launcher, prints the same bytes as the built CLI (with and without its code cache)', async () => {
    const tmp = tempDir();
    // The full bundle run directly, as the launcher runs it for any other command line.
    const direct = path.join(tmp, 'full.cjs');
    fs.writeFileSync(direct, `require(${JSON.stringify(path.join(DIST, 'main.js'))}).main(process.argv).then((c) => { process.exitCode = c; });\n`);
    const env = { ...process.env, TMPDIR: tmp, NO_COLOR: undefined, FORCE_COLOR: undefined };
    for (const line of SERVED) {
      const want = await execa(process.execPath, [direct, ...line], { reject: false, env, cwd: tmp });
      for (let run = 0; run < 2; run++) {
        // The first run compiles and writes the help bundle's cache, the second reads it.
        const got = await execa(process.execPath, [BIN, ...line], { reject: false, env, cwd: tmp });
        expect({ code: got.exitCode, stdout: got.stdout, stderr: got.stderr }).toEqual({ code: want.exitCode, stdout: want.stdout, stderr: want.stderr });
      }
    }
    const caches = fs.readdirSync(fs.readdirSync(tmp).map((d) => path.join(tmp, d)).find((d) => path.basename(d).startsWith('bridgefit-code-cache-'))!);
    expect(caches.filter((f) => f.endsWith('-help-bundle.bin'))).toHaveLength(1);
  });
});
