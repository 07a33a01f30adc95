/**
 * The entry of dist/help.js, a small bundle of its own (commander, the
 * registry and io: no command module, use case or store): bin/bridgefit.js
 * runs it instead of dist/main.js for the root's help and the version, which
 * need nothing but the declarations, so they skip reading and deserialising
 * the whole CLI (bench/README.md, "Per-client commands (issue 14)"). It draws
 * them with the same declared program main.ts starts from, and
 * test/cli/help-bundle.test.ts checks the two print the same bytes.
 */
import { commanderExit, declaredProgram, defaultIO, helpAsFlag } from './registry.js';
import type { IO } from './io.js';

/**
 * The command lines (after `bridgefit`) this bundle draws; bin/bridgefit.js
 * keeps the same list (ROOT_ONLY, checked by the test) and sends every other
 * one to dist/main.js.
 */
export const SERVED: readonly (readonly string[])[] = [[], ['--help'], ['-h'], ['help'], ['--version']];

export async function main(argv: string[], io: IO = defaultIO()): Promise<number> {
  const args = argv.slice(2);
  if (!SERVED.some((s) => s.length === args.length && s.every((a, i) => a === args[i]))) throw new Error(`dist/help.js cannot run "${args.join(' ')}": bin/bridgefit.js sends only ${SERVED.map((s) => `"${s.join(' ')}"`).join(', ')} here`);
  const { program } = declaredProgram(io);
  try {
    await program.parseAsync(helpAsFlag(argv));
  } catch (err) {
    const code = commanderExit(err);
    if (code !== undefined) return code;
    throw err;
  }
  // Each line served ends in commander's help or version, which throws (exitOverride).
  throw new Error('no help was drawn');
}
