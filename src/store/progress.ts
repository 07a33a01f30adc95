import type { Referral } from '../domain/referral.js';
import type { Kysely, Selectable } from 'kysely';
import type { FieldChange } from '../domain/entry-edit.js';
import type { GeneratedProgram } from '../domain/program.js';
import type { ProgressEntry, RecordedMeasure, RpeScale, Soreness, Transition } from '../domain/progress-types.js';
import type { SymptomCode } from '../domain/symptoms.js';
import type { GlucoseUnit } from '../domain/vitals.js';
import { AuditWriter, recordAudit } from './audit.js';
import { insertStatement, type InsertStatement } from './batch.js';
import type { WriteContext } from './clients.js';
import { stageColumns } from './programs.js';
import type { Database, ProgressEntriesTable, ReferralsTable } from './schema.js';
import { readJson } from './json.js';

/** A new entry: everything but the id the store gives it. */
export type NewEntry = Omit<ProgressEntry, 'id'> & { programId: number | null };

export interface StoredEntry extends ProgressEntry {
  programId: number | null;
  recordedAt: string;
  decision: unknown;
  /** Set on an entry voided (progress void): it stays in the history, and counts in nothing. */
  voided?: { at: string; reason: string; by: string | null };
}

const bool = (v: boolean | undefined) => (v === undefined ? null : v ? 1 : 0);

/**
 * An entry's own columns, the one mapping both the insert and an amendment
 * write (client_id and recorded_at are the insert's alone). `json` writes the
 * symptom and exercise lists: the writer shares the text of frozen plans.
 */
function entryColumns(e: NewEntry, json: (value: object) => string) {
  return {
    program_id: e.programId,
    stage: e.stage ?? null,
    session_date: e.date,
    attended: e.attended ? 1 : 0,
    missed_reason: e.missedReason ?? null,
    duration_min: e.durationMin ?? null,
    pain_before: e.painBefore ?? null,
    pain_during: e.painDuring ?? null,
    pain_after: e.painAfter ?? null,
    next_day_pain: e.nextDayPain ?? null,
    rpe: e.rpe?.value ?? null,
    rpe_scale: e.rpe?.scale ?? null,
    bp_systolic: e.vitals.bp?.systolic ?? null,
    bp_diastolic: e.vitals.bp?.diastolic ?? null,
    resting_hr: e.vitals.restingHr ?? null,
    glucose_value: e.vitals.glucose?.value ?? null,
    glucose_unit: e.vitals.glucose?.unit ?? null,
    ketones: bool(e.vitals.ketones),
    soreness: e.soreness ?? null,
    symptoms: json(e.symptoms),
    exercises: json(e.exercises),
    notes: e.notes ?? null,
    weak_or_tired: bool(e.vitals.weakOrTired),
    severe_hypo: bool(e.vitals.severeHypoLast24h),
    unwell: bool(e.vitals.unwell),
    bp_recheck_systolic: e.vitals.bpRecheck?.systolic ?? null,
    bp_recheck_diastolic: e.vitals.bpRecheck?.diastolic ?? null,
    glucose_recheck_value: e.vitals.glucoseRecheck?.value ?? null,
    glucose_recheck_unit: e.vitals.glucoseRecheck?.unit ?? null,
  };
}

const ENTRY_COLUMNS = [
  'client_id', 'program_id', 'stage', 'session_date', 'recorded_at', 'attended', 'missed_reason', 'duration_min', 'pain_before', 'pain_during', 'pain_after',
  'next_day_pain', 'rpe', 'rpe_scale', 'bp_systolic', 'bp_diastolic', 'resting_hr', 'glucose_value', 'glucose_unit', 'ketones', 'soreness', 'symptoms',
  'exercises', 'notes', 'decision', 'weak_or_tired', 'severe_hypo', 'unwell', 'bp_recheck_systolic', 'bp_recheck_diastolic', 'glucose_recheck_value', 'glucose_recheck_unit',
] as const;
const MEASURE_COLUMNS = ['entry_id', 'client_id', 'session_date', 'code', 'side', 'value'] as const;

