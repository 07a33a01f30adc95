/**
 * Recording a session: the one path `progress add`, `progress import` and the
 * demo share. For one client it keeps what the rules need between sessions
 * (the earlier entries in date order, the referrals) so a batch is decided
 * exactly as the same sessions added one by one, each as of its own day.
 */
import type { Kysely } from 'kysely';
import { fullName, type Client } from '../domain/client.js';
import type { Store } from '../store/store.js';
import { UserError } from './errors.js';
import type { ProgressCheck } from '../domain/progress-input.js';
import type { ExerciseDone, ProgressEntry } from '../domain/progress-types.js';
import { contextOn, decideSession, heldAsNotTrained, stageOn, type ClientFacts, type SessionContext, type SessionDecision, type StageChange } from '../domain/session.js';
import { listClearances } from '../store/clearances.js';
import { activeProgram, getProgram, listProgramStarts, programBefore, type StoredProgram } from '../store/programs.js';
import { EntryWriter, listEntries, listReferrals, listStageChangeDays, listTransitions, type StoredEntry } from '../store/progress.js';
import type { Database } from '../store/schema.js';
import { resolveSettings } from '../domain/settings.js';
import type { Restriction } from '../domain/clearance.js';
import { combineLimits, exercisesNotAllowed } from '../domain/limits.js';
import type { Exercise, Overlay } from '../domain/template-schema.js';
import { listIntakes } from '../store/intakes.js';
import { getStoredSettings } from '../store/meta.js';
import type { RaisedReferral } from '../domain/referral.js';
import type { Ctx } from './context.js';
import { ReferralWriter } from './raise-referrals.js';
import { nextLoadsOf, stageHasLoads, withLoadRules, type LoadSuggestion } from './next-loads.js';
import type { LoadRulesOf } from './fits.js';

export type CheckedEntry = (ProgressCheck & { ok: true })['entry'];

/** What judging an exercise done against the program's limits needs: the library's exercises and overlays. */
export interface ExerciseLibrary {
  exercises: ReadonlyMap<string, Exercise>;
  overlays: ReadonlyMap<string, Overlay>;
}

export interface RecordedSession {
  id: number;
  entry: ProgressEntry;
  decision: SessionDecision;
  referrals: RaisedReferral[];
}

/** `progress add`'s result: the session, and the next session's suggested loads in the current stage. */
export interface AddedSession extends RecordedSession {
  nextLoads: LoadSuggestion[];
}

export class SessionRecorder {
  private constructor(
    private readonly db: Kysely<Database>,
    private readonly client: Client,
    private readonly previous: StoredEntry[],
    /** What the rules read about the client (amend and void decide with the same). */
    readonly facts: ClientFacts,
    private readonly program: StoredProgram | undefined,
    /** When each of the client's programs started, oldest first (the active one among them). */
    private readonly starts: { id: number; startDate: string }[],
    private readonly writer: EntryWriter,
    /** The one writer of the client's referrals in this transaction. */
    readonly referrals: ReferralWriter,
    /** The exercises and overlays, to judge an exercise done that the plan did not have (none: not judged). */
    private readonly library?: ExerciseLibrary,
  ) {}

  /** Exercises done that the day's plan did not have and the program's limits forbid (domain/limits.ts). */
  notAllowed(done: readonly ExerciseDone[], inForce: { program: StoredProgram; stage: number }, restrictions: readonly Restriction[]): { exerciseId: string; why: string[] }[] {
    if (!this.library || done.length === 0) return [];
    const planned = new Set(inForce.program.program.stages[inForce.stage - 1]?.exercises.map((x) => x.exerciseId) ?? []);
    if (done.every((x) => planned.has(x.exerciseId))) return [];
    const overlays = inForce.program.program.overlays.map((o) => this.library!.overlays.get(o.id)).filter((o): o is Overlay => o !== undefined);
    return exercisesNotAllowed(done, planned, this.library.exercises, combineLimits(restrictions, overlays));
  }

  private readonly plans = new Map<string, ExerciseDone[]>();
  /** Programs since replaced, with their stage changes (replacedProgram). */
  private readonly replaced = new Map<number, { program: StoredProgram; changes: StageChange[] }>();

