/**
 * The client's exercise sheet for the current stage: large type, plain words,
 * each exercise with what to do, how hard, and how; what pain is acceptable;
 * low blood sugar for those at risk; the clinician's limits with a drawing of
 * each angle; when to stop and get help; and a log sheet for home sessions.
 */
import type { ClientRestriction, HandoutModel } from '../domain/handout.js';
import { frame, MARGINS } from './frame.js';
import { COLOURS, Pdf, type TextStyle } from './pdf.js';

const BODY = { size: 13, lineGap: 2.5 } as const;
const TITLE = { size: 16, bold: true } as const;

export function handout(m: HandoutModel, created: Date): Pdf {
  const pdf = new Pdf({
    title: `Your exercises: ${m.clientName}`,
    author: m.trainer['trainer.name'] || 'bridgefit',
    subject: `Exercise sheet for ${m.clientName}: stage ${m.stage} of ${m.programName}`,
    created,
    margins: MARGINS,
  });
  pdf.heading('Your exercises', 1);
  pdf.para(m.clientName, { size: 16, bold: true, gap: 2 });
  pdf.para(`${m.programName}, stage ${m.stage} of ${m.stages}: ${m.stageName}`, { ...BODY, color: COLOURS.muted, gap: 4 });
  if (m.limb) {
    const limb = `${m.limb.side === 'both' ? 'both' : `your ${m.limb.side}`} ${m.limb.part}${m.limb.side === 'both' ? 's' : ''}`;
    pdf.para(`These exercises are for ${limb}${m.limb.operated ? `, after your ${m.limb.condition}` : ` (${m.limb.condition})`}.`, { ...BODY, bold: true, gap: 4 });
  }
  pdf.para(`Do these exercises ${m.sessionsPerWeek === 1 ? 'once' : `${m.sessionsPerWeek} times`} a week.`, { ...BODY, gap: 10 });
  if (m.referred) {
    pdf.callout(
      'Your trainer has asked your doctor or physiotherapist to review you',
      ['Until they have, check with your trainer before you do more than you have agreed together.'],
      COLOURS.amber,
      COLOURS.amberBg,
      BODY,
    );
  }
  if (m.restrictions.length) limits(pdf, m.restrictions);

  pdf.callout(
    'How much pain is all right',
    [
      `Some discomfort is all right: up to ${m.painLimit} out of 10 during the exercises and after them, as long as it has settled by the next morning.`,
      `If pain goes above ${m.painLimit} out of 10, or is worse the next morning, do less next time and tell your trainer.`,
    ],
    COLOURS.green,
    COLOURS.greenBg,
    BODY,
  );
  if (m.hypo) {
    pdf.callout('Low blood sugar (a hypo): bring to every session', m.hypo.carry, COLOURS.red, COLOURS.redBg, BODY);
    pdf.callout('Low blood sugar: check before you start, and what to do below 4.0 mmol/L (72 mg/dL)', [...m.hypo.below4, ...m.hypo.also], COLOURS.red, COLOURS.redBg, BODY);
  }
  if (m.stopSigns.emergency.length) pdf.callout('Stop and call emergency services if you have', m.stopSigns.emergency, COLOURS.red, COLOURS.redBg, BODY);
  if (m.stopSigns.today.length) pdf.callout('Stop, and tell your trainer and your doctor today, if you have', m.stopSigns.today, COLOURS.red, COLOURS.redBg, BODY);

  m.exercises.forEach((x, i) => {
    const title = `${i + 1}. ${x.name}`;
    const lines = [`Do: ${x.dose}`, `How hard: ${x.effort}`];
    // The block's height as drawn below (para: its height and a 2 pt gap; bullets likewise, 14 pt in).
    const titleH = pdf.height(title, pdf.width, TITLE) + 2;
    const linesH = lines.reduce((s, l) => s + pdf.height(l, pdf.width, BODY) + 2, 0);
    const cueH = x.cues.map((c) => pdf.height(c, pdf.width - 14, BODY) + 2);
    const whole = 8 + titleH + linesH + cueH.reduce((s, h) => s + h, 0) + 8;
    // Each exercise on one page; one taller than a page starts a page and keeps at least its name, dose and first cue together.
    pdf.ensure(whole <= pdf.bottom - MARGINS.top ? whole : 8 + titleH + linesH + (cueH[0] ?? 0));
    pdf.y += 8;
    pdf.para(title, { ...TITLE, gap: 2 });
    for (const l of lines) pdf.para(l, BODY);
    if (x.cues.length) pdf.bullets(x.cues, BODY);
    pdf.doc.moveTo(pdf.left, pdf.y + 4).lineTo(pdf.right, pdf.y + 4).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
    pdf.y += 8;
  });
  logSheet(pdf, m);
  frame(pdf, m.trainer, m.produced, m.clientName, 9);
  return pdf;
}

