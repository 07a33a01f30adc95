/**
 * What a bridgefit database is made of, and what in a given file is not
 * bridgefit's: the schema the migrations make (built on an empty in-memory
 * database, never read from a file someone handed us), compared object by
 * object and column by column with a file's own. `restore` creates its tables
 * from this schema and refuses a backup carrying anything else (a trigger
 * runs on every later write); `doctor` reports the same for the live file.
 */
import { SqliteDatabase, type SqliteDatabaseType } from './better-sqlite.js';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { JSON_COLUMNS } from './json.js';

export interface SchemaObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

export interface ExpectedSchema {
  /** Tables, indexes (and any trigger or view a migration makes) in the order the migrations made them, each with its CREATE statement. */
  objects: SchemaObject[];
  /** Each table's columns, in order. */
  columns: Map<string, string[]>;
}

export interface SchemaFindings {
  /** What is there and is not bridgefit's: `trigger "x"`, `view "v"`, `table "t"`, `index "i"`, `column t.c`. */
  foreign: string[];
  /** What bridgefit's schema has and the file lacks: `table "t"`, `index "i"`, `column t.c`. */
  missing: string[];
}

type Raw = SqliteDatabaseType.Database;

const cache = new Map<string, Promise<ExpectedSchema>>();

/** The schema the migrations `names` (run in order) make; built once per process for each list. */
export function expectedSchema(known: Record<string, Migration>, names: readonly string[]): Promise<ExpectedSchema> {
  const key = names.join('\n');
  let found = cache.get(key);
  if (!found) {
    found = build(known, names);
    cache.set(key, found);
    found.catch(() => cache.delete(key));
  }
  return found;
}

async function build(known: Record<string, Migration>, names: readonly string[]): Promise<ExpectedSchema> {
  const raw = new SqliteDatabase(':memory:');
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
  try {
    const chosen = Object.fromEntries(names.map((n) => [n, known[n]!]));
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => chosen } }).migrateToLatest();
    if (error) throw error;
    const objects = objectsOf(raw, 'main');
    const columns = new Map(objects.filter((o) => o.type === 'table').map((o) => [o.name, columnsOf(raw, 'main', o.name)]));
    return { objects, columns };
  } finally {
    await db.destroy();
  }
}

/**
 * Every object in `schema` that a person or a program made: SQLite's own
 * tables (sqlite_sequence, sqlite_stat1) and the indexes behind UNIQUE and
 * PRIMARY KEY constraints are left out; any trigger or view is in, whatever
 * its name.
 */
const SQLITE_TABLES = new Set(['sqlite_sequence', 'sqlite_stat1', 'sqlite_stat4']);

export function objectsOf(raw: Raw, schema: string): SchemaObject[] {
  const all = raw.prepare(`select type, name, tbl_name, sql from ${schema}.sqlite_master order by rowid`).all() as SchemaObject[];
  return all.filter((o) => !(o.type === 'table' ? SQLITE_TABLES.has(o.name) : o.type === 'index' && o.sql === null && o.name.startsWith('sqlite_autoindex_')));
}

export function columnsOf(raw: Raw, schema: string, table: string): string[] {
  return raw.prepare('select name from pragma_table_info(?, ?)').pluck().all(table, schema) as string[];
}

/** What in `schema` is not bridgefit's, and what of bridgefit's it lacks. */
export function compareSchema(raw: Raw, schema: string, expected: ExpectedSchema): SchemaFindings {
  const foreign: string[] = [];
  const missing: string[] = [];
  const actual = objectsOf(raw, schema);
  const wanted = new Map(expected.objects.map((o) => [`${o.type} ${o.name}`, o]));
  const have = new Set(actual.map((o) => `${o.type} ${o.name}`));
  for (const o of actual) {
    const mine = wanted.get(`${o.type} ${o.name}`);
    if (!mine) foreign.push(`${o.type} ${quoteName(o.name)}`);
    else if (o.type !== 'table' && (o.tbl_name !== mine.tbl_name || normalise(o.sql) !== normalise(mine.sql))) foreign.push(`${o.type} ${quoteName(o.name)} (not as bridgefit makes it)`);
    else if (o.type === 'table') {
      const cols = columnsOf(raw, schema, o.name);
      const want = expected.columns.get(o.name) ?? [];
      for (const c of cols) if (!want.includes(c)) foreign.push(`column ${o.name}.${c}`);
      for (const c of want) if (!cols.includes(c)) missing.push(`column ${o.name}.${c}`);
    }
  }
  for (const o of expected.objects) if (!have.has(`${o.type} ${o.name}`)) missing.push(`${o.type} ${quoteName(o.name)}`);
  return { foreign, missing };
}

/** The JSON cells that do not parse, as "table row id (column)"; at most `limit`. Tables or columns that are missing are skipped (reported as missing). */
export function damagedJson(raw: Raw, schema: string, expected: ExpectedSchema, limit = 20): { cells: string[]; more: boolean } {
  const cells: string[] = [];
  for (const [table, columns] of Object.entries(JSON_COLUMNS)) {
    const present = expected.columns.has(table) ? columnsOf(raw, schema, table) : [];
    for (const column of columns) {
      if (!present.includes(column)) continue;
      const ids = raw
        .prepare(`select id from ${schema}.${quoteName(table)} where ${quoteName(column)} is not null and json_valid(${quoteName(column)}) = 0 order by id limit ?`)
        .pluck()
        .all(limit + 1 - cells.length) as number[];
      for (const id of ids) cells.push(`${table} row ${id} (${column})`);
      if (cells.length > limit) return { cells: cells.slice(0, limit), more: true };
    }
  }
  return { cells, more: false };
}

export function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function normalise(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}