  /**
   * Read what the rules need about `client`, inside the caller's transaction.
   * A batch of many clients passes one `writer` for the whole transaction.
   */
  static async for(db: Kysely<Database>, client: Client, writer = new EntryWriter(db), library?: ExerciseLibrary): Promise<SessionRecorder> {
    const previous = await listEntries(db, client.id);
    // Only the active program's snapshot is read (each is tens of KB of JSON); a replaced one when needed.
    const program = await activeProgram(db, client.id);
    const starts = await listProgramStarts(db, client.id);
    const facts = await clientFacts(db, client, { program });
    // The referrals the rules see are the ones the writer appends to: the next session of a batch sees each raised open.
    return new SessionRecorder(db, client, previous, facts, program, starts, writer, new ReferralWriter(db, client.id, facts.referrals), library);
  }

  /**
   * The next session's suggested loads in the active program's current stage,
   * from the entries as recorded so far (domain/load-progression.ts), and the
   * clearance in force on `today`. None without a program, or when no
   * exercise of the stage has a load rule.
   */
  async nextLoads(today: string, rulesOf?: LoadRulesOf): Promise<LoadSuggestion[]> {
    if (!this.program) return [];
    // A program generated before load rules were kept: its template's (`rulesOf`).
    const program = await withLoadRules(this.program, rulesOf);
    if (!stageHasLoads(program)) return [];
    return nextLoadsOf(program, this.previous, this.facts.clearances ?? [], this.facts.settings, today);
  }

  /** The client's entries that count (not voided), in date order, as the rules see them. */
  get entries(): readonly StoredEntry[] {
    return this.previous;
  }

  /** The entry already recorded for the client on `date`, if any: one entry a day. */
  sameDay(date: string): StoredEntry | undefined {
    return this.previous.find((e) => e.date === date);
  }

  /**
   * Decide and store one session, and raise a referral for each new flag.
   * Without exercises, an attended session did the plan of its day's stage.
   */
  async record(input: CheckedEntry, ctx: Ctx): Promise<RecordedSession> {
    // The program and stage the client was in on the session's day (an older session: an
    // earlier stage, or the program since replaced; before any program, none).
    const inForce = await this.programOn(input.date);
    const stage = inForce?.program.program.stages[inForce.stage - 1];
    const plan = input.attended && inForce && stage ? this.planOf(inForce.program.id, inForce.stage, stage) : [];
    const exercises = input.exercises ? withPlannedDose(input.exercises, plan) : plan;
    // One object per session: decided, written, then kept as the client's history
    // (an import makes a million, so it is not copied at each step).
    const draft = sessionEntry(input, exercises, inForce?.stage, this.client.id, inForce?.program.id ?? null, ctx.now);
    // The rules see the sessions up to this day, oldest first; a session dated before
    // some already recorded (paper records caught up) sees only those before it.
    const at = this.positionAfter(draft.date);
    const before = at === this.previous.length ? this.previous : this.previous.slice(0, at);
    const rules = contextOn(this.facts, before, draft.date);
    if (!inForce) rules.noProgram = true;
    else {
      rules.program = programRules(inForce.program, inForce.stage);
      const notAllowed = this.notAllowed(draft.exercises, inForce, rules.restrictions ?? []);
      if (notAllowed.length) rules.notAllowed = notAllowed;
    }
    const decision = decideSession(draft, before, rules);
    const entry = heldAsNotTrained(draft, decision);
    entry.id = await this.writer.insert(entry, decision, ctx);
    entry.decision = decision;
    // Kept in date order, so the next session of the batch sees its own past only.
    this.previous.splice(at, 0, entry);
    const id = entry.id;

    // A flag already referred is not referred twice (domain/referrals.ts alreadyReferred).
    const referrals = await this.referrals.raise(decision.flags.map((f) => ({ code: f.code, reason: f.text })), { date: entry.date, entryId: id }, ctx);
    return { id, entry, decision, referrals };
  }

