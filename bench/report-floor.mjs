#!/usr/bin/env node
// The floor of `report --all`: a bare pdfkit loop drawing the same pages.
//
// Two steps, only the second one timed:
//
//   node bench/report-floor.mjs extract --pdfs DIR --out DIR2
//       Reads every PDF bridgefit wrote in DIR and saves, per PDF, what is on
//       each page as a list of drawing operations (DIR2/<name>.json): every
//       piece of text with its position, font and size (the strings from
//       pdfjs-dist's text extraction, the positions, fonts, sizes and colours
//       from the page's content stream), and every path (lines, curves,
//       rectangles: the charts, rules, table shading, markers) with its line
//       width, dash and colours, in the order they were drawn.
//
//   node bench/report-floor.mjs check --pdfs DIR --floor DIR3
//       Compares the text pdfjs finds in bridgefit's PDFs and in the floor's.
//
//   node bench/report-floor.mjs --in DIR2 --out-dir DIR3 [--shared-fonts]
//       The floor. In one process, for each saved report: read its JSON, make
//       a pdfkit document (A4, compressed, the same metadata), register the
//       same Noto fonts by file path (pdfkit's own registerFont, per document,
//       as a bare loop would; pdfkit opens a face on its first use only),
//       draw each page's operations — doc.text(str, x, y, { lineBreak: false })
//       at the same baseline, moveTo/lineTo/bezierCurveTo/rect, stroke, fill —
//       and write the PDF to DIR3. `--shared-fonts` parses each font once per
//       process instead (fontkit objects handed to registerFont, as bridgefit
//       does): a lower floor, shown for context.
//
// What the floor does not do: open a database, build a report model, make a
// layout decision (measure text, wrap lines, break pages, place tables), split
// text into runs by script, repeat headers and footers through buffered pages,
// or write through a temporary file. It draws the finished pages, nothing more.
//
// As a module: `extractAll({ pdfs, out })`, `check({ pdfs, floor })`, `countPdf(file)`.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** The faces bridgefit ships in fonts/ (fonts/sources.json), by the PostScript names pdfkit gives them. */
const FONTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'render', 'fonts');
export const FONT_FILES = {
  'NotoSans-Regular': 'NotoSans-Regular.ttf',
  'NotoSans-Bold': 'NotoSans-Bold.ttf',
  'NotoSansArabic-Regular': 'NotoSansArabic-Regular.ttf',
  'NotoSansArabic-Bold': 'NotoSansArabic-Bold.ttf',
  'NotoSansMath-Regular': 'NotoSansMath-Regular.ttf',
  'NotoSansSC-Regular': 'NotoSansSC-Regular.ttf',
};

