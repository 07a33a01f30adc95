/** `progress add/amend/list/import`: session entries and what each means. */
import { amendEntry, voidEntry, type Correction } from '../../app/amend-entry.js';
import { CLEARABLE, describeValue, fieldLabel } from '../../domain/entry-edit.js';
import { resolveClient } from '../../app/clients.js';
import { InputError, NotFoundError, UsageError, messageFor } from '../../app/errors.js';
import { glucoseUnit } from '../../app/settings.js';
import { entryToAmend, listSessions, outcomesDueAfter, sessionPlan, type StoredEntry } from '../../app/progress.js';
import { clientsNextLoads } from '../../app/next-loads.js';
import { describeDue } from '../../domain/outcome-schedule.js';
import { entryOnDay, recordSession, sameDayError, type ExerciseLibrary } from '../../app/record-session.js';
import { ValidationError } from '../../domain/errors.js';
import { SCORE_CODES, checkProgressInput, parseDecimal, parseDidFlag, parseMeasureFlag, recordsSomething } from '../../domain/progress-input.js';
import { effusionLabel } from '../../domain/progress-rules.js';
import type { RaisedReferral } from '../../domain/referral.js';
import type { SessionDecision } from '../../domain/session.js';
import type { LoadSuggestion } from '../../domain/load-progression.js';
import { fullName } from '../../domain/client.js';
import { READ, type Cli } from '../cli.js';
import type { Command, OptionValues } from '@commander-js/extra-typings';
import { command, examples, repeat, type OptionsOf } from '../command.js';
import { parseJson, readSource } from '../input.js';
import type { CsvValue } from '../csv.js';
import { chosenFormat, formatOption, printDelimited } from '../format.js';
import { sinceFlag } from '../since.js';
import { fitsFor, loadRulesFor } from '../fits.js';
import { closeMatches, controlCharactersMessage, hasControlCharacters } from '../../domain/text.js';


/** The flags of an entry's fields, shared by `progress add` and `progress amend` (one list: a flag renamed in one is renamed in both). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const entryFields = <A extends any[], O extends OptionValues, G extends OptionValues>(c: Command<A, O, G>) =>
  c
    .option('--date <date>', 'session day, YYYY-MM-DD (default today)')
    .option('--missed <reason>', 'the session did not take place, and why')
    .option('--duration <minutes>', 'how long it lasted')
    .option('--pain-before <0-10>', 'pain before the session')
    .option('--pain-during <0-10>', 'pain during')
    .option('--pain-after <0-10>', 'pain after')
    .option('--rpe <value>', 'effort (CR10 0–10 unless --rpe-scale borg)')
    .option('--rpe-scale <scale>', 'cr10 (0–10) or borg (6–20)')
    .option('--bp <systolic/diastolic>', 'resting blood pressure before the session, e.g. 150/95')
    .option('--bp-recheck <systolic/diastolic>', 'a second reading after 5 minutes of rest (the session is decided on it)')
    .option('--hr <bpm>', 'resting heart rate')
    .option('--glucose <value+unit>', 'blood glucose, e.g. 5.4mmol/L or 97mg/dL; a number alone is read in the units.glucose setting')
    .option('--glucose-recheck <value+unit>', 'glucose re-checked (after 15 g of fast carbohydrate and 15 minutes); decided on it')
    .option('--ketones <yes|no>', 'ketones, with a high glucose')
    .option('--weak', 'weak or unusually tired (with a high glucose)')
    .option('--severe-hypo-24h', 'a severe hypo that needed help in the last 24 hours')
    .option('--unwell', 'the client feels unwell today')
    .option('--soreness <code>', 'none, warmup_gone, warmup_continuing, returned_during, after_next_day')
    .option('--measure <code[.side]=value>', 'a measure, e.g. knee_flexion.left=105, effusion_grade.right=trace (repeatable)', repeat)
    .option('--score <code=value>', 'an outcome score, e.g. lefs=42 (repeatable)', repeat)
    .option('--symptom <code>', 'a symptom code, as in the intake (repeatable)', repeat)
    .option('--did <exercise=done>', 'what was done of an exercise: squat=3x10, leg_press=3x12@40kg, walking=20min, heel_slide=done (as planned), lunge=skipped (repeatable)', repeat)
    .option('--note <text>', 'notes');

/** `progress add`'s arguments and flags: its options' type is read from them. */
const addFlags = (c: Command) =>
  entryFields(c.argument('<client>', 'id or name fragment').option('--from <file>', 'the whole entry as JSON ("-" for stdin)')).addHelpText(
    'after',
    examples(
      'bridgefit progress add zoe',
      'bridgefit progress add 12 --pain-before 2 --pain-during 3 --pain-after 3 --rpe 5 --bp 138/86 --measure knee_flexion.right=98 --score lefs=41',
      'bridgefit progress add 12 --missed "flu"',
      'bridgefit progress add 12 --from session.json',
    ),
  );

