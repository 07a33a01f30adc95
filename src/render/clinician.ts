/**
 * The clinician report. Page 1 is what a busy physiotherapist or physician
 * reads: who, what was cleared, what is being done, how the client responds,
 * what needs their attention, and the trainer's questions. Then the detail:
 * charts, the stage's exercises, precautions, the session log, stage changes
 * with their evidence, and a signature block.
 */
import type { LogRow, ReportModel } from '../domain/report.js';
import { chartHeight, lineChart, type ChartSpec } from './charts.js';
import { frame, MARGINS } from './frame.js';
import { loadsByWeekTable, nextLoadsTable } from './load-tables.js';
import { REPLY_FORM_HEIGHT, replyForm } from './reply-form.js';
import { COLOURS, Pdf, type Column, type TableOptions, type TextStyle } from './pdf.js';

const v = (n: number | undefined) => (n === undefined ? '–' : String(n));

export interface ClinicianOptions {
  /** Leave the session log out (a shorter report). */
  log: boolean;
  created: Date;
}

export function clinicianReport(m: ReportModel, options: ClinicianOptions): Pdf {
  const meta = {
    title: `Exercise progress report: ${m.client.name}`,
    author: m.trainer['trainer.name'] || 'bridgefit',
    subject: `Exercise progress of ${m.client.name}, ${m.period.from} to ${m.period.to}, for the treating clinician`,
    created: options.created,
    margins: MARGINS,
  };
  const pdf = new Pdf(meta);
  // Page 1 keeps to one page (README): the attention box gives as many matters in full as leave room
  // for the rest of the page, and one line says how many more and the page that lists them all.
  // The type is set a point smaller first, and the questions folded last.
  const fits = (layout: SummaryLayout) => {
    const trial = new Pdf(meta);
    summaryPage(trial, m, layout);
    return trial.pageNumber === 1;
  };
  const all = m.attention.items.length + m.attention.resolved.length;
  const questions = m.questions.length;
  const meds = m.medications.length;
  const outcomes = m.outcomes.length;
  let layout: SummaryLayout = { shown: all, size: 10, questions, medications: meds, outcomes };
  if (!fits(layout)) layout = { ...layout, size: 9 };
  // A long medication list or outcomes table gives way first, to a few lines each, before the box does.
  if (!fits(layout)) layout = { ...layout, medications: Math.min(meds, 4), outcomes: Math.min(outcomes, 5) };
  if (!fits(layout)) layout = { ...layout, shown: largest(0, all - 1, (shown) => fits({ ...layout, shown })) };
  if (!fits(layout)) layout = { ...layout, questions: largest(0, questions - 1, (q) => fits({ ...layout, questions: q })) };
  if (!fits(layout)) layout = { ...layout, medications: Math.min(meds, 1), outcomes: Math.min(outcomes, 1) };
  summaryPage(pdf, m, layout);
  pdf.newPage();
  // What page 1 left out is listed in full first thing on page 2.
  if (layout.shown < all || layout.questions < questions || layout.medications < meds || layout.outcomes < outcomes) everything(pdf, m, layout);
  detail(pdf, m, options);
  // The reply form ends the report, on the page of the Referrals table's last rows (detail keeps room for it).
  replyForm(pdf, m.trainer, m.client.name);
  frame(pdf, m.trainer, m.produced, `${m.client.name} · born ${m.client.dateOfBirth}`);
  return pdf;
}

