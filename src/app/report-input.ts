/**
 * What a report reads: the client's record as the store holds it, the
 * settings and the trainer, the period and the questions. The domain turns it
 * into the report model (domain/report.ts, domain/handout.ts).
 */
import type { Client } from '../domain/client.js';
import type { ReportInput } from '../domain/report-model.js';
import { resolveSettings, resolveTrainer, type TrainerProfile } from '../domain/settings.js';
import { listClients } from '../store/clients.js';
import { loadReportRecord } from '../store/report.js';
import type { Store } from '../store/store.js';
import type { FitsOf, LoadRulesOf } from './fits.js';
import { nextLoadsOf, stageHasLoads, withLoadRules, type LoadSettings } from './next-loads.js';
import { actingSettings } from './settings.js';

export interface ReportSettings {
  trainer: TrainerProfile;
  clearanceValidityMonths: number;
  intakeValidityMonths: number;
  /** The load progression defaults (progression.*), for the next session's loads. */
  load: LoadSettings;
}

/** What every report of one run shares: read once. */
export async function reportSettings(store: Store): Promise<ReportSettings> {
  const stored = await actingSettings(store);
  const settings = resolveSettings(stored);
  return {
    trainer: resolveTrainer(stored),
    clearanceValidityMonths: settings['screening.clearanceValidityMonths'],
    intakeValidityMonths: settings['screening.intakeValidityMonths'],
    load: { 'progression.loadStepKg': settings['progression.loadStepKg'], 'progression.loadIncreasePercent': settings['progression.loadIncreasePercent'], 'progression.loadSessionsAtTop': settings['progression.loadSessionsAtTop'] },
  };
}

/**
 * One client's report input, as known on `today`. Reads only. `rulesOf`: the
 * load rules of a program generated before they were kept (its template's).
 */
export async function reportInput(
  store: Store,
  client: Client,
  q: { today: string; since: string; questions: readonly string[]; settings: ReportSettings; fits: FitsOf; rulesOf?: LoadRulesOf },
): Promise<ReportInput> {
  const record = await loadReportRecord(store.db, client, q.today);
  // The next session's loads in the current stage, as `program status` gives them (next-loads.ts), on
  // the record already read: its entries up to the report's day and the clearance in force on it.
  const program = record.program && (await withLoadRules(record.program, q.rulesOf));
  const nextLoads = program && stageHasLoads(program) ? nextLoadsOf(program, record.entries, record.clearances, q.settings.load, q.today) : [];
  return {
    ...record,
    today: q.today,
    since: q.since,
    trainer: q.settings.trainer,
    clearanceValidityMonths: q.settings.clearanceValidityMonths,
    intakeValidityMonths: q.settings.intakeValidityMonths,
    programFits: await q.fits(record.program?.program),
    questions: q.questions,
    nextLoads,
  };
}

/** The clients `report --all` covers: every active one. */
export async function reportClients(store: Store): Promise<Client[]> {
  return listClients(store.db, 'active');
}
