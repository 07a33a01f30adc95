/**
 * The commands in process: main(argv, bufferIO) parses the flags each
 * command module declares and prints what the use case returned.
 */
import path from 'node:path';
import { Command, Help } from 'commander';
import { describe, expect, it } from 'vitest';
import type { OptionsOf } from '../../src/cli/command.js';
import type { add as progressAdd } from '../../src/cli/commands/progress.js';
import { COMMANDS, commandModule, helpAsFlag, main } from '../../src/cli/main.js';
import { bufferIO } from '../helpers/io.js';
import { tempDir } from '../helpers/tmp.js';

const CLOCK = () => new Date('2026-12-02T10:00:00Z');

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const b = bufferIO(env);
  const code = await main(['node', 'bridgefit', ...args], b.io, env, CLOCK);
  return { code, stdout: b.stdout(), stderr: b.stderr() };
}

const leaves = COMMANDS.flatMap((e) => [...(e.run ? [{ path: [e.name], entry: e }] : []), ...(e.children ?? []).map((c) => ({ path: [e.name, c.name], entry: c }))]);

describe('the command registry', () => {
  it('shows each top-level command in --help with the term its module defines', async () => {
    for (const e of COMMANDS.filter((x) => x.run)) {
      const cmd = new Command('bridgefit').command(e.name);
      (await commandModule(e)).define(cmd as never);
      expect(e.term, e.name).toBe(new Help().subcommandTerm(cmd));
    }
  });

  it('--help lists every command, and loads none of their modules to do it', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const e of COMMANDS.filter((x) => !x.hidden)) expect(r.stdout).toMatch(new RegExp(`^  ${e.name}\\b`, 'm'));
    expect(r.stdout).toContain('screen <client>');
  });

  it('every command group has examples in its --help too', async () => {
    for (const e of COMMANDS.filter((x) => x.children)) {
      const r = await run([e.name, '--help']);
      expect(r.stdout, e.name).toMatch(/Examples:\n  \$ bridgefit /);
    }
  });

  it("a subcommand's global options are bridgefit's own, not its parent's (intake list takes no --answers)", async () => {
    const r = await run(['intake', 'list', '--help']);
    expect(r.stdout).toContain('--db <file|url>');
    expect(r.stdout).not.toContain('--answers');
    expect(r.stdout).not.toContain('--schema');
  });

  it('every command that runs has examples in its --help', async () => {
    for (const { path: p } of leaves.filter((l) => !l.entry.hidden)) {
      const r = await run([...p, '--help']);
      expect(r.code, p.join(' ')).toBe(0);
      expect(r.stdout, p.join(' ')).toContain('Examples:\n  $ bridgefit');
    }
  });

  it('"help <command>" is the command\'s own --help, with its flags', async () => {
    expect(helpAsFlag(['node', 'bf', 'help', 'progress', 'add'])).toEqual(['node', 'bf', 'progress', 'add', '--help']);
    expect(helpAsFlag(['node', 'bf', '--db', 'help', 'client', 'list'])).toEqual(['node', 'bf', '--db', 'help', 'client', 'list']);
    const a = await run(['help', 'progress', 'add']);
    const b = await run(['progress', 'add', '--help']);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('--pain-before <0-10>');
  });
});

describe('flags reach the use case and results are printed', () => {
  it('client add from flags, then client list --json, in process', async () => {
    const db = path.join(tempDir(), 'c.db');
    const added = await run(['--db', db, 'client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12', '--sex', 'female']);
    expect(added).toEqual({ code: 0, stdout: '', stderr: 'Added client 1: Zoë Moreau\n' });
    const listed = await run(['--db', db, 'client', 'list', '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ id: 1, firstName: 'Zoë', lastName: 'Moreau', age: 65, sex: 'female', status: 'active' }]);
    const piped = await run(['--db', db, 'client', 'list', '--status', 'all']);
    expect(piped.stdout).toBe('1\tZoë Moreau\t1961-04-12\t65\tactive\t\t\n');
  });

  it('a bad flag value is one line naming the flag, exit 2, nothing on stdout', async () => {
    const db = path.join(tempDir(), 'c.db');
    await run(['--db', db, 'client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12']);
    const r = await run(['--db', db, 'progress', 'add', 'zoe', '--pain-before', '11']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^bridgefit: --pain-before: /);
  });

  it('an unknown flag or command is a usage error with commander\'s hint, as one line', async () => {
    const flag = await run(['client', 'list', '--stauts', 'all']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^bridgefit: unknown option '--stauts'.*\(see --help\)\n$/);
    const cmd = await run(['clinet', 'list']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toMatch(/^bridgefit: unknown command 'clinet'.*client.*\(see --help\)\n$/);
  });
});

/**
 * Compile-time: a command's options' type comes from the flags it declares,
 * so reading a flag that is not declared fails `tsc` (npm test runs it).
 */
export function readsOnlyDeclaredFlags(o: OptionsOf<ReturnType<typeof progressAdd.define>>): unknown {
  const declared: string | undefined = o.painBefore;
  const repeated: string[] | undefined = o.measure;
  // @ts-expect-error -- no --pain-start flag: a renamed flag fails to compile where run reads it
  const renamed = o.painStart;
  return [declared, repeated, renamed];
}

describe('shell completion (issue 19)', () => {
  it('the hidden request command is not in --help; completion is', async () => {
    const r = await run(['--help']);
    expect(r.stdout).toMatch(/^  completion <shell>/m);
    expect(r.stdout).not.toMatch(/^  complete\b/m);
  });
});
