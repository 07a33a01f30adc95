/** `summary`: one row per client over a window, the figures added up in the database. */
import { addDays, daysBetween } from '../domain/dates.js';
import { summaryRow, type SummaryRow } from '../domain/summary.js';
import { summaryFigures } from '../store/summary.js';
import type { Store } from '../store/store.js';

export type { SummaryRow };

export async function summarise(store: Store, q: { from: string; to: string; status: 'active' | 'archived' | 'all'; clientIds?: number[]; flaggedOnly?: boolean }): Promise<SummaryRow[]> {
  const span = daysBetween(q.from, q.to);
  // Pain before the middle of the window is the earlier half.
  const mid = addDays(q.from, Math.ceil((span + 1) / 2));
  const figures = await summaryFigures(store.db, { from: q.from, to: q.to, mid, status: q.status, ...(q.clientIds ? { clientIds: q.clientIds } : {}) });
  return figures.map((f) => summaryRow(f, { from: q.from, to: q.to })).filter((r) => !q.flaggedOnly || r.flagged);
}
