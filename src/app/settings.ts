/** `config`: the screening settings and the trainer's details, stored in the database. */
import { ValidationError } from '../domain/errors.js';
import { CONFIG_KEYS, checkSetting, checkUnset, configDefault, configHelp, glucoseUnitOf, isConfigKey, isPersonalSetting, resolveSettings } from '../domain/settings.js';
import type { GlucoseUnit } from '../domain/vitals.js';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { getStoredSettings, setStoredSetting } from '../store/meta.js';
import { memberName } from '../store/members.js';
import type { Store } from '../store/store.js';
import { UsageError, UserError } from './errors.js';

type ConfigKey = Parameters<typeof configDefault>[0];

export interface SettingRow {
  key: string;
  value: string;
  isDefault: boolean;
  help: string;
}

export async function listSettings(store: Store): Promise<SettingRow[]> {
  const stored = await actingSettings(store);
  return CONFIG_KEYS.filter(isConfigKey).map((key) => ({ key, value: stored[key] ?? configDefault(key), isDefault: stored[key] === undefined, help: configHelp(key) }));
}

/** A known key, or a UsageError listing the keys. */
export function requireKey(key: string): asserts key is ConfigKey {
  if (!isConfigKey(key)) throw new UsageError(`unknown setting "${key}"; known: ${CONFIG_KEYS.join(', ')}`);
}

export async function getSetting(store: Store, key: string): Promise<{ key: string; value: string; isDefault: boolean }> {
  requireKey(key);
  const stored = await actingSettings(store);
  return { key, value: stored[key] ?? configDefault(key), isDefault: stored[key] === undefined };
}

/** The value as it will be stored, checked against the defaults (before any database exists). */
export function checkSettingValue(key: string, value: string, against?: Record<string, string>): string {
  try {
    return checkSetting(key, value, against);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/**
 * The settings as stored, as the one at work sees them. In a clinic the
 * trainer.* settings are each member's own (store/meta.ts); a member who has
 * not set trainer.name is named on what they record and on their reports by
 * their member name (clinic add-trainer --name). On a trainer's own file, the
 * file's settings as they are.
 */
export async function actingSettings(store: Store, db: Kysely<Database> = store.db): Promise<Record<string, string>> {
  const stored = await getStoredSettings(db);
  if (!store.clinic || stored['trainer.name']) return stored;
  const name = await memberName(db, store.clinic.login);
  return name === null ? stored : { ...stored, 'trainer.name': name };
}

/**
 * In a clinic, the screening rules and units are the clinic's, set by its
 * administrators (row-level security holds them to it); trainer.* are each
 * member's own (store/meta.ts).
 */
function mayChange(store: Store, key: string): void {
  if (store.clinic && store.clinic.role !== 'admin' && !isPersonalSetting(key)) {
    throw new UserError(`${key} is the clinic's setting: its administrators change it (your own are trainer.name, trainer.credentials, trainer.organisation and trainer.contact)`);
  }
}

/** Set a value, checked against the other settings as stored (a BP re-check below the hold, …), in one transaction. */
export async function setSetting(store: Store, key: string, value: string): Promise<string> {
  mayChange(store, key);
  return store.write(async (tx) => {
    let text: string;
    try {
      text = checkSetting(key, value, await getStoredSettings(tx));
    } catch (err) {
      if (err instanceof ValidationError) throw new UsageError(err.message);
      throw err;
    }
    await setStoredSetting(tx, key, text);
    return text;
  });
}

/** Back to the default, unless the others as stored forbid it. */
export async function unsetSetting(store: Store, key: string): Promise<string> {
  requireKey(key);
  mayChange(store, key);
  await store.write(async (tx) => {
    const problem = checkUnset(key, await getStoredSettings(tx));
    if (problem) throw new UsageError(problem);
    await setStoredSetting(tx, key, null);
  });
  return configDefault(key);
}

/** The unit a glucose typed as a number alone is read in (units.glucose), or undefined: then the unit must be typed. */
export async function glucoseUnit(store: Store): Promise<GlucoseUnit | undefined> {
  return glucoseUnitIn(store.db);
}

/** The same inside a use case's transaction. */
export async function glucoseUnitIn(db: Kysely<Database>): Promise<GlucoseUnit | undefined> {
  return glucoseUnitOf(resolveSettings(await getStoredSettings(db)));
}
