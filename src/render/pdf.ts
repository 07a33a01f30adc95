/**
 * A thin layer over pdfkit: text in any script (a font per run), measured
 * blocks that move to a new page whole, tables whose header repeats, and a
 * header and footer drawn on every page once the page count is known.
 * src/render/ is the only place that uses pdfkit (STYLE.md).
 */
import PDFDocument from 'pdfkit';
import type { Writable } from 'node:stream';
import { loadFont, runs, type FontFace } from './fonts.js';

export const COLOURS = {
  ink: '#1f2933',
  muted: '#52606d',
  rule: '#cbd2d9',
  shade: '#f1f4f8',
  red: '#b42318',
  redBg: '#fdecea',
  amber: '#b54708',
  amberBg: '#fef4e6',
  green: '#067647',
  greenBg: '#e7f5ec',
  blue: '#1d4ed8',
  purple: '#6d28d9',
} as const;

export interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: string;
  lineGap?: number;
  align?: 'left' | 'right' | 'center';
  /** Struck through (a voided entry in the session log). */
  strike?: boolean;
}

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface DocMeta {
  title: string;
  author: string;
  subject: string;
  /** Fixed for reproducible output (SOURCE_DATE_EPOCH). */
  created: Date;
  margins: { top: number; bottom: number; left: number; right: number };
}

const FACES: FontFace[] = ['sans', 'sans-bold', 'arabic', 'arabic-bold', 'hebrew', 'thai', 'math', 'cjk', 'korean'];

/** Longest text a table cell shows; the full text stays in the record. */
const CELL_MAX = 1200;
const clip = (cell: string) => (cell.length > CELL_MAX ? `${cell.slice(0, CELL_MAX)} […]` : cell);
const TABLE_PAD = 3;

/** Text known only once every page is laid out (a page number further on): drawn then, on one line. */
export interface LaterText {
  later: () => string;
}

export interface TableOptions {
  size?: number;
  rowStyle?: (row: number) => TextStyle | undefined;
  /** Room to keep free below the last row (what must share its page: the reply form); the last row moves to a new page for it. */
  tail?: number;
}

export class Pdf {
  readonly doc: PDFKit.PDFDocument;
  readonly left: number;
  readonly right: number;
  readonly width: number;
  private readonly registered = new Map<FontFace, boolean>();
  /** Pages, counted when the document is finished. */
  pages = 0;
  private readonly deferred: { page: number; draw: () => void }[] = [];