/** The entry fields' flags, as add and amend read them. */
type FieldOptions = OptionsOf<ReturnType<typeof entryFields<[], {}, {}>>>;

const num = (flag: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  // Plain decimals only: Number() would store 0x3 as 3 and 1e1 as 10.
  const n = parseDecimal(v);
  if (n === undefined) throw new UsageError(`${flag}: expected a plain decimal number, got ${JSON.stringify(v)}`);
  return n;
};

const FLAG_OF: Record<string, string> = {
  date: '--date',
  missedReason: '--missed',
  attended: '--missed',
  durationMin: '--duration',
  painBefore: '--pain-before',
  painDuring: '--pain-during',
  painAfter: '--pain-after',
  nextDayPain: '--next-day-pain',
  rpe: '--rpe',
  rpeScale: '--rpe-scale',
  bp: '--bp',
  bpRecheck: '--bp-recheck',
  glucoseRecheck: '--glucose-recheck',
  restingHr: '--hr',
  glucose: '--glucose',
  ketones: '--ketones',
  soreness: '--soreness',
  measures: '--measure',
  symptoms: '--symptom',
  exercises: '--did',
  notes: '--note',
};

/** "measures[0].value" → "--measure" (or "--score" for an outcome score). */
function flagFor(path: string, raw: Record<string, unknown>): string {
  const m = /^measures\[(\d+)\]/.exec(path);
  const code = m ? (raw.measures as { code: string }[] | undefined)?.[Number(m[1])]?.code : undefined;
  if (code && SCORE_CODES.includes(code as never)) return '--score';
  return FLAG_OF[path.split(/[.[]/)[0]!] ?? path;
}

/** Whether an entry records anything beyond its date. */
function hasContent(raw: Record<string, unknown>): boolean {
  return Object.keys(raw).some((k) => k !== 'date');
}

/** What to pass when an entry records nothing (the same rule as a CSV row that records nothing). */
const NOTHING_TO_RECORD = 'give --pain-before, --rpe, --bp, --measure, --soreness, --symptom, --note … (or --missed "reason", or --from file.json)';

/** Flags → the same object a --from file holds. */
function inputFromFlags(o: FieldOptions): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const set = (k: string, v: unknown) => {
    if (v !== undefined) raw[k] = v;
  };
  set('date', o.date);
  if (o.missed !== undefined) {
    raw.attended = false;
    raw.missedReason = o.missed;
  }
  set('durationMin', num('--duration', o.duration));
  set('painBefore', num('--pain-before', o.painBefore));
  set('painDuring', num('--pain-during', o.painDuring));
  set('painAfter', num('--pain-after', o.painAfter));
  set('rpe', num('--rpe', o.rpe));
  set('rpeScale', o.rpeScale);
  set('bp', o.bp);
  set('bpRecheck', o.bpRecheck);
  set('glucoseRecheck', o.glucoseRecheck);
  set('restingHr', num('--hr', o.hr));
  set('glucose', o.glucose);
  if (o.ketones !== undefined) {
    if (!['yes', 'no'].includes(o.ketones)) throw new UsageError(`--ketones: expected yes or no, got "${o.ketones}"`);
    raw.ketones = o.ketones === 'yes';
  }
  set('soreness', o.soreness);
  if (o.weak) raw.weakOrTired = true;
  if (o.severeHypo24h) raw.severeHypoLast24h = true;
  if (o.unwell) raw.unwell = true;
  const measures = [...(o.measure ?? []).map((t) => flagMeasure(t, '--measure')), ...(o.score ?? []).map((t) => flagMeasure(t, '--score'))];
  if (measures.length) raw.measures = measures;
  if (o.symptom?.length) raw.symptoms = o.symptom;
  if (o.did?.length) raw.exercises = o.did.map(flagDid);
  set('notes', o.note);
  return raw;
}

function flagDid(text: string) {
  try {
    return parseDidFlag(text);
  } catch (err) {
    if (err instanceof ValidationError) throw new UsageError(`--did: ${err.message}`);
    throw err;
  }
}

