/**
 * Reading the whole database (or some clients) as export records, and writing
 * an export document's records back. Rows map to records column by column:
 * the record's keys are the columns in camelCase (src/domain/export.ts), JSON
 * columns are JSON values, 0/1 flags are booleans. Reading, SQLite writes
 * each record's text (recordSql); writing, toRow turns a checked record back
 * into a row.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { z } from 'zod';
import {
  amendmentRecord,
  auditRecord,
  clearanceRecord,
  clientRecord,
  entryRecord,
  intakeRecord,
  measurementRecord,
  programRecord,
  referralRecord,
  screeningRecord,
  signoffRecord,
  stageTransitionRecord,
  type ExportDocument,
} from '../domain/export.js';
import { insertStatement } from './batch.js';
import { dialectOf } from './dialect.js';
import type { DialectName } from './migrations.js';
import { StoreError } from './errors.js';
import { JSON_COLUMNS } from './json.js';
import { getMeta, getStoredSettings, setMeta, setStoredSetting } from './meta.js';
import type { Database } from './schema.js';

type Table = Exclude<keyof Database, 'bridgefit_meta' | 'clinic_members' | 'clinic_templates'>;

/** The tables an export holds, each with the record schema its rows map to. */
const RECORDS: Record<Table, z.ZodObject> = {
  clients: clientRecord,
  intakes: intakeRecord,
  clearances: clearanceRecord,
  screenings: screeningRecord,
  programs: programRecord,
  stage_transitions: stageTransitionRecord,
  signoffs: signoffRecord,
  progress_entries: entryRecord,
  measurements: measurementRecord,
  entry_amendments: amendmentRecord,
  referrals: referralRecord,
  audit_log: auditRecord,
};
/** Every data table, in the order an import writes them (parents first). */
export const DATA_TABLES = Object.keys(RECORDS) as Table[];

const FLAGS: Partial<Record<Table, readonly string[]>> = { progress_entries: ['attended'], stage_transitions: ['forced'] };
/** JSON columns that may hold SQL NULL: left out of the record then. */
const NULLABLE_JSON: Partial<Record<Table, readonly string[]>> = { audit_log: ['detail'], entry_amendments: ['old_value', 'new_value'] };

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

interface Mapping {
  /** [record key, column, how] */
  fields: [string, string, 'plain' | 'json' | 'nullable-json' | 'flag'][];
}

const MAPPINGS = new Map<Table, Mapping>(
  DATA_TABLES.map((table) => {
    const json = new Set(JSON_COLUMNS[table] ?? []);
    const nullable = new Set(NULLABLE_JSON[table] ?? []);
    const flags = new Set(FLAGS[table] ?? []);
    const fields = Object.keys(RECORDS[table].shape).map((key): Mapping['fields'][number] => {
      const column = snake(key);
      return [key, column, nullable.has(column) ? 'nullable-json' : json.has(column) ? 'json' : flags.has(column) ? 'flag' : 'plain'];
    });
    return [table, { fields }];
  }),
);

function toRow(table: Table, record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, column, how] of MAPPINGS.get(table)!.fields) {
    const value = record[key];
    if (how === 'plain') out[column] = value ?? null;
    else if (how === 'flag') out[column] = value ? 1 : 0;
    else out[column] = value === undefined ? null : JSON.stringify(value);
  }
  return out;
}