  constructor(readonly meta: DocMeta) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: meta.margins,
      bufferPages: true,
      autoFirstPage: true,
      compress: true,
      lang: 'en',
      // No default Helvetica: pdfkit would parse its metrics for every document, and no text uses it.
      font: null,
      displayTitle: true,
      info: { Title: meta.title, Author: meta.author, Subject: meta.subject, Creator: 'bridgefit', Producer: 'bridgefit (pdfkit)', CreationDate: meta.created, ModDate: meta.created },
    } as unknown as PDFKit.PDFDocumentOptions);
    // Registered lazily: the 10 MB Chinese font is read only when a character needs it.
    for (const face of FACES) this.registered.set(face, false);
    this.font('sans');
    this.left = meta.margins.left;
    this.right = this.doc.page.width - meta.margins.right;
    this.width = this.right - this.left;
  }

  /** Switch to a face, registering it with this document on first use. */
  font(face: FontFace): PDFKit.PDFDocument {
    if (this.registered.get(face) === false) {
      this.doc.registerFont(face, loadFont(face) as unknown as string);
      this.registered.set(face, true);
    }
    return this.doc.font(face);
  }

  get y(): number {
    return this.doc.y;
  }

  set y(v: number) {
    this.doc.y = v;
  }

  get bottom(): number {
    return this.doc.page.height - this.meta.margins.bottom;
  }

  /** The page being laid out, from 1 (pages are only added at the end while laying out). */
  get pageNumber(): number {
    return this.doc.bufferedPageRange().count;
  }

  /** Draw on the current page once every page is laid out: for what refers to a later page. */
  later(draw: () => void): void {
    this.deferred.push({ page: this.doc.bufferedPageRange().start + this.pageNumber - 1, draw });
  }

  pipe(out: Writable): void {
    this.doc.pipe(out);
  }

  /** Start a new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) this.newPage();
  }

  newPage(): void {
    this.doc.addPage();
    this.doc.x = this.left;
    this.doc.y = this.meta.margins.top;
  }

  /** Draw text at (x, y) within `width`, each run in a font that has its glyphs; returns the y below it. */
  text(text: string, x: number, y: number, width: number, style: TextStyle = {}): number {
    const doc = this.doc;
    const { size = 10, bold = false, color = COLOURS.ink, lineGap = 1.5, align = 'left', strike = false } = style;
    if (text === '') return y;
    const parts = runs(text, bold);
    doc.fillColor(color).fontSize(size);
    if (parts.length === 1) {
      this.font(parts[0]!.face).text(parts[0]!.text, x, y, { width, lineGap, align, strike });
      return doc.y;
    }
    let start = x;
    if (align !== 'left') {
      // pdfkit aligns one run at a time: place a mixed line that fits by its measured width instead.
      const total = parts.reduce((sum, r) => sum + this.font(r.face).widthOfString(r.text), 0);
      if (total <= width && !text.includes('\n')) start = align === 'right' ? x + width - total : x + (width - total) / 2;
    }
    parts.forEach((r, i) => {
      this.font(r.face);
      const continued = i < parts.length - 1;
      if (i === 0) doc.text(r.text, start, y, { width: width - (start - x), lineGap, continued, strike });
      else doc.text(r.text, { continued, strike });
    });
    return doc.y;
  }

  /** The width `text` takes on one line, across its fonts. */
  lineWidth(text: string, style: TextStyle = {}): number {
    const { size = 10, bold = false } = style;
    if (text === '') return 0;
    this.doc.fontSize(size);
    return runs(text, bold).reduce((sum, r) => sum + this.font(r.face).widthOfString(r.text), 0);
  }

  /**
   * `text` made to fit one line of `width`: spaces and line breaks collapsed,
   * the type shrunk down to `minSize` (85% of the size unless given), then
   * cut short with "…". Returns the text and size to draw, and its width.
   */
  fit(text: string, width: number, style: TextStyle & { minSize?: number } = {}): { text: string; size: number; width: number } {
    const size = style.size ?? 10;
    const one = text.replace(/\s+/g, ' ').trim();
    // A hair of slack: pdfkit wraps a line measured exactly at the width.
    const room = Math.max(0, width - 0.5);
    const at = (s: number, t: string) => this.lineWidth(t, { ...style, size: s });
    const full = at(size, one);
    if (full <= room) return { text: one, size, width: full };
    const minSize = Math.min(size, style.minSize ?? size * 0.85);
    const shrunk = Math.max(minSize, Math.floor(((size * room) / full) * 10) / 10);
    if (at(shrunk, one) <= room) return { text: one, size: shrunk, width: at(shrunk, one) };
    // Cut at a code point (not inside a surrogate pair), as long as still fits with the ellipsis.
    const chars = Array.from(one);
    let lo = 0;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (at(minSize, `${chars.slice(0, mid).join('').trimEnd()}…`) <= room) lo = mid;
      else hi = mid - 1;
    }
    const cut = lo === 0 ? '…' : `${chars.slice(0, lo).join('').trimEnd()}…`;
    return { text: cut, size: minSize, width: at(minSize, cut) };
  }

  /** Draw `text` on exactly one line of `width` at (x, y) (see fit); returns its drawn width. */
  line(text: string, x: number, y: number, width: number, style: TextStyle & { minSize?: number } = {}): number {
    const f = this.fit(text, width, style);
    if (f.text === '') return 0;
    const { minSize: _minSize, ...rest } = style;
    this.text(f.text, x, y, width, { ...rest, size: f.size });
    return f.width;
  }

  /** The height `text` takes in `width`: exact in one font, a close estimate across fonts. */
  height(text: string, width: number, style: TextStyle = {}): number {
    const doc = this.doc;
    const { size = 10, bold = false, lineGap = 1.5 } = style;
    if (text === '') return 0;
    const parts = runs(text, bold);
    doc.fontSize(size);
    if (parts.length === 1) {
      this.font(parts[0]!.face);
      // Most cells and fields are one short line: measured by width, without running the line wrapper.
      if (!text.includes('\n') && doc.widthOfString(text) <= width) return doc.currentLineHeight(true) + lineGap;
      return doc.heightOfString(parts[0]!.text, { width, lineGap });
    }
    let lineHeight = 0;
    let lines = 1;
    let lineWidth = 0;
    for (const r of parts) {
      this.font(r.face);
      lineHeight = Math.max(lineHeight, doc.currentLineHeight(true) + lineGap);
      for (const [i, piece] of r.text.split('\n').entries()) {
        if (i > 0) {
          lines += 1;
          lineWidth = 0;
        }
        lineWidth += doc.widthOfString(piece);
        // Word wrap loses part of a line: count 10% more width than the text has.
        while (lineWidth * 1.1 > width) {
          lines += 1;
          lineWidth -= width / 1.1;
        }
      }
    }
    return lines * lineHeight;
  }

  /** A paragraph at the cursor, moved whole to the next page when it does not fit. */
  para(text: string, style: TextStyle & { indent?: number; gap?: number } = {}): void {
    const indent = style.indent ?? 0;
    const h = this.height(text, this.width - indent, style);
    if (h < this.bottom - this.meta.margins.top) this.ensure(h);
    this.doc.y = this.text(text, this.left + indent, this.doc.y, this.width - indent, style) + (style.gap ?? 2);
  }

  /**
   * A heading kept on the page of what follows it: `keep` is the height of
   * that content's first line or row (see tableLead), never left behind alone.
   * `space`: the room above it, when not the level's own.
   */
  heading(text: string, level: 1 | 2 | 3 = 2, keep = 40, space?: number): void {
    const size = level === 1 ? 18 : level === 2 ? 13 : 10.5;
    const before = space ?? (level === 1 ? 0 : level === 2 ? 12 : 6);
    const own = this.height(text, this.width, { size, bold: true }) + (level === 2 ? 5 : 2);
    // More than a page can hold moves nothing: it would only leave a blank page behind.
    this.ensure(Math.min(before + own + keep, this.bottom - this.meta.margins.top));
    this.doc.y += before;
    const y = this.text(text, this.left, this.doc.y, this.width, { size, bold: true });
    if (level === 2) {
      this.doc.moveTo(this.left, y + 1).lineTo(this.right, y + 1).lineWidth(0.6).strokeColor(COLOURS.rule).stroke();
      this.doc.y = y + 5;
    } else this.doc.y = y + 2;
  }

  /** The height `heading` takes, the room above it included. */
  headingHeight(text: string, level: 1 | 2 | 3 = 2): number {
    const size = level === 1 ? 18 : level === 2 ? 13 : 10.5;
    return (level === 1 ? 0 : level === 2 ? 12 : 6) + this.height(text, this.width, { size, bold: true }) + (level === 2 ? 5 : 2);
  }

  /** The height `para` takes, its gap included. */
  paraHeight(text: string, style: TextStyle & { indent?: number; gap?: number } = {}): number {
    return this.height(text, this.width - (style.indent ?? 0), style) + (style.gap ?? 2);
  }

  /** The height `bullets` takes on one page. */
  bulletsHeight(items: readonly string[], style: TextStyle = {}): number {
    return items.reduce((sum, item) => sum + this.height(item, this.width - 14, style) + 2, 0);
  }

  /** The height `table` takes on one page: header, every row and the space after. */
  tableHeight(columns: readonly Column[], rows: readonly string[][], options: TableOptions = {}): number {
    const size = options.size ?? 8.5;
    return this.headerHeight(columns, size) + rows.reduce((sum, row, i) => sum + this.rowHeight(columns, row.map(clip), { size, ...(options.rowStyle?.(i) ?? {}) }), 0) + 6;
  }

  /** The height of a paragraph's first lines as para draws them: what a heading above it keeps with. */
  paraLead(text: string, style: TextStyle & { indent?: number } = {}): number {
    return Math.min(this.height(text, this.width - (style.indent ?? 0), style), 40);
  }

  /** The height of the first bullet as bullets draws it (up to 60 pt, as bullets keeps). */
  bulletLead(items: readonly string[], style: TextStyle = {}): number {
    return items[0] === undefined ? 0 : Math.min(this.height(items[0], this.width - 14, style), 60) + 2;
  }

  bullets(items: readonly string[], style: TextStyle = {}): void {
    const size = style.size ?? 10;
    for (const item of items) {
      const h = this.height(item, this.width - 14, style);
      this.ensure(Math.min(h, 60));
      const y = this.doc.y;
      this.text('•', this.left + 3, y, 10, { ...style, size });
      this.doc.y = this.text(item, this.left + 14, y, this.width - 14, style) + 2;
    }
  }

  /** "Label   value" rows with the labels in a column of their own; `base` is every value's style. */
  fields(rows: readonly [string, string, TextStyle?][], labelWidth = 118, base: TextStyle = {}): void {
    for (const [label, value, own] of rows) {
      const style = { ...base, ...own };
      const h = Math.max(this.height(value || '–', this.width - labelWidth, style), 12);
      this.ensure(h + 3);
      const y = this.doc.y;
      this.text(label, this.left, y, labelWidth - 8, { size: 9, color: COLOURS.muted, bold: true });
      this.doc.y = Math.max(this.text(value || '–', this.left + labelWidth, y, this.width - labelWidth, style), y + 12) + 3;
    }
  }

  /** The height of a table's header and first row: a table never starts with its header alone, nor a heading above it. */
  tableLead(columns: readonly Column[], rows: readonly string[][], options: TableOptions = {}): number {
    const size = options.size ?? 8.5;
    const first = rows[0] ? this.rowHeight(columns, rows[0], { size, ...(options.rowStyle?.(0) ?? {}) }) : 0;
    return this.headerHeight(columns, size) + first;
  }

  private headerHeight(columns: readonly Column[], size: number): number {
    return Math.max(...columns.map((c) => this.height(c.header, c.width - 2 * TABLE_PAD, { size, bold: true }))) + 2 * TABLE_PAD;
  }

  private rowHeight(columns: readonly Column[], cells: readonly string[], style: TextStyle): number {
    return Math.max(...cells.map((cell, j) => this.height(clip(cell), columns[j]!.width - 2 * TABLE_PAD, style))) + 2 * TABLE_PAD;
  }

  /** A table that breaks across pages between rows, repeating its header. */
  table(columns: readonly Column[], rows: readonly string[][], options: TableOptions = {}): void {
    const size = options.size ?? 8.5;
    const pad = TABLE_PAD;
    const header = () => {
      const h = this.headerHeight(columns, size);
      const y = this.doc.y;
      this.doc.rect(this.left, y, this.width, h).fill(COLOURS.shade);
      let x = this.left;
      for (const c of columns) {
        this.text(c.header, x + pad, y + pad, c.width - 2 * pad, { size, bold: true, color: COLOURS.muted, align: c.align ?? 'left' });
        x += c.width;
      }
      this.doc.y = y + h;
    };
    this.ensure(Math.min(this.tableLead(columns, rows, options), this.bottom - this.meta.margins.top));
    header();
    rows.forEach((row, i) => {
      const cells = row.map(clip);
      const style = { size, ...(options.rowStyle?.(i) ?? {}) };
      const h = this.rowHeight(columns, cells, style);
      const tail = i === rows.length - 1 ? (options.tail ?? 0) : 0;
      // The tail is kept only when the last row and it fit on a new page (below the repeated header).
      const keepTail = tail > 0 && this.meta.margins.top + this.headerHeight(columns, size) + h + tail <= this.bottom;
      if (this.doc.y + h > this.bottom || (keepTail && this.doc.y + h + tail > this.bottom)) {
        this.newPage();
        header();
      }
      const y = this.doc.y;
      let x = this.left;
      cells.forEach((cell, j) => {
        this.text(cell, x + pad, y + pad, columns[j]!.width - 2 * pad, { ...style, align: columns[j]!.align ?? 'left' });
        x += columns[j]!.width;
      });
      this.doc.y = y + h;
      this.doc.moveTo(this.left, y + h).lineTo(this.right, y + h).lineWidth(0.4).strokeColor(COLOURS.rule).stroke();
    });
    this.doc.y += 6;
  }

  /** A box with a coloured bar on the left, sized to its content; a LaterText item takes one line. */
  callout(title: string, items: readonly (string | LaterText)[], colour: string, background: string, style: TextStyle = {}): void {
    const inner = this.width - 22;
    const titleH = this.height(title, inner, { size: 11, bold: true });
    const oneLine = this.height('X', inner - 12, style);
    const itemsH = items.reduce((sum, t) => sum + (typeof t === 'string' ? this.height(t, inner - 12, style) : oneLine) + 2, 0);
    const h = titleH + itemsH + 14;
    this.ensure(h + 6);
    const y = this.doc.y;
    this.doc.rect(this.left, y, this.width, h).fill(background);
    this.doc.rect(this.left, y, 4, h).fill(colour);
    let cy = this.text(title, this.left + 14, y + 7, inner, { size: 11, bold: true, color: colour }) + 2;
    for (const t of items) {
      this.text('•', this.left + 16, cy, 10, style);
      if (typeof t === 'string') cy = this.text(t, this.left + 28, cy, inner - 12, style) + 2;
      else {
        const at = cy;
        this.later(() => this.line(t.later(), this.left + 28, at, inner - 12, style));
        cy += oneLine + 2;
      }
    }
    this.doc.y = y + h + 8;
  }

  /** Draw on every page once the count is known (header, footer), then end the document. */
  finish(paint: (page: number, pages: number) => void): void {
    const { start, count } = this.doc.bufferedPageRange();
    this.pages = count;
    const onPage = (i: number, draw: () => void) => {
      this.doc.switchToPage(i);
      // Drawing in the margins must not start a new page.
      const margins = this.doc.page.margins;
      const saved = { ...margins };
      margins.top = 0;
      margins.bottom = 0;
      draw();
      Object.assign(margins, saved);
    };
    for (const { page, draw } of this.deferred) onPage(page, draw);
    for (let i = start; i < start + count; i++) onPage(i, () => paint(i - start + 1, count));
    this.doc.end();
  }
}
