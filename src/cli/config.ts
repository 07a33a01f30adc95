import fs from 'node:fs';
import { ValidationError } from '../domain/errors.js';
import { CONFIG_KEYS, checkSetting, checkUnset, configDefault, configHelp, isConfigKey } from '../domain/settings.js';
import { getStoredSettings, setStoredSetting } from '../store/meta.js';
import { CREATE, READ, type App } from './app.js';
import { UsageError } from './errors.js';

/** `bridgefit config list` */
export async function list(app: App): Promise<void> {
  const stored = await app.withStore((store) => getStoredSettings(store.db), READ);
  const rows = CONFIG_KEYS.filter(isConfigKey).map((key) => ({ key, value: stored[key] ?? configDefault(key), isDefault: stored[key] === undefined, help: configHelp(key) }));
  if (app.io.json) {
    app.io.printJson(rows);
    return;
  }
  app.io.table(
    ['KEY', 'VALUE', 'MEANING'],
    rows.map((r) => [r.key, r.value === '' ? '(not set)' : `${r.value}${r.isDefault ? ' (default)' : ''}`, r.help]),
  );
}

/** `bridgefit config get <key>` */
export async function get(app: App, _opts: unknown, args: string[]): Promise<void> {
  const key = args[0]!;
  if (!isConfigKey(key)) throw new UsageError(`unknown setting "${key}"; known: ${CONFIG_KEYS.join(', ')}`);
  const stored = await app.withStore((store) => getStoredSettings(store.db), READ);
  const value = stored[key] ?? configDefault(key);
  if (app.io.json) app.io.printJson({ key, value, isDefault: stored[key] === undefined });
  else app.io.out(value);
}

/** `bridgefit config set <key> <value>`; `config unset <key>` goes back to the default. */
export async function set(app: App, _opts: unknown, args: string[]): Promise<void> {
  const [key, value] = args as [string, string];
  let text: string;
  try {
    // Without a database yet, the other settings in force are the defaults: check before creating one.
    text = checkSetting(key, value, fs.existsSync(app.location().file) ? undefined : {});
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  await app.withStore(
    (store) =>
      store.write(async (tx) => {
        // A BP threshold against the others as stored (the re-check below the hold, the cardiac hold not above it).
        try {
          checkSetting(key, value, await getStoredSettings(tx));
        } catch (err) {
          if (err instanceof ValidationError) throw new UsageError(err.message);
          throw err;
        }
        await setStoredSetting(tx, key, text);
      }),
    CREATE,
  );
  if (app.io.json) app.io.printJson({ key, value: text, isDefault: false });
  else app.io.info(`${key} = ${text}`);
}

export async function unset(app: App, _opts: unknown, args: string[]): Promise<void> {
  const key = args[0]!;
  if (!isConfigKey(key)) throw new UsageError(`unknown setting "${key}"; known: ${CONFIG_KEYS.join(', ')}`);
  await app.withStore((store) =>
    store.write(async (tx) => {
      const problem = checkUnset(key, await getStoredSettings(tx));
      if (problem) throw new UsageError(problem);
      await setStoredSetting(tx, key, null);
    }),
  );
  if (app.io.json) app.io.printJson({ key, value: configDefault(key), isDefault: true });
  else app.io.info(configDefault(key) === '' ? `${key} removed` : `${key} = ${configDefault(key)} (default)`);
}