/** The room a drawn angle takes beside its words. */
const ANGLE_BOX = { w: 92, h: 70 };

/** The clinician's limits in an amber box, each range of movement with a drawing of its angle beside the words. */
function limits(pdf: Pdf, items: readonly ClientRestriction[]): void {
  const title = 'Your clinician’s limits: keep to them';
  const inner = pdf.width - 22;
  const textWidth = (r: ClientRestriction) => inner - 12 - (r.angle ? ANGLE_BOX.w + 8 : 0);
  const heights = items.map((r) => Math.max(pdf.height(r.text, textWidth(r), BODY), r.angle ? ANGLE_BOX.h : 0) + 4);
  const titleH = pdf.height(title, inner, { size: 11, bold: true });
  const h = titleH + heights.reduce((a, b) => a + b, 0) + 14;
  pdf.ensure(h + 6);
  const y = pdf.y;
  pdf.doc.rect(pdf.left, y, pdf.width, h).fill(COLOURS.amberBg);
  pdf.doc.rect(pdf.left, y, 4, h).fill(COLOURS.amber);
  let cy = pdf.text(title, pdf.left + 14, y + 7, inner, { size: 11, bold: true, color: COLOURS.amber }) + 2;
  items.forEach((r, i) => {
    pdf.text('•', pdf.left + 16, cy, 10, BODY);
    pdf.text(r.text, pdf.left + 28, cy, textWidth(r), BODY);
    if (r.angle) drawAngle(pdf, pdf.right - ANGLE_BOX.w - 6, cy, r.angle);
    cy += heights[i]!;
  });
  pdf.y = y + h + 8;
}

/**
 * A joint's angle drawn as a client would see it: the fixed part of the limb,
 * a dashed line where 0° is, the moving part at the limit, and the arc between
 * with the degrees. Directions in degrees, y pointing down the page.
 */
const JOINT_PICTURES: Record<string, { fixed: number | null; zero: number; turn: 1 | -1; zeroIs: string }> = {
  // Thigh to the left, 0° the leg straight, the shin bending down and back.
  knee: { fixed: 180, zero: 0, turn: 1, zeroIs: '0° = leg straight' },
  // Upper arm to the left, 0° straight, the forearm bending up.
  elbow: { fixed: 180, zero: 0, turn: -1, zeroIs: '0° = arm straight' },
  wrist: { fixed: 180, zero: 0, turn: -1, zeroIs: '0° = hand in line' },
  // The body upward, 0° the thigh hanging straight down, bending forward and up.
  hip: { fixed: -90, zero: 90, turn: -1, zeroIs: '0° = standing straight' },
  // 0° the arm by the side, raised forward and up.
  shoulder: { fixed: null, zero: 90, turn: -1, zeroIs: '0° = arm by your side' },
  // The shin upward, 0° the foot at a right angle to it, the toes coming up.
  ankle: { fixed: -90, zero: 0, turn: -1, zeroIs: '0° = foot at a right angle' },
};

