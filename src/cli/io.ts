import { Chalk, type ChalkInstance } from 'chalk';
import type stringWidthOf from 'string-width';

/**
 * Display width in terminal columns. string-width builds large Unicode
 * regular expressions when it loads (about 15 ms, on every command), and only
 * aligned tables and fields on a terminal need it; so it is required on first
 * use (the bundler keeps it in the bundle and runs it only then), and plain
 * ASCII, the common case, is measured without it.
 */
let widthOf: typeof stringWidthOf | undefined;
function stringWidth(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  widthOf ??= (require('string-width') as { default: typeof stringWidthOf }).default;
  return widthOf(text);
}

/**
 * The one object that owns stdin, stdout and stderr: whether they are
 * terminals, whether colour is on, whether we may prompt, and how results are
 * printed (aligned table on a terminal, tab-separated rows when piped, JSON
 * with --json). Tests build it from buffers.
 */
export interface IOOptions {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /**
   * The input, or a function that opens it the first time it is read, with
   * `stdinIsTTY` saying whether it is a terminal: opening process.stdin makes
   * Node build its stream (about 2 ms), and most commands never read it.
   */
  stdin: Stdin | (() => Stdin);
  stdinIsTTY?: boolean;
  env: NodeJS.ProcessEnv;
}

type Stdin = NodeJS.ReadableStream & { isTTY?: boolean };

export interface OutputSettings {
  json: boolean;
  color: boolean;
  input: boolean;
  quiet: boolean;
  debug: boolean;
}

export class IO {
  readonly stdout: IOOptions['stdout'];
  readonly stderr: IOOptions['stderr'];
  readonly isStdoutTTY: boolean;
  readonly isStdinTTY: boolean;
  json = false;
  quiet = false;
  debug = false;
  private inputAllowed = true;
  private colorWanted = true;
  private readonly env: NodeJS.ProcessEnv;
  private chalk: ChalkInstance;
  private input: Stdin | (() => Stdin);

  constructor(opts: IOOptions) {
    this.stdout = opts.stdout;
    this.stderr = opts.stderr;
    this.input = opts.stdin;
    this.env = opts.env;
    this.isStdoutTTY = Boolean(opts.stdout.isTTY);
    this.isStdinTTY = typeof opts.stdin === 'function' ? Boolean(opts.stdinIsTTY) : Boolean(opts.stdin.isTTY);
    this.chalk = new Chalk({ level: this.colorEnabled() ? 1 : 0 });
  }

  get stdin(): Stdin {
    if (typeof this.input === 'function') this.input = this.input();
    return this.input;
  }

  /** Apply the global flags once commander has parsed them. */
  configure(s: OutputSettings): void {
    this.json = s.json;
    this.quiet = s.quiet;
    this.debug = s.debug;
    this.inputAllowed = s.input;
    this.colorWanted = s.color;
    this.chalk = new Chalk({ level: this.colorEnabled() ? 1 : 0 });
  }

  /** Colour only on a terminal, and never with NO_COLOR, TERM=dumb or --no-color (clig.dev). */
  colorEnabled(): boolean {
    if (!this.colorWanted || !this.isStdoutTTY) return false;
    if (this.env.NO_COLOR !== undefined && this.env.NO_COLOR !== '') return false;
    if (this.env.TERM === 'dumb') return false;
    return true;
  }

  /** A person is there to answer: stdin and stdout are terminals and --no-input was not given. */
  canPrompt(): boolean {
    return this.inputAllowed && this.isStdinTTY && this.isStdoutTTY;
  }

  get c(): ChalkInstance {
    return this.chalk;
  }

  /** A line of result on stdout. */
  out(line = ''): void {
    this.stdout.write(`${printable(line)}\n`);
  }

  /**
   * Text on stdout as it is (a document being streamed), waiting while the
   * pipe is full so a large one never piles up in memory.
   */
  async writeOut(text: string | Uint8Array): Promise<void> {
    if (this.stdout.write(text)) return;
    await new Promise<void>((resolve) => this.stdout.once('drain', () => resolve()));
  }

