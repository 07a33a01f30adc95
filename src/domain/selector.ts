import { fullName } from './client.js';

/**
 * Resolving `<client>` on the command line: an id, or a fragment of the name
 * that fits exactly one client. Matching ignores case and accents, so "zoe"
 * finds "Zoë" and "lukasz" finds "Łukasz".
 */

export interface NamedClient {
  id: number;
  firstName: string;
  lastName: string;
}

export type Selection<T> =
  | { kind: 'found'; client: T }
  | { kind: 'none' }
  | { kind: 'ambiguous'; matches: T[] };

// Letters that do not decompose under NFD but that people type without the mark.
const FOLD_EXTRA: Record<string, string> = { ł: 'l', ø: 'o', đ: 'd', ß: 'ss', æ: 'ae', œ: 'oe', ı: 'i', þ: 'th' };

/** Case- and accent-insensitive form of a name, for matching only (never stored or shown). */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[łøđßæœıþ]/g, (ch) => FOLD_EXTRA[ch] ?? ch)
    .replace(/\s+/g, ' ')
    .trim();
}

export function isIdSelector(selector: string): boolean {
  return /^\d+$/.test(selector.trim());
}

/**
 * Pick the client a name fragment means. Every word of the fragment must occur
 * in the full name. When several clients match, one whose name contains every
 * word as a whole word wins ("ana" picks Ana Silva over Anabel Ortiz); when
 * that still leaves several, the selection is ambiguous.
 */
export function selectByName<T extends NamedClient>(fragment: string, clients: readonly T[]): Selection<T> {
  const words = foldName(fragment).split(' ').filter(Boolean);
  if (words.length === 0) return { kind: 'none' };
  const matches: { client: T; nameWords: string[]; full: string }[] = [];
  for (const client of clients) {
    const full = foldName(`${client.firstName} ${client.lastName}`);
    const written = foldName(fullName(client)); // "李娜", family name first
    if (words.every((w) => full.includes(w)) || words.every((w) => written.includes(w))) {
      matches.push({ client, nameWords: [...full.split(/[\s-]+/), written], full });
    }
  }
  if (matches.length === 0) return { kind: 'none' };
  if (matches.length === 1) return { kind: 'found', client: matches[0]!.client };
  const whole = matches.filter((m) => words.every((w) => m.nameWords.includes(w) || m.full === w));
  if (whole.length === 1) return { kind: 'found', client: whole[0]!.client };
  return { kind: 'ambiguous', matches: matches.map((m) => m.client) };
}