/**
 * Every exercise an entry names must be in the library: an unknown id is
 * refused naming the close ones (a typo would otherwise be stored, and the
 * load checks would never see it). The library is loaded only for an entry
 * that names exercises.
 */
async function checkExerciseIds(cli: Cli, exercises: readonly { exerciseId: string; swappedFrom?: string }[] | undefined, where: (i: number) => string): Promise<ExerciseLibrary | undefined> {
  if (!exercises?.length) return undefined;
  const set = await (await import('../templates.js')).loadForUse(cli);
  for (const [i, x] of exercises.entries()) {
    for (const id of [x.exerciseId, ...(x.swappedFrom ? [x.swappedFrom] : [])]) {
      if (set.exercises.has(id)) continue;
      const near = closeMatches(id, set.exercises.keys());
      throw new UsageError(`${where(i)}: no exercise "${id}" in the library${near.length ? `; did you mean ${near.join(', ')}?` : ''} (see "bridgefit template list --kind exercise"); nothing was saved`);
    }
  }
  // The library judges what was done against the program's limits (an exercise swapped in that they forbid is flagged).
  return set;
}

function flagMeasure(text: string, flag: '--measure' | '--score') {
  try {
    return parseMeasureFlag(text, flag);
  } catch (err) {
    if (err instanceof ValidationError) throw new UsageError(`${flag}: ${err.message}`);
    throw err;
  }
}

export const add = command({
  define: addFlags,
  async run(cli, opts, [selector]) {
    const today = cli.today();
    await cli.withStore(async (store) => {
      const client = await resolveClient(store, selector);
      // A glucose typed as a number alone (--glucose 6.2, a prompt, a --from file) is read in units.glucose, else refused.
      const unit = await glucoseUnit(store);
      /** The --date given (else today), refused with its problem before anything else is asked or said. */
      const checkDay = (given: string | undefined): string => {
        const date = given ?? today;
        const day = checkProgressInput({ date }, { today, dateOfBirth: client.dateOfBirth });
        if (!day.ok) throw new UsageError(`--date: ${day.problems[0]!.message}; nothing was saved`);
        return date;
      };
      let raw: unknown;
      let source = 'flags';
      const flagged = inputFromFlags(opts);
      if (opts.from !== undefined) {
        if (Object.keys(flagged).length > 0) throw new UsageError('--from takes the whole entry; give no other entry flags with it');
        source = opts.from === '-' ? 'stdin' : opts.from;
        raw = parseJson(await readSource(cli.io, opts.from, '--from'), source);
      } else if (hasContent(flagged)) {
        raw = flagged;
      } else if (cli.prompt.available) {
        // Only --date (or nothing): ask. The day is checked first, so no answers are asked for in vain.
        const date = checkDay(opts.date);
        const twin = await entryOnDay(store, client, date);
        if (twin) throw sameDayError(client, date, twin.id);
        const { askEntry, confirmEntry } = await import('../progress-prompts.js');
        source = 'prompts';
        const plan = await sessionPlan(store, client, fitsFor(cli), today, loadRulesFor(cli));
        raw = await askEntry(cli, client, plan, unit);
        if (opts.date !== undefined) (raw as Record<string, unknown>).date = opts.date;
        if (hasContent(raw as Record<string, unknown>)) await confirmEntry(cli, raw as Record<string, unknown>);
      } else {
        checkDay(opts.date);
        const why = cli.io.isStdinTTY && cli.io.isStdoutTTY ? 'prompts are off (--no-input)' : 'there is no terminal to ask on';
        throw new UsageError(`nothing to record${opts.date !== undefined ? ` on ${opts.date}` : ''}: ${NOTHING_TO_RECORD}; ${why}`);
      }
      const checked = checkProgressInput(raw, { today, dateOfBirth: client.dateOfBirth, glucoseUnit: unit });
      if (!checked.ok) {
        // From flags, name the flag the trainer typed; one problem is one line.
        const named = checked.problems.map((p) => (source === 'flags' ? `${flagFor(p.path, raw as Record<string, unknown>)}: ${p.message}` : `${p.path}: ${p.message}`));
        if (source === 'flags' && named.length === 1) throw new UsageError(`${named[0]}; nothing was saved`);
        throw new InputError(`${source === 'flags' ? 'the entry' : source}: ${named.length} problem(s); nothing was saved`, named);
      }
      // A session that records nothing is not saved as attended (as a CSV row that records nothing).
      if (!recordsSomething(checked.entry)) {
        if (source === 'prompts') throw new UsageError('nothing was recorded; nothing was saved');
        if (source === 'flags') throw new UsageError(`nothing to record: ${NOTHING_TO_RECORD}; nothing was saved`);
        throw new UsageError(`${source}: the entry records nothing: give painBefore, rpe, bp, measures, soreness, symptoms, notes … or "attended": false with a missedReason; nothing was saved`);
      }
      const library = await checkExerciseIds(cli, checked.entry.exercises, (i) => (source === 'flags' ? '--did' : `${source}: exercises[${i}].exerciseId`));
      const result = await recordSession(store, client, checked.entry, cli.ctx(), library, loadRulesFor(cli));
      const due = await outcomesDueAfter(store, client, result.entry.date);
      if (cli.io.json) {
        cli.io.printJson({
          entryId: result.id, clientId: client.id, date: result.entry.date, decision: result.decision, referrals: result.referrals, nextLoads: result.nextLoads,
          outcomesDue: due.map((o) => ({ measure: o.measure, everyWeeks: o.everyWeeks, dueOn: o.dueOn, last: o.last })),
        });
        return;
      }
      const kind = result.decision.today === 'hold' ? 'held session (not trained)' : result.entry.attended ? 'session' : 'missed session';
      cli.io.info(`Recorded ${kind} ${result.id} for ${fullName(client)} (${result.entry.date}).`);
      printDecision(cli, result.decision, result.referrals);
      printNextLoads(cli, result.nextLoads);
      for (const o of due) cli.io.out(`${cli.io.c.yellow('Due')}: ${describeDue(o)}: take it next session, or add it to this one: bridgefit progress amend ${client.id} --entry ${result.id} --score ${o.measure}=N`);
    });
  },
});

