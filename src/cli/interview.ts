/**
 * The intake interview at a terminal. It asks only what applies and builds the
 * same answers object an answers file holds, checked by the same schema.
 * Ctrl-C at any question ends it without writing anything.
 */
import type { Client } from '../domain/client.js';
import { CONDITIONS, CONDITION_CODES, CONDITION_FLAGS, DIABETES, LUNG_DISEASE as LUNG, flagsOf, needsDayOrMonth, type ConditionCode, type ConditionFlag } from '../domain/conditions.js';
import { addDays, dateProblem, dayMonthOrYearProblem, firstDayOf, isIsoDate, lastDayOf } from '../domain/dates.js';
import { bloodPressureYesUnrecorded, checkIntakeAnswers, type IntakeAnswers } from '../domain/intake.js';
import { MEDICATION_CLASSES, MEDICATION_CLASS_CODES, guessMedicationClass, type MedicationClass } from '../domain/medications.js';
import { FOLLOW_UPS, PARQ_QUESTIONS, PARQ_QUESTION_KEYS, conditionPages, openedFollowUps, type FollowUpAnswer, type ParqAnswers } from '../domain/parq.js';
import { SYMPTOMS, SYMPTOM_CODES, type SymptomCode } from '../domain/symptoms.js';
import { RANGES, parseBloodPressure, parseGlucose, withGlucoseUnit, type GlucoseUnit } from '../domain/vitals.js';
import { asksAboutKetones } from '../domain/vitals-rules.js';
import type { Cli } from './cli.js';
import { blankOr } from './prompts.js';

/**
 * Ask the intake questions. With a `previous` intake, its conditions are
 * ticked and its sides, dates and medications offered, so a repeat intake
 * only asks what changed.
 */
