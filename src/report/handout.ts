/**
 * The client's exercise sheet for the current stage: large type, plain words,
 * each exercise with what to do, how hard, and how; what pain is acceptable;
 * and when to stop and get help.
 */
import type { HandoutModel } from '../domain/handout.js';
import { frame, MARGINS } from './frame.js';
import { COLOURS, Pdf } from './pdf.js';

const BODY = { size: 13, lineGap: 2.5 } as const;

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
  pdf.para(`Do these exercises ${m.sessionsPerWeek === 1 ? 'once' : `${m.sessionsPerWeek} times`} a week.${m.goals.length ? ` The aim: ${m.goals.join('; ')}.` : ''}`, { ...BODY, gap: 10 });

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
  if (m.stopSigns.length) pdf.callout('Stop at once and get help if you have', m.stopSigns, COLOURS.red, COLOURS.redBg, BODY);
  if (m.restrictions.length) pdf.callout('Your clinician’s limits: keep to them', m.restrictions, COLOURS.amber, COLOURS.amberBg, BODY);

  m.exercises.forEach((x, i) => {
    const lines = [`Do: ${x.dose}`, `How hard: ${x.effort}`];
    const cueText = x.cues.map((c) => `• ${c}`).join('\n');
    const h = pdf.height(`${i + 1}. ${x.name}`, pdf.width, { size: 16, bold: true }) + lines.reduce((s, l) => s + pdf.height(l, pdf.width, BODY), 0) + pdf.height(cueText, pdf.width - 14, BODY) + 24;
    pdf.ensure(Math.min(h, 300));
    pdf.y += 8;
    pdf.para(`${i + 1}. ${x.name}`, { size: 16, bold: true, gap: 2 });
    for (const l of lines) pdf.para(l, BODY);
    if (x.cues.length) pdf.bullets(x.cues, BODY);
    if (x.notes.length) pdf.bullets(x.notes, { ...BODY, color: COLOURS.muted });
    pdf.doc.moveTo(pdf.left, pdf.y + 4).lineTo(pdf.right, pdf.y + 4).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
    pdf.y += 8;
  });
  frame(pdf, m.trainer, m.produced, m.clientName, 9);
  return pdf;
}
