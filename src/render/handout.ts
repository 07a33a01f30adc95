/**
 * The client's exercise sheet for the current stage: large type, plain words,
 * each exercise with what to do, how hard, and how; what pain is acceptable;
 * and when to stop and get help.
 */
import type { HandoutModel } from '../domain/handout.js';
import { frame, MARGINS } from './frame.js';
import { COLOURS, Pdf } from './pdf.js';

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
  pdf.para(`${m.programName}, stage ${m.stage} of ${m.stages}: ${m.stageName}`, { ...BODY, color: COLOURS.muted, gap: 8 });
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
  if (m.stopSigns.emergency.length) pdf.callout('Stop and call emergency services if you have', m.stopSigns.emergency, COLOURS.red, COLOURS.redBg, BODY);
  if (m.stopSigns.today.length) pdf.callout('Stop, and tell your trainer and your doctor today, if you have', m.stopSigns.today, COLOURS.red, COLOURS.redBg, BODY);
  if (m.restrictions.length) pdf.callout('Your clinician’s limits: keep to them', m.restrictions, COLOURS.amber, COLOURS.amberBg, BODY);

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
  frame(pdf, m.trainer, m.produced, m.clientName, 9);
  return pdf;
}