/**
 * Writes entries, each with its measures and audit row, through statements
 * compiled once: make one per transaction and call `insert` for each entry
 * (an import writes a million).
 */
export class EntryWriter {
  private readonly entry: InsertStatement<'progress_entries', (typeof ENTRY_COLUMNS)[number]>;
  private readonly measure: InsertStatement<'measurements', (typeof MEASURE_COLUMNS)[number]>;
  private readonly audit: AuditWriter;
  /**
   * JSON of frozen values shared by many entries (a stage's plan), made once.
   * Only for values frozen all the way down, as SessionRecorder's plans are: a
   * frozen list of objects that could still change would be written stale.
   */
  private readonly shared = new WeakMap<object, string>();

  constructor(db: Kysely<Database>) {
    this.entry = insertStatement(db, 'progress_entries', ENTRY_COLUMNS, { returningId: true });
    this.measure = insertStatement(db, 'measurements', MEASURE_COLUMNS);
    this.audit = new AuditWriter(db);
  }

  private json(value: object): string {
    if (Array.isArray(value) && value.length === 0) return '[]';
    if (!Object.isFrozen(value)) return JSON.stringify(value);
    let text = this.shared.get(value);
    if (text === undefined) this.shared.set(value, (text = JSON.stringify(value)));
    return text;
  }

  async insert(e: NewEntry, decision: unknown, ctx: WriteContext): Promise<number> {
    const { rows } = await this.entry({
      ...entryColumns(e, (v) => this.json(v)),
      client_id: e.clientId,
      recorded_at: ctx.now,
      decision: JSON.stringify(decision),
    });
    const id = rows[0]!.id;
    for (const m of e.measures) {
      await this.measure({ entry_id: id, client_id: e.clientId, session_date: e.date, code: m.code, side: m.side ?? null, value: m.value });
    }
    await this.audit.record({ command: ctx.command, action: 'progress.create', entity: 'progress_entry', entityId: id, clientId: e.clientId }, ctx.now);
    return id;
  }
}

/** One entry with its measures and audit row (a batch makes one EntryWriter and reuses it). */
export async function insertEntry(db: Kysely<Database>, e: NewEntry, decision: unknown, ctx: WriteContext): Promise<number> {
  return new EntryWriter(db).insert(e, decision, ctx);
}

function toEntry(r: Selectable<ProgressEntriesTable>, measures: RecordedMeasure[]): StoredEntry {
  const e: StoredEntry = {
    id: r.id,
    clientId: r.client_id,
    programId: r.program_id,
    date: r.session_date,
    recordedAt: r.recorded_at,
    attended: r.attended === 1,
    vitals: {},
    measures,
    symptoms: readJson(r.symptoms, 'progress_entries', 'symptoms', r.id) as SymptomCode[],
    exercises: readJson(r.exercises, 'progress_entries', 'exercises', r.id) as ProgressEntry['exercises'],
    decision: readJson(r.decision, 'progress_entries', 'decision', r.id),
  };
  if (r.stage !== null) e.stage = r.stage;
  if (r.missed_reason !== null) e.missedReason = r.missed_reason;
  if (r.duration_min !== null) e.durationMin = r.duration_min;
  if (r.pain_before !== null) e.painBefore = r.pain_before;
  if (r.pain_during !== null) e.painDuring = r.pain_during;
  if (r.pain_after !== null) e.painAfter = r.pain_after;
  if (r.next_day_pain !== null) e.nextDayPain = r.next_day_pain;
  if (r.rpe !== null) e.rpe = { value: r.rpe, scale: (r.rpe_scale ?? 'cr10') as RpeScale };
  if (r.bp_systolic !== null && r.bp_diastolic !== null) e.vitals.bp = { systolic: r.bp_systolic, diastolic: r.bp_diastolic };
  if (r.resting_hr !== null) e.vitals.restingHr = r.resting_hr;
  if (r.glucose_value !== null) e.vitals.glucose = { value: r.glucose_value, unit: (r.glucose_unit ?? 'mmol/L') as GlucoseUnit };
  if (r.ketones !== null) e.vitals.ketones = r.ketones === 1;
  if (r.weak_or_tired !== null) e.vitals.weakOrTired = r.weak_or_tired === 1;
  if (r.severe_hypo !== null) e.vitals.severeHypoLast24h = r.severe_hypo === 1;
  if (r.unwell !== null) e.vitals.unwell = r.unwell === 1;
  if (r.bp_recheck_systolic !== null && r.bp_recheck_diastolic !== null) e.vitals.bpRecheck = { systolic: r.bp_recheck_systolic, diastolic: r.bp_recheck_diastolic };
  if (r.glucose_recheck_value !== null) e.vitals.glucoseRecheck = { value: r.glucose_recheck_value, unit: (r.glucose_recheck_unit ?? 'mmol/L') as GlucoseUnit };
  if (r.soreness !== null) e.soreness = r.soreness as Soreness;
  if (r.notes !== null) e.notes = r.notes;
  if (r.voided_at !== null) e.voided = { at: r.voided_at, reason: r.void_reason ?? '', by: r.voided_by };
  return e;
}

