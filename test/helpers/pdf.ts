/**
 * Read a PDF back the way a reader's software does (pdf.js), so tests check
 * what is on the page, not the file's size.
 */
import fs from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfText {
  pages: string[];
  /** Every page joined, whitespace collapsed to single spaces. */
  text: string;
  info: Record<string, unknown>;
}

export async function readPdf(file: string | Buffer): Promise<PdfText> {
  const data = new Uint8Array(typeof file === 'string' ? fs.readFileSync(file) : file);
  const pdf = await getDocument({ data, verbosity: 0, useSystemFonts: false, isEvalSupported: false }).promise;
  try {
    const pages: string[] = [];
    for (let i = 1; i <= pdf.numPages; i++) {
      const page = await pdf.getPage(i);
      const content = await page.getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
    }
    const meta = await pdf.getMetadata();
    return { pages, text: pages.join('\n').replace(/\s+/g, ' '), info: meta.info as Record<string, unknown> };
  } finally {
    await pdf.destroy();
  }
}

/**
 * Text with every space and control character removed: pdf.js spaces Arabic
 * and Chinese runs its own way, and Arabic mark glyphs (dots, hamza) drawn
 * as their own glyphs come back as control characters.
 */
export const squash = (s: string) => s.replace(/[\s\u0000-\u001f]+/g, '');
