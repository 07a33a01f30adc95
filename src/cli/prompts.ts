/**
 * Questions at the terminal. @inquirer/prompts is loaded here, on first use,
 * so commands that never ask do not pay for it at start-up.
 */
import { ValidationError } from '../domain/errors.js';
import { CancelledError, UsageError } from '../app/errors.js';
import type { IO } from './io.js';

type Inquirer = typeof import('@inquirer/prompts');
let loaded: Promise<Inquirer> | undefined;
const inquirer = () => (loaded ??= import('@inquirer/prompts'));

export interface TextQuestion {
  message: string;
  default?: string;
  /** Return an error message, or nothing when the answer is fine. */
  validate?: (answer: string) => string | undefined;
}

export interface Choice<T extends string> {
  value: T;
  name: string;
  /** Ticked to begin with (checkbox only). */
  checked?: boolean;
}

/** The one gate in front of every prompt: a person must be there to answer. */
export class Prompter {
  constructor(private readonly io: IO) {}

  get available(): boolean {
    return this.io.canPrompt();
  }

  /** Refuse, naming the flag the user should pass instead. */
  require(flag: string, what: string): never {
    const why = this.io.isStdinTTY && this.io.isStdoutTTY ? 'prompts are off (--no-input)' : 'there is no terminal to ask on';
    throw new UsageError(`missing ${flag} (${what}); ${why}`);
  }

  async text(q: TextQuestion): Promise<string> {
    const { input } = await inquirer();
    return this.run(() =>
      input(
        {
          message: q.message,
          ...(q.default !== undefined ? { default: q.default } : {}),
          validate: (answer: string) => q.validate?.(answer) ?? true,
        },
        this.context(),
      ),
    );
  }

  async select<T extends string>(message: string, choices: Choice<T>[], defaultValue?: T): Promise<T> {
    const { select } = await inquirer();
    return this.run(() =>
      select<T>({ message, choices, ...(defaultValue !== undefined ? { default: defaultValue } : {}) }, this.context()),
    );
  }

  /**
   * Pick one from a numbered list with no default: Enter alone is refused
   * ("Please input a value"), so a stray Enter never picks for the trainer.
   */
  async pick<T extends string>(message: string, choices: Choice<T>[]): Promise<T> {
    const { rawlist } = await inquirer();
    return this.run(() => rawlist<T>({ message, choices: choices.map((c) => ({ value: c.value, name: c.name })) }, this.context()));
  }

  /** Pick any number from a list (space to tick, Enter to finish). */
  async checkbox<T extends string>(message: string, choices: Choice<T>[]): Promise<T[]> {
    const { checkbox } = await inquirer();
    return this.run(() => checkbox<T>({ message, choices, pageSize: 12 }, this.context()));
  }

  /** A secret (a key): each character shown as *, never echoed; an empty answer is asked again. */
  async secret(message: string): Promise<string> {
    const { password } = await inquirer();
    return this.run(() => password({ message, mask: '*', validate: (answer: string) => (answer === '' ? 'type the key' : true) }, this.context()));
  }

  /** Yes or no; the default is no, so a stray Enter never confirms (np). */
  async confirm(message: string, defaultValue = false): Promise<boolean> {
    const { confirm } = await inquirer();
    return this.run(() => confirm({ message, default: defaultValue }, this.context()));
  }

  private context() {
    return { input: this.io.stdin, output: this.io.stdout } as Parameters<Inquirer['input']>[1];
  }

  private async run<T>(ask: () => Promise<T>): Promise<T> {
    try {
      return await ask();
    } catch (err) {
      // Ctrl-C at a prompt: stop quietly, write nothing.
      if (err instanceof Error && err.name === 'ExitPromptError') throw new CancelledError();
      throw err;
    }
  }
}

/**
 * A prompt validator from a domain parser: blank is allowed (the answer is
 * optional); otherwise the parser's own message is shown.
 */
export function blankOr(parse: (text: string) => unknown) {
  return (text: string): string | undefined => {
    if (text.trim() === '') return undefined;
    try {
      parse(text);
      return undefined;
    } catch (err) {
      if (err instanceof ValidationError) return err.message;
      throw err;
    }
  };
}