/** The stage's load rule, per loaded exercise (domain/load-progression.ts); nothing until a load is recorded. */
function printNextLoads(cli: Cli, loads: readonly LoadSuggestion[], who = ''): void {
  for (const l of loads) if (l.suggestedKg !== null) cli.io.out(`next time: ${who}${l.name} ${l.suggestedKg} kg (${l.reason})`);
}

function printDecision(cli: Cli, d: SessionDecision, referrals: readonly RaisedReferral[]): void {
  const { c } = cli.io;
  if (d.today === 'hold') cli.io.out(c.red(c.bold('HOLD: no session today (recorded as not trained)')));
  for (const r of d.checks) cli.io.out(`  ${r.severity === 'caution' ? c.yellow('caution') : c.red(r.severity)}  ${r.text}`);
  for (const f of d.flags) {
    const raised = referrals.find((r) => r.code === f.code);
    const open = d.openReferrals.find((r) => r.reason === f.text);
    const where = raised ? `referral ${raised.id} to ${raised.toWhom}` : open ? `already open as referral ${open.id}` : 'a referral on the same finding is already open';
    cli.io.out(`${c.red(f.stop ? 'Stop and refer' : 'Refer; hold progression')}: ${f.text} (${where})`);
  }
  for (const r of d.openReferrals) if (!d.flags.some((f) => f.text === r.reason)) cli.io.out(c.yellow(`Open referral ${r.id}: ${r.reason}`));
  // Flagged on the entry and in the report; no referral (decisions before progress-1.3.0 have none).
  for (const w of d.warnings ?? []) cli.io.out(`${c.yellow('Warning')}: ${w.text} (${w.source})`);
  const advice = { progress: c.green('progress'), repeat: 'repeat this level', reduce: c.yellow('reduce'), rest: c.red('rest') }[d.advice.advice];
  cli.io.out(d.today === 'hold' ? `Next: once the hold is resolved, ${d.advice.advice === 'repeat' ? 'repeat this level' : advice}` : `Next: ${advice}`);
  // Which rule decided, and on what source: the reasons that decided come first.
  for (const r of d.advice.reasons) cli.io.out(`  - ${r.text}${r.source && r.source !== 'bridgefit' ? ` [${r.source}]` : ''}`);
}

/** `--clear` takes a field's flag name (without the dashes) or measure:CODE[.side]. */
function checkClear(names: readonly string[]): string[] {
  for (const n of names) {
    if (n in CLEARABLE || /^measure:[a-z0-9_]+(\.(left|right))?$/.test(n)) continue;
    throw new UsageError(`--clear: no field "${n}"; give one of ${Object.keys(CLEARABLE).join(', ')}, or measure:CODE[.side] (e.g. measure:knee_flexion.left)`);
  }
  return [...names];
}

