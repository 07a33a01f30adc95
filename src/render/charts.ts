/**
 * Line charts drawn with pdfkit: values over time, with a shaded zone (the
 * acceptable pain band) or a target line (a stage's exit criterion). Series
 * differ by dash and marker as well as colour, so a black-and-white print
 * still tells them apart.
 */
import { addDays, daysBetween } from '../domain/dates.js';
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
  /** A ceiling the values must stay under (the clearance's range-of-motion limit): a red dashed line, labelled on the left. */
  limit?: { value: number; label: string };
}

const STYLES = [
  { colour: COLOURS.blue, dash: null, marker: 'circle' },
  { colour: COLOURS.amber, dash: [4, 2], marker: 'square' },
  { colour: COLOURS.purple, dash: [1, 2], marker: 'triangle' },
] as const;

/** A round step giving about `count` ticks over `span`; a whole number when the data are whole numbers. */
export function tickStep(span: number, count: number, integral = false): number {
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of integral ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]) {
    const step = m * magnitude;
    if (step >= raw && (!integral || Number.isInteger(step))) return step;
  }
  return integral ? Math.max(1, Math.ceil(10 * magnitude)) : 10 * magnitude;
}

const short = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The height of a chart with nothing to draw: its title and one line saying so. */
export const EMPTY_CHART_HEIGHT = 34;

/** The height `lineChart` takes for `spec` in a box of `h` points: all of it, or a compact line when there are no values. */
export function chartHeight(spec: ChartSpec, h: number): number {
  return spec.series.some((s) => s.points.length > 0) ? h : Math.min(h, EMPTY_CHART_HEIGHT);
}

/**
 * The days the x axis covers: the period, but from the first value when that
 * comes later (a period far longer than the data would squeeze it to a
 * sliver), keeping at least a week.
 */
export function xRange(spec: ChartSpec): { from: string; to: string } {
  const dates = spec.series.flatMap((s) => s.points.map((p) => p.date)).sort();
  const first = dates[0];
  if (first === undefined || first <= spec.from) return { from: spec.from, to: spec.to };
  const weekBefore = addDays(spec.to, -7);
  const from = first < weekBefore ? first : weekBefore > spec.from ? weekBefore : spec.from;
  return { from, to: spec.to };
}

/**
 * The x-axis labels: the first and last day and the middle one, each date
 * once, dropping any that would overlap one already placed (first and last win).
 */
export function xLabels(from: string, to: string, plotWidth: number, labelWidth: number): { date: string; at: number; align: 'left' | 'center' | 'right' }[] {
  const days = daysBetween(from, to);
  if (days <= 0) return [{ date: to, at: plotWidth / 2, align: 'center' }];
  const mid = addDays(from, Math.round(days / 2));
  const candidates = [
    { date: from, at: 0, align: 'left' as const, span: [0, labelWidth] },
    { date: to, at: plotWidth, align: 'right' as const, span: [plotWidth - labelWidth, plotWidth] },
    { date: mid, at: (daysBetween(from, mid) / days) * plotWidth, align: 'center' as const, span: [0, 0] },
  ];
  candidates[2]!.span = [candidates[2]!.at - labelWidth / 2, candidates[2]!.at + labelWidth / 2];
  const placed: typeof candidates = [];
  for (const c of candidates) {
    const gap = 6;
    if (placed.some((p) => p.date === c.date || (c.span[0]! < p.span[1]! + gap && p.span[0]! < c.span[1]! + gap))) continue;
    placed.push(c);
  }
  return placed.sort((a, b) => a.at - b.at).map(({ date, at, align }) => ({ date, at, align }));
}

/** Draw a chart in the box at (x, y), `w` × `h` points; the cursor ends below it (see chartHeight). */
export function lineChart(pdf: Pdf, x: number, y: number, w: number, h: number, spec: ChartSpec): void {
  if (spec.series.some((s) => s.points.length > 0)) draw(pdf, x, y, w, h, spec);
  else empty(pdf, x, y, w, spec);
  pdf.y = y + chartHeight(spec, h);
}

/** No values: the title, and a line saying so with the target in words; no axes, no target line to strike through it. */
function empty(pdf: Pdf, x: number, y: number, w: number, spec: ChartSpec): void {
  pdf.line(spec.title, x, y, w, { size: 9, bold: true });
  const note = ['Nothing recorded in this period', spec.target?.label, spec.limit?.label].filter(Boolean).join(' · ');
  pdf.doc.rect(x, y + 14, w, 16).fill(COLOURS.shade);
  pdf.line(note, x + 6, y + 18, w - 12, { size: 8.5, color: COLOURS.muted });
}