/**
 * A client's entries on or after `since` (all when not given), oldest first,
 * with their measures. Voided entries count in nothing, so they are left out
 * unless `voided` is 'include' (the history, the list, the report's log).
 */
export async function listEntries(db: Kysely<Database>, clientId: number, since?: string, voided: 'exclude' | 'include' = 'exclude'): Promise<StoredEntry[]> {
  let q = db.selectFrom('progress_entries').selectAll().where('client_id', '=', clientId);
  if (since) q = q.where('session_date', '>=', since);
  if (voided === 'exclude') q = q.where('voided_at', 'is', null);
  const rows = await q.orderBy('session_date').orderBy('id').execute();
  if (rows.length === 0) return [];
  let mq = db.selectFrom('measurements').select(['entry_id', 'code', 'side', 'value']).where('client_id', '=', clientId);
  if (since) mq = mq.where('session_date', '>=', since);
  const byEntry = new Map<number, RecordedMeasure[]>();
  for (const m of await mq.orderBy('id').execute()) {
    const list = byEntry.get(m.entry_id) ?? [];
    list.push({ code: m.code as RecordedMeasure['code'], ...(m.side ? { side: m.side as 'left' | 'right' } : {}), value: m.value });
    byEntry.set(m.entry_id, list);
  }
  return rows.map((r) => toEntry(r, byEntry.get(r.id) ?? []));
}

/** The days a client has entries on (an import's check for a file imported twice reads only these). */
export async function listEntryDates(db: Kysely<Database>, clientId: number): Promise<string[]> {
  const rows = await db.selectFrom('progress_entries').select('session_date').where('client_id', '=', clientId).where('voided_at', 'is', null).execute();
  return rows.map((r) => r.session_date);
}

/**
 * Write an entry's new values over the old (`next` is the whole entry as it is
 * now), with its decision, keeping every earlier value in entry_amendments with
 * when, the command and who. The measures are written again when they changed.
 */
export async function updateEntry(db: Kysely<Database>, next: StoredEntry, decision: unknown, changes: readonly FieldChange[], who: string | null, ctx: WriteContext): Promise<void> {
  if (changes.length === 0) return;
  await db
    .updateTable('progress_entries')
    .set({ ...entryColumns(next, (v) => JSON.stringify(v)), decision: JSON.stringify(decision) })
    .where('id', '=', next.id)
    .execute();
  if (changes.some((c) => c.field === 'measures' || c.field === 'date')) {
    await db.deleteFrom('measurements').where('entry_id', '=', next.id).execute();
    for (const m of next.measures) {
      await db.insertInto('measurements').values({ entry_id: next.id, client_id: next.clientId, session_date: next.date, code: m.code, side: m.side ?? null, value: m.value }).execute();
    }
  }
  await db
    .insertInto('entry_amendments')
    .values(changes.map((r) => ({ entry_id: next.id, at: ctx.now, command: ctx.command, field: r.field, old_value: JSON.stringify(r.old ?? null), new_value: JSON.stringify(r.now ?? null), changed_by: who })))
    .execute();
  await recordAudit(db, { command: ctx.command, action: 'progress.amend', entity: 'progress_entry', entityId: next.id, clientId: next.clientId, detail: Object.fromEntries(changes.map((r) => [r.field, { from: r.old ?? null, to: r.now ?? null }])) }, ctx.now);
}

