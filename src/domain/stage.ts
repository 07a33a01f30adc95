/**
 * The current stage of a program, as every reader of it must see it: which
 * side its sided criteria measure, which sessions count, and whether each exit
 * criterion holds. `program advance`, `program status`, the clinician report
 * and the demo all ask here, so they can never disagree.
 */
import type { Side } from './conditions.js';
import { evaluateCriteria, type CriterionResult } from './criteria.js';
import type { GeneratedProgram } from './program.js';
import type { ProgressEntry } from './progress-types.js';

/** Where a client is in a program: the stage (1-based) and the day it began. */
export interface ProgramPosition {
  program: Pick<GeneratedProgram, 'stages'>;
  currentStage: number;
  stageStartedOn: string;
}

/**
 * The side of the condition the program is for: the first of the client's
 * conditions that the program's template fits (`fits`) and that has a side;
 * `both` when it is on both sides (then every side recorded must meet a sided
 * criterion). Undefined when the program is for no sided condition.
 */
export function affectedSide(conditions: readonly { code: string; side?: Side | string }[], fits: readonly string[]): Side | undefined {
  const c = conditions.find((x) => fits.includes(x.code) && (x.side === 'left' || x.side === 'right' || x.side === 'both'));
  return c?.side as Side | undefined;
}

/** The sessions of the current stage: on or after the day it began, recorded in it. */
export function currentStageEntries<E extends Pick<ProgressEntry, 'date' | 'stage'>>(position: ProgramPosition, entries: readonly E[]): E[] {
  return entries.filter((e) => e.date >= position.stageStartedOn && e.stage === position.currentStage);
}

/**
 * The current stage's exit criteria, each with whether it holds on the
 * stage's own sessions and the evidence (FACTS §6: stage criteria read on
 * recorded data). `entries` may be all of the client's: only the stage's count.
 */
export function currentStageCriteria(
  position: ProgramPosition,
  entries: readonly ProgressEntry[],
  ctx: { conditions: readonly { code: string; side?: string }[]; fits: readonly string[]; today: string; signoffs: readonly { by: 'trainer' | 'clinician'; date: string }[] },
): CriterionResult[] {
  const stage = position.program.stages[position.currentStage - 1];
  if (!stage) return [];
  const side = affectedSide(ctx.conditions, ctx.fits);
  return evaluateCriteria(stage.exitCriteria, currentStageEntries(position, entries), { ...(side ? { affectedSide: side } : {}), today: ctx.today, signoffs: [...ctx.signoffs] });
}

/** What `program advance` will do, decided from what it read (the apply step only carries it out). */
export interface AdvancePlan {
  advance: boolean;
  /** Advanced although a criterion does not hold or a referral is open (--force, with its reason). */
  forced: boolean;
  /** Not advanced (or forced past it) because a referral is open. */
  blockedByReferral: boolean;
}

/**
 * Advance when every exit criterion holds and no referral is open (an open
 * referral holds progression until resolved, FACTS §3); otherwise only when
 * forced, and then recorded as forced.
 */
export function planAdvance(results: readonly { met: boolean }[], openReferrals: number, force: boolean): AdvancePlan {
  const allMet = results.every((r) => r.met);
  const blockedByReferral = openReferrals > 0;
  const ready = allMet && !blockedByReferral;
  return { advance: ready || force, forced: !ready && force, blockedByReferral };
}
