/** A client's session entries, as stored (oldest first). */
import type { Client } from '../domain/client.js';
import type { Side } from '../domain/conditions.js';
import { outcomesDue, type OutcomeDue } from '../domain/outcome-schedule.js';
import type { ExerciseDone } from '../domain/progress-types.js';
import { affectedSide } from '../domain/stage.js';
import { resolveSettings } from '../domain/settings.js';
import { intakeInForce } from '../store/intakes.js';
import { getStoredSettings } from '../store/meta.js';
import { activeProgram, type StoredProgram } from '../store/programs.js';
import { listEntries, type StoredEntry } from '../store/progress.js';
import type { FitsOf, LoadRulesOf } from './fits.js';
import type { Store } from '../store/store.js';
import { nextLoads as suggestLoads, type LoadSuggestion } from './next-loads.js';

export type { StoredEntry };

/** A client's entries, voided ones among them (marked `voided`: the list shows what was corrected). */
export async function listSessions(store: Store, client: Client, since?: string): Promise<StoredEntry[]> {
  return listEntries(store.db, client.id, since, 'include');
}

/**
 * What a session at the terminal is asked against: the active program (the
 * stage's exit criteria name the measures) and the affected side, from the
 * program's `fits` (domain/stage.ts affectedSide), as the criteria read it.
 */
export interface SessionPlan {
  program: StoredProgram | undefined;
  side: Side | undefined;
  /** A resting BP at or above this asks for a second reading (screening.bpRecheck; FACTS §3). */
  bpRecheck: { systolic: number; diastolic: number };
  /** Insulin or a sulfonylurea, or type 1 diabetes: the pre-session questions ask about a severe hypo in the last 24 hours (FACTS §3). */
  hypoRisk: boolean;
  /** What the client last did of each exercise (the latest session that did it), the defaults beside the plan. */
  lastDone: Map<string, { date: string; done: ExerciseDone }>;
  /** The template's outcome scores, with which are due today (a baseline, then every N weeks). */
  outcomes: OutcomeDue[];
  /** The load the stage's rule suggests for each loaded exercise (domain/load-progression.ts), by exercise id. */
  nextLoads: Map<string, LoadSuggestion>;
}

/**
 * The program's scheduled outcome scores against the client's readings (voided
 * entries left out), as of `day`: the one reading of the schedule for the
 * session prompts, what `progress add` says is due and `program status`.
 */
export function scheduledOutcomes(program: StoredProgram | undefined, entries: readonly StoredEntry[], day: string): OutcomeDue[] {
  if (!program) return [];
  const readings = entries.filter((e) => !e.voided).flatMap((e) => e.measures.map((m) => ({ code: m.code, date: e.date, value: m.value })));
  return outcomesDue(program.program.outcomes ?? [], readings, program.program.startDate, day);
}

/** After a session is recorded: the scheduled scores still due on its day (the prompt to take them next time). */
export async function outcomesDueAfter(store: Store, client: Client, day: string): Promise<OutcomeDue[]> {
  const program = await activeProgram(store.db, client.id);
  if (!program?.program.outcomes?.length) return [];
  return scheduledOutcomes(program, await listEntries(store.db, client.id), day).filter((o) => o.due);
}

export async function sessionPlan(store: Store, client: Client, fits: FitsOf, today: string, rulesOf?: LoadRulesOf): Promise<SessionPlan> {
  const program = await activeProgram(store.db, client.id);
  const intake = await intakeInForce(store.db, client.id, today);
  const settings = resolveSettings(await getStoredSettings(store.db));
  const answers = intake?.answers;
  const hypoRisk = Boolean(answers && (answers.medications.some((m) => m.class === 'insulin_or_sulfonylurea') || answers.conditions.some((c) => c.code === 'type1_diabetes')));
  const lastDone = new Map<string, { date: string; done: ExerciseDone }>();
  const entries = await listEntries(store.db, client.id);
  for (const e of entries) for (const x of e.exercises) if (x.completed) lastDone.set(x.exerciseId, { date: e.date, done: x });
  const outcomes = scheduledOutcomes(program, entries, today);
  const nextLoads = new Map((program ? await suggestLoads(store.db, program, entries, settings, today, rulesOf) : []).map((s) => [s.exerciseId, s]));
  return { program, side: affectedSide(answers?.conditions ?? [], await fits(program?.program)), bpRecheck: settings['screening.bpRecheck'], hypoRisk, lastDone, outcomes, nextLoads };
}

/** The entry `progress amend` would change: `entryId`, or the latest; voided entries are not changed. */
export async function entryToAmend(store: Store, client: Client, entryId?: number): Promise<StoredEntry | undefined> {
  const entries = await listEntries(store.db, client.id);
  return entryId === undefined ? entries.at(-1) : entries.find((e) => e.id === entryId);
}
