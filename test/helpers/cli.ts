import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Options } from 'execa';

export const BIN = fileURLToPath(new URL('../../bin/bridgefit.js', import.meta.url));

if (!fs.existsSync(fileURLToPath(new URL('../../dist/main.js', import.meta.url)))) {
  throw new Error('the CLI is not built: run "npm run build" (npm test does it)');
}

export interface Result {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** An environment with nothing of the developer's: no BRIDGEFIT_DB, data dir under `home`. */
export function cleanEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'LANG', 'SystemRoot']) if (process.env[key]) env[key] = process.env[key]!;
  return { ...env, HOME: home, XDG_DATA_HOME: path.join(home, '.local', 'share'), ...extra };
}

/** Run the built binary as a script would: pipes, no terminal. */
export async function bf(args: string[], opts: { cwd: string; env?: Record<string, string>; input?: string }): Promise<Result> {
  const options: Options = {
    cwd: opts.cwd,
    env: opts.env ?? cleanEnv(opts.cwd),
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
  };
  const r = await execa(process.execPath, [BIN, ...args], options);
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
}

export interface Step {
  /** Text to wait for on the screen before typing. */
  waitFor: string;
  /** What to type: text plus "\r" for Enter, "\x03" for Ctrl-C, "\x1b[B" for arrow down. */
  send: string;
}

/**
 * Run the binary on a pseudo-terminal (util-linux `script`), typing each step
 * once its prompt shows. Returns everything the terminal showed and the exit code.
 */
/**
 * The questions before the exercises of `progress add` at a terminal, for a
 * client with no cardiac or hypo-risk questions: the session took place, no
 * vitals, pain 1 before and 2 during and after, and the defaults for the rest.
 */
export const USUAL_SESSION_STEPS: readonly Step[] = [
  { waitFor: 'Did the session take place?', send: '\r' },
  { waitFor: 'Resting blood pressure', send: '\r' },
  { waitFor: 'Resting heart rate', send: '\r' },
  { waitFor: 'Blood glucose', send: '\r' },
  { waitFor: 'feel unwell today?', send: '\r' },
  { waitFor: 'Pain before', send: '1\r' },
  { waitFor: 'Pain during', send: '2\r' },
  { waitFor: 'Pain after', send: '2\r' },
  { waitFor: 'Effort, RPE', send: '\r' },
  { waitFor: 'Duration', send: '\r' },
  { waitFor: 'Soreness', send: '\r' },
];

export async function bfInTerminal(
  args: string[],
  steps: Step[],
  opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<{ screen: string; exitCode: number }> {
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ');
  const child = execa('script', ['-qefc', command, '/dev/null'], {
    cwd: opts.cwd,
    env: { ...(opts.env ?? cleanEnv(opts.cwd)), TERM: 'xterm-256color', COLUMNS: '120', LINES: '40' },
    extendEnv: false,
    reject: false,
    stdin: 'pipe',
    timeout: opts.timeoutMs ?? 20_000,
  });
  let screen = '';
  let next = 0;
  let seenUpTo = 0;
  child.stdout!.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    while (next < steps.length) {
      const at = screen.indexOf(steps[next]!.waitFor, seenUpTo);
      if (at === -1) break;
      seenUpTo = at + steps[next]!.waitFor.length;
      child.stdin!.write(steps[next]!.send);
      next += 1;
    }
  });
  const r = await child;
  child.stdin?.end();
  if (next < steps.length) {
    throw new Error(`terminal run ended before "${steps[next]!.waitFor}" appeared:\n${stripAnsi(screen)}`);
  }
  return { screen: stripAnsi(screen), exitCode: r.exitCode ?? -1 };
}

export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
