/**
 * Line charts drawn with pdfkit: values over time, with a shaded zone (the
 * acceptable pain band) or a target line (a stage's exit criterion). Series
 * differ by dash and marker as well as colour, so a black-and-white print
 * still tells them apart.
 */
import { daysBetween } from '../domain/dates.js';
import type { Point } from '../domain/report.js';
import { COLOURS, type Pdf } from './pdf.js';

export interface ChartSeries {
  label: string;
  points: readonly Point[];
}

export interface ChartSpec {
  title: string;
  /** Shown after values on the axis: "°", "/10"… */
  unit?: string;
  from: string;
  to: string;
  yMin?: number;
  yMax?: number;
  series: readonly ChartSeries[];
  zone?: { from: number; to: number; label: string };
  target?: { value: number; label: string };
}

const STYLES = [
  { colour: COLOURS.blue, dash: null, marker: 'circle' },
  { colour: COLOURS.amber, dash: [4, 2], marker: 'square' },
  { colour: COLOURS.purple, dash: [1, 2], marker: 'triangle' },
] as const;

/** A round step giving about `count` ticks over `span`. */
function tickStep(span: number, count: number): number {
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * magnitude >= raw) return m * magnitude;
  return 10 * magnitude;
}

const short = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** Draw a chart in the box at (x, y), `w` × `h` points; the cursor ends below the box. */
export function lineChart(pdf: Pdf, x: number, y: number, w: number, h: number, spec: ChartSpec): void {
  draw(pdf, x, y, w, h, spec);
  pdf.y = y + h;
}

function draw(pdf: Pdf, x: number, y: number, w: number, h: number, spec: ChartSpec): void {
  const doc = pdf.doc;
  const values = spec.series.flatMap((s) => s.points.map((p) => p.value));
  const extra = [spec.zone?.from, spec.zone?.to, spec.target?.value].filter((v): v is number => v !== undefined);
  let lo = spec.yMin ?? Math.min(...values, ...extra);
  let hi = spec.yMax ?? Math.max(...values, ...extra);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 10];
  if (hi === lo) [lo, hi] = [lo - 1, hi + 1];
  const step = tickStep(hi - lo, 5);
  if (spec.yMin === undefined) lo = Math.floor(lo / step) * step;
  if (spec.yMax === undefined) hi = Math.ceil(hi / step) * step;

  // Title and legend.
  pdf.text(spec.title, x, y, w * 0.5, { size: 9, bold: true });
  let lx = x + w;
  for (let i = spec.series.length - 1; i >= 0; i--) {
    const s = spec.series[i]!;
    const style = STYLES[i % STYLES.length]!;
    pdf.font('sans').fontSize(7.5);
    const tw = doc.widthOfString(s.label);
    lx -= tw + 26;
    line(pdf, lx, y + 5, lx + 16, y + 5, style);
    marker(pdf, lx + 8, y + 5, style);
    pdf.text(s.label, lx + 19, y + 1, tw + 4, { size: 7.5, color: COLOURS.muted });
  }

  const plot = { x: x + 30, y: y + 18, w: w - 36, h: h - 34 };
  const days = Math.max(1, daysBetween(spec.from, spec.to));
  const px = (date: string) => plot.x + (Math.min(Math.max(daysBetween(spec.from, date), 0), days) / days) * plot.w;
  const py = (v: number) => plot.y + plot.h - ((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * plot.h;

  if (spec.zone) {
    const top = py(spec.zone.to);
    doc.rect(plot.x, top, plot.w, py(spec.zone.from) - top).fill(COLOURS.greenBg);
    pdf.text(spec.zone.label, plot.x + 4, top + 2, plot.w / 2, { size: 7, color: COLOURS.green });
  }
  // Grid and y labels.
  for (let v = lo; v <= hi + step / 1000; v += step) {
    const gy = py(v);
    doc.moveTo(plot.x, gy).lineTo(plot.x + plot.w, gy).lineWidth(0.3).strokeColor(COLOURS.rule).stroke();
    pdf.text(`${short(v)}${spec.unit ?? ''}`, x, gy - 4, 27, { size: 7, color: COLOURS.muted, align: 'right' });
  }
  doc.moveTo(plot.x, plot.y).lineTo(plot.x, plot.y + plot.h).lineTo(plot.x + plot.w, plot.y + plot.h).lineWidth(0.6).strokeColor(COLOURS.muted).stroke();
  // x labels: the period's first and last day, and its middle.
  const mid = new Date(Date.parse(`${spec.from}T00:00:00Z`) + (days / 2) * 86_400_000).toISOString().slice(0, 10);
  for (const [date, align, dx] of [[spec.from, 'left', 0], [mid, 'center', -30], [spec.to, 'right', -60]] as const) {
    pdf.text(date, px(date) + dx, plot.y + plot.h + 3, 60, { size: 7, color: COLOURS.muted, align });
  }
  if (spec.target) {
    const ty = py(spec.target.value);
    doc.save().moveTo(plot.x, ty).lineTo(plot.x + plot.w, ty).lineWidth(1).dash(5, { space: 3 }).strokeColor(COLOURS.green).stroke().undash().restore();
    pdf.text(spec.target.label, plot.x + plot.w / 2, ty - 10, plot.w / 2 - 4, { size: 7, bold: true, color: COLOURS.green, align: 'right' });
  }

  if (values.length === 0) {
    pdf.text('Nothing recorded in this period', plot.x, plot.y + plot.h / 2 - 5, plot.w, { size: 8.5, color: COLOURS.muted, align: 'center' });
    return;
  }
  spec.series.forEach((s, i) => {
    const style = STYLES[i % STYLES.length]!;
    const pts = [...s.points].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)).map((p) => [px(p.date), py(p.value)] as const);
    if (pts.length > 1) {
      doc.save();
      doc.moveTo(pts[0]![0], pts[0]![1]);
      for (const [qx, qy] of pts.slice(1)) doc.lineTo(qx, qy);
      doc.lineWidth(1.1).strokeColor(style.colour);
      if (style.dash) doc.dash(style.dash[0], { space: style.dash[1] });
      doc.stroke().undash().restore();
    }
    for (const [qx, qy] of pts) marker(pdf, qx, qy, style);
  });
}

function line(pdf: Pdf, x1: number, y1: number, x2: number, y2: number, style: (typeof STYLES)[number]): void {
  const doc = pdf.doc.save().moveTo(x1, y1).lineTo(x2, y2).lineWidth(1.1).strokeColor(style.colour);
  if (style.dash) doc.dash(style.dash[0], { space: style.dash[1] });
  doc.stroke().undash().restore();
}

function marker(pdf: Pdf, x: number, y: number, style: (typeof STYLES)[number]): void {
  const doc = pdf.doc;
  if (style.marker === 'circle') doc.circle(x, y, 1.9).fill(style.colour);
  else if (style.marker === 'square') doc.rect(x - 1.8, y - 1.8, 3.6, 3.6).fill(style.colour);
  else doc.polygon([x, y - 2.3], [x - 2.2, y + 1.7], [x + 2.2, y + 1.7]).fill(style.colour);
}
