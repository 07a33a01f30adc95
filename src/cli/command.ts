/**
 * The shape of a command module: its arguments, options and help text
 * (`define`) and its work (`run`) side by side, with the options' type
 * inferred from the flags declared (@commander-js/extra-typings), so a
 * renamed or removed flag fails to compile where `run` reads it.
 */
import type { Command } from '@commander-js/extra-typings';
import type { Cli } from './cli.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = Command<any[], any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OptionsOf<C> = C extends Command<any[], infer O, any> ? O : never;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ArgsOf<C> = C extends Command<infer A, any, any> ? A : never;

export interface CommandModule<C extends AnyCommand = AnyCommand> {
  /** Add the command's arguments, options and help text to `c` (its name and description are main.ts's). */
  define(c: Command): C;
  /** The work: an exit code, or nothing for 0. */
  run(cli: Cli, opts: OptionsOf<C>, args: ArgsOf<C>): Promise<number | void>;
}

/** Tie a command's flags to its run function's types. */
export function command<C extends AnyCommand>(m: CommandModule<C>): CommandModule<C> {
  return m;
}

/** The "Examples:" block every command's --help ends with. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;
}

/** A repeatable flag's values, in order. */
export const repeat = (v: string, prev: string[] = []): string[] => [...prev, v];
