/**
 * The entry point: registers every command by name and description
 * (registry.ts), and loads a command's module (its flags and its work,
 * src/cli/commands) only when it runs, so a command pays only for what it
 * uses and `--help` for none of them. The only place errors become exit codes.
 */
import type { Command } from 'commander';
import { EXIT, InputError, UserError, exitCodeFor, isExpected, messageFor } from '../app/errors.js';
import { Cli } from './cli.js';
import type { CommandModule } from './command.js';
import { definedTree } from './command-tree.js';
import type { IO } from './io.js';
import { COMMANDS, commanderExit, declaredProgram, defaultIO, helpAsFlag, rootCommand, type Entry, type ModuleName } from './registry.js';

export { COMMANDS, defaultIO, helpAsFlag, rootCommand, type Entry };

interface GlobalOptions {
  db?: string;
  keyFile?: string;
  templates?: string;
  json?: boolean;
  color: boolean;
  input: boolean;
  quiet?: boolean;
  debug?: boolean;
}

type Loader = () => Promise<Record<string, CommandModule | unknown>>;

/** The command modules, one per noun; each is loaded only when one of its commands runs. */
const MODULES = {
  database: () => import('./commands/database.js'),
  client: () => import('./commands/client.js'),
  intake: () => import('./commands/intake.js'),
  clearance: () => import('./commands/clearance.js'),
  screen: () => import('./commands/screen.js'),
  config: () => import('./commands/config.js'),
  template: () => import('./commands/template.js'),
  program: () => import('./commands/program.js'),
  progress: () => import('./commands/progress.js'),
  referral: () => import('./commands/referral.js'),
  summary: () => import('./commands/summary.js'),
  report: () => import('./commands/report.js'),
  demo: () => import('./commands/demo.js'),
  completion: () => import('./commands/completion.js'),
  export: () => import('./commands/export.js'),
  history: () => import('./commands/history.js'),
  clinic: () => import('./commands/clinic.js'),
} satisfies Record<ModuleName, Loader>;

/** Parse `argv`, run the command, and return the exit code. The only place errors become exit codes. */
export async function main(argv: string[], io: IO = defaultIO(), env: NodeJS.ProcessEnv = process.env, clock?: () => Date): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, env, (code) => (exitCode = code), clock);
  try {
    await program.parseAsync(helpAsFlag(argv));
    return exitCode;
  } catch (err) {
    const usage = commanderExit(err);
    if (usage !== undefined) return usage;
    io.error(messageFor(err));
    if (err instanceof InputError || err instanceof UserError) for (const line of err.details) io.stderr.write(`  ${line}\n`);
    if (io.debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    else if (!isExpected(err)) io.stderr.write('(run with --debug to see where it happened)\n');
    return exitCodeFor(err);
  }
}

function buildProgram(io: IO, env: NodeJS.ProcessEnv, setExit: (code: number) => void, clock?: () => Date): Command {
  const { program, terms, entries } = declaredProgram(io);

  /** The command's module defines its flags and gets its action: parse globals, build the Cli, run. */
  const wire = (cmd: Command, spec: CommandModule) => {
    spec.define(cmd as unknown as Parameters<CommandModule['define']>[0]);
    terms.delete(cmd);
    cmd.action(async (...params: unknown[]) => {
      const self = params[params.length - 1] as Command;
      const opts = self.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
      io.configure({ json: Boolean(opts.json), color: opts.color, input: opts.input, quiet: Boolean(opts.quiet), debug: Boolean(opts.debug) });
      const tree = async () => {
        const root = rootCommand();
        return { root, commands: await definedTree(root, COMMANDS, (e) => commandModule(e as Entry)) };
      };
      const cli = new Cli(io, env, commandPath(self), opts.db, clock, opts.templates, tree, opts.keyFile);
      const code = await spec.run(cli, opts as never, self.processedArgs as never);
      setExit(code ?? EXIT.ok);
    });
  };

  // Before commander parses a top-level command's own arguments: load its module and define it and its subcommands.
  program.hook('preSubcommand', async (_root, sub) => {
    const entry = entries.get(sub as Command);
    if (!entry) return;
    const define = async (cmd: Command, e: Entry) => {
      if (e.run) wire(cmd, await commandModule(e));
    };
    await define(sub as Command, entry);
    for (const child of (sub as Command).commands) await define(child as Command, entries.get(child as Command)!);
  });
  return program;
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The module of a command that runs (its flags and run function). */
export async function commandModule(entry: Entry): Promise<CommandModule> {
  if (!entry.run) throw new Error(`${entry.name} is a group, not a command that runs`);
  const loaded = (await MODULES[entry.run.module]()) as Record<string, CommandModule>;
  return loaded[entry.run.export]!;
}
