import { ValidationError } from './errors.js';

/**
 * Text a person types into a record. Control characters never belong in one:
 * an ESC sequence stored in a clinician's name would clear the trainer's
 * screen each time it is listed. Tab and newline are allowed where the text
 * is a note (multi-line); a name or a contact is one line.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_IN_NOTE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_IN_LINE = /[\u0000-\u001f\u007f-\u009f]/;

export type TextKind = 'line' | 'note';

/** Whether `value` holds a control character not allowed in its kind of text. */
export function hasControlCharacters(value: string, kind: TextKind): boolean {
  return (kind === 'note' ? CONTROL_IN_NOTE : CONTROL_IN_LINE).test(value);
}

/** The message for such a value ("the note contains control characters"). */
export function controlCharactersMessage(what: string, kind: TextKind): string {
  return `${what} contains control characters${kind === 'note' ? ' (only tab and newline may be in a note)' : ''}`;
}

/** Refuse a value with control characters, naming the field (a flag or a path in a file). */
export function checkPlainText(field: string, value: string | undefined | null, kind: TextKind, what: string): void {
  if (value && hasControlCharacters(value, kind)) throw new ValidationError(field, controlCharactersMessage(what, kind));
}

/**
 * A number as a trainer writes it: digits, an optional minus and decimal
 * fraction, spaces around allowed. Number() would also take 0x3, 1e2, 0b11 or
 * Infinity and store a value no one typed; those are undefined here.
 */
export function parseDecimal(text: string): number | undefined {
  const t = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Edit distance (insertions, deletions, substitutions) between two short words. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The known words closest to `word` (a typo or a part of one), nearest first, at most `max`. */
export function closeMatches(word: string, known: Iterable<string>, max = 3): string[] {
  const scored: { w: string; d: number }[] = [];
  for (const w of known) {
    // The whole id, or one of its words ("squatt" is near mini_squat's "squat").
    const parts = w.split('_');
    const d = w.includes(word) || word.includes(w) ? 0.5 : Math.min(distance(word, w), ...(parts.length > 1 ? parts.map((p) => distance(word, p) + 0.5) : []));
    if (d <= Math.max(2, Math.floor(word.length / 4))) scored.push({ w, d });
  }
  return scored.sort((a, b) => a.d - b.d || a.w.localeCompare(b.w)).slice(0, max).map((s) => s.w);
}
