import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Migrations, frozen in time: each `up` says what the schema became at that
 * version and never imports application code. Names sort in order; the
 * number in front is the schema version. Add new ones at the end; never edit
 * one that has shipped.
 */
export type DialectName = 'sqlite' | 'postgres';

export function migrations(dialect: DialectName): Record<string, Migration> {
  // Where the dialects differ in DDL: how an integer key is generated, and a floating-point
  // column (PostgreSQL's `real` is 4 bytes: 5.6 mmol/L would read back as 5.5999999).
  const REAL = dialect === 'postgres' ? 'double precision' : 'real';
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

    '0004_progress': {
      async up(db: Kysely<any>) {
        // The stage a program is in; its history is stage_transitions.
        await db.schema.alterTable('programs').addColumn('current_stage', 'integer', (c) => c.notNull().defaultTo(1)).execute();
        await db.schema.alterTable('programs').addColumn('stage_started_on', 'text').execute();
        // What summaries read without opening the snapshot: the current stage's name and plan.
        await db.schema.alterTable('programs').addColumn('stage_name', 'text').execute();
        await db.schema.alterTable('programs').addColumn('sessions_per_week', 'integer').execute();

        await idColumn(db, 'progress_entries')
          .addColumn('client_id', 'integer', (c) => c.notNull().references('clients.id').onDelete('cascade'))
          .addColumn('program_id', 'integer', (c) => c.references('programs.id').onDelete('cascade'))
          .addColumn('stage', 'integer')
          .addColumn('session_date', 'text', (c) => c.notNull())
          .addColumn('recorded_at', 'text', (c) => c.notNull())
          .addColumn('attended', 'integer', (c) => c.notNull())
          .addColumn('missed_reason', 'text')
          .addColumn('duration_min', REAL)
          .addColumn('pain_before', 'integer')
          .addColumn('pain_during', 'integer')
          .addColumn('pain_after', 'integer')
          .addColumn('next_day_pain', 'integer')
          .addColumn('rpe', REAL)
          .addColumn('rpe_scale', 'text')
          .addColumn('bp_systolic', 'integer')
          .addColumn('bp_diastolic', 'integer')
          .addColumn('resting_hr', 'integer')
          .addColumn('glucose_value', REAL)
          .addColumn('glucose_unit', 'text')
          .addColumn('ketones', 'integer')
          .addColumn('soreness', 'text')
          .addColumn('symptoms', 'text', (c) => c.notNull())
          .addColumn('exercises', 'text', (c) => c.notNull())
          .addColumn('notes', 'text')
          .addColumn('decision', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('progress_client_date_idx').on('progress_entries').columns(['client_id', 'session_date']).execute();

        await idColumn(db, 'measurements')
          .addColumn('entry_id', 'integer', (c) => c.notNull().references('progress_entries.id').onDelete('cascade'))
          .addColumn('client_id', 'integer', (c) => c.notNull().references('clients.id').onDelete('cascade'))
          .addColumn('session_date', 'text', (c) => c.notNull())
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('side', 'text')
          .addColumn('value', REAL, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('measurements_client_code_idx').on('measurements').columns(['client_id', 'code', 'session_date']).execute();

        // An amendment keeps what the entry said before.
        await idColumn(db, 'entry_amendments')
          .addColumn('entry_id', 'integer', (c) => c.notNull().references('progress_entries.id').onDelete('cascade'))
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('command', 'text', (c) => c.notNull())
          .addColumn('field', 'text', (c) => c.notNull())
          .addColumn('old_value', 'text')
          .addColumn('new_value', 'text')
          .execute();

        await idColumn(db, 'referrals')
          .addColumn('client_id', 'integer', (c) => c.notNull().references('clients.id').onDelete('cascade'))
          .addColumn('entry_id', 'integer', (c) => c.references('progress_entries.id').onDelete('cascade'))
          .addColumn('raised_on', 'text', (c) => c.notNull())
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('to_whom', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull().check(sqlIn('status', ['open', 'resolved'])))
          .addColumn('resolved_on', 'text')
          .addColumn('resolution_note', 'text')
          .execute();
        await db.schema.createIndex('referrals_client_idx').on('referrals').columns(['client_id', 'status']).execute();

        await idColumn(db, 'stage_transitions')
          .addColumn('program_id', 'integer', (c) => c.notNull().references('programs.id').onDelete('cascade'))
          .addColumn('client_id', 'integer', (c) => c.notNull().references('clients.id').onDelete('cascade'))
          .addColumn('on_date', 'text', (c) => c.notNull())
          .addColumn('from_stage', 'integer', (c) => c.notNull())
          .addColumn('to_stage', 'integer', (c) => c.notNull())
          .addColumn('forced', 'integer', (c) => c.notNull())
          .addColumn('reason', 'text')
          .addColumn('evidence', 'text', (c) => c.notNull())
          .execute();

        await idColumn(db, 'signoffs')
          .addColumn('program_id', 'integer', (c) => c.notNull().references('programs.id').onDelete('cascade'))
          .addColumn('stage', 'integer', (c) => c.notNull())
          .addColumn('by', 'text', (c) => c.notNull().check(sqlIn('by', ['trainer', 'clinician'])))
          .addColumn('on_date', 'text', (c) => c.notNull())
          .addColumn('note', 'text')
          .execute();
      },
    },

    '0005_program_stage_index': {
      async up(db: Kysely<any>) {
        // summary reads every active program's stage columns. 0004 added them after the
        // snapshot (kilobytes of JSON), so reading them from the row walks the snapshot's
        // overflow pages; from this index they come without touching the row.
        await db.schema
          .createIndex('programs_active_stage_idx')
          .on('programs')
          .columns(['status', 'client_id', 'current_stage', 'stage_name', 'sessions_per_week', 'start_date', 'stage_started_on'])
          .execute();
      },
    },
    '0006_stage_transitions_index': {
      async up(db: Kysely<any>) {
        // Recording a session reads the program's stage changes (the last one before the
        // session's day); without an index each client's read scanned every client's.
        await db.schema.createIndex('stage_transitions_program_idx').on('stage_transitions').columns(['program_id', 'on_date']).execute();
      },
    },

    '0007_program_stage_backfill': {
      async up(db: Kysely<any>) {
        // 0004 added stage_name and sessions_per_week without filling them, so a program made
        // before it showed no stage and no planned sessions in summary while `program status`
        // read the snapshot. Set both from the snapshot's current stage (stages[current_stage - 1],
        // null past the last), wherever they are missing or say otherwise. Read in pages by id so
        // a large database is never held whole; a snapshot that does not read as a program is
        // left as it is (doctor names it) rather than failing the whole upgrade.
        const PAGE = 500;
        let after = 0;
        for (;;) {
          const rows: { id: number; snapshot: string; current_stage: number; stage_name: string | null; sessions_per_week: number | null }[] = await db
            .selectFrom('programs')
            .select(['id', 'snapshot', 'current_stage', 'stage_name', 'sessions_per_week'])
            .where('id', '>', after)
            .orderBy('id')
            .limit(PAGE)
            .execute();
          for (const row of rows) {
            let stages: unknown;
            try {
              stages = (JSON.parse(row.snapshot) as { stages?: unknown } | null)?.stages;
            } catch {
              continue;
            }
            if (!Array.isArray(stages)) continue;
            const stage = stages[Number(row.current_stage) - 1] as { name?: unknown; sessionsPerWeek?: unknown } | undefined;
            const name = typeof stage?.name === 'string' ? stage.name : null;
            const perWeek = typeof stage?.sessionsPerWeek === 'number' ? stage.sessionsPerWeek : null;
            const stored = row.sessions_per_week === null || row.sessions_per_week === undefined ? null : Number(row.sessions_per_week);
            if ((row.stage_name ?? null) === name && stored === perWeek) continue;
            await db.updateTable('programs').set({ stage_name: name, sessions_per_week: perWeek }).where('id', '=', row.id).execute();
          }
          if (rows.length < PAGE) break;
          after = Number(rows[rows.length - 1]!.id);
        }
      },
    },

    '0008_signoff_signer': {
      async up(db: Kysely<any>) {
        // A sign-off says who gave it (name, profession) and when it was entered, not only
        // the role (issue 15). Rows from before keep null: shown as "name not recorded".
        await db.schema.alterTable('signoffs').addColumn('signed_by', 'text').execute();
        await db.schema.alterTable('signoffs').addColumn('profession', 'text').execute();
        await db.schema.alterTable('signoffs').addColumn('recorded_at', 'text').execute();
      },
    },

    '0009_entry_voids': {
      async up(db: Kysely<any>) {
        // A wrong entry is voided, never deleted (issue 16): it leaves every figure and
        // decision but stays in the history, with when, why and by whom. An amendment
        // says who made it (the trainer's name from the settings, when given).
        await db.schema.alterTable('progress_entries').addColumn('voided_at', 'text').execute();
        await db.schema.alterTable('progress_entries').addColumn('void_reason', 'text').execute();
        await db.schema.alterTable('progress_entries').addColumn('voided_by', 'text').execute();
        await db.schema.alterTable('entry_amendments').addColumn('changed_by', 'text').execute();
        // The pre-session answers that hold a session (Turner 2019; FACTS §3) were kept only in
        // the decision's words: an amended entry is decided again, so they are stored as asked.
        for (const column of ['weak_or_tired', 'severe_hypo', 'unwell']) await db.schema.alterTable('progress_entries').addColumn(column, 'integer').execute();
        // A second reading taken in the same session, on which it is decided (FACTS §3).
        for (const column of ['bp_recheck_systolic', 'bp_recheck_diastolic']) await db.schema.alterTable('progress_entries').addColumn(column, 'integer').execute();
        await db.schema.alterTable('progress_entries').addColumn('glucose_recheck_value', REAL).execute();
        await db.schema.alterTable('progress_entries').addColumn('glucose_recheck_unit', 'text').execute();
        // The few voided entries, found without reading every entry (summary leaves their measures out).
        await db.schema.createIndex('progress_entries_voided_idx').on('progress_entries').column('id').where(sql.ref('voided_at'), 'is not', null).execute();
      },
    },

    '0010_referral_resolver': {
      async up(db: Kysely<any>) {
        // A report says who resolved a referral, not only when (issue 17). Rows resolved
        // before keep null: shown as "resolver not recorded".
        await db.schema.alterTable('referrals').addColumn('resolved_by', 'text').execute();
      },
    },

    // Numbered 0011: 0010 is taken by a branch merged at the same time (names sort, numbers may skip).
    '0011_care_team': {
      async up(db: Kysely<any>) {
        // The client's GP, surgeon and treating physiotherapist, each a name and a contact
        // (issue 16), so a referral goes to the one it is for. Clients from before have none:
        // their referrals keep going to the clinician of the clearance, else "the client's physician".
        for (const role of ['gp', 'surgeon', 'physio']) {
          await db.schema.alterTable('clients').addColumn(`${role}_name`, 'text').execute();
          await db.schema.alterTable('clients').addColumn(`${role}_contact`, 'text').execute();
        }
      },
    },

    '0012_clinic': {
      async up(db: Kysely<any>) {
        // Clinic mode (issue 18): each client belongs to a trainer (the database role that
        // added them), every audit record says which role wrote it, and a clinic knows its
        // members (a clinician's name is what clients name in their care team). On SQLite,
        // one trainer's own file, the columns stay null and the table empty.
        // The login connected (session_user), which SET ROLE cannot change.
        const byRole = dialect === 'postgres' ? (c: any) => c.notNull().defaultTo(sql`session_user`) : (c: any) => c;
        await db.schema.alterTable('clients').addColumn('trainer', 'text', byRole).execute();
        await db.schema.createIndex('clients_trainer_idx').on('clients').column('trainer').execute();
        await db.schema.alterTable('audit_log').addColumn('actor', 'text', byRole).execute();
        // Which login recorded a sign-off (a trainer may enter a clinician's given on paper).
        await db.schema.alterTable('signoffs').addColumn('recorded_by', 'text', byRole).execute();
        await db.schema
          .createTable('clinic_members')
          .addColumn('login', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull().check(sqlIn('kind', ['admin', 'trainer', 'clinician'])))
          .addColumn('name', 'text')
          .addColumn('profession', 'text')
          .addColumn('added_at', 'text', (c) => c.notNull())
          .execute();
        if (dialect === 'postgres') await clinicSecurity(db);
      },
    },

    '0013_clinic_templates': {
      async up(db: Kysely<any>) {
        // Templates an administrator shares with the whole clinic (issue 18): each a YAML file's
        // name and text, loaded beside the built-in ones by every member. Empty on SQLite.
        await db.schema
          .createTable('clinic_templates')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('shared_by', 'text')
          .addColumn('shared_at', 'text', (c) => c.notNull())
          .execute();
        if (dialect === 'postgres') {
          for (const text of [
            'alter table clinic_templates enable row level security',
            'alter table clinic_templates force row level security',
            'create policy admin_all on clinic_templates to bridgefit_admin using (true) with check (true)',
            'create policy members_read on clinic_templates for select to bridgefit_trainer, bridgefit_clinician using (true)',
            'grant select on clinic_templates to bridgefit_trainer, bridgefit_clinician',
          ]) {
            await sql.raw(text).execute(db);
          }
        }
      },
    },
  };
}

/** The tables that hold a client's records in a client_id column. */
const CLIENT_TABLES = ['intakes', 'clearances', 'screenings', 'programs', 'progress_entries', 'measurements', 'referrals', 'stage_transitions'];

/**
 * Row-level security for a clinic (PostgreSQL only), as of schema 12. The
 * group roles bridgefit_admin (which owns every object), bridgefit_trainer
 * and bridgefit_clinician exist before this runs (`clinic init` makes them).
 * ENABLE and FORCE on every table, so the same limits hold in psql and for
 * the owner. A child row is visible when its client is: its policy asks the
 * clients table, whose own policies decide. Who someone is, is the login
 * they connected as (session_user): SET ROLE to a group cannot make them
 * anyone else.
 */
async function clinicSecurity(db: Kysely<any>): Promise<void> {
  const run = (text: string) => sql.raw(text).execute(db);
  // A clinician's name as the clients' care teams and referrals give it, compared word by word:
  // "Dr Anna Weber" is in "Dr Anna Weber (physiotherapist), 020 …", "Ann" is not.
  await run(`
    create function bridgefit_words(text) returns text language sql immutable as $$
      select ' ' || trim(regexp_replace(lower(coalesce($1, '')), '[^[:alnum:]]+', ' ', 'g')) || ' '
    $$`);
  // The clients a clinician may read: those who name them in their care team (GP, surgeon,
  // physiotherapist) or were referred to them. SECURITY DEFINER, owned by bridgefit_admin
  // (whose policies are all "true"), so reading referrals here does not loop back into the
  // clients policy; it answers for the login of the session only.
  await run(`
    create function bridgefit_clinician_clients() returns setof integer
    language sql stable security definer set search_path = public, pg_temp as $$
      select c.id from clients c join clinic_members m on m.login = session_user and m.kind = 'clinician'
      where length(trim(coalesce(m.name, ''))) > 0 and (
        bridgefit_words(m.name) in (bridgefit_words(c.gp_name), bridgefit_words(c.surgeon_name), bridgefit_words(c.physio_name))
        or exists (select 1 from referrals r where r.client_id = c.id and strpos(bridgefit_words(r.to_whom), bridgefit_words(m.name)) > 0))
    $$`);
  await run('revoke all on function bridgefit_clinician_clients() from public');
  await run('grant execute on function bridgefit_clinician_clients() to bridgefit_clinician');
  // Deleting a client takes their earlier audit records (they hold the client's personal data)
  // and leaves one record of the deletion: done here, as the owner, so that no member may delete
  // or write audit records about a client by hand. Only the client's trainer (or an administrator).
  await run(`
    create function bridgefit_delete_client(p_id integer, p_at text, p_command text) returns boolean
    language plpgsql security definer set search_path = public, pg_temp as $$
    begin
      if not exists (select 1 from clients where id = p_id and (trainer = session_user or pg_has_role(session_user, 'bridgefit_admin', 'usage'))) then
        return false;
      end if;
      delete from audit_log where client_id = p_id;
      delete from clients where id = p_id;
      insert into audit_log (at, command, action, entity, entity_id, client_id, actor) values (p_at, p_command, 'client.delete', 'client', p_id, p_id, session_user);
      return true;
    end $$`);
  await run('revoke all on function bridgefit_delete_client(integer, text, text) from public');
  await run('grant execute on function bridgefit_delete_client(integer, text, text) to bridgefit_trainer');

  const tables = ['bridgefit_meta', 'clinic_members', 'clients', 'audit_log', 'signoffs', 'entry_amendments', ...CLIENT_TABLES];
  for (const t of tables) {
    await run(`alter table ${t} enable row level security`);
    await run(`alter table ${t} force row level security`);
    await run(`create policy admin_all on ${t} to bridgefit_admin using (true) with check (true)`);
  }
  // Settings and the clinic's members: everyone reads the clinic's; only an administrator changes
  // them. A member's own rows are theirs alone: their details for reports
  // (setting:trainer.<x>@<login>, store/meta.ts) and the imports they made (import:<id>@<login>).
  const own = "right(key, length(session_user) + 1) = '@' || session_user and position('@' in key) = length(key) - length(session_user)";
  await run(`create policy members_read on bridgefit_meta for select to bridgefit_trainer, bridgefit_clinician using ((key not like 'import:%' and key not like 'setting:%@%') or (${own}))`);
  await run('create policy members_read on clinic_members for select to bridgefit_trainer, bridgefit_clinician using (true)');
  const personal = `key like 'setting:trainer.%' and ${own}`;
  await run(`create policy members_own_settings on bridgefit_meta to bridgefit_trainer, bridgefit_clinician using (${personal}) with check (${personal})`);
  const imports = `key like 'import:%' and ${own}`;
  await run(`create policy trainer_imports on bridgefit_meta for insert to bridgefit_trainer with check (${imports})`);
  await run(`create policy trainer_imports_again on bridgefit_meta for update to bridgefit_trainer using (${imports}) with check (${imports})`);

  // A trainer: their own clients, and everything under them. A clinician: reads their clients.
  await run('create policy trainer_own on clients to bridgefit_trainer using (trainer = session_user) with check (trainer = session_user)');
  await run('create policy clinician_read on clients for select to bridgefit_clinician using (id in (select bridgefit_clinician_clients()))');
  const visible = (t: string) => `exists (select 1 from clients c where c.id = ${t}.client_id)`;
  for (const t of CLIENT_TABLES) {
    await run(`create policy trainer_own on ${t} to bridgefit_trainer using (${visible(t)}) with check (${visible(t)})`);
    await run(`create policy clinician_read on ${t} for select to bridgefit_clinician using (${visible(t)})`);
  }
  const viaProgram = 'exists (select 1 from programs p where p.id = signoffs.program_id)';
  const viaEntry = 'exists (select 1 from progress_entries e where e.id = entry_amendments.entry_id)';
  // A sign-off says which login recorded it: a trainer may record a clinician's sign-off given on
  // paper, but only one the clinician recorded themselves lets the clinician move the stage on.
  await run(`create policy trainer_own on signoffs to bridgefit_trainer using (${viaProgram}) with check (${viaProgram} and recorded_by = session_user)`);
  await run(`create policy clinician_read on signoffs for select to bridgefit_clinician using (${viaProgram})`);
  await run(`create policy trainer_own on entry_amendments to bridgefit_trainer using (${viaEntry}) with check (${viaEntry})`);
  await run(`create policy clinician_read on entry_amendments for select to bridgefit_clinician using (${viaEntry})`);

  // The clinician's three kinds of record, and what each brings with it:
  // a clearance, in their own name;
  const myName = "bridgefit_words(clinician) = (select bridgefit_words(m.name) from clinic_members m where m.login = session_user)";
  await run(`create policy clinician_clears on clearances for insert to bridgefit_clinician with check (${visible('clearances')} and ${myName})`);
  // a referral resolved (an open one, once), and the new screening its resolution records that day;
  await run(`create policy clinician_resolves on referrals for update to bridgefit_clinician using (${visible('referrals')} and status = 'open') with check (${visible('referrals')} and status = 'resolved')`);
  const resolvedToday = "exists (select 1 from referrals r where r.client_id = screenings.client_id and r.status = 'resolved' and r.resolved_on = screenings.screened_on)";
  await run(`create policy clinician_rescreens on screenings for insert to bridgefit_clinician with check (${visible('screenings')} and ${resolvedToday})`);
  // a stage signed off, with the advance it allows (app/advance-stage.ts): their own sign-off of the
  // current stage, then a move of one stage on, never forced, then the program's stage columns.
  const current = (t: string, column: string) => `${t}.${column} = (select p.current_stage from programs p where p.id = ${t}.program_id)`;
  await run(`create policy clinician_signs on signoffs for insert to bridgefit_clinician with check (${viaProgram} and by = 'clinician' and recorded_by = session_user and ${current('signoffs', 'stage')})`);
  const signedHere = "exists (select 1 from signoffs s where s.program_id = stage_transitions.program_id and s.stage = stage_transitions.from_stage and s.by = 'clinician' and s.recorded_by = session_user)";
  await run(`create policy clinician_advances on stage_transitions for insert to bridgefit_clinician with check (${visible('stage_transitions')} and forced = 0 and to_stage = from_stage + 1 and ${current('stage_transitions', 'from_stage')} and ${signedHere})`);
  await run(`create policy clinician_advances on programs for update to bridgefit_clinician using (${visible('programs')}) with check (${visible('programs')})`);
  // Row-level security cannot compare a row with what it was: a trigger holds a clinician's
  // change of a program to one stage on, with the transition and their sign-off just written.
  await run(`
    create function bridgefit_clinician_stage_change() returns trigger language plpgsql set search_path = public, pg_temp as $$
    begin
      if pg_has_role(session_user, 'bridgefit_clinician', 'usage') and not pg_has_role(session_user, 'bridgefit_admin', 'usage') then
        if new.current_stage is distinct from old.current_stage + 1
          or not exists (select 1 from signoffs s where s.program_id = new.id and s.stage = old.current_stage and s.by = 'clinician' and s.recorded_by = session_user)
          or not exists (select 1 from stage_transitions t where t.program_id = new.id and t.from_stage = old.current_stage and t.to_stage = new.current_stage) then
          raise exception 'a clinician moves a program on one stage, with their own sign-off of it' using errcode = '42501';
        end if;
      end if;
      return new;
    end $$`);
  await run('create trigger programs_clinician_stage before update on programs for each row execute function bridgefit_clinician_stage_change()');

  // The audit log only grows: each writes their own records, about a client they can see (or
  // none), and reads those about clients they can see and their own about no client.
  const ownAudit = `actor = session_user and (client_id is null or ${visible('audit_log')})`;
  const seeAudit = `${visible('audit_log')} or (client_id is null and actor = session_user)`;
  await run(`create policy members_write on audit_log for insert to bridgefit_trainer, bridgefit_clinician with check (${ownAudit})`);
  await run(`create policy members_read on audit_log for select to bridgefit_trainer, bridgefit_clinician using (${seeAudit})`);

  // Table privileges say what each may do at all; the policies say to which rows. What the app
  // only ever adds to (intakes, clearances, screenings, sign-offs, stage changes, amendments,
  // the audit log) takes inserts only; entries are voided, never deleted; a client is deleted
  // through bridgefit_delete_client.
  const data = ['clients', 'signoffs', 'audit_log', 'entry_amendments', ...CLIENT_TABLES];
  await run(`grant select on ${[...data, 'bridgefit_meta', 'clinic_members', 'kysely_migration', 'kysely_migration_lock'].join(', ')} to bridgefit_trainer, bridgefit_clinician`);
  await run(`grant insert on ${data.join(', ')} to bridgefit_trainer`);
  await run('grant update on clients, programs, progress_entries, referrals to bridgefit_trainer');
  await run('grant delete on measurements to bridgefit_trainer'); // an amended entry's measures are written anew
  await run('grant insert, update, delete on bridgefit_meta to bridgefit_trainer, bridgefit_clinician');
  await run('grant insert on clearances, signoffs, stage_transitions, screenings, audit_log to bridgefit_clinician');
  await run('grant update (status, resolved_on, resolution_note, resolved_by) on referrals to bridgefit_clinician');
  await run('grant update (current_stage, stage_started_on, stage_name, sessions_per_week) on programs to bridgefit_clinician');
  await run('grant usage on all sequences in schema public to bridgefit_trainer, bridgefit_clinician');
}

// A CHECK (col IN (...)) written with kysely's sql tag, portable to both dialects.
function sqlIn(column: string, values: string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}

/** The schema version a list of executed migration names amounts to. */
export function versionOf(names: readonly string[]): number {
  return names.reduce((max, n) => Math.max(max, Number.parseInt(n, 10) || 0), 0);
}
