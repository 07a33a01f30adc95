/**
 * One summary row per client, from figures the database has already added up:
 * adherence, the pain trend, outcomes against baseline, open referrals, and
 * the next thing the trainer should do.
 */
import { plannedSessions } from './dates.js';
import { adherence, outcomeChange, painTrendFromHalves, type OutcomeChange, type PainTrend } from './outcomes.js';
import type { SessionDecision } from './session.js';

export interface ClientFigures {
  clientId: number;
  name: string;
  status: string;
  /** In a clinic, the trainer's login; absent on a trainer's own file. */
  trainer?: string;
  program: { stage: number; stageName: string | null; sessionsPerWeek: number | null; startDate: string; stageStartedOn: string } | null;
  attended: number;
  lastSession: string | null;
  pain: { earlier: { mean: number | null; n: number }; later: { mean: number | null; n: number } };
  outcomes: { code: string; baseline: number; latest: number }[];
  openReferrals: { count: number; first: string | null };
  /** The client's latest screening refers them to a clinician. */
  screeningRefers: boolean;
  /** The client's latest screening needs medical clearance, and none was issued since it (FACTS §1). */
  clearanceNeeded: boolean;
  latestDecision: SessionDecision | null;
}

export interface SummaryRow {
  client: string;
  clientId: number;
  status: string;
  /** In a clinic, whose client (the trainer's login); absent on a trainer's own file. */
  trainer?: string;
  stage: number | null;
  stageName: string | null;
  sessionsPlanned: number;
  sessionsAttended: number;
  adherence: number | null;
  painTrend: PainTrend;
  outcomes: OutcomeChange[];
  openReferrals: number;
  lastSession: string | null;
  nextAction: string;
  flagged: boolean;
}

/** Below this share of planned sessions a client is slipping (TrueCoach-style compliance flag) [U threshold]. */
export const LOW_ADHERENCE = 0.6;

export function summaryRow(f: ClientFigures, window: { from: string; to: string }): SummaryRow {
  const from = f.program && f.program.startDate > window.from ? f.program.startDate : window.from;
  const planned = f.program?.sessionsPerWeek ? plannedSessions(f.program.sessionsPerWeek, from, window.to) : 0;
  const adh = adherence(f.attended, planned);
  const trend = painTrendFromHalves(f.pain.earlier, f.pain.later);
  const outcomes = f.outcomes.map((o) => outcomeChange(o.code, o.baseline, o.latest)).filter((o): o is OutcomeChange => o !== undefined);
  const held = f.latestDecision?.today === 'hold';
  const flagged = f.openReferrals.count > 0 || f.screeningRefers || f.clearanceNeeded || held || trend === 'worsening' || (adh !== null && adh < LOW_ADHERENCE);
  return {
    client: f.name,
    clientId: f.clientId,
    status: f.status,
    stage: f.program?.stage ?? null,
    stageName: f.program?.stageName ?? null,
    sessionsPlanned: planned,
    sessionsAttended: f.attended,
    adherence: adh === null ? null : Math.round(adh * 100) / 100,
    painTrend: trend,
    outcomes,
    openReferrals: f.openReferrals.count,
    lastSession: f.lastSession,
    nextAction: nextAction(f, adh, trend),
    flagged,
    ...(f.trainer !== undefined ? { trainer: f.trainer } : {}),
  };
}

/** The one thing to do next, most urgent first. */
export function nextAction(f: ClientFigures, adh: number | null, trend: PainTrend): string {
  if (f.openReferrals.count > 0) return `follow up the open referral: ${f.openReferrals.first}`;
  if (f.screeningRefers) return 'the screening refers to a clinician: no exercise until they have assessed';
  if (f.clearanceNeeded) return 'the screening needs medical clearance: no program or session until it is on file';
  if (f.latestDecision?.today === 'hold') return 'held at the last session: check before the next one';
  if (!f.program) return 'no program yet: screen and generate one';
  if (!f.lastSession) return 'no session recorded yet';
  if (trend === 'worsening') return 'pain is rising: reduce the load and review';
  if (adh !== null && adh < LOW_ADHERENCE) return 'sessions are being missed: contact the client';
  const advice = f.latestDecision?.advice.advice;
  if (f.lastSession && f.program.stageStartedOn > f.lastSession) return `new stage ${f.program.stage} since ${f.program.stageStartedOn}: start at its first level`;
  if (advice === 'progress') return 'progress: check the exit criteria (program advance)';
  if (advice === 'reduce') return 'reduce the load at the next session';
  if (advice === 'rest') return 'rest, then drop a level';
  return 'repeat the current level';
}