export async function interview(cli: Cli, client: Client, previous?: IntakeAnswers, glucoseUnit?: GlucoseUnit): Promise<IntakeAnswers> {
  const ask = cli.prompt;
  const today = cli.today();
  const section = (title: string) => cli.io.out(`\n${cli.io.c.bold(title)}`);

  section(previous ? `Medical history (last intake: ${previous.date})` : 'Medical history');
  const before = new Map((previous?.conditions ?? []).map((c) => [c.code, c]));
  const codes = await ask.checkbox<ConditionCode>(
    'Conditions and surgeries (space to tick, Enter when done; none is fine)',
    CONDITION_CODES.map((code) => ({ value: code, name: CONDITIONS[code].label, checked: before.has(code) })),
  );
  const conditions: Record<string, unknown>[] = [];
  for (const code of codes) {
    const info = CONDITIONS[code];
    const last = before.get(code);
    const entry: Record<string, unknown> = { code };
    if (info.sided) {
      entry.side = await ask.select(
        `${info.label}: which side?`,
        [
          { value: 'left', name: 'left' },
          { value: 'right', name: 'right' },
          { value: 'both', name: 'both' },
        ],
        last?.side,
      );
    }
    // A diagnosis may be known only to the month or year; a surgery to the month (its weeks count from the month's last day); a pregnancy needs the day.
    const need = needsDayOrMonth(code);
    const form = need === 'day' ? 'YYYY-MM-DD' : need === 'month' ? 'YYYY-MM-DD, or YYYY-MM' : 'YYYY-MM-DD, YYYY-MM or YYYY';
    const date = await ask.text({
      message: code === 'pregnancy' ? 'pregnancy: first day of the last period (YYYY-MM-DD, optional; or give the due date next)' : `${info.label}: ${info.dateKind} date (${form}, optional)`,
      ...(last?.date ? { default: last.date } : {}),
      validate: (t) => {
        const d = t.trim();
        if (d === '') return undefined;
        if (need === 'day' && !isIsoDate(d)) return /^\d{4}-\d{2}-\d{2}$/.test(d) ? dateProblem(d) : 'a past date as YYYY-MM-DD, or leave empty';
        const problem = dayMonthOrYearProblem(d, need === 'month');
        if (problem) return `${problem}; or leave empty`;
        if (firstDayOf(d) > today) return `a past date as ${form}, or leave empty`;
        return lastDayOf(d) < client.dateOfBirth ? `before the client's date of birth (${client.dateOfBirth})` : undefined;
      },
    });
    if (date.trim()) entry.date = date.trim();
    if (code === 'pregnancy') {
      // The weeks of pregnancy decide which stages avoid supine work (ACOG 804): the due date dates them.
      const due = await ask.text({
        message: 'pregnancy: expected due date (YYYY-MM-DD, optional)',
        ...(last?.dueDate ? { default: last.dueDate } : {}),
        validate: (t) => {
          const d = t.trim();
          if (d === '') return undefined;
          if (!isIsoDate(d)) return /^\d{4}-\d{2}-\d{2}$/.test(d) ? dateProblem(d) : 'a date as YYYY-MM-DD, or leave empty';
          return d < addDays(today, -21) || d > addDays(today, 42 * 7) ? 'a due date within 3 weeks before to 42 weeks after today' : undefined;
        },
      });
      if (due.trim()) entry.dueDate = due.trim();
    }
    const flagChoices = flagsOf(code);
    if (flagChoices.length > 0) {
      const labels = (CONDITION_FLAGS as Partial<Record<ConditionCode, Record<string, string>>>)[code]!;
      const flags = await ask.checkbox<ConditionFlag>(
        `${info.label}: any of these? (space to tick, Enter when done; none is fine)`,
        flagChoices.map((f) => ({ value: f, name: labels[f]!, checked: last?.flags?.includes(f) ?? false })),
      );
      if (flags.length > 0) entry.flags = flags;
    }
    conditions.push(entry);
  }

  const medications: { name: string; class: MedicationClass }[] = [];
  for (const m of previous?.medications ?? []) {
    if (await ask.confirm(`Still taking ${m.name} (${MEDICATION_CLASSES[m.class].label})?`, true)) medications.push(m);
  }
  while (await ask.confirm(medications.length ? 'Another medication?' : 'Does the client take any medication?', false)) {
    const name = await ask.text({ message: 'Medication name', validate: (t) => (t.trim() ? undefined : 'a name, please') });
    medications.push({ name: name.trim(), class: await medicationClass(cli, name.trim()) });
  }

  section('PAR-Q+ (asked in short form)');
  const parq: Record<string, unknown> = {};
  // The answers follow what was entered (FACTS §2): recorded medications pre-select Q5; Enter keeps it, n changes it.
  for (const q of PARQ_QUESTION_KEYS) parq[q] = await ask.confirm(`${q.toUpperCase()}. ${PARQ_QUESTIONS[q]}${q === 'q5' && medications.length > 0 ? ' (medications recorded)' : ''}`, q === 'q5' && medications.length > 0);
  const followUps: Record<string, FollowUpAnswer> = {};
  // Page by page in PAR-Q+ order, the pages opened worked out again after each: a condition added on the way opens its own.
  for (;;) {
    const page = openedFollowUps(parq as unknown as ParqAnswers, codes).find((p) => !followUps[p]);
    if (!page) break;
    // A recorded condition pre-selects its own page's gate question (and 10c with two or more conditions).
    const recorded = conditionPages(codes).has(page);
    const f = FOLLOW_UPS[page];
    const answer: FollowUpAnswer = { has: await ask.confirm(`Follow-up ${f.number}. ${f.gate}${recorded ? ' (recorded)' : ''}`, recorded) };
    if (answer.has) {
      for (const [letter, question] of Object.entries(f.questions)) {
        answer[letter as 'a'] = await ask.confirm(`  ${f.number}${letter}. ${question}`, page === 'other' && letter === 'c' && codes.length >= 2);
      }
    }
    followUps[page] = answer;
    // A YES to high blood pressure puts the condition on record, with the hypertension overlay (FACTS §2, §7).
    if (page === 'blood_pressure' && bloodPressureYesUnrecorded({ parq: { followUps } as ParqAnswers, conditions: codes.map((code) => ({ code })) })) {
      if (await ask.confirm('High blood pressure is not among the conditions: add it (with its precautions)?', true)) {
        codes.push('hypertension');
        conditions.push({ code: 'hypertension' });
      }
    }
  }
  parq.followUps = followUps;
  parq.temporaryIllness = await ask.confirm('Is the client unwell today with a temporary illness (a cold, a fever)?', false);
  parq.healthChanged = previous ? await ask.confirm(`Has their health changed since the last intake (${previous.date})?`, false) : false;

  section('Activity and symptoms');
  const physicallyActive = await ask.confirm(
    'Physically active: planned, structured exercise of at least 30 min at moderate intensity, 3 or more days a week, for the last 3 months?',
    false,
  );
  const symptoms = await ask.checkbox<SymptomCode>(
    'Any of these now or recently? (space to tick, Enter when done; none is fine)',
    SYMPTOM_CODES.filter((s) => {
      const only = (SYMPTOMS[s] as { onlyWith?: ConditionCode }).onlyWith;
      return only === undefined || codes.includes(only);
    }).map((s) => ({ value: s, name: SYMPTOMS[s].label })),
  );
  const desiredIntensity = await ask.select(
    'How hard does the client want to train?',
    [
      { value: 'light', name: 'light (RPE 9–11 on 6–20)' },
      { value: 'moderate', name: 'moderate (RPE 12–13: can talk, not sing)' },
      { value: 'vigorous', name: 'vigorous (RPE 14+: a few words only)' },
    ],
    'moderate',
  );
  const goals = await ask.text({ message: 'Goals', ...(client.goals ? { default: client.goals } : {}) });

  section('Resting vitals (leave empty if not measured)');
  const vitals: Record<string, unknown> = {};
  const hr = await ask.text({
    message: 'Resting heart rate (bpm)',
    validate: (t) => {
      if (t.trim() === '') return undefined;
      const n = Number(t);
      return Number.isInteger(n) && n >= RANGES.restingHr.min && n <= RANGES.restingHr.max ? undefined : `a whole number, ${RANGES.restingHr.min}–${RANGES.restingHr.max}`;
    },
  });
  if (hr.trim()) vitals.restingHr = Number(hr);
  const bp = await ask.text({ message: 'Resting blood pressure (e.g. 128/82)', validate: blankOr(parseBloodPressure) });
  if (bp.trim()) vitals.bp = bp.trim();
  if (codes.some((c) => LUNG.includes(c))) {
    // Below 88% at rest holds and refers (FACTS §10; GOLD 2024).
    const spo2 = await ask.text({
      message: 'SpO2 at rest (%)',
      validate: (t) => {
        if (t.trim() === '') return undefined;
        const n = Number(t);
        return Number.isInteger(n) && n >= RANGES.spo2.min && n <= RANGES.spo2.max ? undefined : `a whole number, ${RANGES.spo2.min}–${RANGES.spo2.max}`;
      },
    });
    if (spo2.trim()) vitals.spo2 = Number(spo2);
  }
  if (codes.some((c) => DIABETES.includes(c))) {
    // A number alone is read in the units.glucose setting's unit; without one the unit must be typed (FACTS §3: 18× apart).
    const readGlucose = (t: string) => parseGlucose(t, 'glucose', glucoseUnit);
    const glucose = await ask.text({
      message: glucoseUnit ? `Blood glucose (${glucoseUnit} unless you type the unit, e.g. ${glucoseUnit === 'mmol/L' ? '6.2 or 112 mg/dL' : '112 or 6.2 mmol/L'})` : 'Blood glucose with its unit (e.g. 6.2 mmol/L or 112 mg/dL)',
      validate: blankOr(readGlucose),
    });
    if (glucose.trim()) {
      vitals.glucose = withGlucoseUnit(glucose.trim(), glucoseUnit);
      if (asksAboutKetones(readGlucose(glucose), codes.includes('type1_diabetes'))) {
        const ketones = await ask.select(`Glucose is ${codes.includes('type1_diabetes') ? '250 mg/dL or more (type 1)' : 'above 15 mmol/L'}: ketones?`, [
          { value: 'unchecked', name: 'not checked' },
          { value: 'present', name: 'present' },
          { value: 'negative', name: 'negative' },
        ]);
        if (ketones !== 'unchecked') vitals.ketones = ketones === 'present';
        vitals.weakOrTired = await ask.confirm('Does the client feel weak or unusually tired?', false);
      }
    }
    vitals.severeHypoLast24h = await ask.confirm('A severe hypo that needed someone else’s help in the last 24 hours?', false);
  }

  const raw = { date: today, physicallyActive, conditions, medications, parq, symptoms, desiredIntensity, ...(goals.trim() ? { goals: goals.trim() } : {}), vitals };
  const result = checkIntakeAnswers(raw, { today, dateOfBirth: client.dateOfBirth, glucoseUnit });
  if (!result.ok) throw new Error(`the interview produced answers the schema refuses: ${result.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return result.answers;
}

/**
 * The class of a medication: the class its name points to, confirmed (Enter
 * confirms it); otherwise, or when the trainer says no, a numbered list with
 * no default, so an unknown drug is never labelled by a stray Enter (an
 * insulin recorded as a beta-blocker loses its hypoglycaemia checks; FACTS §3, §5).
 */
async function medicationClass(cli: Cli, name: string): Promise<MedicationClass> {
  const guess = guessMedicationClass(name);
  if (guess && (await cli.prompt.confirm(`${name}: ${MEDICATION_CLASSES[guess].label}? (guessed from the name)`, true))) return guess;
  return cli.prompt.pick<MedicationClass>(
    `${name}: which class? (type its number)`,
    MEDICATION_CLASS_CODES.map((c) => ({ value: c, name: c === 'other' ? 'other / not sure' : MEDICATION_CLASSES[c].label })),
  );
}
