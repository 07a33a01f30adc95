/**
 * Correcting the record: `progress amend` (any field of an entry) and
 * `progress void` (an entry that should not count). Every earlier value is
 * kept with when and who. The entry is decided again, and so is every later
 * entry whose decision the change alters (the rules read the sessions before
 * each one: a pain trend, effort rising, the last progression); what changed
 * is returned, and a referral raised or no longer warranted is reported,
 * never dropped.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import { fullName, type Client } from '../domain/client.js';
import { applyEdit, changedFields, entryAsInput, wasHeld, type EntryEdit, type FieldChange } from '../domain/entry-edit.js';
import { checkProgressInput } from '../domain/progress-input.js';
import { actingSettings, glucoseUnitIn } from './settings.js';
import type { DatedReferral, RaisedReferral } from '../domain/referral.js';
import { contextOn, decideSession, heldAsNotTrained, type SessionDecision } from '../domain/session.js';
import { resolveSettings, resolveTrainer } from '../domain/settings.js';
import { getStoredSettings } from '../store/meta.js';
import { activeProgram, getProgram, type StoredProgram } from '../store/programs.js';
import { listEntries, replaceDecision, updateEntry, voidEntry as storeVoid, type StoredEntry } from '../store/progress.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { Ctx } from './context.js';
import { InputError, NotFoundError, UsageError } from './errors.js';
import { programRules, SessionRecorder, withPlannedDose, type ExerciseLibrary } from './record-session.js';
import { nextLoads, type LoadSuggestion } from './next-loads.js';
import type { LoadRulesOf } from './fits.js';

export interface Amendment extends EntryEdit {
  /** Which entry; the latest when not given. */
  entryId?: number;
  /** How a problem's field is named to the person who typed it (a flag); the input's path when not given. */
  name?: (path: string) => string;
}

/** A later entry whose decision the change altered. */
export interface Redecided {
  entryId: number;
  date: string;
  from: SessionDecision | null;
  to: SessionDecision;
}

export interface Correction {
  entry: StoredEntry;
  /** The amended entry's changes, field by field (none for a void). */
  changes: FieldChange[];
  /** The amended entry's new decision (none for a void). */
  decision: SessionDecision | null;
  /** Later entries decided differently because of the change, in date order. */
  redecided: Redecided[];
  /** Referrals raised by the new decisions. */
  referrals: RaisedReferral[];
  /** Open referrals whose finding the changed entries no longer show: for the trainer to resolve, or keep. */
  unwarranted: DatedReferral[];
  /** After an amend: the next session's suggested loads in the current stage (a next-morning pain often decides them). */
  nextLoads?: LoadSuggestion[];
}

const byDay = (a: { date: string; id: number }, b: { date: string; id: number }) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id);

/** Who makes a change: the trainer's name from the settings (in a clinic, the member's own name), when given. */
async function who(store: Store, db: Kysely<Database>): Promise<string | null> {
  return resolveTrainer(await actingSettings(store, db))['trainer.name'] || null;
}

function pick(entries: readonly StoredEntry[], client: Client, entryId: number | undefined): StoredEntry {
  const entry = entryId === undefined ? entries.at(-1) : entries.find((e) => e.id === entryId);
  if (!entry) throw new NotFoundError(entryId === undefined ? `no entries for ${fullName(client)} yet` : `no entry ${entryId} for ${fullName(client)} (or it is voided)`);
  return entry;
}

/**
 * Change any field of an entry. The changes are laid over the entry as stored
 * and checked by the same rules as a new entry; an amendment that changes
 * nothing is refused.
 */