  /**
   * The exercises of an attended session that names none: the stage's plan, done.
   * One frozen list per stage, shared by every such session (and its JSON with it).
   */
  planOf(programId: number, stageNumber: number, stage: StoredProgram['program']['stages'][number]): ExerciseDone[] {
    const key = `${programId} ${stageNumber}`;
    let done = this.plans.get(key);
    if (!done) {
      done = Object.freeze(stage.exercises.map((x) => Object.freeze({ exerciseId: x.exerciseId, sets: x.dose.sets, ...(x.dose.reps ? { reps: x.dose.reps } : {}), completed: true }))) as ExerciseDone[];
      this.plans.set(key, done);
    }
    return done;
  }

  /**
   * The program in force on `date` and its stage that day: of the programs
   * started by then, the one generated last (a program generated later replaces
   * the one before from its own start on, even when that one starts later). A
   * session before the first program's start has none: it is recorded without
   * a stage, and no plan is taken as done.
   */
  async programOn(date: string): Promise<{ program: StoredProgram; stage: number } | undefined> {
    let id: number | undefined;
    for (const s of this.starts) if (s.startDate <= date) id = s.id; // oldest first
    if (id === undefined) return undefined;
    const { program, changes } = id === this.program?.id ? { program: this.program, changes: this.facts.stageChanges } : await this.replacedProgram(id);
    // A stage reached under a replaced program with more stages is the last of this one's (as generated).
    return { program, stage: Math.min(stageOn({ stageChanges: changes }, date, program.currentStage), program.program.stages.length) };
  }

  /** A program since replaced, with its stage changes: read once, when an older session falls in it. */
  private async replacedProgram(id: number): Promise<{ program: StoredProgram; changes: StageChange[] }> {
    let old = this.replaced.get(id);
    if (!old) {
      const program = (await getProgram(this.db, id))!;
      old = { program, changes: await programStageChanges(this.db, program) };
      this.replaced.set(id, old);
    }
    return old;
  }