  /** A message for the person (progress, confirmations) on stderr; silent with --quiet. */
  info(line: string): void {
    if (!this.quiet) this.stderr.write(`${printable(line)}\n`);
  }

  /**
   * A progress bar on stderr, redrawn in place: only on a terminal, never
   * with --quiet or --json, and nothing at all when stderr is piped or logged.
   */
  progressBar(total: number, label: string): { update(done: number): void; done(): void } {
    const tty = Boolean(this.stderr.isTTY) && !this.quiet && !this.json && total > 0;
    if (!tty) return { update: () => {}, done: () => {} };
    // Sized to the terminal, one column spare so the line never wraps (a wrapped line is a new line at every redraw).
    const columns = (this.stderr as { columns?: number }).columns || Number(this.env.COLUMNS) || 80;
    const count = (done: number) => `${done}/${total}`;
    const room = columns - 1 - label.length - 4 - count(total).length;
    // Below about 40 columns, the count alone: "Reports 12/1000".
    const width = columns < 40 || room < 5 ? 0 : Math.min(30, room);
    let last = -1;
    const draw = (done: number) => {
      // Redraw only when the bar or the count moves by a visible step: a thousand writes a second slow the work.
      const step = Math.floor((done / total) * 200);
      if (step === last && done !== total) return;
      last = step;
      const filled = Math.round((done / total) * width);
      const bar = width > 0 ? ` [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]` : '';
      this.stderr.write(`\r\x1b[2K${label}${bar} ${count(done)}`);
    };
    draw(0);
    return {
      update: draw,
      done: () => this.stderr.write('\r\x1b[2K'),
    };
  }

  /** A warning on stderr, shown even with --quiet. */
  warn(line: string): void {
    this.stderr.write(`${this.chalk.yellow('warning:')} ${printable(line)}\n`);
  }

  error(line: string): void {
    this.stderr.write(`${this.chalk.red('bridgefit:')} ${printable(line)}\n`);
  }

  printJson(value: unknown): void {
    this.out(JSON.stringify(value, null, 2));
  }

  /**
   * Rows of a listing. On a terminal: aligned columns under a bold header.
   * Piped: tab-separated rows, no header, no colour, so cut and awk work.
   */
  table(headers: string[], rows: string[][], style?: (row: number, col: number, text: string) => string): void {
    if (!this.isStdoutTTY) {
      for (const row of rows) this.out(row.map(tsvCell).join('\t'));
      return;
    }
    const widths = headers.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ''))));
    const last = headers.length - 1;
    // The last column is not padded, so no line carries trailing spaces.
    const pad = (text: string, i: number) => (i === last ? text : text + ' '.repeat(Math.max(0, widths[i]! - stringWidth(text))));
    this.out(headers.map((h, i) => this.chalk.bold(pad(h, i))).join('  ').trimEnd());
    rows.forEach((row, r) => {
      const cells = row.map((cell, i) => {
        const padded = pad(cell, i);
        return style ? padded.replace(cell, style(r, i, cell)) : padded;
      });
      this.out(cells.join('  ').trimEnd());
    });
  }

  /** Field: value lines for one record, labels aligned. */
  fields(pairs: [string, string][]): void {
    const width = Math.max(...pairs.map(([k]) => stringWidth(k)));
    for (const [k, v] of pairs) {
      const lines = v.split('\n');
      this.out(`${this.chalk.dim(k.padEnd(width))}  ${lines[0]}`);
      for (const more of lines.slice(1)) this.out(`${' '.repeat(width)}  ${more}`);
    }
  }
}

/** A tab or newline inside a value would break the row; show them as spaces. */
function tsvCell(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}

// Colour (SGR: ESC [ … m, what chalk writes) is kept; any other control character a
// record might hold (ESC [2J clears the screen, CR overwrites a line) is shown escaped.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /\x1b\[[0-9;]*m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A line as it may reach a terminal: tab and newline as they are, colour kept, other control characters as \uXXXX. */
export function printable(line: string): string {
  return line.replace(UNPRINTABLE, (m) => (m.length > 1 ? m : `\\u${m.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