function draw(pdf: Pdf, x: number, y: number, w: number, h: number, spec: ChartSpec): void {
  const doc = pdf.doc;
  const values = spec.series.flatMap((s) => s.points.map((p) => p.value));
  const extra = [spec.zone?.from, spec.zone?.to, spec.target?.value, spec.limit?.value].filter((v): v is number => v !== undefined);
  const integral = [...values, ...extra, ...[spec.yMin, spec.yMax].filter((v): v is number => v !== undefined)].every(Number.isInteger);
  let lo = spec.yMin ?? Math.min(...values, ...extra);
  let hi = spec.yMax ?? Math.max(...values, ...extra);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 10];
  if (hi === lo) [lo, hi] = [lo - 1, hi + 1];
  const step = tickStep(hi - lo, 5, integral);
  if (spec.yMin === undefined) lo = Math.floor(lo / step) * step;
  if (spec.yMax === undefined) hi = Math.ceil(hi / step) * step;

  // Title and legend on one row, the legend from the right; when both do not fit, the legend on a row
  // of its own below the title. The title is always one line.
  const legendWidth = spec.series.reduce((sum, s) => sum + pdf.lineWidth(s.label, { size: 7.5 }) + 26, 0);
  const ownRow = pdf.lineWidth(spec.title, { size: 9, bold: true }) + 8 + legendWidth > w;
  pdf.line(spec.title, x, y, ownRow ? w : w - legendWidth - 8, { size: 9, bold: true, minSize: 7.5 });
  const legendY = ownRow ? y + 12 : y;
  let lx = x + w;
  for (let i = spec.series.length - 1; i >= 0; i--) {
    const s = spec.series[i]!;
    const style = STYLES[i % STYLES.length]!;
    pdf.font('sans').fontSize(7.5);
    const tw = doc.widthOfString(s.label);
    lx -= tw + 26;
    line(pdf, lx, legendY + 5, lx + 16, legendY + 5, style);
    marker(pdf, lx + 8, legendY + 5, style);
    pdf.text(s.label, lx + 19, legendY + 1, tw + 4, { size: 7.5, color: COLOURS.muted });
  }

  const below = legendY - y;
  const plot = { x: x + 30, y: y + 18 + below, w: w - 36, h: h - 34 - below };
  const range = xRange(spec);
  const days = daysBetween(range.from, range.to);
  // One day: its values in the middle.
  // Points kept a few points off the axes, so the first is not drawn on the y axis.
  const inset = 5;
  const px = (date: string) => (days <= 0 ? plot.x + plot.w / 2 : plot.x + inset + (Math.min(Math.max(daysBetween(range.from, date), 0), days) / days) * (plot.w - 2 * inset));
  const py = (v: number) => plot.y + plot.h - ((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * plot.h;

  if (spec.zone) {
    const top = py(spec.zone.to);
    doc.rect(plot.x, top, plot.w, py(spec.zone.from) - top).fill(COLOURS.greenBg);
    pdf.text(spec.zone.label, plot.x + 4, top + 2, plot.w / 2, { size: 7, color: COLOURS.green });
  }
  // Grid and y labels.
  for (let i = 0, v = lo; v <= hi + step / 1000; i++, v = lo + i * step) {
    const gy = py(v);
    doc.moveTo(plot.x, gy).lineTo(plot.x + plot.w, gy).lineWidth(0.3).strokeColor(COLOURS.rule).stroke();
    pdf.text(`${short(v)}${spec.unit ?? ''}`, x, gy - 4, 27, { size: 7, color: COLOURS.muted, align: 'right' });
  }
  doc.moveTo(plot.x, plot.y).lineTo(plot.x, plot.y + plot.h).lineTo(plot.x + plot.w, plot.y + plot.h).lineWidth(0.6).strokeColor(COLOURS.muted).stroke();
  // x labels: the first and last day and the middle one, distinct and apart.
  const labelWidth = pdf.lineWidth('0000-00-00', { size: 7 }) + 2;
  for (const l of xLabels(range.from, range.to, plot.w, labelWidth)) {
    const lx0 = l.align === 'left' ? plot.x + l.at : l.align === 'right' ? plot.x + l.at - labelWidth : plot.x + l.at - labelWidth / 2;
    pdf.text(l.date, lx0, plot.y + plot.h + 3, labelWidth, { size: 7, color: COLOURS.muted, align: l.align });
  }
  // A line's label sits above it, or below it when above would reach the title and legend row; the
  // target's on the right half, the limit's on the left, so two lines at one value never print over each other.
  const labelY = (ly: number) => (ly - 10 < plot.y + 1 ? ly + 2 : ly - 10);
  if (spec.target) {
    const ty = py(spec.target.value);
    doc.save().moveTo(plot.x, ty).lineTo(plot.x + plot.w, ty).lineWidth(1).dash(5, { space: 3 }).strokeColor(COLOURS.green).stroke().undash().restore();
    pdf.line(spec.target.label, plot.x + plot.w / 2, labelY(ty), plot.w / 2 - 4, { size: 7, bold: true, color: COLOURS.green, align: 'right' });
  }
  if (spec.limit) {
    const ly = py(spec.limit.value);
    doc.save().moveTo(plot.x, ly).lineTo(plot.x + plot.w, ly).lineWidth(1).dash(2, { space: 2 }).strokeColor(COLOURS.red).stroke().undash().restore();
    pdf.line(spec.limit.label, plot.x + 4, labelY(ly), plot.w / 2 - 8, { size: 7, bold: true, color: COLOURS.red });
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
