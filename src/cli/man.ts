/**
 * `man bridgefit`: the manual page, made from the same command tree and text
 * as --help (the registry in main.ts, each command module's flags and
 * examples), so the two cannot disagree. `npm run build` writes it to
 * dist/bridgefit.1, which package.json names as the package's man page.
 */
import { Help, type Command } from 'commander';
import { definedTree } from './command-tree.js';
import { COMMANDS, commandModule, rootCommand } from './main.js';

/** Text as roff reads it: backslashes escaped, a line never starting with a control character, hyphens as minus signs in flags. */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .split('\n')
    .map((l) => (/^[.']/.test(l) ? `\\&${l}` : l))
    .join('\n');
}
const flag = (text: string) => roff(text).replace(/-/g, '\\-');

function options(help: Help, cmd: Command): string[] {
  const out: string[] = [];
  for (const o of help.visibleOptions(cmd)) {
    if (o.long === '--help') continue;
    out.push('.TP', `.B ${flag(help.optionTerm(o))}`, roff(help.optionDescription(o)));
  }
  return out;
}

/** The examples a command's help shows, as an indented block. */
function examples(after: readonly string[]): string[] {
  const lines = after
    .join('\n')
    .split('\n')
    .filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  const out: string[] = [];
  let inExamples = false;
  let paragraph: string[] = [];
  // Text before the examples is one paragraph, filled by man; the examples keep their lines.
  const flush = () => {
    if (paragraph.length > 0) out.push('.PP', roff(paragraph.join(' ')));
    paragraph = [];
  };
  for (const l of lines) {
    if (/^Examples:$/.test(l.trim())) {
      flush();
      if (!inExamples) out.push('.PP', 'Examples:', '.RS', '.nf');
      inExamples = true;
      continue;
    }
    if (inExamples) out.push(roff(l.replace(/^\s*\$ /, '')));
    else paragraph.push(l.trim());
  }
  flush();
  if (inExamples) out.push('.fi', '.RE');
  return out;
}

/** The whole page, in man(7) roff. `date` is the page's date (YYYY-MM-DD). */
export async function manPage(version: string, date: string): Promise<string> {
  const root = rootCommand();
  const commands = await definedTree(root, COMMANDS, (e) => commandModule(e as Parameters<typeof commandModule>[0]));
  const help = new Help();
  const lines: string[] = [
    `.TH BRIDGEFIT 1 "${date}" "bridgefit ${version}" "User Commands"`,
    // Ragged right: flags and codes are long words that a justified line cannot fit.
    '.ad l',
    '.nh',
    '.SH NAME',
    `bridgefit \\- ${roff(root.description().replace(/\.$/, '').toLowerCase())}`,
    '.SH SYNOPSIS',
    '.B bridgefit',
    '[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIoptions\\fR] [\\fIarguments\\fR]',
    '.SH DESCRIPTION',
    roff(
      'bridgefit keeps a trainer\'s clients in a local SQLite file, interviews for medical history and clearance, screens for risk (ACSM 2015, PAR-Q+), ' +
        'builds staged programs from templates, records sessions, decides when a client may advance a stage or must be referred, and writes PDF reports for clinicians. ' +
        '"bridgefit help COMMAND" or "bridgefit COMMAND --help" shows the same text for one command; the README has the clinical rules with their sources.',
    ),
    '.SH GLOBAL OPTIONS',
    ...options(help, root),
    '.SH COMMANDS',
  ];
  for (const d of commands) {
    const usage = d.cmd.commands.length > 0 && help.visibleArguments(d.cmd).length === 0 && help.visibleOptions(d.cmd).length <= 1 ? `${d.path} \\fIcommand\\fR` : `${d.path} ${roff(d.cmd.usage())}`;
    lines.push('.SS', `\\fB${usage.replace(/-/g, '\\-')}\\fR`.replace(/\\fB(.*?) \\fIcommand\\fR\\fR/, '\\fB$1\\fR \\fIcommand\\fR'), roff(d.cmd.description()));
    const args = help.visibleArguments(d.cmd);
    for (const a of args) lines.push('.TP', `.I ${roff(help.argumentTerm(a))}`, roff(help.argumentDescription(a)));
    lines.push(...options(help, d.cmd), ...examples(d.after));
  }
  lines.push(
    '.SH EXIT STATUS',
    '.TP', '0', 'ok',
    '.TP', '1', 'failure: a database problem, a failed check, a refused overwrite',
    '.TP', '2', 'usage error: unknown flag or command, a bad or missing value; nothing was written',
    '.TP', '3', 'not found: no such client (or a name that fits several), no intake or program yet, no such template',
    '.TP', '130', 'cancelled at a prompt; nothing was written',
    '.SH ENVIRONMENT',
    '.TP', '.B BRIDGEFIT_DB', 'the database file when \\-\\-db is not given',
    '.TP', '.B NO_COLOR', 'no colour in the output',
    '.SH FILES',
    '.TP', '.I bridgefit.db', 'in the per\\-user data directory (on Linux $XDG_DATA_HOME/bridgefit, else ~/.local/share/bridgefit), created 0600; templates/ beside it holds your own templates',
    '.SH SEE ALSO',
    'The README in the package, for the clinical rules and their sources, the templates and the file formats.',
  );
  return `${lines.join('\n')}\n`;
}
