/**
 * The clinician's reply, the report's last block: what they decide (continue,
 * modify, stop, see me), new or changed restrictions, the next review date,
 * and their name, signature and date, with where to send it back. Boxes and
 * ruled lines to fill in by hand, so the page can be printed, signed, scanned
 * and returned.
 */
import type { TrainerProfile } from '../domain/settings.js';
import { trainerLine } from './frame.js';
import { COLOURS, type Pdf } from './pdf.js';

/** The decisions a clinician can tick, in order (issue 17). */
export const REPLY_DECISIONS = [
  ['Continue', 'the program as it is'],
  ['Modify', 'continue with the changes written below'],
  ['Stop', 'no exercise until further notice'],
  ['See me', 'I would like to assess the client first'],
] as const;

/** The height the form takes, heading included: what the content before it keeps room for. */
export const REPLY_FORM_HEIGHT = 268;

/** Draw the form at the cursor; a caller has kept `REPLY_FORM_HEIGHT` free so it shares the page with what comes before. */
export function replyForm(pdf: Pdf, trainer: TrainerProfile, clientName: string): void {
  pdf.ensure(REPLY_FORM_HEIGHT);
  const doc = pdf.doc;
  pdf.heading('Your reply to the trainer', 2, REPLY_FORM_HEIGHT - 30);
  const back = [trainerLine(trainer), trainer['trainer.contact']].filter(Boolean).join(' · ');
  pdf.para(`About ${clientName}. Please tick one, add any new restrictions, sign, and return this page${back ? ` to ${back}` : ''}.`, { size: 9, color: COLOURS.muted, gap: 8 });
  const x = pdf.left;
  const w = pdf.width;
  const label = { size: 8.5, color: COLOURS.muted, bold: true };
  const rule = (x1: number, x2: number, y: number) => doc.moveTo(x1, y).lineTo(x2, y).lineWidth(0.5).strokeColor(COLOURS.muted).stroke();

  // Four decision boxes, two to a row.
  let y = pdf.y;
  const half = w / 2;
  REPLY_DECISIONS.forEach(([word, meaning], i) => {
    const bx = x + (i % 2) * half;
    const by = y + Math.floor(i / 2) * 22;
    doc.rect(bx, by, 11, 11).lineWidth(0.8).strokeColor(COLOURS.ink).stroke();
    const after = pdf.line(word, bx + 17, by + 0.5, 60, { size: 10, bold: true });
    pdf.line(`: ${meaning}`, bx + 17 + after, by + 1, half - 24 - after, { size: 9, minSize: 7.5 });
  });
  y += 2 * 22 + 6;

  pdf.line('New or changed restrictions (range, load, effort, activities to avoid)', x, y, w, label);
  for (let i = 1; i <= 3; i++) rule(x, x + w, y + 12 + i * 20);
  y += 12 + 3 * 20 + 12;

  const third = (w - 24) / 3;
  const field = (fx: number, fy: number, fw: number, text: string) => {
    pdf.line(text, fx, fy, fw, label);
    rule(fx, fx + fw, fy + 32);
  };
  field(x, y, third, 'Next review date');
  field(x + third + 12, y, 2 * third + 12, 'Name and profession');
  y += 44;
  field(x, y, 2 * third + 12, 'Signature');
  field(x + 2 * third + 24, y, third, 'Date');
  pdf.y = y + 44;
}
