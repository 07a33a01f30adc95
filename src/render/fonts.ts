/**
 * Fonts for names and notes in any script. The 14 standard PDF fonts cover
 * Western European Latin only, so bridgefit embeds Noto (SIL Open Font
 * License), nine faces shipped in src/render/fonts/ (copied to dist/fonts/ by the build; sources.json says where each
 * came from), and picks a font for each run of text by what its glyphs
 * cover: Noto Sans for Latin, Greek and Cyrillic, Noto Sans Arabic, Hebrew
 * and Thai, Noto Sans Math for ≥ → ✓, Noto Sans SC for Chinese and Japanese
 * kana, and Noto Sans KR for Hangul. The Chinese and Korean fonts are 10 and
 * 6 MB, so each is read only when a document has a character that needs it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';

export type FontFace = 'sans' | 'sans-bold' | 'arabic' | 'arabic-bold' | 'hebrew' | 'thai' | 'math' | 'cjk' | 'korean';

/** Files in src/render/fonts/ (dist/fonts/ when built), copied unchanged from the @expo-google-fonts packages named in fonts/sources.json. */
export const FILES: Record<FontFace, string> = {
  sans: 'NotoSans-Regular.ttf',
  'sans-bold': 'NotoSans-Bold.ttf',
  arabic: 'NotoSansArabic-Regular.ttf',
  'arabic-bold': 'NotoSansArabic-Bold.ttf',
  hebrew: 'NotoSansHebrew-Regular.ttf',
  thai: 'NotoSansThai-Regular.ttf',
  math: 'NotoSansMath-Regular.ttf',
  cjk: 'NotoSansSC-Regular.ttf',
  korean: 'NotoSansKR-Regular.ttf',
};

/** Tried in this order for a character the text's own font lacks. */
const FALLBACK: Record<'regular' | 'bold', FontFace[]> = {
  regular: ['sans', 'arabic', 'hebrew', 'thai', 'math', 'cjk', 'korean'],
  bold: ['sans-bold', 'arabic-bold', 'hebrew', 'thai', 'math', 'cjk', 'korean'],
};

export class FontError extends Error {}

/** A parsed font (fontkit), as pdfkit takes it. */
export interface LoadedFont {
  hasGlyphForCodePoint(cp: number): boolean;
  layout(text: string, features?: unknown, ...rest: unknown[]): GlyphRun;
}

interface Position {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}

interface GlyphRun {
  glyphs: unknown[];
  positions: Position[];
  readonly advanceWidth: number;
}

/** Words shaped once per process are kept this long; then the memo starts again, so memory stays flat. */
const LAYOUT_MEMO_MAX = 20_000;

/**
 * Shape each word once per process. pdfkit caches shaped words per document
 * only, and OpenType shaping (fontkit) is most of the cost of a report:
 * `report --all` draws the same labels, dates and exercise names in every
 * document. pdfkit scales the positions it is given in place, so each call
 * gets its own copy.
 */
function memoiseLayout(font: LoadedFont): void {
  const layout = font.layout.bind(font);
  const memo = new Map<string, { glyphs: unknown[]; positions: Position[] }>();
  font.layout = (text, features, ...rest) => {
    if (features !== undefined || rest.length > 0) return layout(text, features, ...rest);
    let hit = memo.get(text);
    if (!hit) {
      const run = layout(text);
      hit = { glyphs: run.glyphs, positions: run.positions.map((p) => ({ xAdvance: p.xAdvance, yAdvance: p.yAdvance, xOffset: p.xOffset, yOffset: p.yOffset })) };
      if (memo.size >= LAYOUT_MEMO_MAX) memo.clear();
      memo.set(text, hit);
    }
    const positions = hit.positions.map((p) => ({ ...p }));
    return {
      glyphs: hit.glyphs,
      positions,
      get advanceWidth() {
        return positions.reduce((sum, p) => sum + p.xAdvance, 0);
      },
    };
  };
}

const faces = new Map<FontFace, LoadedFont>();

let fontsDir: string | undefined;

/** The fonts folder that ships with bridgefit (src/render/fonts, or dist/fonts), found from this module's place in src/ or dist/ (like templates/). */
export function fontsFolder(): string {
  if (fontsDir) return fontsDir;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'fonts', FILES.sans))) return (fontsDir = path.join(dir, 'fonts'));
    dir = path.dirname(dir);
  }
  throw new FontError('the fonts folder is missing from this bridgefit installation; reinstall bridgefit');
}

/**
 * The parsed font, read and parsed once per process and shared by every
 * document: `report --all` would otherwise parse the same tables a thousand
 * times, and lose fontkit's glyph caches with them.
 */
export function loadFont(face: FontFace): LoadedFont {
  let f = faces.get(face);
  if (!f) {
    const file = path.join(fontsFolder(), FILES[face]);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      throw new FontError(`the font ${FILES[face]} is missing from ${path.dirname(file)}; reinstall bridgefit`);
    }
    f = fontkit.create(bytes) as LoadedFont;
    memoiseLayout(f);
    faces.set(face, f);
  }
  return f;
}

function covers(face: FontFace, cp: number): boolean {
  return loadFont(face).hasGlyphForCodePoint(cp);
}

export interface Run {
  face: FontFace;
  text: string;
}

/** Characters that take the font of the text around them when it has them. */
const NEUTRAL = /[\s\d.,:;!?()[\]{}'"\-–—/+%°·•]/u;
/** Marks and joiners belong to the character before them. */
const JOINING = /[\p{M}\u200c\u200d]/u;

const RTL_FACES = new Set<FontFace>(['arabic', 'arabic-bold', 'hebrew']);

const cache = new Map<string, Run[]>();

/**
 * Split text into runs, each in a font that has its glyphs. Characters no
 * font has are kept in the base font (a box is drawn) and reported by
 * {@link missingGlyphs}.
 *
 * @example
 * runs('Zoë 李娜') // [{ face: 'sans', text: 'Zoë ' }, { face: 'cjk', text: '李娜' }]
 */
export function runs(text: string, bold = false): Run[] {
  const key = `${bold ? 'b' : 'r'}${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const order = FALLBACK[bold ? 'bold' : 'regular'];
  const out: Run[] = [];
  let current: Run | undefined;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    let face: FontFace;
    // A space inside Arabic text is its own run: pdfkit loses a space shaped inside an RTL run (seen in the PDF).
    // After a symbol from the math font, digits and spaces go back to the text's own font.
    const sticks = NEUTRAL.test(ch) && current?.face !== 'math' && !(RTL_FACES.has(current?.face as FontFace) && /\s/.test(ch));
    if (current && (JOINING.test(ch) || (sticks && covers(current.face, cp)))) face = current.face;
    else face = order.find((f) => covers(f, cp)) ?? order[0]!;
    if (current && current.face === face) current.text += ch;
    else {
      current = { face, text: ch };
      out.push(current);
    }
  }
  // A short cache: the same labels and names repeat on every page and in every report.
  if (cache.size > 5000) cache.clear();
  cache.set(key, out);
  return out;
}

/** Characters in `text` that no embedded font can draw (Hangul, Hebrew, Thai…), to warn about. */
export function missingGlyphs(text: string): string[] {
  const missing = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || JOINING.test(ch)) continue;
    if (!FALLBACK.regular.some((f) => covers(f, cp))) missing.add(ch);
  }
  return [...missing];
}
