/**
 * `completion <shell>`: the shell completion script, and `complete -- words`
 * (hidden), which the script runs at each TAB. Both come from the whole
 * command tree, every flag defined, through @bomb.sh/tab's commander adapter;
 * a `<client>` argument completes from the database's clients (an id, with
 * the name beside it), read-only, and nothing at all when there is no database.
 */
import { listClients } from '../../app/clients.js';
import { fullName } from '../../domain/client.js';
import { Cli, READ } from '../cli.js';
import { command, examples } from '../command.js';
import { UsageError } from '../../app/errors.js';

const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;

/** tab's completion model of the tree, with client ids offered wherever a command takes a client. */
async function completionModel(cli: Cli, words: readonly string[] = []) {
  const [{ default: tab }, { root }] = await Promise.all([import('@bomb.sh/tab/commander'), cli.commandTree()]);
  // The adapter adds its own `completion` and `complete`: the tree's are taken out first.
  const commands = root.commands as unknown as { name(): string }[];
  for (let i = commands.length - 1; i >= 0; i--) if (['completion', 'complete'].includes(commands[i]!.name())) commands.splice(i, 1);
  const model = tab(root as unknown as Parameters<typeof tab>[0], { completionCommandName: 'completion' });
  let clients: { id: number; name: string }[] = [];
  try {
    // The database the command line being typed names (--db), else the one this run would use.
    const at = words.findIndex((w) => w === '--db' || w.startsWith('--db='));
    const db = at === -1 ? undefined : words[at]!.startsWith('--db=') ? words[at]!.slice(5) : words[at + 1];
    const reader = db ? new Cli(cli.io, cli.env, cli.command, db) : cli;
    clients = await reader.withStore(async (store) => (await listClients(store, 'active')).map((c) => ({ id: c.id, name: fullName(c) })), READ);
  } catch {
    // No database (or none readable) at TAB time: no client names, and never an error in the middle of a command line.
  }
  for (const cmd of model.commands.values()) {
    const arg = cmd.arguments.get('client');
    if (arg) arg.handler = (complete) => clients.forEach((c) => complete(String(c.id), c.name));
  }
  return model;
}

export const completion = command({
  define: (c) =>
    c
      .argument('<shell>', `the shell: ${SHELLS.join(', ')}`)
      .addHelpText(
        'after',
        examples(
          'bridgefit completion bash > ~/.local/share/bash-completion/completions/bridgefit   # bash (needs the bash-completion package)',
          'bridgefit completion zsh > "${fpath[1]}/_bridgefit"',
          'bridgefit completion fish > ~/.config/fish/completions/bridgefit.fish',
          'source <(bridgefit completion bash)   # this shell only',
        ),
      ),
  async run(cli, _opts, [shell]) {
    if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`completion: unknown shell "${shell}"; one of ${SHELLS.join(', ')}`);
    const model = await completionModel(cli);
    // The script calls the program by name, as the shell finds it on PATH.
    model.setup('bridgefit', 'bridgefit', shell);
  },
});

export const complete = command({
  define: (c) =>
    c
      .argument('[words...]', 'the words typed so far, after --')
      .allowUnknownOption()
      .helpOption(false)
      .addHelpText('after', examples('bridgefit complete -- client show ')),
  async run(cli, _opts, [words]) {
    (await completionModel(cli, words ?? [])).parse(words ?? []);
  },
});