export async function amendEntry(store: Store, client: Client, amendment: Amendment, ctx: Ctx, library?: ExerciseLibrary, rulesOf?: LoadRulesOf): Promise<Correction> {
  return store.write(async (tx) => {
    const recorder = await SessionRecorder.for(tx, client, undefined, library);
    const old = pick(recorder.entries, client, amendment.entryId);
    const input = applyEdit(entryAsInput(old, old.decision), amendment);
    const checked = checkProgressInput(input, { today: ctx.today, dateOfBirth: client.dateOfBirth, glucoseUnit: await glucoseUnitIn(tx) });
    if (!checked.ok) {
      const lines = checked.problems.map((p) => `${amendment.name?.(p.path) ?? p.path}: ${p.message}`);
      if (lines.length === 1) throw new UsageError(`entry ${old.id}: ${lines[0]}; nothing was changed`);
      throw new InputError(`entry ${old.id}: ${lines.length} problem(s); nothing was changed`, lines);
    }
    const c = checked.entry;
    const twin = recorder.entries.find((e) => e.id !== old.id && e.date === c.date);
    if (twin) throw new UsageError(`${fullName(client)} already has an entry on ${c.date} (entry ${twin.id}); one entry a day; nothing was changed`);
    // The program and stage of the (perhaps corrected) day; an attended session that names no exercises did that stage's plan.
    const inForce = c.date === old.date ? undefined : await recorder.programOn(c.date);
    const programId = c.date === old.date ? old.programId : (inForce?.program.id ?? null);
    const stage = c.date === old.date ? old.stage : inForce?.stage;
    const next: StoredEntry = { ...old, ...c, vitals: c.vitals, programId, exercises: c.exercises ?? [], decision: old.decision };
    for (const k of ['missedReason', 'durationMin', 'painBefore', 'painDuring', 'painAfter', 'nextDayPain', 'rpe', 'soreness', 'notes'] as const) if (c[k] === undefined) delete next[k];
    if (stage === undefined) delete next.stage;
    else next.stage = stage;
    const program = programId === null ? undefined : await getProgram(tx, programId);
    const planned = program && next.stage !== undefined ? program.program.stages[next.stage - 1] : undefined;
    const plan = program && planned && next.attended ? recorder.planOf(program.id, next.stage!, planned) : [];
    next.exercises = c.exercises ? withPlannedDose(c.exercises, plan) : [...plan];
    const after = recorder.entries.map((e) => (e.id === old.id ? next : e)).sort(byDay);
    const result = await redecide(tx, recorder, { old, next }, after, ctx, await who(store, tx));
    // The entries as now decided, read back in the same transaction: the 24-hour response often decides the next load.
    const active = await activeProgram(tx, client.id);
    const loads = active ? await nextLoads(tx, active, await listEntries(tx, client.id), resolveSettings(await getStoredSettings(tx)), ctx.today, rulesOf) : [];
    return { ...result, nextLoads: loads };
  });
}

/** Void an entry: it stays in the history (and the audit), and counts in no figure and no decision. */
export async function voidEntry(store: Store, client: Client, entryId: number, reason: string, ctx: Ctx): Promise<Correction> {
  return store.write(async (tx) => {
    const all = await listEntries(tx, client.id, undefined, 'include');
    const target = all.find((e) => e.id === entryId);
    if (!target) throw new NotFoundError(`no entry ${entryId} for ${fullName(client)}`);
    if (target.voided) throw new UsageError(`entry ${entryId} was voided on ${target.voided.at.slice(0, 10)} (${target.voided.reason}); nothing was changed`);
    const recorder = await SessionRecorder.for(tx, client);
    const by = await who(store, tx);
    await storeVoid(tx, target, reason, by, ctx);
    const after = recorder.entries.filter((e) => e.id !== entryId);
    const result = await redecide(tx, recorder, { old: target, next: null }, after, ctx, by);
    // The voided entry's own open referrals: its finding is no longer on record.
    const own = recorder.referrals.known.filter((r) => r.entryId === entryId && r.status === 'open' && !result.unwarranted.includes(r));
    return { ...result, entry: { ...target, voided: { at: ctx.now, reason, by } }, unwarranted: [...own, ...result.unwarranted] };
  });
}

/**
 * Decide again the changed entry (when it still counts) and every entry after
 * it. A later entry is given a new decision only when the change alters it:
 * it is decided on the history before the change and on the history after,
 * with the same facts, and only a difference counts (a rule or a clearance
 * changed since is not this change's, and that entry keeps what it was told).
 */
