/**
 * Following a program stage by stage: `program advance` (the exit criteria
 * with their evidence) and `program status`.
 */
import type { Kysely } from 'kysely';
import { fullName, type Client } from '../domain/client.js';
import { evaluateCriteria, type CriterionResult } from '../domain/criteria.js';
import { daysBetween, plannedSessions } from '../domain/dates.js';
import { adherence } from '../domain/outcomes.js';
import { describeCriterion } from '../domain/program-text.js';
import type { SessionDecision } from '../domain/session.js';
import { intakeInForce } from '../store/intakes.js';
import { activeProgram, type StoredProgram } from '../store/programs.js';
import { advanceStage, listEntries, listReferrals, listSignoffs, recordSignoff, type Referral, type StoredEntry } from '../store/progress.js';
import type { Database } from '../store/schema.js';
import { READ, type App } from './app.js';
import { EXIT, NotFoundError, UsageError, UserError } from './errors.js';
import { resolveClient } from './resolve.js';
import { programFits } from './program-fits.js';

/** The side of the client's condition this program is for, when it has one. */
function affectedSide(conditions: readonly { code: string; side?: string }[], fits: readonly string[]): 'left' | 'right' | 'both' | undefined {
  const c = conditions.find((x) => fits.includes(x.code) && (x.side === 'left' || x.side === 'right' || x.side === 'both'));
  return c?.side as 'left' | 'right' | 'both' | undefined;
}

interface StageState {
  client: Client;
  program: StoredProgram;
  results: CriterionResult[];
  entries: StoredEntry[];
  openReferrals: Referral[];
}

async function stageState(
  db: Kysely<Database>,
  client: Client,
  program: StoredProgram,
  today: string,
  fits: readonly string[],
  pendingSignoffs: readonly { by: 'trainer' | 'clinician'; date: string }[] = [],
): Promise<StageState> {
  const stage = program.program.stages[program.currentStage - 1]!;
  // The entries of this stage since it began (a regenerated program of the same template keeps them).
  const entries = (await listEntries(db, client.id, program.stageStartedOn)).filter((e) => e.stage === program.currentStage);
  const intake = await intakeInForce(db, client.id, today);
  const side = affectedSide(intake?.answers.conditions ?? [], fits);
  const signoffs = [...(await listSignoffs(db, program.id, program.currentStage)), ...pendingSignoffs];
  const results = evaluateCriteria(stage.exitCriteria, entries, { ...(side ? { affectedSide: side } : {}), today, signoffs });
  return { client, program, results, entries, openReferrals: await listReferrals(db, { clientId: client.id, openOnly: true }) };
}

function printCriteria(app: App, results: readonly CriterionResult[]): void {
  const { c } = app.io;
  for (const r of results) app.io.out(`  ${r.met ? c.green('met    ') : c.yellow('not met')}  ${describeCriterion(r.criterion)}: ${r.detail}`);
}

/** `bridgefit program advance <client> [--sign-off trainer|clinician] [--force --reason "…"]` */
export async function advance(app: App, opts: { signOff?: string[]; note?: string; force?: boolean; reason?: string }, args: string[]): Promise<number> {
  const today = app.today();
  for (const by of opts.signOff ?? []) if (by !== 'trainer' && by !== 'clinician') throw new UsageError(`--sign-off: expected trainer or clinician, got "${by}"`);
  if (opts.force && !opts.reason?.trim()) throw new UsageError('--force needs --reason "why", which is recorded');
  if (!opts.force && opts.reason !== undefined) throw new UsageError('--reason goes with --force');
  return app.withStore(async (store) => {
    const client = await resolveClient(store, args[0]!);
    const outcome = await store.write(async (tx) => {
      const program = await activeProgram(tx, client.id);
      if (!program) throw new NotFoundError(`no program for ${fullName(client)} yet; run "bridgefit program generate ${client.id}"`);
      const count = program.program.stages.length;
      if (program.currentStage >= count) throw new UserError(`${fullName(client)} is in the last stage (${count}) of ${program.program.name}; there is no stage to advance to`);
      const fits = await programFits(app)(program.program);
      const pending = (opts.signOff ?? []).map((by) => ({ by: by as 'trainer' | 'clinician', date: today }));
      const state = await stageState(tx, client, program, today, fits, pending);
      const allMet = state.results.every((r) => r.met);
      const blockedByReferral = state.openReferrals.length > 0;
      const evidence = {
        criteria: state.results.map((r) => ({ criterion: describeCriterion(r.criterion), met: r.met, detail: r.detail, entries: r.evidence })),
        openReferralsBypassed: state.openReferrals.map((r) => ({ id: r.id, reason: r.reason })),
      };
      if ((allMet && !blockedByReferral) || opts.force) {
        // Sign-offs are kept only with the advance they allowed: a refused advance changes nothing.
        for (const s of pending) await recordSignoff(tx, { programId: program.id, stage: program.currentStage, by: s.by, on: today, note: opts.note ?? null });
        await advanceStage(
          tx,
          { programId: program.id, clientId: client.id, from: program.currentStage, to: program.currentStage + 1, on: today, forced: !(allMet && !blockedByReferral), reason: opts.reason?.trim() ?? null, evidence },
          app.writeContext(),
        );
        return { advanced: true as const, state, forced: !(allMet && !blockedByReferral), to: program.currentStage + 1 };
      }
      return { advanced: false as const, state, blockedByReferral };
    });
    const { state } = outcome;
    if (app.io.json) {
      app.io.printJson({
        clientId: client.id,
        programId: state.program.id,
        advanced: outcome.advanced,
        forced: outcome.advanced ? outcome.forced : false,
        fromStage: state.program.currentStage,
        toStage: outcome.advanced ? outcome.to : null,
        criteria: state.results.map((r) => ({ criterion: describeCriterion(r.criterion), met: r.met, detail: r.detail, evidence: r.evidence })),
        openReferrals: state.openReferrals.map((r) => ({ id: r.id, reason: r.reason })),
      });
    } else {
      app.io.out(app.io.c.bold(`Stage ${state.program.currentStage}: ${state.program.program.stages[state.program.currentStage - 1]!.name}`) + app.io.c.dim(` (since ${state.program.stageStartedOn})`));
      printCriteria(app, state.results);
      for (const r of state.openReferrals) app.io.out(app.io.c.red(`  open referral ${r.id}: ${r.reason}`));
      if (outcome.advanced && outcome.forced && state.openReferrals.length > 0) app.io.warn(`advanced past ${state.openReferrals.length} open referral(s); recorded with the transition`);
      if (outcome.advanced) app.io.info(`${outcome.forced ? 'Forced: moved' : 'Moved'} ${fullName(client)} to stage ${outcome.to}${outcome.forced ? ` (${opts.reason?.trim()})` : ''}.`);
    }
    if (outcome.advanced) return EXIT.ok;
    app.io.error(
      outcome.blockedByReferral
        ? 'not advanced: a referral is open; resolve it ("bridgefit referral resolve") or use --force --reason'
        : 'not advanced: the exit criteria do not all hold yet; nothing was changed (--force --reason "…" to advance anyway, recorded)',
    );
    return EXIT.failure;
  });
}