  /** Where an entry on `date` goes in `previous` (date order): after every entry on or before that day. */
  private positionAfter(date: string): number {
    let lo = 0;
    let hi = this.previous.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.previous[mid]!.date <= date) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** An exercise given as done with no numbers (`--did heel_slide=done`) did the plan's dose, when the plan has it. */
export function withPlannedDose(done: ExerciseDone[], plan: readonly ExerciseDone[]): ExerciseDone[] {
  if (!done.some((x) => x.completed && x.sets === undefined && x.reps === undefined && x.seconds === undefined)) return done;
  return done.map((x) => {
    if (!x.completed || x.sets !== undefined || x.reps !== undefined || x.seconds !== undefined) return x;
    const planned = plan.find((p) => p.exerciseId === x.exerciseId);
    return planned ? { ...planned, ...(x.loadKg !== undefined ? { loadKg: x.loadKg } : {}) } : x;
  });
}

/**
 * The entry to decide and store: the checked input with the exercises done and
 * the stage. Copied field by field rather than spread: checked inputs come in
 * many shapes (only the fields given); spreading them takes V8's slow path and
 * leaves slow objects behind for the rules to read: a quarter of an import's
 * time. test/unit/session-entry.test.ts checks that every field arrives.
 */
export function sessionEntry(
  input: CheckedEntry,
  exercises: ExerciseDone[],
  stage: number | undefined,
  clientId: number,
  programId: number | null,
  recordedAt: string,
): StoredEntry {
  const e: StoredEntry = { id: 0, clientId, programId, date: input.date, recordedAt, attended: input.attended, vitals: input.vitals, measures: input.measures, symptoms: input.symptoms, exercises, decision: null };
  if (stage !== undefined) e.stage = stage;
  else if (input.stage !== undefined) e.stage = input.stage;
  if (input.missedReason !== undefined) e.missedReason = input.missedReason;
  if (input.durationMin !== undefined) e.durationMin = input.durationMin;
  if (input.painBefore !== undefined) e.painBefore = input.painBefore;
  if (input.painDuring !== undefined) e.painDuring = input.painDuring;
  if (input.painAfter !== undefined) e.painAfter = input.painAfter;
  if (input.nextDayPain !== undefined) e.nextDayPain = input.nextDayPain;
  if (input.rpe !== undefined) e.rpe = input.rpe;
  if (input.soreness !== undefined) e.soreness = input.soreness;
  if (input.notes !== undefined) e.notes = input.notes;
  return e;
}

/**
 * Read what the session rules need about the client, in the same transaction:
 * every intake, settings, referrals, the program's stage changes.
 */
export async function clientFacts(
  db: Kysely<Database>,
  client: Client,
  /** The active program when the caller has already read it (its snapshot is large to parse twice). */
  known?: { program: StoredProgram | undefined },
): Promise<ClientFacts> {
  // Every intake, so an older session is decided with the conditions and medications of its day.
  const intakes = (await listIntakes(db, client.id)).map((i) => ({ on: i.date, conditions: i.answers.conditions, medications: i.answers.medications }));
  const settings = resolveSettings(await getStoredSettings(db));
  const referrals = await listReferrals(db, { clientId: client.id });
  const clearances = (await listClearances(db, client.id)).map((c) => ({ id: c.id, issuedOn: c.issuedOn, status: c.status, restrictions: c.restrictions }));
  const program = known ? known.program : await activeProgram(db, client.id);
  const stageChanges = program ? await programStageChanges(db, program) : [];
  const stageChangeDays = [...new Set([...(await listStageChangeDays(db, client.id)), ...stageChanges.map((c) => c.on)])].sort();
  return { intakes, settings, referrals, stageChanges, stageChangeDays, clearances };
}

/**
 * The stage changes behind `program`'s stages, by day (the same day keeps the
 * order they happened in; sort is stable): its own advances and, for a program
 * that continued at the stage reached under the one it replaced (same
 * template), that one's, so an older session finds the stage it was in. When
 * nothing tells how the current stage was reached, the day it began.
 */
async function programStageChanges(db: Kysely<Database>, program: StoredProgram): Promise<StageChange[]> {
  const changes: StageChange[] = (await listTransitions(db, program.id)).map((t) => ({ on: t.onDate, from: t.from, to: t.to }));
  if (program.program.explanations.some((e) => e.code === 'continues_at_stage')) {
    const replaced = await programBefore(db, program);
    if (replaced && replaced.program.templateId === program.program.templateId) changes.unshift(...(await programStageChanges(db, replaced)));
  }
  if (program.currentStage > 1 && changes.length === 0) changes.push({ on: program.stageStartedOn, to: program.currentStage });
  return changes.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
}

/** What the session rules read of the program in force: its template and the stage's planned effort (session-safety.ts). */
export function programRules(program: StoredProgram, stage: number | undefined): NonNullable<SessionContext['program']> {
  const planned = stage !== undefined ? program.program.stages[stage - 1] : undefined;
  return { templateId: program.program.templateId, ...(planned ? { stage: { number: planned.number, exercises: planned.exercises } } : {}) };
}

/** One entry a day, as import enforces: a second would count the day twice. */
export function sameDayError(client: Client, date: string, twinId: number): UserError {
  return new UserError(`${fullName(client)} already has an entry on ${date} (entry ${twinId}); change it with "bridgefit progress amend ${client.id} --entry ${twinId}"`);
}

/** The client's entry on `date`, if any (checked before the prompts ask for a session in vain). */
export async function entryOnDay(store: Store, client: Client, date: string): Promise<StoredEntry | undefined> {
  return (await listEntries(store.db, client.id, date)).find((e) => e.date === date);
}

/**
 * `progress add`: decide and store one session in one transaction, with the
 * referrals its flags raise. Refused when the client already has an entry that
 * day (checked again at save time: another may have been saved while the prompts were open).
 */
export async function recordSession(store: Store, client: Client, input: CheckedEntry, ctx: Ctx, library?: ExerciseLibrary, rulesOf?: LoadRulesOf): Promise<AddedSession> {
  return store.write(async (tx) => {
    const recorder = await SessionRecorder.for(tx, client, undefined, library);
    const twin = recorder.sameDay(input.date);
    if (twin) throw sameDayError(client, input.date, twin.id);
    const recorded = await recorder.record(input, ctx);
    return { ...recorded, nextLoads: await recorder.nextLoads(ctx.today, rulesOf) };
  });
}
