/**
 * Following a program stage by stage: where the client is and whether the
 * current stage's exit criteria hold (`program status`, `program advance`,
 * the demo), and moving on: read → pure plan (domain/stage.ts) → apply.
 */
import type { Kysely } from 'kysely';
import { fullName, type Client } from '../domain/client.js';
import type { CriterionResult, Signoff } from '../domain/criteria.js';
import { describeCriterion } from '../domain/program-text.js';
import type { Referral } from '../domain/referral.js';
import { resolveSettings, resolveTrainer } from '../domain/settings.js';
import {
  checkSignoff,
  currentStageCriteria,
  currentStageEntries,
  planAdvance,
  stageGates,
  STAGE_RULES_VERSION,
  vigorousFacts,
  type Gate,
  type SignoffRequest,
  type VigorousFacts,
} from '../domain/stage.js';
import { intakeInForce } from '../store/intakes.js';
import { activeProgram, type StoredProgram } from '../store/programs.js';
import { advanceStage as storeAdvance, listEntries, listReferrals, listSignoffs, recordSignoff, type StoredEntry } from '../store/progress.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { Ctx } from './context.js';
import { getStoredSettings } from '../store/meta.js';
import { programRestrictionDrift } from './clearances.js';
import { NotFoundError, UsageError, UserError } from './errors.js';
import type { FitsOf, LoadRulesOf, TimingOf } from './fits.js';
import { screenToday } from './screen-client.js';
import { scheduledOutcomes } from './progress.js';
import type { OutcomeDue } from '../domain/outcome-schedule.js';
import { nextLoads, type LoadSuggestion } from './next-loads.js';
import { actingSettings } from './settings.js';
import { memberDetails } from '../store/members.js';

export type { Gate, SignoffRequest, StoredProgram };

export type SignedBy = 'trainer' | 'clinician';

/** The current stage as the rules read it on `today`. */
export interface StageState {
  client: Client;
  program: StoredProgram;
  results: CriterionResult[];
  /** The sessions of the current stage. */
  entries: StoredEntry[];
  openReferrals: Referral[];
  /** The stage's sign-offs: on record, then any this advance would record. */
  signoffs: Signoff[];
  /** Every gate to the next stage (domain/stage.ts stageGates), as status shows and advance decides. */
  gates: Gate[];
  /** The clearance in force restricts otherwise than the one the program was built with: regenerate (null when they agree). */
  restrictionDrift: string | null;
  /** The next session's suggested load for each loaded exercise of the stage (domain/load-progression.ts). */
  nextLoads: LoadSuggestion[];
}

/**
 * The current stage's exit criteria on its sessions and every gate to the next
 * stage, with the sign-offs on record and `pending` ones (those an advance
 * records if it goes ahead). One function for `program status` and `program
 * advance`, so both say the same.
 */
/** Without a template library: each stage's timing as its snapshot keeps it. */
const snapshotTiming: TimingOf = async (program, n) => program.stages[n - 1]?.afterSurgery ?? null;

export async function stageState(
  db: Kysely<Database>,
  client: Client,
  program: StoredProgram,
  today: string,
  fits: FitsOf,
  pending: readonly Signoff[] = [],
  timing: TimingOf = snapshotTiming,
  rulesOf?: LoadRulesOf,
  /** All the client's entries, when the caller has read them already: the stage's are picked from these instead of read again. */
  allEntries?: readonly StoredEntry[],
): Promise<StageState> {
  // The entries since the stage began (a regenerated program of the same template keeps them).
  const entries = currentStageEntries(program, allEntries ?? (await listEntries(db, client.id, program.stageStartedOn)));
  const intake = await intakeInForce(db, client.id, today);
  const signoffs: Signoff[] = [...(await listSignoffs(db, program.id, program.currentStage)), ...pending];
  const conditions = intake?.answers.conditions ?? [];
  const programFits = await fits(program.program);
  const results = currentStageCriteria(program, entries, { conditions, fits: programFits, today, signoffs });
  const openReferrals = await listReferrals(db, { clientId: client.id, openOnly: true });
  // Today's screening, not kept: whether vigorous work waits for a clearance, and whether one is in force.
  const vigorous: VigorousFacts = intake
    ? vigorousFacts((await screenToday(db, client, intake, today)).verdict)
    : { clearanceAsked: 'no intake in force, so no screening', clearance: null };
  // The next stage's time after surgery: a program generated before snapshots kept it reads its template's.
  const nextNumber = program.currentStage + 1;
  const next = program.program.stages[nextNumber - 1];
  const afterSurgery = next ? await timing(program.program, nextNumber) : null;
  const stages = next && afterSurgery !== (next.afterSurgery ?? null) ? program.program.stages.map((s) => (s.number === nextNumber ? { ...s, afterSurgery } : s)) : program.program.stages;
  const position = { program: { stages }, currentStage: program.currentStage, stageStartedOn: program.stageStartedOn };
  const gates = stageGates({ position, today, results, openReferrals, entries, conditions, fits: programFits, signoffs, vigorous });
  const loads = await nextLoads(db, program, entries, resolveSettings(await getStoredSettings(db)), today, rulesOf);
  return { client, program, results, entries, openReferrals, signoffs, gates, restrictionDrift: await programRestrictionDrift(db, client.id, today, program), nextLoads: loads };
}