async function redecide(
  tx: Kysely<Database>,
  recorder: SessionRecorder,
  change: { old: StoredEntry; next: StoredEntry | null },
  after: StoredEntry[],
  ctx: Ctx,
  /** Who makes the change (see `who`), recorded with each amendment. */
  who_: string | null,
): Promise<Correction> {
  const facts = recorder.facts;
  const before = recorder.entries;
  const programs = new Map<number, StoredProgram | undefined>();
  const programOf = async (id: number | null) => {
    if (id === null) return undefined;
    if (!programs.has(id)) programs.set(id, await getProgram(tx, id));
    return programs.get(id);
  };
  /** The entry as it was before any hold (a held session is decided as attended) and what the rules decide of it. */
  const decide = async (e: StoredEntry, history: readonly StoredEntry[]) => {
    const program = await programOf(e.programId);
    const held = wasHeld(e, e.decision);
    let base = e;
    if (held) {
      base = { ...e, attended: true, exercises: [] };
      delete base.missedReason;
      const planned = program && e.stage !== undefined ? program.program.stages[e.stage - 1] : undefined;
      if (program && planned) base.exercises = [...recorder.planOf(program.id, e.stage!, planned)];
    }
    const rules = contextOn(facts, history, e.date);
    if (!program) rules.noProgram = true;
    else {
      rules.program = programRules(program, e.stage);
      const notAllowed = e.stage === undefined ? [] : recorder.notAllowed(base.exercises, { program, stage: e.stage }, rules.restrictions ?? []);
      if (notAllowed.length) rules.notAllowed = notAllowed;
    }
    const decision = decideSession(base, history, rules);
    return { base, decision };
  };
  const earlier = (list: readonly StoredEntry[], e: StoredEntry) => list.filter((x) => x.id !== e.id && byDay(x, e) < 0);

  const from = change.next && byDay(change.next, change.old) < 0 ? change.next : change.old;
  const result: Correction = { entry: change.next ?? change.old, changes: [], decision: null, redecided: [], referrals: [], unwarranted: [] };
  for (let i = 0; i < after.length; i++) {
    const e = after[i]!;
    if (byDay(e, from) < 0 && e.id !== change.next?.id) continue;
    const history = after.slice(0, i);
    let now = await decide(e, history);
    const isTarget = e.id === change.next?.id;
    const stored = isTarget ? change.old : e;
    const then = await decide(stored, earlier(before, stored));
    if (isDeepStrictEqual(then.decision, now.decision)) {
      if (!isTarget) continue;
      // The change alters no rule's answer (a note, a typo in a field no rule reads): the entry keeps the decision it was given.
      now = { base: now.base, decision: stored.decision as SessionDecision };
    }
    // Held again or no longer: the entry says so (kept as not trained, FACTS §1, §3).
    const settled = { ...heldAsNotTrained(now.base, now.decision), decision: now.decision };
    const changes = changedFields(stored, settled);
    // The values given may be the stored ones in another form ("150/95" for a stored reading): nothing to amend.
    if (isTarget && changes.length === 0) throw new UsageError(`entry ${e.id}: nothing would change (the values given are the ones stored)`);
    if (changes.length > 0) await updateEntry(tx, settled, now.decision, changes, who_, ctx);
    else await replaceDecision(tx, e.id, now.decision);
    after[i] = settled;
    if (isTarget) {
      result.entry = settled;
      result.changes = changes;
      result.decision = now.decision;
    } else {
      result.redecided.push({ entryId: e.id, date: e.date, from: (e.decision as SessionDecision | null) ?? null, to: now.decision });
    }
    result.referrals.push(...(await recorder.referrals.raise(now.decision.flags.map((f) => ({ code: f.code, reason: f.text })), { date: e.date, entryId: e.id }, ctx)));
    // A referral this entry raised whose finding it no longer shows.
    for (const r of recorder.referrals.known) {
      if (r.entryId === e.id && r.status === 'open' && !now.decision.flags.some((f) => f.code === r.code) && !result.unwarranted.includes(r)) result.unwarranted.push(r);
    }
  }
  return result;
}