/** The fields an amend's flags (or its prompts' answers, as flags) set and clear. */
function amendmentFrom(o: FieldOptions & { nextDayPain?: string; attended?: boolean }, clear: string[]): { set: Record<string, unknown>; clear: string[]; empty: boolean } {
  const set = inputFromFlags(o);
  const pain = num('--next-day-pain', o.nextDayPain);
  if (pain !== undefined) set.nextDayPain = pain;
  if (o.attended) {
    if (o.missed !== undefined) throw new UsageError('--attended and --missed say opposite things; give one');
    set.attended = true;
  }
  return { set, clear, empty: Object.keys(set).length === 0 && clear.length === 0 };
}

export const amend = command({
  define: (c) =>
    entryFields(
      c
        .argument('<client>', 'id or name fragment')
        .option('--entry <id>', 'which entry (default: the latest); "progress list" shows the ids')
        .option('--next-day-pain <0-10>', 'pain or stiffness the next morning')
        .option('--attended', 'the session did take place (it was recorded as missed)'),
    )
      .option('--clear <field>', 'remove a value: a field flag without its dashes (pain-during, bp, glucose, soreness, symptom, did, note, …) or measure:CODE[.side] (repeatable)', repeat)
      .addHelpText(
        'after',
        `\nA value given replaces the stored one (a --measure or --score replaces that measure and side, a --did that exercise; --symptom gives the whole list).\nThe entry is decided again, and so is every later entry whose decision the change alters; every earlier value is kept ("bridgefit history").\n` +
          examples(
            'bridgefit progress amend zoe --next-day-pain 4',
            'bridgefit progress amend 12 --entry 57 --pain-during 3 --measure knee_flexion.right=102',
            'bridgefit progress amend 12 --entry 57 --date 2026-11-19',
            'bridgefit progress amend 12 --entry 57 --clear bp --did leg_press=3x12@35kg',
          ),
      ),
  async run(cli, opts, [selector]) {
    if (opts.entry !== undefined && !/^\d+$/.test(opts.entry)) throw new UsageError(`--entry: expected an entry id (a number), got "${opts.entry}"`);
    const entryId = opts.entry === undefined ? undefined : Number(opts.entry);
    const given = amendmentFrom(opts, checkClear(opts.clear ?? []));
    const asking = given.empty && cli.prompt.available;
    if (given.empty && !asking) throw new UsageError('nothing to amend: give the fields to change (e.g. --next-day-pain 4, --pain-during 3, --note "…") or --clear FIELD; at a terminal, with none, it asks');
    const { client, result } = await cli.withStore(async (store) => {
      const client = await resolveClient(store, selector);
      let change = given;
      if (asking) {
        // No field flags at a terminal: ask, with the entry's current values filled in.
        const entry = await entryToAmend(store, client, entryId);
        if (!entry) throw new NotFoundError(entryId === undefined ? `no entries for ${fullName(client)} yet` : `no entry ${entryId} for ${fullName(client)} (or it is voided)`);
        const { askAmendment } = await import('../amend-prompts.js');
        const answers = await askAmendment(cli, entry, await glucoseUnit(store));
        change = amendmentFrom(answers.flags as typeof opts, checkClear(answers.clear));
      }
      // Always the library: the entry (or a later one decided again) may hold an exercise the plan did not, judged against the limits.
      const library = (await checkExerciseIds(cli, change.set.exercises as { exerciseId: string }[] | undefined, () => '--did')) ?? (await (await import('../templates.js')).loadForUse(cli));
      const amendment = { ...(entryId !== undefined ? { entryId } : {}), set: change.set, clear: change.clear, name: (p: string) => flagFor(p, change.set) };
      return { client, result: await amendEntry(store, client, amendment, cli.ctx(), library, loadRulesFor(cli)) };
    });
    if (cli.io.json) {
      cli.io.printJson({ entryId: result.entry.id, nextDayPain: result.entry.nextDayPain ?? null, changes: result.changes, decision: result.decision, redecided: result.redecided, referrals: result.referrals, noLongerWarranted: result.unwarranted.map((r) => ({ id: r.id, code: r.code, reason: r.reason })), nextLoads: result.nextLoads ?? [] });
      return;
    }
    cli.io.info(`Amended entry ${result.entry.id} (${result.entry.date}) for ${fullName(client)}; the earlier values are kept ("bridgefit history ${client.id}").`);
    for (const ch of result.changes) cli.io.out(`  ${fieldLabel(ch.field)}: ${describeValue(ch.field, ch.old)} → ${describeValue(ch.field, ch.now)}`);
    printDecision(cli, result.decision!, result.referrals.filter((r) => result.decision!.flags.some((f) => f.code === r.code)));
    printCorrection(cli, result);
    printNextLoads(cli, result.nextLoads ?? []);
  },
});

