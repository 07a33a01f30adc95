import type { Kysely } from 'kysely';
import { fullName } from '../domain/client.js';
import { ValidationError } from '../domain/errors.js';
import { SCORE_CODES, checkProgressInput, parseDecimal, parseMeasureFlag, recordsSomething } from '../domain/progress-input.js';
import { effusionLabel } from '../domain/progress-rules.js';
import { contextOn, decideSession, type SessionDecision } from '../domain/session.js';
import { intakeInForce } from '../store/intakes.js';
import { activeProgram } from '../store/programs.js';
import { amendEntry, listEntries, listReferrals, raiseReferral, replaceDecision, type StoredEntry } from '../store/progress.js';
import type { Database } from '../store/schema.js';
import { READ, type App } from './app.js';
import { InputError, NotFoundError, UsageError, UserError } from './errors.js';
import { parseJson, readSource } from './input.js';
import { SessionRecorder, clientFacts, clinicianInForce } from './record-session.js';
import { referralFor } from '../domain/referrals.js';
import { resolveClient } from './resolve.js';
import { sinceFlag } from './since.js';

interface AddOptions {
  from?: string;
  date?: string;
  missed?: string;
  duration?: string;
  painBefore?: string;
  painDuring?: string;
  painAfter?: string;
  rpe?: string;
  rpeScale?: string;
  bp?: string;
  hr?: string;
  glucose?: string;
  ketones?: string;
  soreness?: string;
  weak?: boolean;
  severeHypo24h?: boolean;
  unwell?: boolean;
  measure?: string[];
  score?: string[];
  symptom?: string[];
  note?: string;
}

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
  restingHr: '--hr',
  glucose: '--glucose',
  ketones: '--ketones',
  soreness: '--soreness',
  measures: '--measure',
  symptoms: '--symptom',
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

/** One entry a day, as import enforces: a second would count the day twice. */
function sameDayError(client: { id: number; firstName: string; lastName: string }, date: string, twinId: number): UserError {
  return new UserError(`${fullName(client)} already has an entry on ${date} (entry ${twinId}); change it with "bridgefit progress amend ${client.id} --entry ${twinId}"`);
}

/** Flags → the same object a --from file holds. */
function inputFromFlags(o: AddOptions): Record<string, unknown> {
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
  set('notes', o.note);
  return raw;
}

function flagMeasure(text: string, flag: '--measure' | '--score') {
  try {
    return parseMeasureFlag(text, flag);
  } catch (err) {
    if (err instanceof ValidationError) throw new UsageError(`${flag}: ${err.message}`);
    throw err;
  }
}

/** `bridgefit progress add <client>` */
export async function add(app: App, opts: AddOptions, args: string[]): Promise<void> {
  const today = app.today();
  await app.withStore(async (store) => {
    const client = await resolveClient(store, args[0]!);
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
      raw = parseJson(await readSource(app.io, opts.from, '--from'), source);
    } else if (hasContent(flagged)) {
      raw = flagged;
    } else if (app.prompt.available) {
      // Only --date (or nothing): ask. The day is checked first, so no answers are asked for in vain.
      const date = checkDay(opts.date);
      const twin = (await listEntries(store.db, client.id, date)).find((e) => e.date === date);
      if (twin) throw sameDayError(client, date, twin.id);
      const { askEntry, confirmEntry } = await import('./progress-prompts.js');
      source = 'prompts';
      const side = (await intakeInForce(store.db, client.id, today))?.answers.conditions.find((c) => c.side === 'left' || c.side === 'right')?.side as 'left' | 'right' | undefined;
      raw = await askEntry(app, client, await activeProgram(store.db, client.id), side);
      if (opts.date !== undefined) (raw as Record<string, unknown>).date = opts.date;
      if (hasContent(raw as Record<string, unknown>)) await confirmEntry(app, raw as Record<string, unknown>);
    } else {
      checkDay(opts.date);
      const why = app.io.isStdinTTY && app.io.isStdoutTTY ? 'prompts are off (--no-input)' : 'there is no terminal to ask on';
      throw new UsageError(`nothing to record${opts.date !== undefined ? ` on ${opts.date}` : ''}: ${NOTHING_TO_RECORD}; ${why}`);
    }
    const checked = checkProgressInput(raw, { today, dateOfBirth: client.dateOfBirth });
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
    const result = await store.write(async (tx) => {
      const recorder = await SessionRecorder.for(tx, client, today);
      const twin = recorder.sameDay(checked.entry.date);
      // Checked again at save time: another entry may have been saved while the prompts were open.
      if (twin) throw sameDayError(client, checked.entry.date, twin.id);
      return recorder.record(checked.entry, app.writeContext());
    });
    if (app.io.json) {
      app.io.printJson({ entryId: result.id, clientId: client.id, date: result.entry.date, decision: result.decision, referrals: result.referrals });
      return;
    }
    const kind = result.decision.today === 'hold' ? 'held session (not trained)' : result.entry.attended ? 'session' : 'missed session';
    app.io.info(`Recorded ${kind} ${result.id} for ${fullName(client)} (${result.entry.date}).`);
    printDecision(app, result.decision, result.referrals);
  });
}