async function requireProgram(db: Kysely<Database>, client: Client): Promise<StoredProgram> {
  const program = await activeProgram(db, client.id);
  if (!program) throw new NotFoundError(`no program for ${fullName(client)} yet; run "bridgefit program generate ${client.id}"`);
  return program;
}

/** `program status`: the current stage's state, its gates, the latest entry (its advice) and the scheduled outcome scores. */
export async function stageStatus(store: Store, client: Client, fits: FitsOf, today: string, timing?: TimingOf, rulesOf?: LoadRulesOf): Promise<{ state: StageState; latest: StoredEntry | undefined; outcomes: OutcomeDue[] }> {
  const program = await requireProgram(store.db, client);
  // Read once: the stage's entries are among them (150 sessions' JSON, about 5 ms a read on the bench's database).
  const entries = await listEntries(store.db, client.id);
  const state = await stageState(store.db, client, program, today, fits, [], timing, rulesOf, entries);
  return { state, latest: entries.at(-1), outcomes: scheduledOutcomes(program, entries, today) };
}

export interface AdvanceRequest {
  /** A sign-off for the current stage (who, profession, day), recorded only when the advance goes ahead. */
  signOff?: SignoffRequest;
  note?: string;
  force?: boolean;
  /** Why, when forcing; recorded with the transition. */
  reason?: string;
}

export type AdvanceOutcome =
  | { advanced: true; forced: boolean; to: number; state: StageState; held: Gate[] }
  | { advanced: false; blockedByReferral: boolean; state: StageState; held: Gate[] };

/**
 * `program advance`: move to the next stage when every gate passes (exit
 * criteria, no open referral, the stage minimum, time since surgery, the
 * latest advice, effusion, clearance for vigorous work), or when forced with a
 * reason (recorded as forced, with the gates it passed). A refused advance
 * changes nothing. The gates' outcome is kept with the transition, with the
 * rule version that made it.
 */
export async function advanceStage(store: Store, client: Client, req: AdvanceRequest, fits: FitsOf, ctx: Ctx, timing?: TimingOf): Promise<AdvanceOutcome> {
  const today = ctx.today;
  const reason = req.reason?.trim();
  if (req.force && !reason) throw new UsageError('--force needs --reason "why", which is recorded with the transition');
  if (!req.force && req.reason !== undefined) throw new UsageError('--reason goes with --force');
  // In a clinic, a clinician moves a stage on only by signing it off (the server's policies hold them to it too).
  if (store.clinic?.role === 'clinician' && (req.signOff?.by !== 'clinician' || req.force)) {
    throw new UserError('a clinician advances a stage only with their own sign-off: bridgefit program advance <client> --sign-off clinician (never --force)');
  }
  return store.write(async (tx) => {
    const program = await requireProgram(tx, client);
    const count = program.program.stages.length;
    if (program.currentStage >= count) throw new UserError(`${fullName(client)} is in the last stage (${count}) of ${program.program.name}; there is no stage to advance to`);
    const trainerName = resolveTrainer(await actingSettings(store, tx))['trainer.name'] || undefined;
    // A clinician signing in a clinic signs as the member they are, unless the flags say otherwise.
    const own = store.clinic?.role === 'clinician' && req.signOff ? await memberDetails(tx, store.clinic.login) : undefined;
    const signOff = req.signOff && own ? { ...req.signOff, name: req.signOff.name ?? own.name ?? undefined, profession: req.signOff.profession ?? own.profession ?? undefined } : req.signOff;
    const pending = signOff ? [checkSignoff(signOff, { today, stageStartedOn: program.stageStartedOn, trainerName })] : [];
    const state = await stageState(tx, client, program, today, fits, pending, timing);
    const plan = planAdvance(state.gates, { force: Boolean(req.force), reason });
    if (!plan.advance) return { advanced: false as const, blockedByReferral: plan.blockedByReferral, state, held: plan.held };
    // Sign-offs are kept only with the advance they allowed.
    for (const s of pending) {
      await recordSignoff(tx, { programId: program.id, stage: program.currentStage, by: s.by, on: s.date, name: s.name ?? null, profession: s.profession ?? null, note: req.note ?? null, recordedAt: ctx.now });
    }
    const evidence = {
      ruleVersion: STAGE_RULES_VERSION,
      gates: state.gates.map((g) => ({ code: g.code, status: g.status, reason: g.reason, source: g.source })),
      forcedPast: plan.forced ? plan.held.map((g) => g.code) : [],
      criteria: state.results.map((r) => ({ criterion: describeCriterion(r.criterion), met: r.met, detail: r.detail, entries: r.evidence })),
      signoffs: state.signoffs.map((s) => ({ by: s.by, name: s.name ?? null, profession: s.profession ?? null, date: s.date })),
      openReferralsBypassed: state.openReferrals.map((r) => ({ id: r.id, reason: r.reason })),
    };
    await storeAdvance(
      tx,
      { programId: program.id, clientId: client.id, from: program.currentStage, to: program.currentStage + 1, on: today, forced: plan.forced, reason: plan.forced ? (reason ?? null) : null, evidence },
      ctx,
    );
    return { advanced: true as const, forced: plan.forced, to: program.currentStage + 1, state, held: plan.held };
  });
}
