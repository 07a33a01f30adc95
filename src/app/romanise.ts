/**
 * A person's name in Latin letters, for file names (李娜 → "li na", Ирина →
 * "irina"): Chinese characters by pinyin-pro, whose surname mode reads a
 * family name as a family name (单 Shan, 曾 Zeng, where a plain reading says
 * Dan and Ceng, and where `transliteration` reads 娜 as "nuo"); every other
 * script (Cyrillic, Greek, kana, Hangul, Arabic, Hebrew, Thai) by
 * `transliteration`'s tables. Latin letters with marks are left to the
 * caller's slug (domain/report.ts reportFileName), which strips them.
 * Both packages have no dependencies of their own and run on Node 20; they
 * are bundled into the chunks of the commands that name report files
 * (report, demo) only: this module is imported by nothing else.
 */
import { pinyin } from 'pinyin-pro';
import { transliterate } from 'transliteration';
import { reportFileName } from '../domain/report.js';

const EAST_ASIAN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const HAN_RUN = /\p{Script=Han}+/gu;
/** Letters outside Latin that the slug could not keep. */
const NOT_LATIN = /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u;

/** The name in Latin letters; East Asian names family name first, as they are said (李娜 → "li na"). */
export function romanName(firstName: string, lastName: string): string {
  // Family name first when the family name is written in an East Asian script (李 with 娜; not Moreau with 娜).
  const eastAsian = EAST_ASIAN.test(lastName);
  const parts = eastAsian ? [[lastName, true] as const, [firstName, false] as const] : [[firstName, false] as const, [lastName, false] as const];
  return parts.map(([part, family]) => romanise(part, family)).join(' ');
}

/**
 * Arabic letters in a simplified ALA-LC romanisation, without marks: the
 * written consonants and long vowels (short vowels are not written, so "حسن"
 * is "hsn"), the article "al-", ʿayn and hamza left out. `transliteration`
 * alone gives "aay'sh@" for عائشة; this gives "aisha".
 */
const ARABIC: Record<string, string> = {
  ا: 'a', أ: 'a', إ: 'i', آ: 'a', ب: 'b', ت: 't', ث: 'th', ج: 'j', ح: 'h', خ: 'kh', د: 'd', ذ: 'dh', ر: 'r', ز: 'z', س: 's', ش: 'sh', ص: 's', ض: 'd', ط: 't', ظ: 'z',
  ع: '', غ: 'gh', ف: 'f', ق: 'q', ك: 'k', ل: 'l', م: 'm', ن: 'n', ه: 'h', و: 'w', ي: 'y', ى: 'a', ة: 'a', ء: '', ئ: 'i', ؤ: 'u', پ: 'p', چ: 'ch', ژ: 'zh', گ: 'g', ک: 'k', ی: 'y',
};

function arabic(text: string): string {
  return text.replace(/[\u0600-\u06ff]+/g, (word) => {
    const bare = word.replace(/[\u064b-\u065f\u0670]/g, '');
    const [article, rest] = bare.startsWith('ال') && bare.length > 3 ? ['al-', bare.slice(2)] : ['', bare];
    return article + Array.from(rest, (ch) => ARABIC[ch] ?? ch).join('');
  });
}

function romanise(text: string, family: boolean): string {
  if (!NOT_LATIN.test(text)) return text;
  text = arabic(text);
  // Greek ου is "ou" (ELOT 743), where letter by letter it would read "oy".
  const han = text.replace(/ο[υύ]/g, 'ou').replace(/Ο[υύ]|ΟΥ/g, 'Ou').replace(HAN_RUN, (run) => ` ${pinyin(run, { toneType: 'none', mode: family ? 'surname' : 'normal', v: false })} `);
  // transliterate keeps ASCII and Latin letters as they are and reads the rest; "ü" from pinyin becomes "u".
  return transliterate(han).replace(/\s+/g, ' ').trim();
}

/** A client's report file name, the name in Latin letters whatever its script (李娜 → 0003-li-na-report.pdf). */
export function clientReportFile(client: { id: number; firstName: string; lastName: string }, suffix = ''): string {
  return reportFileName(client.id, client.firstName, client.lastName, suffix, romanName(client.firstName, client.lastName));
}