/** Refer each flag of an amended entry's new decision, unless a referral on it is open now or was open on the entry's day (as the recorder does). */
async function raiseFlags(
  db: Kysely<Database>,
  clientId: number,
  entryId: number,
  date: string,
  decision: SessionDecision,
  today: string,
  ctx: { command: string; now: string },
  openThen: readonly { code: string }[],
) {
  const all = await listReferrals(db, { clientId });
  // Not again: a flag open now or on the entry's day, one this entry already raised (even if resolved
  // since), or one referred on a later day (a clinician has seen the client for it since).
  const covered = (code: string) =>
    all.some((r) => r.code === code && (r.status === 'open' || r.entryId === entryId || r.raisedOn > date)) || openThen.some((r) => r.code === code);
  const clinician = await clinicianInForce(db, clientId, today);
  const raised: { id: number; code: string; reason: string; toWhom: string }[] = [];
  for (const f of decision.flags) {
    if (covered(f.code) || raised.some((r) => r.code === f.code)) continue;
    const toWhom = referralFor(f.code, clinician);
    const id = await raiseReferral(db, { clientId, entryId, raisedOn: date, code: f.code, reason: f.text, toWhom }, ctx);
    raised.push({ id, code: f.code, reason: f.text, toWhom });
  }
  return raised;
}

export function printDecision(app: App, d: SessionDecision, referrals: { id: number; code: string; reason: string; toWhom: string }[]): void {
  const { c } = app.io;
  if (d.today === 'hold') app.io.out(c.red(c.bold('HOLD: no session today (recorded as not trained)')));
  for (const r of d.checks) app.io.out(`  ${r.severity === 'caution' ? c.yellow('caution') : c.red(r.severity)}  ${r.text}`);
  for (const f of d.flags) {
    const raised = referrals.find((r) => r.code === f.code);
    const open = d.openReferrals.find((r) => r.reason === f.text);
    const where = raised ? `referral ${raised.id} to ${raised.toWhom}` : open ? `already open as referral ${open.id}` : 'a referral on the same finding is already open';
    app.io.out(`${c.red(f.stop ? 'Stop and refer' : 'Refer; hold progression')}: ${f.text} (${where})`);
  }
  for (const r of d.openReferrals) if (!d.flags.some((f) => f.text === r.reason)) app.io.out(c.yellow(`Open referral ${r.id}: ${r.reason}`));
  const advice = { progress: c.green('progress'), repeat: 'repeat this level', reduce: c.yellow('reduce'), rest: c.red('rest') }[d.advice.advice];
  app.io.out(d.today === 'hold' ? `Next: once the hold is resolved, ${d.advice.advice === 'repeat' ? 'repeat this level' : advice}` : `Next: ${advice}`);
  for (const r of d.advice.reasons) app.io.out(`  - ${r.text}`);
}