/** Void an entry: kept, with when, why and who, and left out of every figure from now on. */
export async function voidEntry(db: Kysely<Database>, entry: StoredEntry, reason: string, who: string | null, ctx: WriteContext): Promise<void> {
  await db.updateTable('progress_entries').set({ voided_at: ctx.now, void_reason: reason, voided_by: who }).where('id', '=', entry.id).where('voided_at', 'is', null).execute();
  await recordAudit(db, { command: ctx.command, action: 'progress.void', entity: 'progress_entry', entityId: entry.id, clientId: entry.clientId, detail: { date: entry.date, reason, by: who } }, ctx.now);
}

export async function listAmendments(db: Kysely<Database>, entryId: number) {
  return db.selectFrom('entry_amendments').selectAll().where('entry_id', '=', entryId).orderBy('id').execute();
}

export async function replaceDecision(db: Kysely<Database>, entryId: number, decision: unknown): Promise<void> {
  await db.updateTable('progress_entries').set({ decision: JSON.stringify(decision) }).where('id', '=', entryId).execute();
}

// --- Referrals ---

export type { Referral } from '../domain/referral.js';

export async function raiseReferral(
  db: Kysely<Database>,
  r: { clientId: number; entryId: number | null; raisedOn: string; code: string; reason: string; toWhom: string },
  ctx: WriteContext,
): Promise<number> {
  const row = await db
    .insertInto('referrals')
    .values({ client_id: r.clientId, entry_id: r.entryId, raised_on: r.raisedOn, code: r.code, reason: r.reason, to_whom: r.toWhom, status: 'open', resolved_on: null, resolution_note: null, resolved_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(db, { command: ctx.command, action: 'referral.raise', entity: 'referral', entityId: row.id, clientId: r.clientId, detail: { code: r.code } }, ctx.now);
  return row.id;
}

export async function listReferrals(db: Kysely<Database>, filter: { clientId?: number; openOnly?: boolean } = {}): Promise<Referral[]> {
  let q = db.selectFrom('referrals').selectAll();
  if (filter.clientId !== undefined) q = q.where('client_id', '=', filter.clientId);
  if (filter.openOnly) q = q.where('status', '=', 'open');
  return (await q.orderBy('id').execute()).map(toReferral);
}

export async function getReferral(db: Kysely<Database>, id: number): Promise<Referral | undefined> {
  const row = await db.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toReferral(row);
}

function toReferral(r: Selectable<ReferralsTable>): Referral {
  return {
    id: r.id,
    clientId: r.client_id,
    entryId: r.entry_id,
    raisedOn: r.raised_on,
    code: r.code,
    reason: r.reason,
    toWhom: r.to_whom,
    status: r.status as Referral['status'],
    resolvedOn: r.resolved_on,
    resolutionNote: r.resolution_note,
    resolvedBy: r.resolved_by ?? null,
  };
}

/** Close a referral: the day, what was said, and who resolved it (null when not known). */
export async function resolveReferral(db: Kysely<Database>, referral: Referral, note: string, on: string, ctx: WriteContext, by: string | null = null): Promise<void> {
  await db.updateTable('referrals').set({ status: 'resolved', resolved_on: on, resolution_note: note, resolved_by: by }).where('id', '=', referral.id).execute();
  await recordAudit(db, { command: ctx.command, action: 'referral.resolve', entity: 'referral', entityId: referral.id, clientId: referral.clientId, detail: by ? { note, by } : { note } }, ctx.now);
}

// --- Stages ---

/** A sign-off as stored: the role, who (name, profession; null before schema 8), the day given and when it was entered. */
export interface StoredSignoff {
  by: 'trainer' | 'clinician';
  date: string;
  name: string | null;
  profession: string | null;
  note: string | null;
  recordedAt: string | null;
}

export async function recordSignoff(
  db: Kysely<Database>,
  s: { programId: number; stage: number; by: 'trainer' | 'clinician'; on: string; name: string | null; profession: string | null; note: string | null; recordedAt: string | null },
): Promise<void> {
  await db
    .insertInto('signoffs')
    .values({ program_id: s.programId, stage: s.stage, by: s.by, on_date: s.on, note: s.note, signed_by: s.name, profession: s.profession, recorded_at: s.recordedAt })
    .execute();
}

export async function listSignoffs(db: Kysely<Database>, programId: number, stage: number): Promise<StoredSignoff[]> {
  const rows = await db.selectFrom('signoffs').select(['by', 'on_date', 'signed_by', 'profession', 'note', 'recorded_at']).where('program_id', '=', programId).where('stage', '=', stage).orderBy('id').execute();
  return rows.map((r) => ({ by: r.by as 'trainer' | 'clinician', date: r.on_date, name: r.signed_by, profession: r.profession, note: r.note, recordedAt: r.recorded_at }));
}

/**
 * Move a program to its next stage and keep the evidence; never between. The
 * stage's name and plan come from the program's own snapshot, read in the same
 * transaction, never from the caller.
 */
export async function advanceStage(
  db: Kysely<Database>,
  t: { programId: number; clientId: number; from: number; to: number; on: string; forced: boolean; reason: string | null; evidence: unknown },
  ctx: WriteContext,
): Promise<void> {
  const { snapshot } = await db.selectFrom('programs').select('snapshot').where('id', '=', t.programId).executeTakeFirstOrThrow();
  await db
    .insertInto('stage_transitions')
    .values({ program_id: t.programId, client_id: t.clientId, on_date: t.on, from_stage: t.from, to_stage: t.to, forced: t.forced ? 1 : 0, reason: t.reason, evidence: JSON.stringify(t.evidence) })
    .execute();
  await db
    .updateTable('programs')
    .set({ current_stage: t.to, stage_started_on: t.on, ...stageColumns(readJson(snapshot, 'programs', 'snapshot', t.programId) as GeneratedProgram, t.to) })
    .where('id', '=', t.programId)
    .execute();
  await recordAudit(db, { command: ctx.command, action: 'program.advance', entity: 'program', entityId: t.programId, clientId: t.clientId, detail: { from: t.from, to: t.to, forced: t.forced, reason: t.reason } }, ctx.now);
}

export type { Transition } from '../domain/progress-types.js';

/** The days any of a client's programs changed stage (replaced programs included), oldest first. */
export async function listStageChangeDays(db: Kysely<Database>, clientId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('stage_transitions')
    .select('on_date')
    .where('program_id', 'in', (eb) => eb.selectFrom('programs').select('id').where('client_id', '=', clientId))
    .orderBy('on_date')
    .execute();
  return rows.map((r) => r.on_date);
}

/** A program's stage changes, oldest first. */
export async function listTransitions(db: Kysely<Database>, programId: number): Promise<Transition[]> {
  const rows = await db.selectFrom('stage_transitions').selectAll().where('program_id', '=', programId).orderBy('id').execute();
  return rows.map((r) => ({ onDate: r.on_date, from: r.from_stage, to: r.to_stage, forced: r.forced === 1, reason: r.reason, evidence: readJson(r.evidence, 'stage_transitions', 'evidence', r.id) }));
}

/** Who made each amendment of a client's entries (schema 9 on), by entry and moment: the history names them. */
export async function listAmendmentAuthors(db: Kysely<Database>, clientId: number): Promise<{ entryId: number; at: string; by: string | null }[]> {
  const rows = await db
    .selectFrom('entry_amendments as a')
    .innerJoin('progress_entries as e', 'e.id', 'a.entry_id')
    .select(['a.entry_id', 'a.at', 'a.changed_by'])
    .where('e.client_id', '=', clientId)
    .groupBy(['a.entry_id', 'a.at', 'a.changed_by'])
    .execute();
  return rows.map((r) => ({ entryId: r.entry_id, at: r.at, by: r.changed_by }));
}