/** `bridgefit program status <client>` */
export async function status(app: App, _opts: unknown, args: string[]): Promise<void> {
  const today = app.today();
  const { state, latest } = await app.withStore(async (store) => {
    const client = await resolveClient(store, args[0]!);
    const program = await activeProgram(store.db, client.id);
    if (!program) throw new NotFoundError(`no program for ${fullName(client)} yet; run "bridgefit program generate ${client.id}"`);
    const state = await stageState(store.db, client, program, today, await programFits(app)(program.program));
    const all = await listEntries(store.db, client.id);
    return { state, latest: all.at(-1) };
  }, READ);
  const stage = state.program.program.stages[state.program.currentStage - 1]!;
  const days = daysBetween(state.program.stageStartedOn, today);
  const planned = plannedSessions(stage.sessionsPerWeek, state.program.stageStartedOn, today);
  const attended = state.entries.filter((e) => e.attended).length;
  const adherenceValue = adherence(attended, planned);
  const advice = (latest?.decision as SessionDecision | undefined)?.advice;
  if (app.io.json) {
    app.io.printJson({
      clientId: state.client.id,
      programId: state.program.id,
      stage: state.program.currentStage,
      stages: state.program.program.stages.length,
      stageName: stage.name,
      stageStartedOn: state.program.stageStartedOn,
      daysInStage: days,
      sessionsPlanned: planned,
      sessionsAttended: attended,
      adherence: adherenceValue,
      criteria: state.results.map((r) => ({ criterion: describeCriterion(r.criterion), met: r.met, detail: r.detail })),
      latestAdvice: advice ?? null,
      openReferrals: state.openReferrals.map((r) => ({ id: r.id, raisedOn: r.raisedOn, reason: r.reason })),
    });
    return;
  }
  const { c } = app.io;
  app.io.out(c.bold(`${fullName(state.client)}: stage ${state.program.currentStage} of ${state.program.program.stages.length}, ${stage.name}`));
  app.io.fields([
    [
      'In stage since',
      days < 0
        ? `not yet: the program starts on ${state.program.stageStartedOn} (in ${-days} day${days === -1 ? '' : 's'})`
        : `${state.program.stageStartedOn} (${days} day${days === 1 ? '' : 's'}; planned ${stage.weeks[0]}–${stage.weeks[1]} weeks)`,
    ],
    ['Adherence', adherenceValue === null ? 'no sessions planned yet' : `${attended} of ${planned} planned sessions (${Math.round(adherenceValue * 100)}%)`],
    ['Latest advice', advice ? `${advice.advice} (${latest!.date}): ${advice.reasons.map((r) => r.text).join('; ')}` : 'no session recorded yet'],
    ['Open referrals', state.openReferrals.map((r) => `${r.id}: ${r.reason}`).join('\n') || 'none'],
  ]);
  app.io.out('Exit criteria:');
  printCriteria(app, state.results);
}