export const voidEntryCommand = command({
  define: (c) =>
    c
      .argument('<client>', 'id or name fragment')
      .requiredOption('--entry <id>', 'which entry; "progress list" shows the ids')
      .requiredOption('--reason <text>', 'why it does not count (kept with the entry)')
      .addHelpText(
        'after',
        `\nA voided entry leaves every figure (adherence, trends, criteria, summary, report charts) and every later decision, and stays in the history and the audit log, struck through.\n` +
          examples('bridgefit progress void zoe --entry 57 --reason "recorded for the wrong client"', 'bridgefit progress void 12 --entry 60 --reason "duplicate of entry 59"'),
      ),
  async run(cli, opts, [selector]) {
    if (!/^\d+$/.test(opts.entry)) throw new UsageError(`--entry: expected an entry id (a number), got "${opts.entry}"`);
    const reason = opts.reason.trim();
    if (reason === '') throw new UsageError('--reason: say why the entry does not count');
    if (hasControlCharacters(reason, 'line') || reason.length > 500) throw new UsageError(`--reason: ${reason.length > 500 ? 'at most 500 characters' : controlCharactersMessage('the reason', 'line')}`);
    const { client, result } = await cli.withStore(async (store) => {
      const client = await resolveClient(store, selector);
      return { client, result: await voidEntry(store, client, Number(opts.entry), reason, cli.ctx()) };
    });
    if (cli.io.json) {
      cli.io.printJson({ entryId: result.entry.id, voided: result.entry.voided, redecided: result.redecided, referrals: result.referrals, noLongerWarranted: result.unwarranted.map((r) => ({ id: r.id, code: r.code, reason: r.reason })) });
      return;
    }
    cli.io.info(`Voided entry ${result.entry.id} (${result.entry.date}) for ${fullName(client)}: it counts in nothing now, and stays in the history.`);
    printCorrection(cli, result);
  },
});

/** What else a correction changed: later decisions, referrals raised, referrals whose finding is gone. */
function printCorrection(cli: Cli, result: Correction): void {
  const { c } = cli.io;
  for (const r of result.redecided) {
    const was = r.from ? `${r.from.today === 'hold' ? 'held, ' : ''}${adviceCell(r.from)}` : '-';
    const now = `${r.to.today === 'hold' ? 'held, ' : ''}${adviceCell(r.to)}`;
    cli.io.out(`Decided again: entry ${r.entryId} (${r.date}): ${was === now ? `${now} (its reasons changed: ${r.to.advice.reasons[0]?.text ?? 'see progress list'})` : `${was} → ${now}`}`);
    for (const f of r.to.flags) {
      const raised = result.referrals.find((x) => x.code === f.code);
      if (raised) cli.io.out(`  ${c.red('Refer')}: ${f.text} (referral ${raised.id} to ${raised.toWhom})`);
    }
  }
  for (const r of result.unwarranted) {
    cli.io.out(c.yellow(`Referral ${r.id} (${r.reason}) is still open, and the corrected record no longer shows its finding: resolve it with "bridgefit referral resolve ${r.id} --note …" if the clinician agrees`));
  }
}

