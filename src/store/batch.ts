/**
 * Statements compiled once and run for many rows. kysely builds, freezes and
 * compiles every query anew; for an import of a million entries that cost
 * more than SQLite's own work (bench/README.md). The SQL still comes from
 * kysely's compiler, so it is the dialect's own; each run only binds new
 * parameters (and the connection reuses its prepared statement).
 */
import { CompiledQuery, type Insertable, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema.js';

type Table = keyof Database & string;
type Column<T extends Table> = keyof Insertable<Database[T]> & string;

/** Runs a statement on a connection synchronously: SQLite's, inside a write transaction. */
export type SyncRunner = (sql: string) => { all(parameters: unknown[]): unknown[]; run(parameters: unknown[]): void };

/**
 * Transactions whose connection can run statements synchronously (SQLite,
 * via Store.write). A batch then skips kysely's async path for each row: a
 * dozen promises per statement, a million rows.
 */
const syncRunners = new WeakMap<Kysely<Database>, SyncRunner>();

/** What a batch statement kept after its transaction ended says when run, on either dialect. */
export const OUTSIDE_TRANSACTION = 'a batch statement was run outside its write transaction';

export function allowSync(tx: Kysely<Database>, runner: SyncRunner): void {
  syncRunners.set(tx, runner);
}

/** Runs one compiled INSERT with the row's values, in the order of `columns`; `rows` holds the new id only with `returningId`. */
export type InsertStatement<T extends Table, C extends Column<T> = Column<T>> = (values: { [K in C]-?: Insertable<Database[T]>[K] }) => Promise<QueryResult<{ id: number }>>;

export function insertStatement<T extends Table, C extends Column<T>>(
  db: Kysely<Database>,
  table: T,
  columns: readonly C[],
  options: { returningId?: boolean } = {},
): InsertStatement<T, C> {
  // Compiled with a marker in each column, so the parameters can be checked to
  // be exactly the columns in order: were kysely to inline a value or reorder
  // them, reusing the SQL would put values in the wrong columns.
  const marker = (i: number) => `\u0000bridgefit-parameter-${i}`;
  const sample = Object.fromEntries(columns.map((c, i) => [c, marker(i)]));
  const query = db.insertInto(table).values(sample as never);
  const compiled = (options.returningId ? query.returning('id' as never) : query).compile();
  const inOrder = compiled.parameters.length === columns.length && compiled.parameters.every((p, i) => p === marker(i));
  if (!inOrder) throw new Error(`cannot reuse the insert into ${table}: kysely did not compile its values as parameters in column order`);
  const parametersOf = (values: Record<string, unknown>) => {
    const parameters = new Array<unknown>(columns.length);
    for (let i = 0; i < columns.length; i++) parameters[i] = values[columns[i]!];
    return parameters;
  };
  const sync = syncRunners.get(db)?.(compiled.sql);
  if (sync && options.returningId) return async (values) => ({ rows: sync.all(parametersOf(values)) as { id: number }[] });
  if (sync) {
    return async (values) => {
      sync.run(parametersOf(values));
      return { rows: [] };
    };
  }
  const run = (values: Record<string, unknown>) => db.executeQuery(CompiledQuery.raw(compiled.sql, parametersOf(values))) as Promise<QueryResult<{ id: number }>>;
  if (!db.isTransaction) return run;
  // A kysely transaction (PostgreSQL's Store.write) refuses once it has ended, in its own words:
  // said here as SQLite's sync path says it, so a statement kept too long reads the same on both.
  return async (values) => {
    try {
      return await run(values);
    } catch (err) {
      if (err instanceof Error && /^Transaction is already (committed|rolled back)$/.test(err.message)) throw new Error(OUTSIDE_TRANSACTION, { cause: err });
      throw err;
    }
  };
}
