/** The report layer's entry: a model in, the finished PDF's bytes out. */
import type { HandoutModel } from '../domain/handout.js';
import type { ReportModel } from '../domain/report.js';
import { clinicianReport, type ClinicianOptions } from './clinician.js';
import { handout } from './handout.js';
import type { Pdf } from './pdf.js';

export { missingGlyphs } from './fonts.js';

export interface RenderedPdf {
  pages: number;
  bytes: Uint8Array;
}

/** Collect the finished document (pdfkit streams it) into one buffer with memory of its own. */
function collect(pdf: Pdf): Promise<RenderedPdf> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.doc.on('data', (c: Buffer) => chunks.push(c));
    pdf.doc.on('error', reject);
    pdf.doc.on('end', () => resolve({ pages: pdf.pages, bytes: new Uint8Array(Buffer.concat(chunks)) }));
  });
}

export function renderReport(model: ReportModel, options: ClinicianOptions): Promise<RenderedPdf> {
  return collect(clinicianReport(model, options));
}

export function renderHandout(model: HandoutModel, created: Date): Promise<RenderedPdf> {
  return collect(handout(model, created));
}