/** `bridgefit progress amend <client> [--entry id] --next-day-pain n [--note text]` */
export async function amend(app: App, opts: { entry?: string; nextDayPain?: string; note?: string }, args: string[]): Promise<void> {
  const today = app.today();
  const pain = num('--next-day-pain', opts.nextDayPain);
  if (pain !== undefined && !(Number.isInteger(pain) && pain >= 0 && pain <= 10)) throw new UsageError(`--next-day-pain must be a whole number 0–10, got "${opts.nextDayPain}"`);
  if (pain === undefined && opts.note === undefined) throw new UsageError('nothing to amend: give --next-day-pain 0–10 or --note');
  if (opts.entry !== undefined && !/^\d+$/.test(opts.entry)) throw new UsageError(`--entry: expected an entry id (a number), got "${opts.entry}"`);
  await app.withStore(async (store) => {
    const client = await resolveClient(store, args[0]!);
    const result = await store.write(async (tx) => {
      const entries = await listEntries(tx, client.id);
      const entry = opts.entry === undefined ? entries.at(-1) : entries.find((e) => e.id === Number(opts.entry));
      if (!entry) throw new NotFoundError(opts.entry === undefined ? `no entries for ${fullName(client)} yet` : `no entry ${opts.entry} for ${fullName(client)}`);
      if (!entry.attended && pain !== undefined) throw new UsageError(`entry ${entry.id} (${entry.date}) is a session that did not take place (${entry.missedReason ?? 'missed'}); next-morning pain does not apply`);
      await amendEntry(tx, entry, { ...(pain !== undefined ? { nextDayPain: pain } : {}), ...(opts.note !== undefined ? { notes: opts.note } : {}) }, app.writeContext());
      const updated: StoredEntry = { ...entry, ...(pain !== undefined ? { nextDayPain: pain } : {}), ...(opts.note !== undefined ? { notes: opts.note } : {}) };
      // A note changes no rule's input: the decision stays as made (a held session stays held).
      if (pain === undefined) return { entry: updated, decision: entry.decision as SessionDecision, referrals: [] };
      // Next-morning pain changes the advice and can raise a flag (FACTS §4): decide again.
      const previous = entries.filter((e) => e.id !== entry.id && (e.date < entry.date || (e.date === entry.date && e.id < entry.id)));
      const facts = await clientFacts(tx, client);
      const context = contextOn(facts, previous, entry.date);
      if (entry.programId === null) context.noProgram = true;
      const decision = decideSession(updated, previous, context);
      await replaceDecision(tx, entry.id, decision);
      const referrals = await raiseFlags(tx, client.id, entry.id, entry.date, decision, today, app.writeContext(), context.openReferrals ?? []);
      return { entry: updated, decision, referrals };
    });
    if (app.io.json) {
      app.io.printJson({ entryId: result.entry.id, nextDayPain: result.entry.nextDayPain ?? null, decision: result.decision, referrals: result.referrals });
      return;
    }
    app.io.info(`Amended entry ${result.entry.id} (${result.entry.date}) for ${fullName(client)}; the earlier values are kept.`);
    printDecision(app, result.decision, result.referrals);
  });
}

/** `bridgefit progress list <client> [--since date]` */
export async function list(app: App, opts: { since?: string }, args: string[]): Promise<void> {
  const since = opts.since === undefined ? undefined : sinceFlag(opts.since, app.today());
  const { entries } = await app.withStore(async (store) => {
    const client = await resolveClient(store, args[0]!);
    return { entries: await listEntries(store.db, client.id, since) };
  }, READ);
  // Effusion is shown by the grade's name, never the stored number (1+ is stored as 2).
  const shown = (m: StoredEntry['measures'][number]) => (m.code === 'effusion_grade' ? effusionLabel(m.value) : String(m.value));
  if (app.io.json) {
    // Scripts keep the stored number in "value" and get the grade's name beside it.
    app.io.printJson(entries.map((e) => (e.measures.some((m) => m.code === 'effusion_grade') ? { ...e, measures: e.measures.map((m) => (m.code === 'effusion_grade' ? { ...m, grade: shown(m) } : m)) } : e)));
    return;
  }
  const v = (n: number | undefined) => (n === undefined ? '-' : String(n));
  app.io.table(
    ['ID', 'DATE', 'STAGE', 'ATTENDED', 'PAIN B/D/A/NEXT', 'RPE', 'BP', 'MEASURES', 'ADVICE'],
    entries.map((e) => [
      String(e.id),
      e.date,
      v(e.stage),
      e.attended ? 'yes' : `no: ${e.missedReason ?? ''}`,
      `${v(e.painBefore)}/${v(e.painDuring)}/${v(e.painAfter)}/${v(e.nextDayPain)}`,
      e.rpe ? `${e.rpe.value}${e.rpe.scale === 'borg' ? '/20' : '/10'}` : '-',
      e.vitals.bp ? `${e.vitals.bp.systolic}/${e.vitals.bp.diastolic}` : '-',
      e.measures.map((m) => `${m.code}${m.side ? `.${m.side}` : ''}=${shown(m)}`).join(' ') || '-',
      (e.decision as SessionDecision).advice?.advice ?? '-',
    ]),
  );
}

/** --since as the first day to include; a usage error names the flag (in since.ts, re-exported). */
export { sinceFlag };
