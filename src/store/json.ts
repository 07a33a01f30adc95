import { StoreError } from './errors.js';

/**
 * The JSON columns bridgefit writes, by table: what `doctor` checks cell by
 * cell, and what `readJson` names when one does not read back.
 */
export const JSON_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  audit_log: ['detail'],
  intakes: ['answers'],
  clearances: ['restrictions'],
  screenings: ['settings', 'verdict'],
  programs: ['snapshot'],
  progress_entries: ['symptoms', 'exercises', 'decision'],
  entry_amendments: ['old_value', 'new_value'],
  stage_transitions: ['evidence'],
};

/**
 * A stored JSON value read back. One that does not parse was damaged outside
 * bridgefit (bridgefit only stores what JSON.stringify made): that is said in
 * one line naming the row, not as an unexpected error.
 */
export function readJson(text: string, table: string, column: string, id: number | bigint): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new StoreError(
      'corrupt',
      `the database is damaged: ${table} row ${id} holds a ${column} that does not read as JSON; run "bridgefit doctor" to see what else is, and "bridgefit restore" a backup`,
    );
  }
}