/** The largest n in [lo, hi] for which `ok` holds (ok is monotone: true up to some n), or lo. */
function largest(lo: number, hi: number, ok: (n: number) => boolean): number {
  let best = lo;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/**
 * How page 1 is set: `shown`, how many matters of the attention box (open,
 * then resolved) it gives in full (a line says how many more and where they
 * all are); `size`, the type of the box and the fields; `questions`, how many
 * questions are given in full.
 */
interface SummaryLayout {
  shown: number;
  size: number;
  questions: number;
  /** How many medications and outcome rows are given in full. */
  medications: number;
  outcomes: number;
}

/** What page 1 could not give in full: every matter of the attention box, and what else it shortened. */
function everything(pdf: Pdf, m: ReportModel, layout: SummaryLayout): void {
  const open = m.attention.items;
  pdf.heading('Everything for your attention', 2, pdf.bulletLead(open.length ? open : m.attention.resolved.length ? m.attention.resolved : ['x'], { size: 9 }));
  if (open.length) pdf.bullets(open, { size: 9 });
  else if (!m.attention.resolved.length) pdf.para('Nothing open: the box on page 1 says so.', { size: 9, color: COLOURS.muted });
  if (m.attention.resolved.length) {
    pdf.heading('Resolved in this period', 3, pdf.bulletLead(m.attention.resolved, { size: 9 }));
    pdf.bullets(m.attention.resolved, { size: 9, color: COLOURS.muted });
  }
  if (m.questions.length) {
    const qs = m.questions.map((q, i) => `${i + 1}. ${q}`);
    pdf.heading('Questions for you', 3, pdf.paraLead(qs[0]!, { size: 9 }));
    for (const q of qs) pdf.para(q, { size: 9 });
  }
  if (layout.medications < m.medications.length) {
    const meds = m.medications.map(medicationText);
    pdf.heading('Medications', 3, pdf.bulletLead(meds, { size: 9 }));
    pdf.bullets(meds, { size: 9 });
  }
  if (layout.outcomes < m.outcomes.length) {
    const table = outcomeTable(pdf, m.outcomes);
    pdf.heading('Outcome measures against baseline', 3, pdf.tableLead(...table));
    pdf.table(...table);
  }
}

const medicationText = (x: ReportModel['medications'][number]) => `${x.name}${x.kind === 'other' ? '' : ` (${x.kind})`}${x.why ? `: ${x.why}` : ''}`;

/** The outcomes table: each measure's baseline, latest, change and whether the MCID was reached. */
function outcomeTable(pdf: Pdf, outcomes: ReportModel['outcomes']): [Column[], string[][], TableOptions] {
  const w = pdf.width;
  const columns: Column[] = [
    { header: 'Measure', width: w * 0.22 },
    { header: 'Baseline', width: w * 0.17 },
    { header: 'Latest', width: w * 0.17 },
    { header: 'Change', width: w * 0.1, align: 'right' },
    { header: 'MCID', width: w * 0.1, align: 'right' },
    { header: 'Clinically important?', width: w * 0.24 },
  ];
  const rows = outcomes.map((o) => [
    `${o.label} (${o.unit.replace(/^\//, '0–')})`,
    `${o.baseline.value} (${o.baseline.date})`,
    o.latest ? `${o.latest.value} (${o.latest.date})` : 'not measured again yet',
    o.change === null ? '–' : `${o.change > 0 ? '+' : ''}${o.change}`,
    o.mcid === null ? '–' : String(o.mcid),
    o.latest === null ? 'baseline only: no change yet' : o.mcidReached === null ? 'no MCID in the sources' : o.mcidReached ? 'yes, MCID reached' : o.improved ? 'improved, below the MCID' : 'no',
  ]);
  return [columns, rows, { size: 8.5 }];
}

/** Where page 1 sends the reader for what it folds: the list that opens page 2. */
const FULL_LIST_PAGE = 2;

/** Page 1. */
function summaryPage(pdf: Pdf, m: ReportModel, { shown, size, questions: shownQuestions, medications: shownMeds, outcomes: shownOutcomes }: SummaryLayout): void {
  const body = { size };
  // The smaller type comes with less room above the headings.
  const space = size < 10 ? 6 : 12;
  pdf.text('EXERCISE PROGRESS REPORT FOR THE TREATING CLINICIAN', pdf.left, pdf.y, pdf.width, { size: 8, bold: true, color: COLOURS.muted });
  pdf.y += 2;
  pdf.heading(m.client.name, 1);
  pdf.para(`Born ${m.client.dateOfBirth} (age ${m.client.age})${m.client.sex ? ` · ${m.client.sex}` : ''} · client ${m.client.id}${m.client.archived ? ' (archived)' : ''} · period ${m.period.from} to ${m.period.to}`, { size: 9.5, color: COLOURS.muted, gap: 8 });

  const a = m.attention;
  const all = [...a.items, ...a.resolved];
  const items: string[] = all.slice(0, shown);
  const folded = all.length - shown;
  if (folded > 0) {
    const openFolded = Math.max(0, a.items.length - shown);
    // Said apart only when both kinds are folded.
    const kinds = openFolded && folded - openFolded ? ` (${openFolded} open, ${folded - openFolded} resolved)` : !openFolded ? ' resolved' : '';
    items.push(`and ${folded} more${kinds}: see the full list on page ${FULL_LIST_PAGE}`);
  }
  if (a.level === 'urgent') pdf.callout('Needs your attention', items, COLOURS.red, COLOURS.redBg, body);
  else if (a.level === 'review') pdf.callout('For your review', items, COLOURS.amber, COLOURS.amberBg, body);
  else if (items.length) pdf.callout('Nothing open needs your attention', items, COLOURS.green, COLOURS.greenBg, body);
  else pdf.callout('Nothing needs your attention', ['No open referral or red flag, and the clearance is in force.'], COLOURS.green, COLOURS.greenBg, body);

  pdf.heading('Medical history and clearance', 2, 40, space);
  const c = m.clearance;
  const clearanceState: Record<string, [string, TextStyle]> = {
    valid: ['in force', { color: COLOURS.green, bold: true }],
    expired: ['EXPIRED', { color: COLOURS.red, bold: true }],
    'not-cleared': ['NOT CLEARED', { color: COLOURS.red, bold: true }],
    pending: ['pending', { color: COLOURS.amber, bold: true }],
    none: ['NONE ON FILE', { color: COLOURS.red, bold: true }],
  };
  const [stateText, stateStyle] = clearanceState[c.state]!;
  pdf.fields([
    ['Conditions', m.conditions.map((x) => `${x.label}${x.detail ? ` (${x.detail})` : ''}`).join('; ') || (m.intakeDate ? 'none recorded' : 'no intake on file')],
    [
      'Medications',
      [...m.medications.slice(0, shownMeds).map(medicationText), ...(shownMeds < m.medications.length ? [`and ${m.medications.length - shownMeds} more: see page ${FULL_LIST_PAGE}`] : [])].join('\n') || 'none recorded',
    ],
    ['Clearance', stateText, stateStyle],
    ...(c.clinician
      ? ([
          ['Cleared by', `${c.clinician}, ${c.profession}${c.contact ? ` · ${c.contact}` : ''}`],
          ['Decision', `${c.status} on ${c.issuedOn}; valid until ${c.validUntil}`, c.state === 'expired' ? { color: COLOURS.red } : undefined],
          ['Restrictions', c.restrictions.join('; ') || 'none'],
          ...(c.note ? ([['Clinician’s note', c.note]] as [string, string][]) : []),
        ] as [string, string, TextStyle?][])
      : []),
    ...(c.pendingSince ? ([['Requested', `clearance requested ${c.pendingSince}, no answer recorded yet`]] as [string, string][]) : []),
    m.screening
      ? ['Screening', `${GATE_WORDS[m.screening.gate]}: ${m.screening.headline} (screened ${m.screening.date}; rules ${m.screening.ruleVersion})`, m.screening.gate === 'refer' ? { color: COLOURS.red, bold: true } : undefined]
      : ['Screening', m.intakeDate ? 'not screened yet' : 'not screened: no intake on file', { color: COLOURS.amber }],
    ...(m.screening ? ([['Dosing', [m.screening.dosing, ...m.screening.targets].join('; ')]] as [string, string][]) : []),
  ], 118, body);

  pdf.heading('Program and response', 2, 40, space);
  const p = m.program;
  const latest = m.pain.latest;
  pdf.fields([
    ['Program', p ? `${p.name} (template ${p.templateVersion}), started ${p.startDate}` : 'no program yet'],
    ...(p?.overlays.length ? ([['Adapted for', p.overlays.join('; ')]] as [string, string][]) : []),
    ...(p
      ? ([
          ['Current stage', `${p.stage} of ${p.stages}: ${p.stageName}, since ${p.stageStartedOn} (${Math.max(p.daysInStage, 0)} day${p.daysInStage === 1 ? '' : 's'}; planned ${p.plannedWeeks[0]}–${p.plannedWeeks[1]} weeks)`],
          ['Exit criteria', `${m.criteria.filter((x) => x.met).length} of ${m.criteria.length} met on the sessions since stage ${p.stage} began (detail on the following pages)`],
          ...(m.signoffs.length ? ([['Signed off', m.signoffs.join('; ')]] as [string, string][]) : []),
        ] as [string, string][])
      : []),
    ...(p?.override ? ([['Override', `built although screening held it back: ${p.override}`, { color: COLOURS.amber }]] as [string, string, TextStyle][]) : []),
    ['Adherence', adherenceText(m.adherence, m.period.from, p?.startDate)],
    [
      'Pain',
      `${m.pain.trend === 'unknown' ? 'trend not known yet (fewer than 4 sessions with pain recorded)' : `trend ${m.pain.trend}`}${
        latest ? `; latest ${latest.date}: during ${v(latest.painDuring)}, after ${v(latest.painAfter)}, next morning ${v(latest.nextDayPain)} (acceptable up to ${m.pain.limit}/10)` : ''
      }`,
      m.pain.trend === 'worsening' ? { color: COLOURS.red } : undefined,
    ],
  ], 118, body);

  if (m.outcomes.length > 0) {
    const [columns, rows, options] = outcomeTable(pdf, m.outcomes.slice(0, shownOutcomes));
    if (shownOutcomes < m.outcomes.length) rows.push([`and ${m.outcomes.length - shownOutcomes} more: see page ${FULL_LIST_PAGE}`, '', '', '', '', '']);
    pdf.heading('Outcome measures against baseline', 3, pdf.tableLead(columns, rows, options));
    pdf.table(columns, rows, options);
  }

  const questions = m.questions.length === 0 ? ['None at present.'] : m.questions.slice(0, shownQuestions).map((q, i) => `${i + 1}. ${q}`);
  if (shownQuestions < m.questions.length) questions.push(`and ${m.questions.length - shownQuestions} more: see the full list on page ${FULL_LIST_PAGE}`);
  const questionStyle = { size: Math.min(size, 9.5), ...(m.questions.length === 0 ? { color: COLOURS.muted } : {}) };
  pdf.heading('Questions for you', 3, pdf.height(questions[0]!, pdf.width, questionStyle));
  for (const q of questions) pdf.para(q, questionStyle);
}

const GATE_WORDS = { ok: 'may exercise', 'needs-clearance': 'medical clearance needed', refer: 'REFER to a clinician' } as const;

/** Adherence over the period, counted from the program's start when that is later (as `summary` counts it). */
function adherenceText(a: ReportModel['adherence'], from: string, programStart: string | undefined): string {
  if (!a) return '–';
  const since = programStart && programStart > from ? programStart : from;
  if (a.share === null) return 'no sessions planned in the period';
  if (a.attended > a.planned) return `${a.attended} sessions attended since ${since}, more than the ${a.planned} planned (100%)`;
  return `${a.attended} of ${a.planned} planned sessions since ${since} (${Math.round(a.share * 100)}%)`;
}

function detail(pdf: Pdf, m: ReportModel, options: ClinicianOptions): void {
  pdf.heading('Response over time');
  const w = pdf.width;
  const pain: ChartSpec = {
    title: 'Pain (0–10) at each session',
    from: m.period.from,
    to: m.period.to,
    yMin: 0,
    yMax: 10,
    series: m.pain.series,
    zone: { from: 0, to: m.pain.limit, label: `acceptable: up to ${m.pain.limit}/10, settled by next morning` },
  };
  // An empty chart is one line: it must not push itself onto a new page as if it were whole.
  pdf.ensure(chartHeight(pain, 160) + 15);
  lineChart(pdf, pdf.left, pdf.y, w, 160, pain);
  pdf.y += 14;
  if (m.keyMeasure) {
    const k = m.keyMeasure;
    const unit = /^[°%]|^\//.test(k.unit) ? k.unit : '';
    const op = { '>=': '≥', '<=': '≤', '>': '>', '<': '<', '==': '=' }[k.op] ?? k.op;
    const key: ChartSpec = {
      title: `${k.label[0]!.toUpperCase()}${k.label.slice(1)} against the stage's exit target${k.limit ? ' and the clearance limit' : ''}`,
      unit,
      from: m.period.from,
      to: m.period.to,
      series: k.series,
      target: { value: k.target, label: `exit target ${op} ${k.target}${unit || ` ${k.unit}`}` },
      ...(k.limit ? { limit: { value: k.limit.value, label: `clearance limit ${k.limit.value}${unit || ` ${k.unit}`}` } } : {}),
    };
    pdf.ensure(chartHeight(key, 150) + 25);
    lineChart(pdf, pdf.left, pdf.y, w, 150, key);
    pdf.para(`Exit criterion: ${k.criterion}${k.limit ? `. Clearance limit: ${k.limit.text}` : ''}`, { size: 7.5, color: COLOURS.muted, gap: 14 });
  }
  const charts = m.outcomeSeries.slice(0, 4);
  for (let i = 0; i < charts.length; i += 2) {
    pdf.ensure(135);
    const y = pdf.y;
    charts.slice(i, i + 2).forEach((s, j) => {
      const first = s.points[0]!.date < m.period.from ? s.points[0]!.date : m.period.from;
      lineChart(pdf, pdf.left + j * (w / 2 + 6), y, w / 2 - 6, 120, {
        title: `${s.label} (${s.unit.replace(/^\//, '0–')})`,
        from: first,
        to: m.period.to,
        series: [{ label: 'score', points: s.points }],
      });
    });
    pdf.y = y + 133;
  }
  if (m.loadWeeks && m.program) loadsByWeekTable(pdf, m.loadWeeks, m.program.startDate);

  const none = { color: COLOURS.muted };
  if (!m.program) {
    pdf.heading('Program', 2, pdf.paraLead('No program has been generated yet.', none));
    pdf.para('No program has been generated yet.', none);
  } else {
    const goals = m.program.goals.length ? `Goals: ${m.program.goals.join('; ')}` : '';
    const goalsStyle = { size: 9.5, gap: 6 };
    const exercises: [Column[], string[][]] = [
      [
        { header: 'Exercise', width: w * 0.27 },
        { header: 'Dose', width: w * 0.33 },
        { header: 'Notes', width: w * 0.4 },
      ],
      m.exercises.map((x) => [
        x.name,
        `${x.dose}${x.heartRate ? `; heart rate ${x.heartRate}` : ''}`,
        [x.replaces ? `in place of ${x.replaces}` : '', ...x.notes].filter(Boolean).join('; ') || '–',
      ]),
    ];
    pdf.heading(`Stage ${m.program.stage}: ${m.program.stageName}`, 2, goals ? pdf.paraLead(goals, goalsStyle) : pdf.tableLead(...exercises));
    if (goals) pdf.para(goals, goalsStyle);
    pdf.table(...exercises);
    if (m.nextLoads.length > 0) nextLoadsTable(pdf, m.nextLoads, m.loadSource, options.log);
    const criteria: [Column[], string[][], TableOptions] = [
      [
        { header: 'Criterion', width: w * 0.34 },
        { header: 'Status', width: w * 0.1 },
        { header: 'What was recorded', width: w * 0.56 },
      ],
      m.criteria.map((x) => [x.text, x.met ? 'met' : 'not met', x.detail]),
      { rowStyle: (i) => (m.criteria[i]!.met ? undefined : { color: COLOURS.amber }) },
    ];
    pdf.heading(`Exit criteria for this stage, read on the sessions since ${m.program.stageStartedOn}`, 3, pdf.tableLead(...criteria));
    pdf.table(...criteria);
  }
  for (const [title, items] of [
    ['Precautions', m.precautions],
    ['Checks before every session', m.preSessionChecks],
    ['Stop the session and refer if', m.stopSigns],
  ] as const) {
    if (items.length === 0) continue;
    pdf.heading(title, 3, pdf.bulletLead(items, { size: 9 }));
    pdf.bullets(items, { size: 9 });
  }
  if ([...m.precautions, ...m.preSessionChecks, ...m.stopSigns].some((t) => t.includes('[U]'))) {
    pdf.para('[U]: a threshold or policy bridgefit uses by default that its sources do not confirm; the clinic may change it.', { size: 8, color: COLOURS.muted, gap: 4 });
  }

  if (options.log) {
    const title = `Session log, ${m.period.from} to ${m.period.to}`;
    if (m.log.length === 0) {
      pdf.heading(title, 2, pdf.paraLead('No session recorded in this period.', none));
      pdf.para('No session recorded in this period.', none);
    } else {
      const log = logTable(pdf, m.log);
      pdf.heading(title, 2, pdf.tableLead(...log));
      pdf.table(...log);
    }
  }

  const transitions = m.transitions.map((t) => ({
    title: `${t.date}: stage ${t.from} → stage ${t.to}${t.forced ? ` (${t.gates.length > 0 ? 'forced past the gates that held' : 'advanced without every criterion met'}: ${t.reason ?? 'no reason recorded'})` : ''}`,
    style: { bold: true, size: 9.5, ...(t.forced ? { color: COLOURS.amber } : {}) },
    criteria: [
      ...t.forcedPast.map((r) => `FORCED PAST: ${r}`),
      ...t.signoffs.map((s) => `signed off by the ${s}`),
      ...t.criteria.map((x) => `${x.met ? 'met' : 'not met'}: ${x.text}: ${x.detail}`),
      ...(t.ruleVersion ? [`decided by stage rules ${t.ruleVersion}`] : []),
    ],
  }));
  const refs = [...m.referrals.open, ...m.referrals.resolvedInPeriod];
  const referrals: [Column[], string[][], TableOptions] = [
    [
      { header: 'Raised', width: w * 0.13 },
      { header: 'Reason', width: w * 0.42 },
      { header: 'To', width: w * 0.2 },
      { header: 'Status', width: w * 0.25 },
    ],
    refs.map((r) => [r.raisedOn, r.reason, r.toWhom, r.status === 'open' ? 'OPEN' : `resolved ${r.resolvedOn} by ${r.resolvedBy || 'someone not recorded'}${r.resolutionNote ? `: ${r.resolutionNote}` : ''}`]),
    { rowStyle: (i) => (refs[i]!.status === 'open' ? { color: COLOURS.red } : undefined), tail: REPLY_FORM_HEIGHT },
  ];
  const noReferral = 'No referral open or resolved in this period.';
  // The reply form is never on a page with little else: when the Referrals section is short, the stage
  // changes, the referrals and the form go on one page together whenever the three fit on one.
  const referralsHeight = pdf.headingHeight('Referrals') + (refs.length === 0 ? pdf.paraHeight(noReferral, none) : pdf.tableHeight(...referrals));
  const stageHeight =
    pdf.headingHeight('Stage changes') + (transitions.length === 0 ? pdf.paraHeight('None yet.', none) : transitions.reduce((sum, t) => sum + pdf.paraHeight(t.title, t.style) + pdf.bulletsHeight(t.criteria, { size: 8.5 }), 0));
  const together = stageHeight + referralsHeight + REPLY_FORM_HEIGHT;
  if (refs.length <= 3 && together <= pdf.bottom - MARGINS.top) pdf.ensure(together);
  pdf.heading('Stage changes', 2, transitions[0] ? pdf.paraLead(transitions[0].title, transitions[0].style) : pdf.paraLead('None yet.', none));
  if (transitions.length === 0) pdf.para('None yet.', none);
  for (const t of transitions) {
    pdf.para(t.title, t.style);
    pdf.bullets(t.criteria, { size: 8.5 });
  }

  if (refs.length === 0) {
    pdf.heading('Referrals', 2, pdf.paraLead(noReferral, none) + REPLY_FORM_HEIGHT);
    pdf.para(noReferral, none);
  } else {
    // One row: the heading, the table and the form together.
    pdf.heading('Referrals', 2, refs.length === 1 ? pdf.tableLead(...referrals) + REPLY_FORM_HEIGHT : pdf.tableLead(...referrals));
    pdf.table(...referrals);
  }
}

/** A finding that raised a referral, in capitals once: the red-flag rules already begin theirs with "Red flag:". */
const flagLine = (text: string) => `RED FLAG: ${text.replace(/^red flag:\s*/i, '')}`;

/** The session log's columns, rows and row colours; a glucose column when a session of the period has glucose (FACTS §3). */
function logTable(pdf: Pdf, log: readonly LogRow[]): [Column[], string[][], TableOptions] {
  const w = pdf.width;
  const glucose = log.some((r) => r.glucose !== undefined);
  // The value over its unit: "mmol/L" is never broken at its slash.
  const columns: (Column & { cell: (r: LogRow) => string })[] = [
    { header: 'Date', width: w * 0.12, cell: (r) => `${r.date}${r.stage !== undefined ? `\nstage ${r.stage}` : ''}` },
    {
      header: 'Pain before / during / after / next',
      width: w * 0.14,
      align: 'center',
      cell: (r) => (r.attended ? `${v(r.painBefore)} / ${v(r.painDuring)} / ${v(r.painAfter)} / ${v(r.nextDayPain)}` : ''),
    },
    { header: 'RPE', width: w * 0.06, align: 'center', cell: (r) => r.rpe ?? '' },
    { header: 'BP', width: w * 0.08, align: 'center', cell: (r) => r.bp ?? '' },
    ...(glucose ? [{ header: 'Glucose', width: w * 0.09, align: 'center' as const, cell: (r: LogRow) => r.glucose?.replace(' ', '\n') ?? '' }] : []),
    { header: 'Result', width: w * 0.1, cell: (r) => r.outcome },
    {
      header: 'Measures, flags and notes',
      width: w * (glucose ? 0.41 : 0.5),
      cell: (r) =>
        [
          r.voided ?? '',
          ...(r.held ?? []).map((why) => `Reason: ${why}`),
          r.missedReason ? `Reason: ${r.missedReason}` : '',
          r.done.length ? `Done: ${r.done.join('; ')}` : '',
          r.measures,
          ...r.flags.map(flagLine),
          ...r.breaches.map((b) => `BEYOND LIMIT: ${b}`),
          ...(r.warnings ?? []).map((w) => `WARNING: ${w}`),
          r.notes ? `Note: ${r.notes}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
    },
  ];
  return [
    columns.map(({ cell: _cell, ...c }) => c),
    log.map((r) => columns.map((c) => c.cell(r))),
    { size: 8, rowStyle: (i) => (log[i]!.voided ? { color: COLOURS.muted, strike: true } : log[i]!.flags.length ? { color: COLOURS.red } : log[i]!.outcome === 'held' || (log[i]!.warnings ?? []).length || log[i]!.breaches.length ? { color: COLOURS.amber } : undefined) },
  ];
}