export const list = command({
  define: (c) =>
    c
      .argument('<client>', 'id or name fragment')
      .option('--since <when>', 'a date (YYYY-MM-DD) or a span: 7d, 4w, 3m')
      .addOption(formatOption())
      .addHelpText(
        'after',
        examples('bridgefit progress list zoe', 'bridgefit progress list 12 --since 4w --json', 'bridgefit progress list zoe --format csv > zoe-sessions.csv', 'bridgefit progress list zoe --format tsv | cut -f3,9,11'),
      ),
  async run(cli, opts, [selector]) {
    const format = chosenFormat(cli, opts.format);
    const since = opts.since === undefined ? undefined : sinceFlag(opts.since, cli.today());
    const entries = await cli.withStore(async (store) => listSessions(store, await resolveClient(store, selector), since), READ);
    // Effusion is shown by the grade's name, never the stored number (1+ is stored as 2).
    const shown = (m: StoredEntry['measures'][number]) => (m.code === 'effusion_grade' ? effusionLabel(m.value) : String(m.value));
    if (format === 'json') {
      // Scripts keep the stored number in "value" and get the grade's name beside it.
      cli.io.printJson(entries.map((e) => (e.measures.some((m) => m.code === 'effusion_grade') ? { ...e, measures: e.measures.map((m) => (m.code === 'effusion_grade' ? { ...m, grade: shown(m) } : m)) } : e)));
      return;
    }
    const measureList = (e: StoredEntry) => e.measures.map((m) => `${m.code}${m.side ? `.${m.side}` : ''}=${shown(m)}`);
    if (format === 'csv' || format === 'tsv') {
      await printDelimited(cli, format, ENTRY_COLUMNS, entries.map((e) => entryRow(e, measureList(e).join(';'))));
      return;
    }
    const v = (n: number | undefined) => (n === undefined ? '-' : String(n));
    cli.io.table(
      ['ID', 'DATE', 'STAGE', 'ATTENDED', 'PAIN B/D/A/NEXT', 'RPE', 'BP', 'MEASURES', 'ADVICE'],
      entries.map((e) => [
        String(e.id),
        e.date,
        v(e.stage),
        e.voided ? `VOID: ${e.voided.reason}` : e.attended ? 'yes' : `no: ${e.missedReason ?? ''}`,
        `${v(e.painBefore)}/${v(e.painDuring)}/${v(e.painAfter)}/${v(e.nextDayPain)}`,
        e.rpe ? `${e.rpe.value}${e.rpe.scale === 'borg' ? '/20' : '/10'}` : '-',
        e.vitals.bp ? `${e.vitals.bp.systolic}/${e.vitals.bp.diastolic}${e.vitals.bpRecheck ? ` → ${e.vitals.bpRecheck.systolic}/${e.vitals.bpRecheck.diastolic}` : ''}` : '-',
        measureList(e).join(' ') || '-',
        adviceCell(e.decision as SessionDecision | null),
      ]),
    );
  },
});

/** The codes of what was flagged on the entry (referrals, then warnings). */
function flaggedCodes(d: SessionDecision | null): string[] {
  return [...(d?.flags ?? []).map((f) => f.code), ...(d?.warnings ?? []).map((w) => w.code)];
}

/** The advice, and the codes of what was flagged on the entry. */
function adviceCell(d: SessionDecision | null): string {
  const advice = d?.advice?.advice ?? '-';
  const flagged = flaggedCodes(d);
  return flagged.length ? `${advice} (flagged: ${flagged.join(', ')})` : advice;
}

/**
 * The CSV and TSV columns of `progress list`, in order (documented in the
 * README): each is the JSON field of that path; the lists are one cell each,
 * and `advice` and `flagged` are read from the entry's decision.
 */
export const ENTRY_COLUMNS = [
  'id', 'clientId', 'date', 'stage', 'programId', 'attended', 'missedReason', 'durationMin', 'painBefore', 'painDuring', 'painAfter', 'nextDayPain',
  'rpe.value', 'rpe.scale', 'vitals.bp.systolic', 'vitals.bp.diastolic', 'vitals.restingHr', 'vitals.glucose.value', 'vitals.glucose.unit', 'vitals.ketones',
  'vitals.weakOrTired', 'vitals.severeHypoLast24h', 'vitals.unwell', 'soreness', 'measures', 'symptoms', 'exercises', 'notes', 'advice', 'flagged', 'recordedAt',
  'voided.at', 'voided.reason', 'vitals.bpRecheck.systolic', 'vitals.bpRecheck.diastolic', 'vitals.glucoseRecheck.value', 'vitals.glucoseRecheck.unit',
] as const;

