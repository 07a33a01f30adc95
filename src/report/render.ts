/** The report layer's entry: a model in, a finished PDF ready to write out. */
import type { Writable } from 'node:stream';
import type { HandoutModel } from '../domain/handout.js';
import type { ReportModel } from '../domain/report.js';
import { clinicianReport, type ClinicianOptions } from './clinician.js';
import { handout } from './handout.js';
import type { Pdf } from './pdf.js';

export { missingGlyphs } from './fonts.js';

export interface RenderedPdf {
  pages: number;
  /** Stream the document to `out`; resolves once it is all written (or all handed to stdout). */
  write(out: Writable | NodeJS.WritableStream): Promise<void>;
}

function rendered(pdf: Pdf): RenderedPdf {
  const pages = pdf.pages;
  return {
    pages,
    write(out) {
      return new Promise<void>((resolve, reject) => {
        pdf.doc.on('error', reject);
        out.on('error', reject);
        const isStd = out === process.stdout;
        if (isStd) pdf.doc.on('end', () => resolve());
        else out.on('finish', () => resolve());
        pdf.doc.pipe(out as Writable, { end: !isStd });
      });
    },
  };
}

export function renderReport(model: ReportModel, options: ClinicianOptions): RenderedPdf {
  return rendered(clinicianReport(model, options));
}

export function renderHandout(model: HandoutModel, created: Date): RenderedPdf {
  return rendered(handout(model, created));
}
