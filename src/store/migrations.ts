import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Migrations, frozen in time: each `up` says what the schema became at that
 * version and never imports application code. Names sort in order; the
 * number in front is the schema version. Add new ones at the end; never edit
 * one that has shipped.
 */
export type DialectName = 'sqlite' | 'postgres';

export function migrations(dialect: DialectName): Record<string, Migration> {
  // The one place the dialects differ in DDL: how an integer key is generated.
  const idColumn = (db: Kysely<any>, table: string) =>
    dialect === 'postgres'
      ? db.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey())
      : db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

  return {
    '0001_clients': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('bridgefit_meta')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
        await db.insertInto('bridgefit_meta').values({ key: 'app', value: 'bridgefit' }).execute();

        await idColumn(db, 'clients')
          .addColumn('first_name', 'text', (c) => c.notNull())
          .addColumn('last_name', 'text', (c) => c.notNull())
          .addColumn('date_of_birth', 'text', (c) => c.notNull())
          .addColumn('sex', 'text', (c) => c.check(sqlIn('sex', ['female', 'male', 'other'])))
          .addColumn('email', 'text')
          .addColumn('phone', 'text')
          .addColumn('goals', 'text')
          .addColumn('notes', 'text')
          .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sqlIn('status', ['active', 'archived'])))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('clients_status_idx').on('clients').column('status').execute();

        await idColumn(db, 'audit_log')
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('command', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('entity', 'text', (c) => c.notNull())
          .addColumn('entity_id', 'integer')
          .addColumn('client_id', 'integer')
          .addColumn('detail', 'text')
          .execute();
        await db.schema.createIndex('audit_log_client_idx').on('audit_log').column('client_id').execute();
      },
    },

    '0002_intake_clearance': {
      async up(db: Kysely<any>) {
        // Append-only: a new intake, clearance or verdict is a new row; none is ever updated.
        await idColumn(db, 'intakes')
          .addColumn('client_id', 'integer', (c) => c.notNull().references('clients.id').onDelete('cascade'))
          .addColumn('intake_date', 'text', (c) => c.notNull())
          .addColumn('recorded_at', 'text', (c) => c.notNull())
          .addColumn('form_version', 'text', (c) => c.notNull())
          .addColumn('answers', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('intakes_client_date_idx').on('intakes').columns(['client_id', 'intake_date']).execute();

        await idColumn(db, 'clearances')
          .addColumn('client_id', 'integer', (c) => c.notNull().references('clients.id').onDelete('cascade'))
          .addColumn('clinician', 'text', (c) => c.notNull())
          .addColumn('profession', 'text', (c) => c.notNull())
          .addColumn('contact', 'text')
          .addColumn('issued_on', 'text', (c) => c.notNull())
          .addColumn('expires_on', 'text')
          .addColumn('status', 'text', (c) =>
            c.notNull().check(sqlIn('status', ['cleared', 'cleared-with-restrictions', 'not-cleared', 'pending'])),
          )
          .addColumn('restrictions', 'text', (c) => c.notNull())
          .addColumn('note', 'text')
          .addColumn('recorded_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('clearances_client_idx').on('clearances').columns(['client_id', 'issued_on']).execute();

        await idColumn(db, 'screenings')
          .addColumn('client_id', 'integer', (c) => c.notNull().references('clients.id').onDelete('cascade'))
          .addColumn('intake_id', 'integer', (c) => c.notNull().references('intakes.id').onDelete('cascade'))
          .addColumn('screened_on', 'text', (c) => c.notNull())
          .addColumn('recorded_at', 'text', (c) => c.notNull())
          .addColumn('rule_version', 'text', (c) => c.notNull())
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('gate', 'text', (c) => c.notNull())
          .addColumn('verdict', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('screenings_client_idx').on('screenings').columns(['client_id', 'id']).execute();
      },
    },

    '0003_programs': {
      async up(db: Kysely<any>) {
        // A generated program is a snapshot; regenerating supersedes it and keeps it.
        await idColumn(db, 'programs')
          .addColumn('client_id', 'integer', (c) => c.notNull().references('clients.id').onDelete('cascade'))
          .addColumn('template_id', 'text', (c) => c.notNull())
          .addColumn('template_version', 'text', (c) => c.notNull())
          .addColumn('intake_id', 'integer', (c) => c.notNull().references('intakes.id').onDelete('cascade'))
          .addColumn('clearance_id', 'integer', (c) => c.references('clearances.id').onDelete('cascade'))
          .addColumn('start_date', 'text', (c) => c.notNull())
          .addColumn('generated_at', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull().check(sqlIn('status', ['active', 'superseded'])))
          .addColumn('superseded_at', 'text')
          .addColumn('override_reason', 'text')
          .addColumn('snapshot', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('programs_client_idx').on('programs').columns(['client_id', 'status']).execute();
      },
    },
  };
}

// A CHECK (col IN (...)) written with kysely's sql tag, portable to both dialects.
function sqlIn(column: string, values: string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}

/** The schema version a list of executed migration names amounts to. */
export function versionOf(names: readonly string[]): number {
  return names.reduce((max, n) => Math.max(max, Number.parseInt(n, 10) || 0), 0);
}
