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
import type { FitsOf } from './fits.js';
import { actingSettings } from './settings.js';

export interface ReportSettings {
  trainer: TrainerProfile;
  clearanceValidityMonths: number;
  intakeValidityMonths: number;
}

/** What every report of one run shares: read once. */
export async function reportSettings(store: Store): Promise<ReportSettings> {
  const stored = await actingSettings(store);
  const settings = resolveSettings(stored);
  return {
    trainer: resolveTrainer(stored),
    clearanceValidityMonths: settings['screening.clearanceValidityMonths'],
    intakeValidityMonths: settings['screening.intakeValidityMonths'],
  };
}

/** One client's report input, as known on `today`. Reads only. */
export async function reportInput(
  store: Store,
  client: Client,
  q: { today: string; since: string; questions: readonly string[]; settings: ReportSettings; fits: FitsOf },
): Promise<ReportInput> {
  const record = await loadReportRecord(store.db, client, q.today);
  return {
    ...record,
    today: q.today,
    since: q.since,
    trainer: q.settings.trainer,
    clearanceValidityMonths: q.settings.clearanceValidityMonths,
    intakeValidityMonths: q.settings.intakeValidityMonths,
    programFits: await q.fits(record.program?.program),
    questions: q.questions,
  };
}

/** The clients `report --all` covers: every active one. */
export async function reportClients(store: Store): Promise<Client[]> {
  return listClients(store.db, 'active');
}
