/**
 * The whole command tree with every module's flags defined, for what needs
 * all of it at once: the man page and shell completion. (A command run
 * defines only its own module: main.ts loads modules lazily.) The registry is
 * passed in, not imported, so that a command module may ask for the tree
 * without an import circle.
 */
import type { Command } from 'commander';

/** A registry entry as the tree needs it (main.ts Entry). */
export interface TreeEntry {
  name: string;
  description: string;
  run?: unknown;
  after?: string;
  hidden?: boolean;
  children?: TreeEntry[];
}

/** A command with its module's flags defined, and the help text its definition adds after the options (the examples). */
export interface Defined {
  path: string;
  cmd: Command;
  after: string[];
}

/** What a command module gives the tree: its flags (command.ts CommandModule, named structurally so this module imports no command). */
interface Definable {
  define(cmd: never): unknown;
}

export async function definedTree(root: Command, entries: readonly TreeEntry[], load: (e: TreeEntry) => Promise<Definable>): Promise<Defined[]> {
  const commands: Defined[] = [];
  const add = async (parent: Command, entry: TreeEntry, prefix: string) => {
    const cmd = parent.command(entry.name).description(entry.description);
    const after: string[] = entry.after ? [entry.after] : [];
    // Catch what the module adds after its options (its examples) instead of letting commander print it.
    const addHelpText = cmd.addHelpText.bind(cmd);
    (cmd as { addHelpText: (pos: string, text: string) => Command }).addHelpText = (pos: string, text: string) => {
      if (pos === 'after' && typeof text === 'string') after.push(text);
      return addHelpText(pos as 'after', text);
    };
    if (entry.run) (await load(entry)).define(cmd as never);
    const path = `${prefix} ${entry.name}`;
    if (!entry.hidden) commands.push({ path, cmd, after });
    for (const child of entry.children ?? []) await add(cmd, child, path);
  };
  for (const entry of entries) await add(root, entry, root.name());
  return commands;
}