// ---------------------------------------------------------------- reading a PDF (as pdfkit writes it: no object streams)
function objects(buf) {
  const s = buf.toString('latin1');
  const objs = new Map();
  for (const m of s.matchAll(/(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) objs.set(Number(m[1]), m[2]);
  return objs;
}

function streamOf(body) {
  const i = body.indexOf('stream\n');
  const j = body.lastIndexOf('\nendstream');
  const raw = Buffer.from(body.slice(i + 7, j), 'latin1');
  return /\/Filter \/FlateDecode/.test(body.slice(0, i)) ? zlib.inflateSync(raw).toString('latin1') : raw.toString('latin1');
}

const ref = (dict, key) => {
  const m = new RegExp(`/${key} (\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : null;
};

/** Pages in order, each with its height, content stream and font names (/F3 → NotoSans-Bold). */
function pagesOf(objs) {
  const tree = [...objs.values()].find((o) => /\/Type \/Pages\b/.test(o));
  const kids = [.../\/Kids \[([^\]]*)\]/.exec(tree)[1].matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
  return kids.map((id) => {
    const page = objs.get(id);
    const box = /\/MediaBox \[([^\]]*)\]/.exec(page)[1].trim().split(/\s+/).map(Number);
    let res = objs.get(ref(page, 'Resources')) ?? page;
    const fontDict = /\/Font <<([\s\S]*?)>>/.exec(res)?.[1] ?? '';
    const fonts = {};
    for (const m of fontDict.matchAll(/\/(\w+) (\d+) 0 R/g)) fonts[m[1]] = /\/BaseFont \/(?:[A-Z]{6}\+)?([\w-]+)/.exec(objs.get(Number(m[2])))[1];
    return { height: box[3], content: streamOf(objs.get(ref(page, 'Contents'))), fonts };
  });
}

const hex = (r, g, b) => `#${[r, g, b].map((v) => Math.round(Number(v) * 255).toString(16).padStart(2, '0')).join('')}`;
const yKey = (y) => Number(y).toFixed(2);

/**
 * The string pdfjs reports for the text drawn at (x, y): at x itself or, when
 * the run starts with a space pdfjs trimmed (a run after a font change), a
 * little to its right on the same baseline.
 */
function takeText(texts, x, y, size) {
  const line = texts.get(yKey(y));
  if (!line) return null;
  let i = line.findIndex((t) => Math.abs(t.x - x) < 0.01);
  if (i < 0) i = line.findIndex((t) => t.x > x && t.x - x <= size * 0.7);
  return i < 0 ? null : line.splice(i, 1)[0];
}

/**
 * One page's drawing operations, in order. `texts` maps a baseline (y, as
 * pdfjs reports it) to the strings drawn on it and where they start.
 */
function pageOps(page, texts, stats) {
  const ops = [];
  let inText = false;
  let font = null;
  let size = 0;
  let at = null;
  for (const line of page.content.split('\n')) {
    if (line === '') continue;
    const toks = line.split(' ');
    const op = toks.at(-1);
    const a = toks.slice(0, -1);
    if (inText) {
      if (op === 'ET') inText = false;
      else if (op === 'Tf') [font, size] = [page.fonts[a[0].slice(1)], Number(a[1])];
      else if (op === 'Tm') at = [a[4], a[5]];
      else if (op === 'TJ' && at) {
        const hit = takeText(texts, Number(at[0]), Number(at[1]), size);
        if (hit) {
          ops.push(['t', font, size, hit.x, Number(at[1]), hit.str]);
          stats.texts++;
        } else stats.merged++; // drawn as part of the string pdfjs reported at an earlier position
        at = null;
      }
      continue;
    }
    switch (op) {
      case 'BT':
        inText = true;
        break;
      case 'cm':
        // pdfkit's own flip (top-left origin) at the page's start and around each text object.
        if (line !== `1 0 0 -1 0 ${page.height} cm`) throw new Error(`unexpected transform: ${line}`);
        break;
      case 'cs':
      case 'CS':
        break; // always /DeviceRGB
      case 'scn':
        ops.push(['fc', hex(...a)]);
        break;
      case 'SCN':
        ops.push(['sc', hex(...a)]);
        break;
      case 'd': {
        const dash = /^\[([^\]]*)\] (\S+)$/.exec(a.join(' '));
        const arr = dash[1].trim() ? dash[1].trim().split(/\s+/).map(Number) : [];
        ops.push(arr.length ? ['d', arr, Number(dash[2])] : ['u']);
        break;
      }
      case 'q':
      case 'Q':
      case 'h':
      case 'S':
      case 'f':
        ops.push([op]);
        break;
      case 'w':
      case 'm':
      case 'l':
      case 'c':
      case 're':
        ops.push([op, ...a.map(Number)]);
        stats.paths++;
        break;
      default:
        throw new Error(`unexpected operator in a page: ${line}`);
    }
  }
  return ops;
}

/** Text items from pdfjs, by position; pdfjs's own inserted spaces (height 0) and control characters dropped. */
async function pdfjsTexts(pdfjs, data) {
  const doc = await pdfjs.getDocument({ data, verbosity: 0, disableFontFace: true, isEvalSupported: false, useSystemFonts: false }).promise;
  const pages = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const { items } = await page.getTextContent();
    const map = new Map();
    for (const it of items) {
      const str = it.str?.replace(/[\u0000-\u001f]/g, '');
      if (!str || !str.trim() || it.height === 0) continue;
      const k = yKey(it.transform[5]);
      if (!map.has(k)) map.set(k, []);
      map.get(k).push({ x: it.transform[4], str });
    }
    pages.push(map);
    page.cleanup();
  }
  await doc.destroy();
  return pages;
}

/** Save the drawing operations of every PDF in `pdfs` to `out`; returns counts. */
export async function extractAll({ pdfs, out }) {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  fs.mkdirSync(out, { recursive: true });
  const stats = { pdfs: 0, pages: 0, texts: 0, merged: 0, leftover: 0, paths: 0 };
  for (const name of fs.readdirSync(pdfs).filter((n) => n.endsWith('.pdf')).sort()) {
    const buf = fs.readFileSync(path.join(pdfs, name));
    const pages = pagesOf(objects(buf));
    const texts = await pdfjsTexts(pdfjs, new Uint8Array(buf));
    if (texts.length !== pages.length) throw new Error(`${name}: pdfjs sees ${texts.length} pages, the file has ${pages.length}`);
    const doc = {
      pages: pages.map((p, i) => ({ height: p.height, ops: pageOps(p, texts[i], stats) })),
    };
    for (const m of texts) for (const l of m.values()) stats.leftover += l.length;
    fs.writeFileSync(path.join(out, name.replace(/\.pdf$/, '.json')), JSON.stringify(doc));
    stats.pdfs++;
    stats.pages += pages.length;
  }
  return stats;
}

/**
 * How closely the floor's PDFs match bridgefit's: text items (page, size, x,
 * y, string) that pdfjs finds in both, and those only in bridgefit's.
 */
export async function check({ pdfs, floor }) {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const items = async (file) => {
    const doc = await pdfjs.getDocument({ data: new Uint8Array(fs.readFileSync(file)), verbosity: 0 }).promise;
    const out = [];
    for (let p = 1; p <= doc.numPages; p++) {
      for (const it of (await (await doc.getPage(p)).getTextContent()).items) {
        if (it.str.trim() && it.height) out.push(`${p} ${it.transform[0].toFixed(2)} ${it.transform[4].toFixed(1)} ${it.transform[5].toFixed(1)} ${it.str}`);
      }
    }
    const pages = doc.numPages;
    await doc.destroy();
    return { pages, out };
  };
  const r = { pdfs: 0, pages: 0, floorPages: 0, same: 0, onlyInBridgefit: 0, examples: [] };
  for (const name of fs.readdirSync(pdfs).filter((n) => n.endsWith('.pdf')).sort()) {
    const [a, b] = [await items(path.join(pdfs, name)), await items(path.join(floor, name))];
    const seen = new Set(b.out);
    r.pdfs++;
    r.pages += a.pages;
    r.floorPages += b.pages;
    for (const x of a.out) {
      if (seen.has(x)) r.same++;
      else {
        r.onlyInBridgefit++;
        if (r.examples.length < 5) r.examples.push(`${name} p${x}`);
      }
    }
  }
  return r;
}

/** Pages in a PDF written by pdfkit (its page tree's /Count). */
export function countPdf(file) {
  const m = /\/Type \/Pages\n\/Count (\d+)/.exec(fs.readFileSync(file).toString('latin1'));
  return m ? Number(m[1]) : 0;
}

// ---------------------------------------------------------------- the floor
async function floor({ input, outDir, sharedFonts }) {
  const { default: PDFDocument } = await import('pdfkit');
  const files = Object.fromEntries(Object.entries(FONT_FILES).map(([name, file]) => [name, path.join(FONTS_DIR, file)]));
  let fonts = files;
  if (sharedFonts) {
    const fontkit = await import('fontkit');
    fonts = Object.fromEntries(Object.entries(files).map(([name, file]) => [name, fontkit.create(fs.readFileSync(file))]));
  }
  fs.mkdirSync(outDir, { recursive: true });
  for (const name of fs.readdirSync(input).filter((n) => n.endsWith('.json')).sort()) {
    const spec = JSON.parse(fs.readFileSync(path.join(input, name), 'utf8'));
    const doc = new PDFDocument({ size: 'A4', compress: true, autoFirstPage: false, info: { Title: 'Exercise progress report', Creator: 'bench/report-floor.mjs' } });
    for (const [face, src] of Object.entries(fonts)) doc.registerFont(face, src);
    const done = new Promise((resolve, reject) => {
      const out = fs.createWriteStream(path.join(outDir, name.replace(/\.json$/, '.pdf')), { mode: 0o600 });
      out.on('finish', resolve).on('error', reject);
      doc.pipe(out);
    });
    for (const page of spec.pages) {
      doc.addPage({ size: 'A4', margin: 0 });
      for (const o of page.ops) {
        switch (o[0]) {
          case 't':
            doc.font(o[1]).fontSize(o[2]).text(o[5], o[3], page.height - o[4], { lineBreak: false, baseline: 'alphabetic' });
            break;
          case 'fc':
            doc.fillColor(o[1]);
            break;
          case 'sc':
            doc.strokeColor(o[1]);
            break;
          case 'd':
            doc.dash(o[1], { phase: o[2] });
            break;
          case 'u':
            doc.undash();
            break;
          case 'q':
            doc.save();
            break;
          case 'Q':
            doc.restore();
            break;
          case 'w':
            doc.lineWidth(o[1]);
            break;
          case 'm':
            doc.moveTo(o[1], o[2]);
            break;
          case 'l':
            doc.lineTo(o[1], o[2]);
            break;
          case 'c':
            doc.bezierCurveTo(o[1], o[2], o[3], o[4], o[5], o[6]);
            break;
          case 're':
            doc.rect(o[1], o[2], o[3], o[4]);
            break;
          case 'h':
            doc.closePath();
            break;
          case 'S':
            doc.stroke();
            break;
          case 'f':
            doc.fill();
            break;
          default:
            throw new Error(`unknown operation ${o[0]}`);
        }
      }
    }
    doc.end();
    await done;
  }
}

function parseArgs(argv) {
  const o = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)$/.exec(argv[i]);
    if (!m) o._.push(argv[i]);
    else if (m[1] === 'shared-fonts') o.sharedFonts = true;
    else o[m[1]] = argv[++i];
  }
  return o;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const a = parseArgs(process.argv.slice(2));
  if (a._[0] === 'check') {
    if (!a.pdfs || !a.floor) throw new Error('usage: node bench/report-floor.mjs check --pdfs DIR --floor DIR');
    console.log(JSON.stringify(await check({ pdfs: a.pdfs, floor: a.floor }), null, 2));
  } else if (a._[0] === 'extract') {
    if (!a.pdfs || !a.out) throw new Error('usage: node bench/report-floor.mjs extract --pdfs DIR --out DIR');
    console.log(JSON.stringify(await extractAll({ pdfs: a.pdfs, out: a.out })));
  } else {
    if (!a.in || !a['out-dir']) throw new Error('usage: node bench/report-floor.mjs --in DIR --out-dir DIR [--shared-fonts]');
    await floor({ input: a.in, outDir: a['out-dir'], sharedFonts: a.sharedFonts });
  }
}
