/**
 * Errors the domain raises when input breaks a rule. They carry no I/O and no
 * exit code: the CLI maps them (src/cli/errors.ts).
 */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  /** Which input was wrong, in the user's terms (a flag, a field, a JSON path). */
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