/** How many rows each data table holds: what an export of everything must match. */
export async function countRows(db: Kysely<Database>): Promise<Record<Table, number>> {
  const counts = {} as Record<Table, number>;
  for (const table of DATA_TABLES) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

/** The ids of every client, in order, a page at a time. */
export async function* clientIdPages(db: Kysely<Database>, page = 500): AsyncGenerator<number[]> {
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('clients').select('id').where('id', '>', after).orderBy('id').limit(page).execute();
    if (rows.length > 0) yield rows.map((r) => r.id);
    if (rows.length < page) return;
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * A table's rows as record text, written by SQLite itself: each value by
 * json_quote (text escaped, every REAL with full precision), each JSON cell
 * as it is stored once json_valid says it is JSON (else json(), which reads
 * JSON5 and refuses a damaged cell with "malformed JSON"), flags as
 * true/false, a nullable JSON column left out when it is SQL NULL. Far
 * cheaper than reading rows into objects, parsing every JSON cell and
 * stringifying it all again (and twice as fast as json_object, which parses
 * and renders each JSON cell).
 */
function recordSql(table: Table, alias: string, dialect: DialectName): string {
  if (dialect === 'postgres') return recordSqlPostgres(table, alias);
  const pieces = MAPPINGS.get(table)!.fields.map(([key, column, how], i) => {
    const c = `${alias}."${column}"`;
    const label = `'${i === 0 ? '{' : ','}"${key}":'`;
    const json = `iif(json_valid(${c}), ${c}, json(${c}))`;
    if (how === 'plain') return `${label} || json_quote(${c})`;
    if (how === 'flag') return `${label} || (case when ${c} then 'true' else 'false' end)`;
    if (how === 'json') return `${label} || coalesce(${json}, 'null')`;
    return `coalesce(${label} || ${json}, '')`; // SQL NULL: the key is left out
  });
  return `${pieces.join(' || ')} || '}'`;
}

/**
 * The same record text on PostgreSQL: to_json quotes text and writes each
 * double with full precision (shortest exact form), a JSON cell is cast to
 * json (which refuses a damaged one with "invalid input syntax for type
 * json") and keeps its text as stored.
 */
function recordSqlPostgres(table: Table, alias: string): string {
  const pieces = MAPPINGS.get(table)!.fields.map(([key, column, how], i) => {
    const c = `${alias}."${column}"`;
    const label = `'${i === 0 ? '{' : ','}"${key}":'`;
    if (how === 'plain') return `${label} || coalesce(to_json(${c})::text, 'null')`;
    if (how === 'flag') return `${label} || (case when ${c} <> 0 then 'true' else 'false' end)`;
    if (how === 'json') return `${label} || coalesce(${c}::json::text, 'null')`;
    return `coalesce(${label} || ${c}::json::text, '')`;
  });
  return `${pieces.join(' || ')} || '}'`;
}

interface RecordText {
  id: number;
  /** The client the row belongs to. */
  owner: number;
  /** The record it nests in (program, entry), or the client. */
  parent: number;
  /**
   * The record's JSON as SQLite's UTF-8 bytes (selected as a BLOB): never
   * decoded into a JavaScript string and encoded again for the write, the
   * bytes go to the file as SQLite made them.
   */
  text: Buffer;
}

async function recordTexts(
  db: Kysely<Database>,
  table: Table,
  q: { owner: string; parent: string; where: RawBuilder<unknown>; join?: string; limit?: number },
): Promise<RecordText[]> {
  const tail = q.limit === undefined ? sql`` : sql` limit ${q.limit}`;
  const dialect = dialectOf(db);
  // The text as the database's UTF-8 bytes: a BLOB on SQLite, bytea on PostgreSQL.
  const bytes = dialect === 'postgres' ? (text: string) => `convert_to(${text}, 'UTF8')` : (text: string) => `cast(${text} as blob)`;
  const query = sql<RecordText>`select t.id as id, ${sql.raw(q.owner)} as owner, ${sql.raw(q.parent)} as parent, ${sql.raw(bytes(recordSql(table, 't', dialect)))} as text from ${sql.raw(`"${table}"`)} t ${sql.raw(q.join ?? '')} where ${q.where} order by t.id${tail}`;
  try {
    return (await query.execute(db)).rows;
  } catch (err) {
    if (/malformed JSON|invalid input syntax for type json/i.test((err as Error).message)) {
      throw new StoreError('corrupt', `the database is damaged: a JSON cell in ${table} does not read as JSON; run "bridgefit doctor" to see which, and "bridgefit restore" a backup`);
    }
    throw err;
  }
}

const groupBy = (rows: RecordText[], key: 'owner' | 'parent') => {
  const by = new Map<number, RecordText[]>();
  for (const r of rows) {
    const list = by.get(r[key]);
    if (list) list.push(r);
    else by.set(r[key], [r]);
  }
  return by;
};

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');
const END = Buffer.from('}');
const opening = new Map<string, Buffer>();
/** `,"key":[` once per key. */
const open = (key: string) => {
  let b = opening.get(key);
  if (!b) opening.set(key, (b = Buffer.from(`,"${key}":[`)));
  return b;
};

/**
 * A record's text with arrays added at its end, `{…,"key":[…]}`, as pieces
 * pushed onto `out` (the record's bytes without its closing brace, the
 * arrays' items, the punctuation): joined once per client, by one copy.
 * An item is a record's bytes, or a function that pushes a nested record's pieces.
 */
function pushWithArrays(out: Buffer[], text: Buffer, arrays: [string, readonly (Buffer | ((out: Buffer[]) => void))[] | undefined][]): void {
  out.push(text.subarray(0, text.length - 1));
  for (const [key, items] of arrays) {
    out.push(open(key));
    (items ?? []).forEach((item, i) => {
      if (i > 0) out.push(COMMA);
      if (typeof item === 'function') item(out);
      else out.push(item);
    });
    out.push(CLOSE);
  }
  out.push(END);
}

export type ExportCounts = Record<Table, number>;

/**
 * Clients with everything that hangs off them, as the export nests them, as
 * JSON text (UTF-8 bytes), in the order of `clientIds` (one that does not exist is
 * skipped), with how many rows of each table the texts hold. A page of
 * clients is read with one query per table: every query goes through an
 * index on the client (or the program or entry it belongs to).
 */
export async function readExportedClients(db: Kysely<Database>, clientIds: number[]): Promise<{ texts: Buffer[]; counts: Omit<ExportCounts, 'audit_log'> }> {
  const ids = sql.join(clientIds);
  const own = (table: Table, parent = 't.client_id') => recordTexts(db, table, { owner: 't.client_id', parent, where: sql`t.client_id in (${ids})` });
  const clients = await recordTexts(db, 'clients', { owner: 't.id', parent: 't.id', where: sql`t.id in (${ids})` });
  const intakes = groupBy(await own('intakes'), 'owner');
  const clearances = groupBy(await own('clearances'), 'owner');
  const screenings = groupBy(await own('screenings'), 'owner');
  const programRows = await own('programs');
  const programs = groupBy(programRows, 'owner');
  const viaProgram = { owner: 'p.client_id', parent: 't.program_id', where: sql`p.client_id in (${ids})`, join: 'join programs p on p.id = t.program_id' };
  const transitionRows = await recordTexts(db, 'stage_transitions', viaProgram);
  const signoffRows = await recordTexts(db, 'signoffs', viaProgram);
  const entryRows = await own('progress_entries');
  const entries = groupBy(entryRows, 'owner');
  // Measures carry their client (and are indexed by it); amendments are reached through their entry.
  const measureRows = await own('measurements', 't.entry_id');
  const amendmentRows = await recordTexts(db, 'entry_amendments', { owner: 'e.client_id', parent: 't.entry_id', where: sql`e.client_id in (${ids})`, join: 'join progress_entries e on e.id = t.entry_id' });
  const referrals = groupBy(await own('referrals'), 'owner');
  const transitions = groupBy(transitionRows, 'parent');
  const signoffs = groupBy(signoffRows, 'parent');
  const measures = groupBy(measureRows, 'parent');
  const amendments = groupBy(amendmentRows, 'parent');

  const texts = (rows: RecordText[] | undefined) => (rows ?? []).map((r) => r.text);
  const byId = new Map(clients.map((c) => [c.id, c]));
  const out: Buffer[] = [];
  for (const id of clientIds) {
    const client = byId.get(id);
    if (!client) continue;
    const pieces: Buffer[] = [];
    pushWithArrays(pieces, client.text, [
      ['intakes', texts(intakes.get(id))],
      ['clearances', texts(clearances.get(id))],
      ['screenings', texts(screenings.get(id))],
      ['programs', (programs.get(id) ?? []).map((p) => (o: Buffer[]) => pushWithArrays(o, p.text, [['stageTransitions', texts(transitions.get(p.id))], ['signoffs', texts(signoffs.get(p.id))]]))],
      ['entries', (entries.get(id) ?? []).map((e) => (o: Buffer[]) => pushWithArrays(o, e.text, [['measurements', texts(measures.get(e.id))], ['amendments', texts(amendments.get(e.id))]]))],
      ['referrals', texts(referrals.get(id))],
    ]);
    out.push(Buffer.concat(pieces));
  }
  // A measure whose entry is in none of these clients (damage) is in no text: the caller's count check finds it.
  const entryIds = new Set(entryRows.map((e) => e.id));
  const count = (rows: Map<number, RecordText[]>) => [...rows.values()].reduce((n, list) => n + list.length, 0);
  return {
    texts: out,
    counts: {
      clients: clients.length,
      intakes: count(intakes),
      clearances: count(clearances),
      screenings: count(screenings),
      programs: programRows.length,
      stage_transitions: transitionRows.length,
      signoffs: signoffRows.length,
      progress_entries: entryRows.length,
      measurements: measureRows.filter((m) => entryIds.has(m.parent)).length,
      entry_amendments: amendmentRows.length,
      referrals: count(referrals),
    },
  };
}

/** Audit records as record text, in order, a page at a time: every one, or those of the clients given. */
export async function* auditPages(db: Kysely<Database>, clientIds: number[] | 'all', page = 2000): AsyncGenerator<Buffer[]> {
  let after = 0;
  for (;;) {
    const chosen = clientIds === 'all' ? sql`1 = 1` : sql`t.client_id in (${sql.join(clientIds)})`;
    const rows = await recordTexts(db, 'audit_log', { owner: 't.client_id', parent: 't.id', where: sql`t.id > ${after} and ${chosen}`, limit: page });
    if (rows.length > 0) yield rows.map((r) => r.text);
    if (rows.length < page) return;
    after = rows[rows.length - 1]!.id;
  }
}

export { getStoredSettings };

/**
 * Whether the database holds no data at all (settings aside): then an import
 * keeps the file's ids. Never on a clinic database: a trainer sees only their
 * own rows, so "empty" is not theirs to say, and its id sequences would not
 * follow ids written by hand.
 */
export async function holdsNoData(db: Kysely<Database>): Promise<boolean> {
  if (dialectOf(db) === 'postgres') return false;
  for (const table of DATA_TABLES) {
    if (await db.selectFrom(table).select('id').limit(1).executeTakeFirst()) return false;
  }
  return true;
}

const IMPORT_PREFIX = 'import:';

export interface ImportRecord {
  file: string;
  sha256: string;
  importedAt: string;
  clients: number;
}

/**
 * Where the record of importing `exportId` is kept: in a clinic, each trainer's own
 * (import:<id>@<login>), since the same file may be another trainer's to import too.
 */
async function importKey(db: Kysely<Database>, exportId: string): Promise<string> {
  if (dialectOf(db) !== 'postgres') return IMPORT_PREFIX + exportId;
  const login = (await sql<{ login: string }>`select session_user as login`.execute(db)).rows[0]!.login;
  return `${IMPORT_PREFIX}${exportId}@${login}`;
}

/** The record of an earlier import of this export, if there was one. */
export async function findImport(db: Kysely<Database>, exportId: string): Promise<ImportRecord | undefined> {
  const text = await getMeta(db, await importKey(db, exportId));
  return text === undefined ? undefined : (JSON.parse(text) as ImportRecord);
}

export interface WrittenImport {
  /** Source client id → id here. */
  clients: Map<number, number>;
  rows: Record<Table, number>;
  keptIds: boolean;
  /** Settings the database already set otherwise: kept as they were. */
  settingsKept: string[];
}

/**
 * Write an export document's records into `tx` (a write transaction). Into a
 * database with no data the file's ids are kept; otherwise every record gets
 * a new id and every reference follows it. Audit records' client and entity
 * ids follow too; one naming a record that is not in the file (a deleted
 * client's) keeps the id when ids are kept, and is null otherwise.
 */
export async function writeImport(
  tx: Kysely<Database>,
  doc: ExportDocument,
  record: ImportRecord & { exportId: string },
  progress: (done: number, total: number) => void = () => {},
  /** Which of the file's settings are the importer's to write (a clinic's rules are not a trainer's): the others are kept out. */
  mayWrite: (key: string) => boolean = () => true,
): Promise<WrittenImport> {
  const keptIds = await holdsNoData(tx);
  const rows = Object.fromEntries(DATA_TABLES.map((t) => [t, 0])) as Record<Table, number>;
  const statements = new Map<Table, (row: Record<string, unknown>) => Promise<number>>();
  const insert = async (table: Table, rec: Record<string, unknown>, extra: Record<string, unknown>): Promise<number> => {
    let run = statements.get(table);
    if (!run) {
      const sample = { ...toRow(table, rec), ...extra };
      const columns = Object.keys(sample).filter((c) => keptIds || c !== 'id');
      const statement = insertStatement(tx, table, columns as never, { returningId: !keptIds });
      run = async (row) => {
        const result = await statement(row as never);
        return keptIds ? Number(row.id) : Number(result.rows[0]!.id);
      };
      statements.set(table, run);
    }
    rows[table] += 1;
    return run({ ...toRow(table, rec), ...extra });
  };

  const maps = { client: new Map<number, number>(), intake: new Map<number, number>(), clearance: new Map<number, number>(), screening: new Map<number, number>(), program: new Map<number, number>(), progress_entry: new Map<number, number>(), referral: new Map<number, number>() };
  const ref = (map: Map<number, number>, id: number | null) => (id === null ? null : map.get(id)!);
  let done = 0;
  for (const c of doc.clients) {
    progress(done++, doc.clients.length);
    const clientId = await insert('clients', c, {});
    maps.client.set(c.id, clientId);
    for (const r of c.intakes) maps.intake.set(r.id, await insert('intakes', r, { client_id: clientId }));
    for (const r of c.clearances) maps.clearance.set(r.id, await insert('clearances', r, { client_id: clientId }));
    for (const r of c.screenings) maps.screening.set(r.id, await insert('screenings', r, { client_id: clientId, intake_id: ref(maps.intake, r.intakeId) }));
    // A stage change's evidence names sessions and referrals by id: it is written once they have their new ids.
    const transitions: { programId: number; records: (typeof c.programs)[number]['stageTransitions'] }[] = [];
    for (const p of c.programs) {
      const programId = await insert('programs', p, { client_id: clientId, intake_id: ref(maps.intake, p.intakeId), clearance_id: ref(maps.clearance, p.clearanceId) });
      maps.program.set(p.id, programId);
      transitions.push({ programId, records: p.stageTransitions });
      for (const r of p.signoffs) await insert('signoffs', r, { program_id: programId });
    }
    for (const e of c.entries) {
      const entryId = await insert('progress_entries', e, { client_id: clientId, program_id: ref(maps.program, e.programId) });
      maps.progress_entry.set(e.id, entryId);
      for (const r of e.measurements) await insert('measurements', r, { entry_id: entryId, client_id: clientId });
      for (const r of e.amendments) await insert('entry_amendments', r, { entry_id: entryId });
    }
    for (const r of c.referrals) maps.referral.set(r.id, await insert('referrals', r, { client_id: clientId, entry_id: ref(maps.progress_entry, r.entryId) }));
    for (const t of transitions) {
      for (const r of t.records) await insert('stage_transitions', keptIds ? r : { ...r, evidence: remapEvidence(r.evidence, maps) }, { program_id: t.programId, client_id: clientId });
    }
    // A session's decision names the referrals open that day: those ids follow too (referrals come after the sessions they point at).
    if (!keptIds) {
      for (const e of c.entries) {
        const decision = e.decision as { openReferrals?: { id: number }[] } | null;
        if (!decision?.openReferrals?.length) continue;
        const moved = { ...decision, openReferrals: decision.openReferrals.map((r) => ({ ...r, id: maps.referral.get(r.id) ?? r.id })) };
        await tx.updateTable('progress_entries').set({ decision: JSON.stringify(moved) }).where('id', '=', maps.progress_entry.get(e.id)!).execute();
      }
    }
  }
  progress(doc.clients.length, doc.clients.length);
  const follow = (map: Map<number, number> | undefined, value: number | null) => {
    if (value === null || keptIds) return value;
    return map?.get(value) ?? null;
  };
  for (const a of doc.audit) {
    await insert('audit_log', a, {
      client_id: follow(maps.client, a.clientId),
      // Only bridgefit's own entity names have a map (a crafted "constructor" must not reach Object's).
      entity_id: follow(Object.hasOwn(maps, a.entity) ? (maps as Record<string, Map<number, number>>)[a.entity] : undefined, a.entityId),
    });
  }

  const settingsKept: string[] = [];
  const current = await getStoredSettings(tx);
  for (const [key, value] of Object.entries(doc.settings)) {
    if (current[key] === undefined && mayWrite(key)) await setStoredSetting(tx, key, value);
    else if (current[key] === undefined) settingsKept.push(key);
    else if (current[key] !== value) settingsKept.push(key);
  }
  const { exportId, ...kept } = record;
  await setMeta(tx, await importKey(tx, exportId), JSON.stringify(kept));
  return { clients: maps.client, rows, keptIds, settingsKept };
}

/**
 * A stage change's evidence with the ids it names moved to the imported ones:
 * the sessions each exit criterion was read on, and the referrals an advance
 * was forced past (app/advance-stage.ts writes both).
 */
function remapEvidence(evidence: unknown, maps: { progress_entry: Map<number, number>; referral: Map<number, number> }): unknown {
  if (!evidence || typeof evidence !== 'object') return evidence;
  const e = evidence as { criteria?: { entries?: unknown }[]; openReferralsBypassed?: { id?: unknown }[] };
  const move = (map: Map<number, number>, id: unknown) => (typeof id === 'number' ? (map.get(id) ?? id) : id);
  return {
    ...e,
    ...(Array.isArray(e.criteria) ? { criteria: e.criteria.map((c) => (Array.isArray(c.entries) ? { ...c, entries: c.entries.map((id) => move(maps.progress_entry, id)) } : c)) } : {}),
    ...(Array.isArray(e.openReferralsBypassed) ? { openReferralsBypassed: e.openReferralsBypassed.map((r) => ({ ...r, id: move(maps.referral, r.id) })) } : {}),
  };
}
