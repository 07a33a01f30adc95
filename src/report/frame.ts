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
    const who = trainerLine(trainer);
    const half = pdf.width / 2;
    if (who) pdf.text(who, pdf.left, top, half + 40, { size: size + 1, bold: true });
    pdf.text([trainer['trainer.organisation'], trainer['trainer.contact']].filter(Boolean).join(' · ') || 'bridgefit', pdf.left, top + size + 4, half + 40, { size, color: COLOURS.muted });
    pdf.text(subject, pdf.left + half + 44, top + 2, half - 44, { size, color: COLOURS.muted, align: 'right' });
    doc.moveTo(pdf.left, MARGINS.top - 12).lineTo(pdf.right, MARGINS.top - 12).lineWidth(0.6).strokeColor(COLOURS.rule).stroke();

    const foot = doc.page.height - MARGINS.bottom + 18;
    doc.moveTo(pdf.left, foot - 6).lineTo(pdf.right, foot - 6).lineWidth(0.6).strokeColor(COLOURS.rule).stroke();
    pdf.text('Confidential health information', pdf.left, foot, pdf.width / 3, { size, bold: true, color: COLOURS.red });
    pdf.text(`Produced ${produced}`, pdf.left + pdf.width / 3, foot, pdf.width / 3, { size, color: COLOURS.muted, align: 'center' });
    pdf.text(`Page ${page} of ${pages}`, pdf.left + (2 * pdf.width) / 3, foot, pdf.width / 3, { size, color: COLOURS.muted, align: 'right' });
  });
}

/** Two boxes: the trainer signs; the clinician notes their review. */
export function signatureBlock(pdf: Pdf, trainer: TrainerProfile, reviewTitle: string): void {
  const doc = pdf.doc;
  const h = 118;
  pdf.ensure(h + 24);
  pdf.y += 14;
  const y = pdf.y;
  const w = pdf.width / 2 - 8;
  const box = (x: number, title: string, lines: string[]) => {
    doc.rect(x, y, w, h).lineWidth(0.6).strokeColor(COLOURS.rule).stroke();
    pdf.text(title, x + 8, y + 7, w - 16, { size: 9, bold: true, color: COLOURS.muted });
    let ly = y + 38;
    for (const label of lines) {
      pdf.text(label, x + 8, ly - 10, w - 16, { size: 8, color: COLOURS.muted });
      doc.moveTo(x + 8, ly + 6).lineTo(x + w - 8, ly + 6).lineWidth(0.5).strokeColor(COLOURS.muted).stroke();
      ly += 26;
    }
  };
  box(pdf.left, 'Trainer', [trainerLine(trainer) ? `Signature: ${trainerLine(trainer)}` : 'Name and signature', 'Date', trainer['trainer.contact'] ? `Contact: ${trainer['trainer.contact']}` : 'Contact']);
  box(pdf.left + w + 16, reviewTitle, ['Name and signature', 'Date', 'Comments']);
  pdf.y = y + h + 6;
}