function drawAngle(pdf: Pdf, x: number, y: number, angle: NonNullable<ClientRestriction['angle']>): void {
  const doc = pdf.doc;
  const p = JOINT_PICTURES[angle.joint] ?? JOINT_PICTURES.knee!;
  doc.save();
  doc.rect(x, y, ANGLE_BOX.w, ANGLE_BOX.h).fill('#ffffff');
  const cx = x + ANGLE_BOX.w / 2 - 6;
  const cy = y + 28;
  const len = 26;
  const at = (deg: number, r: number) => [cx + r * Math.cos((deg * Math.PI) / 180), cy + r * Math.sin((deg * Math.PI) / 180)] as const;
  const limb = (deg: number) => {
    const [ex, ey] = at(deg, len);
    doc.moveTo(cx, cy).lineTo(ex, ey).lineWidth(3).lineCap('round').strokeColor(COLOURS.ink).stroke();
  };
  if (p.fixed !== null) limb(p.fixed);
  const [zx, zy] = at(p.zero, len);
  doc.moveTo(cx, cy).lineTo(zx, zy).lineWidth(1).dash(2, { space: 2 }).strokeColor(COLOURS.muted).stroke().undash();
  const end = p.zero + p.turn * angle.degrees;
  limb(end);
  // The arc from 0° to the limit, as a polyline.
  const steps = Math.max(4, Math.ceil(angle.degrees / 6));
  const [ax, ay] = at(p.zero, 13);
  doc.moveTo(ax, ay);
  for (let i = 1; i <= steps; i++) {
    const [px, py] = at(p.zero + (p.turn * angle.degrees * i) / steps, 13);
    doc.lineTo(px, py);
  }
  doc.lineWidth(1.2).lineCap('butt').strokeColor(COLOURS.amber).stroke();
  doc.circle(cx, cy, 2.5).fill(COLOURS.ink);
  doc.restore();
  // The degrees outside the arc's middle, on its far side from the joint, so neither line runs through them.
  const mid = p.zero + (p.turn * angle.degrees) / 2;
  // A narrow angle leaves no room between its lines: its degrees go beyond the ends.
  const [lx, ly] = at(mid, angle.degrees < 40 ? len + 4 : 17);
  const label = `${angle.degrees}°`;
  const lw = pdf.lineWidth(label, { size: 9, bold: true });
  const cos = Math.cos((mid * Math.PI) / 180);
  const sin = Math.sin((mid * Math.PI) / 180);
  const left = cos >= 0 ? lx : lx - lw;
  const top = sin >= 0 ? ly : ly - 10;
  pdf.text(label, Math.min(Math.max(left, x + 1), x + ANGLE_BOX.w - lw - 1), Math.min(Math.max(top, y + 1), y + ANGLE_BOX.h - 22), lw + 2, { size: 9, bold: true, color: COLOURS.amber });
  pdf.line(p.zeroIs, x + 2, y + ANGLE_BOX.h - 11, ANGLE_BOX.w - 4, { size: 7, color: COLOURS.muted, align: 'center', minSize: 6 });
}

/** A page to fill in at home: one row a session, to bring to the next one. */
function logSheet(pdf: Pdf, m: HandoutModel): void {
  pdf.newPage();
  pdf.heading('Your home exercise log', 1);
  pdf.para(`Fill in one line each time you do your exercises at home, and bring this sheet to your next session. Exercises: write the numbers you did (1 to ${m.exercises.length}).`, { ...BODY, size: 12, gap: 10 });
  const w = pdf.width;
  const columns: { header: string; width: number }[] = [
    { header: 'Date', width: 0.13 },
    { header: 'Exercises done', width: m.logSheet.glucose ? 0.19 : 0.24 },
    { header: 'Pain during\n(0–10)', width: 0.12 },
    { header: 'Pain next morning\n(0–10)', width: 0.13 },
    { header: 'How hard\n(0–10)', width: 0.11 },
    ...(m.logSheet.glucose ? [{ header: 'Blood sugar before\n(mmol/L)', width: 0.11 }] : []),
    { header: 'Notes', width: m.logSheet.glucose ? 0.21 : 0.27 },
  ].map((c) => ({ ...c, width: c.width * w }));
  const head: TextStyle = { size: 9, bold: true, color: COLOURS.muted };
  const headH = Math.max(...columns.map((c) => pdf.height(c.header, c.width - 6, head))) + 8;
  const rowH = 28;
  const rows = Math.max(1, Math.min(m.logSheet.rows, Math.floor((pdf.bottom - pdf.y - headH - 4) / rowH)));
  const top = pdf.y;
  const doc = pdf.doc;
  doc.rect(pdf.left, top, w, headH).fill(COLOURS.shade);
  let x = pdf.left;
  for (const c of columns) {
    pdf.text(c.header, x + 3, top + 4, c.width - 6, head);
    x += c.width;
  }
  const bottom = top + headH + rows * rowH;
  for (let i = 0; i <= rows; i++) doc.moveTo(pdf.left, top + headH + i * rowH).lineTo(pdf.right, top + headH + i * rowH).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
  x = pdf.left;
  for (const c of [...columns, null]) {
    doc.moveTo(x, top).lineTo(x, bottom).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
    if (c) x += c.width;
  }
  doc.rect(pdf.left, top, w, bottom - top).lineWidth(0.8).strokeColor(COLOURS.muted).stroke();
  pdf.y = bottom + 8;
}
