/**
 * The next session's suggested load for each loaded exercise of the current
 * stage (domain/load-progression.ts owns the rule): read what it needs, in
 * the caller's transaction or read. `progress add` (the prompts' defaults and
 * what it prints), `program status`, the clinician report (report-input.ts)
 * and `progress import` (after its transaction) ask here.
 */
import type { Kysely } from 'kysely';
import type { Client } from '../domain/client.js';
import { clearanceInForce, type ClearanceStatus, type Restriction } from '../domain/clearance.js';
import { stageLoadSuggestions, type LoadSuggestion } from '../domain/load-progression.js';
import type { ProgressEntry } from '../domain/progress-types.js';
import type { GeneratedProgram } from '../domain/program.js';
import { loadDefaultsOf, resolveSettings, type Settings } from '../domain/settings.js';
import { currentStageEntries } from '../domain/stage.js';
import { listClearances } from '../store/clearances.js';
import { getStoredSettings } from '../store/meta.js';
import { activeProgram, type StoredProgram } from '../store/programs.js';
import { listEntries } from '../store/progress.js';
import type { Database } from '../store/schema.js';
import type { LoadRulesOf } from './fits.js';

export type { LoadSuggestion };

/** What of a program the rule reads: the snapshot, and the stage it is in since when. */
export type ProgramPosition = Pick<StoredProgram, 'program' | 'currentStage' | 'stageStartedOn'>;

/** The settings the rule reads (progression.*). */
export type LoadSettings = Parameters<typeof loadDefaultsOf>[0];

/** Whether the program's current stage has an exercise with a load rule: without one, nothing is suggested and nothing need be read. */
export function stageHasLoads(program: ProgramPosition): boolean {
  return program.program.stages[program.currentStage - 1]?.exercises.some((x) => x.loadRule) ?? false;
}

/**
 * The suggestions for `program`'s current stage, from the client's entries
 * (all of them, oldest first: only the stage's count) and the clearance in
 * force on `today` (its max_load_kg caps every load).
 */
export function nextLoadsOf(
  program: ProgramPosition,
  entries: readonly (ProgressEntry & { decision?: unknown })[],
  clearances: readonly { id: number; issuedOn: string; status: ClearanceStatus; restrictions: readonly Restriction[] }[],
  settings: LoadSettings,
  today: string,
): LoadSuggestion[] {
  const stage = program.program.stages[program.currentStage - 1];
  if (!stage) return [];
  const clearance = clearanceInForce(clearances, today);
  return stageLoadSuggestions(stage.exercises, currentStageEntries(program, entries), clearance?.restrictions ?? [], loadDefaultsOf(settings));
}

/**
 * The program with its load rules: as kept, or for one generated before they
 * were kept, its template's (`rulesOf`; without it, none).
 */
export async function withLoadRules<P extends { program: GeneratedProgram }>(program: P, rulesOf?: LoadRulesOf): Promise<P> {
  if (!rulesOf) return program;
  const generated = await rulesOf(program.program);
  return generated === program.program ? program : { ...program, program: generated };
}

/** The same, reading the client's clearances. */
export async function nextLoads(db: Kysely<Database>, stored: StoredProgram, entries: readonly (ProgressEntry & { decision?: unknown })[], settings: Settings, today: string, rulesOf?: LoadRulesOf): Promise<LoadSuggestion[]> {
  const program = await withLoadRules(stored, rulesOf);
  if (!stageHasLoads(program)) return [];
  return nextLoadsOf(program, entries, await listClearances(db, program.clientId), settings, today);
}

/** One client's suggestions, for a list of several. */
export interface ClientLoads {
  clientId: number;
  client: Client;
  loads: LoadSuggestion[];
}

/**
 * The suggestions of several clients, read afresh (after `progress import`'s
 * transaction, so the import holds no lock for them): the settings once; per
 * client its active program, and its entries and clearances only when the
 * current stage has a loaded exercise. Clients without one are left out.
 * Reads only.
 */
export async function clientsNextLoads(db: Kysely<Database>, clients: readonly Client[], today: string, rulesOf?: LoadRulesOf): Promise<ClientLoads[]> {
  const settings = resolveSettings(await getStoredSettings(db));
  const out: ClientLoads[] = [];
  for (const client of clients) {
    const stored = await activeProgram(db, client.id);
    if (!stored) continue;
    const program = await withLoadRules(stored, rulesOf);
    if (!stageHasLoads(program)) continue;
    const loads = nextLoadsOf(program, await listEntries(db, client.id), await listClearances(db, client.id), settings, today);
    if (loads.length > 0) out.push({ clientId: client.id, client, loads });
  }
  return out;
}
