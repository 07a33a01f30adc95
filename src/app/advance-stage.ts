/**
 * Following a program stage by stage: where the client is and whether the
 * current stage's exit criteria hold (`program status`, `program advance`,
 * the demo), and moving on: read → pure plan (domain/stage.ts) → apply.
 */
import type { Kysely } from 'kysely';
import { fullName, type Client } from '../domain/client.js';
import type { CriterionResult } from '../domain/criteria.js';
import { describeCriterion } from '../domain/program-text.js';
import type { Referral } from '../domain/referral.js';
import { currentStageCriteria, currentStageEntries, planAdvance } from '../domain/stage.js';
import { intakeInForce } from '../store/intakes.js';
import { activeProgram, type StoredProgram } from '../store/programs.js';
import { advanceStage as storeAdvance, listEntries, listReferrals, listSignoffs, recordSignoff, type StoredEntry } from '../store/progress.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { Ctx } from './context.js';
import { NotFoundError, UserError } from './errors.js';
import type { FitsOf } from './fits.js';

export type { StoredProgram };

export type SignedBy = 'trainer' | 'clinician';

/** The current stage as the rules read it on `today`. */
export interface StageState {
  client: Client;
  program: StoredProgram;
  results: CriterionResult[];
  /** The sessions of the current stage. */
  entries: StoredEntry[];
  openReferrals: Referral[];
}

/**
 * The current stage's exit criteria on its sessions, with the sign-offs on
 * record and `pending` ones (those an advance records if it goes ahead).
 */
export async function stageState(db: Kysely<Database>, client: Client, program: StoredProgram, today: string, fits: FitsOf, pending: readonly { by: SignedBy; date: string }[] = []): Promise<StageState> {
  // The entries since the stage began (a regenerated program of the same template keeps them).
  const entries = currentStageEntries(program, await listEntries(db, client.id, program.stageStartedOn));
  const intake = await intakeInForce(db, client.id, today);
  const signoffs = [...(await listSignoffs(db, program.id, program.currentStage)), ...pending];
  const results = currentStageCriteria(program, entries, { conditions: intake?.answers.conditions ?? [], fits: await fits(program.program), today, signoffs });
  return { client, program, results, entries, openReferrals: await listReferrals(db, { clientId: client.id, openOnly: true }) };
}

async function requireProgram(db: Kysely<Database>, client: Client): Promise<StoredProgram> {
  const program = await activeProgram(db, client.id);
  if (!program) throw new NotFoundError(`no program for ${fullName(client)} yet; run "bridgefit program generate ${client.id}"`);
  return program;
}

/** `program status`: the current stage's state and the latest entry (its advice). */
export async function stageStatus(store: Store, client: Client, fits: FitsOf, today: string): Promise<{ state: StageState; latest: StoredEntry | undefined }> {
  const program = await requireProgram(store.db, client);
  const state = await stageState(store.db, client, program, today, fits);
  return { state, latest: (await listEntries(store.db, client.id)).at(-1) };
}

export interface AdvanceRequest {
  /** Sign-offs for the current stage, recorded only when the advance goes ahead. */
  signOffs: readonly SignedBy[];
  note?: string;
  force?: boolean;
  /** Why, when forcing; recorded with the transition. */
  reason?: string;
}

export type AdvanceOutcome =
  | { advanced: true; forced: boolean; to: number; state: StageState }
  | { advanced: false; blockedByReferral: boolean; state: StageState };

/**
 * `program advance`: move to the next stage when the current stage's exit
 * criteria hold and no referral is open, or when forced (recorded as forced,
 * with the reason and the referrals passed). A refused advance changes nothing.
 */
export async function advanceStage(store: Store, client: Client, req: AdvanceRequest, fits: FitsOf, ctx: Ctx): Promise<AdvanceOutcome> {
  const today = ctx.today;
  return store.write(async (tx) => {
    const program = await requireProgram(tx, client);
    const count = program.program.stages.length;
    if (program.currentStage >= count) throw new UserError(`${fullName(client)} is in the last stage (${count}) of ${program.program.name}; there is no stage to advance to`);
    const pending = req.signOffs.map((by) => ({ by, date: today }));
    const state = await stageState(tx, client, program, today, fits, pending);
    const plan = planAdvance(state.results, state.openReferrals.length, Boolean(req.force));
    if (!plan.advance) return { advanced: false as const, blockedByReferral: plan.blockedByReferral, state };
    // Sign-offs are kept only with the advance they allowed.
    for (const s of pending) await recordSignoff(tx, { programId: program.id, stage: program.currentStage, by: s.by, on: today, note: req.note ?? null });
    const evidence = {
      criteria: state.results.map((r) => ({ criterion: describeCriterion(r.criterion), met: r.met, detail: r.detail, entries: r.evidence })),
      openReferralsBypassed: state.openReferrals.map((r) => ({ id: r.id, reason: r.reason })),
    };
    await storeAdvance(
      tx,
      { programId: program.id, clientId: client.id, from: program.currentStage, to: program.currentStage + 1, on: today, forced: plan.forced, reason: req.reason?.trim() ?? null, evidence },
      ctx,
    );
    return { advanced: true as const, forced: plan.forced, to: program.currentStage + 1, state };
  });
}
