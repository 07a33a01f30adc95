/**
 * The clinician report's two tables of the reloading (issue 16): the next
 * session's loads of the current stage, and the heaviest load of each
 * exercise week by week. Each keeps its heading, rows and note on one page
 * whenever they fit on one.
 */
import type { ReportModel } from '../domain/report.js';
import { COLOURS, type Column, type Pdf, type TableOptions } from './pdf.js';

const CHANGE_WORDS = { increase: ' (up)', same: ' (same)', reduce: ' (down)', none: '' } as const;

/** What was lifted last, what comes next and why (the rule's reason, with any cap and whose it is); `log`: the report has a session log. */
export function nextLoadsTable(pdf: Pdf, loads: ReportModel['nextLoads'], source: string | null, log: boolean): void {
  const w = pdf.width;
  const table: [Column[], string[][], TableOptions] = [
    [
      { header: 'Exercise', width: w * 0.27 },
      { header: 'Last load', width: w * 0.13 },
      { header: 'Next session', width: w * 0.16 },
      { header: 'Why', width: w * 0.44 },
    ],
    loads.map((l) => [l.name, l.lastKg === null ? 'none recorded' : `${l.lastKg} kg`, l.suggestedKg === null ? 'no suggestion' : `${l.suggestedKg} kg${CHANGE_WORDS[l.change]}`, l.reason]),
    { size: 8.5, rowStyle: (i) => (loads[i]!.change === 'reduce' ? { color: COLOURS.amber } : undefined) },
  ];
  const note = `Rule: ${source ?? ''}.${log ? " Each session's load is in the session log." : ''}`;
  const noteStyle = { size: 7.5, color: COLOURS.muted, gap: 6 };
  pdf.heading("Loads for the next session, by the program's load progression", 3, pdf.tableHeight(...table) + pdf.paraHeight(note, noteStyle));
  pdf.table(...table);
  pdf.para(note, noteStyle);
}

/** The heaviest load each week of the program (domain/load-history.ts), so a clinician sees the loading rise or fall. */
export function loadsByWeekTable(pdf: Pdf, weeks: NonNullable<ReportModel['loadWeeks']>, programStart: string): void {
  const w = pdf.width;
  const first = w * 0.28;
  const table: [Column[], string[][], TableOptions] = [
    [{ header: 'Exercise (heaviest kg)', width: first }, ...weeks.weeks.map((k) => ({ header: `Week ${k.number}`, width: (w - first) / weeks.weeks.length }))],
    weeks.rows.map((r) => [r.name, ...r.kg.map((kg) => (kg === null ? '–' : `${kg}`))]),
    { size: 8.5 },
  ];
  const last = weeks.weeks.at(-1)!;
  const note = `Week 1 began ${programStart}, the program's start; week ${last.number} began ${last.from}. – : no load recorded that week.`;
  const noteStyle = { size: 7.5, color: COLOURS.muted, gap: 10 };
  pdf.heading('Loads by week', 3, pdf.tableHeight(...table) + pdf.paraHeight(note, noteStyle));
  pdf.table(...table);
  pdf.para(note, noteStyle);
}
