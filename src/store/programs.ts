import type { Kysely, Selectable } from 'kysely';
import type { GeneratedProgram } from '../domain/program.js';
import { recordAudit } from './audit.js';
import type { WriteContext } from './clients.js';
import type { Database, ProgramsTable } from './schema.js';
import { readJson } from './json.js';

export interface StoredProgram {
  id: number;
  clientId: number;
  intakeId: number;
  clearanceId: number | null;
  generatedAt: string;
  status: 'active' | 'superseded';
  supersededAt: string | null;
  /** The stage the client is in (1-based), and since when. */
  currentStage: number;
  stageStartedOn: string;
  program: GeneratedProgram;
}

/**
 * What `programs.stage_name` and `programs.sessions_per_week` hold: the
 * snapshot's stage `stage` (1-based), null past its last. Only the store
 * writes them, from the snapshot, so they never say other than the program.
 */
export function stageColumns(program: GeneratedProgram, stage: number): { stage_name: string | null; sessions_per_week: number | null } {
  const s = program.stages[stage - 1];
  return { stage_name: s?.name ?? null, sessions_per_week: s?.sessionsPerWeek ?? null };
}

function toProgram(r: Selectable<ProgramsTable>): StoredProgram {
  return {
    id: r.id,
    clientId: r.client_id,
    intakeId: r.intake_id,
    clearanceId: r.clearance_id,
    generatedAt: r.generated_at,
    status: r.status as StoredProgram['status'],
    supersededAt: r.superseded_at,
    currentStage: r.current_stage,
    stageStartedOn: r.stage_started_on ?? r.start_date,
    program: readJson(r.snapshot, 'programs', 'snapshot', r.id) as GeneratedProgram,
  };
}

/** Store a new program as the client's active one; the one before is superseded, not lost. */
export async function saveProgram(
  db: Kysely<Database>,
  clientId: number,
  program: GeneratedProgram,
  from: { intakeId: number; clearanceId: number | null },
  ctx: WriteContext,
  /** Where the client is: a regenerated program of the same template continues at this stage. */
  at: { stage: number; startedOn: string } = { stage: 1, startedOn: program.startDate },
): Promise<StoredProgram> {
  await db
    .updateTable('programs')
    .set({ status: 'superseded', superseded_at: ctx.now })
    .where('client_id', '=', clientId)
    .where('status', '=', 'active')
    .execute();
  const row = await db
    .insertInto('programs')
    .values({
      client_id: clientId,
      template_id: program.templateId,
      template_version: program.templateVersion,
      intake_id: from.intakeId,
      clearance_id: from.clearanceId,
      start_date: program.startDate,
      generated_at: ctx.now,
      status: 'active',
      superseded_at: null,
      override_reason: program.override,
      snapshot: JSON.stringify(program),
      current_stage: at.stage,
      stage_started_on: at.startedOn,
      ...stageColumns(program, at.stage),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(
    db,
    { command: ctx.command, action: 'program.generate', entity: 'program', entityId: row.id, clientId, detail: { template: program.templateId, override: program.override } },
    ctx.now,
  );
  return toProgram(row);
}

export async function activeProgram(db: Kysely<Database>, clientId: number): Promise<StoredProgram | undefined> {
  const row = await db.selectFrom('programs').selectAll().where('client_id', '=', clientId).where('status', '=', 'active').executeTakeFirst();
  return row && toProgram(row);
}

/** A client's programs, oldest first, without their snapshots: which one ran when. */
export async function listProgramStarts(db: Kysely<Database>, clientId: number): Promise<{ id: number; startDate: string }[]> {
  const rows = await db.selectFrom('programs').select(['id', 'start_date']).where('client_id', '=', clientId).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, startDate: r.start_date }));
}

/** One program by id (its snapshot parsed). */
export async function getProgram(db: Kysely<Database>, id: number): Promise<StoredProgram | undefined> {
  const row = await db.selectFrom('programs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toProgram(row);
}

/** The program `program` replaced: the client's one generated just before it. */
export async function programBefore(db: Kysely<Database>, program: StoredProgram): Promise<StoredProgram | undefined> {
  const row = await db.selectFrom('programs').selectAll().where('client_id', '=', program.clientId).where('id', '<', program.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row && toProgram(row);
}

export async function listPrograms(db: Kysely<Database>, clientId: number): Promise<StoredProgram[]> {
  const rows = await db.selectFrom('programs').selectAll().where('client_id', '=', clientId).orderBy('id').execute();
  return rows.map(toProgram);
}

/** A program whose stage columns say other than its snapshot's current stage. */
export interface StageColumnsMismatch {
  id: number;
  clientId: number;
  currentStage: number;
  stored: { stageName: string | null; sessionsPerWeek: number | null };
  /** What the snapshot says of the current stage; null when the snapshot does not read as a program. */
  snapshot: { stageName: string | null; sessionsPerWeek: number | null } | null;
}

/**
 * Every program whose stage_name / sessions_per_week disagree with its
 * snapshot (what `summary` shows against what `program status` shows), oldest
 * first. Reads the snapshots a page of ids at a time.
 */
export async function listStageColumnMismatches(db: Kysely<Database>): Promise<StageColumnsMismatch[]> {
  const PAGE = 500;
  const found: StageColumnsMismatch[] = [];
  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom('programs')
      .select(['id', 'client_id', 'snapshot', 'current_stage', 'stage_name', 'sessions_per_week'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const r of rows) {
      let expected: { stageName: string | null; sessionsPerWeek: number | null } | null = null;
      try {
        const program = JSON.parse(r.snapshot) as GeneratedProgram | null;
        if (Array.isArray(program?.stages)) {
          const c = stageColumns(program, r.current_stage);
          expected = { stageName: c.stage_name, sessionsPerWeek: c.sessions_per_week };
        }
      } catch {
        // not JSON: reported below as a snapshot that does not read
      }
      const stored = { stageName: r.stage_name, sessionsPerWeek: r.sessions_per_week === null ? null : Number(r.sessions_per_week) };
      if (expected && expected.stageName === stored.stageName && expected.sessionsPerWeek === stored.sessionsPerWeek) continue;
      found.push({ id: r.id, clientId: r.client_id, currentStage: r.current_stage, stored, snapshot: expected });
    }
    if (rows.length < PAGE) return found;
    after = Number(rows[rows.length - 1]!.id);
  }
}
