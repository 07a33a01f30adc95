/**
 * What every page carries: the trainer's name, credentials and contact at the
 * top; "Confidential health information", the date produced and page n of m
 * at the bottom. And the signature block that ends a report.
 */
import type { TrainerProfile } from '../domain/settings.js';
import { COLOURS, type Pdf } from './pdf.js';

export const MARGINS = { top: 68, bottom: 56, left: 48, right: 48 };

export function trainerLine(t: TrainerProfile): string {
  return [t['trainer.name'], t['trainer.credentials']].filter(Boolean).join(', ');
}

export function frame(pdf: Pdf, trainer: TrainerProfile, produced: string, subject: string, size = 8): void {
  const doc = pdf.doc;
  pdf.finish((page, pages) => {
    const top = 26;
    const gap = 16;
    const who = trainerLine(trainer);
    const where = [trainer['trainer.organisation'], trainer['trainer.contact']].filter(Boolean).join(' · ') || 'bridgefit';
    // Every line exactly one line: the subject (client · born) keeps up to 40% of the width, and the
    // trainer's line beside it the rest; the organisation and contact, on the line below, the whole width.
    const subjectStyle = { size, color: COLOURS.muted, minSize: size - 1 };
    const subjectWidth = pdf.line(subject, pdf.left + pdf.width * 0.6, top + 2, pdf.width * 0.4, { ...subjectStyle, align: 'right' as const });
    if (who) pdf.line(who, pdf.left, top, pdf.width - subjectWidth - gap, { size: size + 1, bold: true, minSize: size });
    pdf.line(where, pdf.left, top + size + 5, pdf.width, { size, color: COLOURS.muted, minSize: size - 1 });
    doc.moveTo(pdf.left, MARGINS.top - 12).lineTo(pdf.right, MARGINS.top - 12).lineWidth(0.6).strokeColor(COLOURS.rule).stroke();

    const foot = doc.page.height - MARGINS.bottom + 18;
    const third = pdf.width / 3;
    doc.moveTo(pdf.left, foot - 6).lineTo(pdf.right, foot - 6).lineWidth(0.6).strokeColor(COLOURS.rule).stroke();
    pdf.line('Confidential health information', pdf.left, foot, third - 6, { size, bold: true, color: COLOURS.red });
    pdf.line(`Produced ${produced}`, pdf.left + third, foot, third, { size, color: COLOURS.muted, align: 'center' });
    pdf.line(`Page ${page} of ${pages}`, pdf.left + 2 * third + 6, foot, third - 6, { size, color: COLOURS.muted, align: 'right' });
  });
}

/**
 * Two boxes: the trainer signs; the clinician notes their review. Each name is
 * a one-line label above an empty line with room to sign on.
 */
export function signatureBlock(pdf: Pdf, trainer: TrainerProfile, reviewTitle: string): void {
  const doc = pdf.doc;
  const h = 132;
  pdf.ensure(h + 24);
  pdf.y += 14;
  const y = pdf.y;
  const w = pdf.width / 2 - 8;
  const label = { size: 8, color: COLOURS.muted, minSize: 7 };
  const rule = (x: number, ly: number) => doc.moveTo(x + 8, ly).lineTo(x + w - 8, ly).lineWidth(0.5).strokeColor(COLOURS.muted).stroke();
  const box = (x: number, title: string, name: string, last: { text: string; value?: string }) => {
    doc.rect(x, y, w, h).lineWidth(0.6).strokeColor(COLOURS.rule).stroke();
    pdf.line(title, x + 8, y + 7, w - 16, { size: 9, bold: true, color: COLOURS.muted });
    // Name, then an empty line 26 pt below it to sign on.
    pdf.line(name, x + 8, y + 24, w - 16, { ...label, color: name === 'Name and signature' ? COLOURS.muted : COLOURS.ink });
    rule(x, y + 60);
    pdf.line('Date', x + 8, y + 66, w - 16, label);
    rule(x, y + 90);
    pdf.line(last.text, x + 8, y + 96, w - 16, label);
    if (last.value) pdf.line(last.value, x + 8, y + 108, w - 16, { ...label, color: COLOURS.ink });
    else rule(x, y + 122);
  };
  const contact = trainer['trainer.contact'];
  box(pdf.left, 'Trainer', trainerLine(trainer) || 'Name and signature', { text: 'Contact', value: contact });
  box(pdf.left + w + 16, reviewTitle, 'Name and signature', { text: 'Comments' });
  pdf.y = y + h + 6;
}