function entryRow(e: StoredEntry, measures: string): CsvValue[] {
  const d = e.decision as SessionDecision | null;
  const cells: Record<(typeof ENTRY_COLUMNS)[number], CsvValue> = {
    id: e.id,
    clientId: e.clientId,
    date: e.date,
    stage: e.stage,
    programId: e.programId,
    attended: e.attended,
    missedReason: e.missedReason,
    durationMin: e.durationMin,
    painBefore: e.painBefore,
    painDuring: e.painDuring,
    painAfter: e.painAfter,
    nextDayPain: e.nextDayPain,
    'rpe.value': e.rpe?.value,
    'rpe.scale': e.rpe?.scale,
    'vitals.bp.systolic': e.vitals.bp?.systolic,
    'vitals.bp.diastolic': e.vitals.bp?.diastolic,
    'vitals.restingHr': e.vitals.restingHr,
    'vitals.glucose.value': e.vitals.glucose?.value,
    'vitals.glucose.unit': e.vitals.glucose?.unit,
    'vitals.ketones': e.vitals.ketones,
    'vitals.weakOrTired': e.vitals.weakOrTired,
    'vitals.severeHypoLast24h': e.vitals.severeHypoLast24h,
    'vitals.unwell': e.vitals.unwell,
    soreness: e.soreness,
    measures,
    symptoms: e.symptoms.join(';'),
    exercises: e.exercises.map((x) => (x.completed ? x.exerciseId : `${x.exerciseId} (not completed)`)).join(';'),
    notes: e.notes,
    advice: d?.advice?.advice,
    flagged: flaggedCodes(d).join(';'),
    recordedAt: e.recordedAt,
    'voided.at': e.voided?.at,
    'voided.reason': e.voided?.reason,
    'vitals.bpRecheck.systolic': e.vitals.bpRecheck?.systolic,
    'vitals.bpRecheck.diastolic': e.vitals.bpRecheck?.diastolic,
    'vitals.glucoseRecheck.value': e.vitals.glucoseRecheck?.value,
    'vitals.glucoseRecheck.unit': e.vitals.glucoseRecheck?.unit,
  };
  return ENTRY_COLUMNS.map((c) => cells[c]);
}

export const importEntries = command({
  define: (c) => c.argument('<file>', 'a CSV file ("-" for stdin); columns in the README').addHelpText('after', examples('bridgefit progress import sessions.csv', 'cat sessions.csv | bridgefit progress import -')),
  async run(cli, _opts, [source]) {
    const text = await readSource(cli.io, source, 'progress import', 'csv');
    // Loaded here: the CSV parser is 55 KB that `progress add` and the other progress commands need not compile.
    const { importSessions } = await import('../../app/import-sessions.js');
    // At a terminal, a bar for each pass: every row is checked before anything is written.
    let bar: ReturnType<typeof cli.io.progressBar> | undefined;
    let phase: 'check' | 'write' | undefined;
    const progress = (now: 'check' | 'write', done: number, total: number) => {
      if (now !== phase) {
        bar?.done();
        bar = cli.io.progressBar(total, now === 'check' ? 'Checking rows' : 'Importing');
        phase = now;
      }
      bar!.update(done);
    };
    const rulesOf = loadRulesFor(cli);
    const ctx = cli.ctx();
    let result;
    try {
      result = await cli.withStore(async (store) => {
        const imported = await importSessions(store, text, source, ctx, progress);
        // The next loads are read after the import's transaction, reading only, and for a
        // trainer's batch: an import of more clients is a catch-up, not a list to read.
        if (imported.clients > IMPORT_LOADS_CLIENTS) return { ...imported, loads: null };
        try {
          return { ...imported, loads: await clientsNextLoads(store.db, imported.imported, ctx.today, rulesOf) };
        } catch (err) {
          // The entries are saved: a failure to read what comes next must not look like a failed import.
          cli.io.warn(`the entries are imported, but the next loads could not be read (${messageFor(err)}); see them with: bridgefit program status <client>`);
          return { ...imported, loads: [] };
        }
      });
    } finally {
      bar?.done();
    }
    if (cli.io.json) {
      cli.io.printJson({
        imported: result.entries,
        clients: result.clients,
        held: result.held,
        referralsRaised: result.raised.map((r) => ({ id: r.id, client: r.client, reason: r.reason })),
        nextLoads: result.loads && result.loads.map((c) => ({ clientId: c.clientId, client: fullName(c.client), loads: c.loads })),
      });
      return;
    }
    cli.io.info(`Imported ${result.entries} entries for ${result.clients} client(s).`);
    for (const h of result.held) cli.io.out(`Held: ${h.client}, ${h.date}: ${h.why}`);
    for (const r of result.raised) cli.io.out(`Referral ${r.id}: ${r.client}: ${r.reason}`);
    if (result.loads === null) cli.io.info(`Next loads are listed for up to ${IMPORT_LOADS_CLIENTS} clients; for one of these ${result.clients}: bridgefit program status <client>`);
    else for (const c of result.loads) printNextLoads(cli, c.loads, `${fullName(c.client)}: `);
  },
});

/** How many clients an import lists the next loads of (one line per loaded exercise); past it, one line says where to see them. */
const IMPORT_LOADS_CLIENTS = 25;
