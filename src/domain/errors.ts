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
    super(oneLine(message));
  }
}

/**
 * A message that quotes what the user typed stays one line: line breaks and
 * other control characters in the quoted text are shown escaped (\n, \u0000).
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
