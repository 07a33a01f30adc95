/**
 * The current stage of a program, as every reader of it must see it: which
 * side its sided criteria measure, which sessions count, and whether each exit
 * criterion holds. `program advance`, `program status`, the clinician report
 * and the demo all ask here, so they can never disagree.
 */
import { CONDITIONS, conditionStart, type ConditionCode, type Side } from './conditions.js';
import { evaluateCriteria, signer, type CriterionResult, type Signoff } from './criteria.js';
import { addDays, addMonths, dateProblem, daysBetween } from './dates.js';
import { ValidationError } from './errors.js';
import { VIGOROUS_FROM, vigorousExercises } from './intensity.js';
import type { GeneratedProgram, PlannedStage } from './program.js';
import { effusionLabel } from './progress-rules.js';
import type { ProgressEntry } from './progress-types.js';
import type { ScreeningVerdict } from './screening.js';

/** Stored with every stage change's evidence; bump when a gate decides differently on the same facts. */
export const STAGE_RULES_VERSION = 'stage-1.0.0';

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
  ctx: { conditions: readonly { code: string; side?: string }[]; fits: readonly string[]; today: string; signoffs: readonly Signoff[] },
): CriterionResult[] {
  const stage = position.program.stages[position.currentStage - 1];
  if (!stage) return [];
  const side = affectedSide(ctx.conditions, ctx.fits);
  return evaluateCriteria(stage.exitCriteria, currentStageEntries(position, entries), { ...(side ? { affectedSide: side } : {}), today: ctx.today, signoffs: [...ctx.signoffs] });
}

/** A gate on the way to the next stage: passed, held, or unknown (held too, until a clinician or --force decides). */
export type GateStatus = 'passed' | 'held' | 'unknown';

export type GateCode = 'exit_criteria' | 'open_referrals' | 'stage_minimum' | 'since_surgery' | 'latest_advice' | 'effusion' | 'vigorous_clearance';

export interface Gate {
  code: GateCode;
  status: GateStatus;
  /** What was found, in the trainer's words ("stage 1 planned minimum 3 weeks: 12 of 21 days"). */
  reason: string;
  /** The published source (or the rule's own basis) a clinician reads beside it. */
  source: string;
}

const SRC = {
  criteria: 'Criteria-based stage progression (University of Delaware; Brinlee et al. 2021; ASSET, Thigpen et al. 2016)',
  referral: "An open referral holds progression until a clinician has seen the client and it is resolved (ACSM's GETP 10th ed. stop criteria and trainer red flags)",
  minimum: "The program template's planned stage duration (weeks [min, max]): time for healing and adaptation gates advancement as well as criteria (ASSET, Thigpen et al. 2016; Brinlee et al. 2021)",
  advice: 'Pain-monitoring model (Thomeé 1997; Silbernagel et al. 2007); soreness rules (Fees et al. 1998)',
  effusion: 'Knee effusion stroke test (Sturgill et al. 2009): rising or 2+ or more, do not advance',
  vigorous: 'ACSM 2015 preparticipation screening (Riebe et al., MSSE 2015;47:2473-9): clearance before vigorous work (RPE ≥6/10, ≥60% HRR)',
} as const;

/** What the vigorous-work gate needs from today's screening. */
export interface VigorousFacts {
  /** Why ACSM 2015 asks for a clearance before vigorous work; null when it does not. */
  clearanceAsked: string | null;
  /** The clearance in force today, when valid (cleared, or cleared with restrictions, not expired). */
  clearance: { clinician: string; profession: string; issuedOn: string; validUntil: string; maxRpe?: number } | null;
}

/**
 * From a screening verdict: does vigorous work wait for a clearance (ACSM
 * 2015, FACTS §1: "clearance recommended before vigorous" for an active client
 * with known disease; recommended before any work without one; the ADA
 * alternative waives it only up to moderate), and is a valid one in force.
 */
export function vigorousFacts(v: Pick<ScreeningVerdict, 'acsm' | 'clearance'>): VigorousFacts {
  const { outcome, rule } = v.acsm;
  const clearanceAsked =
    outcome === 'recommended-before-vigorous'
      ? 'screening: clearance recommended before vigorous work (physically active, known disease, no symptoms)'
      : outcome === 'recommended'
        ? 'screening: medical clearance recommended (then light to moderate, progressing gradually)'
        : outcome === 'discontinue'
          ? 'screening: signs or symptoms; clearance needed before any exercise'
          : rule === 'ada-2016'
            ? 'screening: the ADA rule waives clearance only up to moderate intensity'
            : null;
  const c = v.clearance.inForce;
  // A clearance counts when valid today and, where the screening needs one, when it covers what is known now
  // (not one given before a later diagnosis or new findings).
  const counts = v.clearance.state === 'valid' && (!v.clearance.needed || v.clearance.covers);
  const maxRpe = v.clearance.restrictions.find((r) => r.code === 'max_rpe')?.value;
  const clearance =
    c && counts
      ? { clinician: c.clinician, profession: c.profession, issuedOn: c.issuedOn, validUntil: c.validUntil, ...(typeof maxRpe === 'number' ? { maxRpe } : {}) }
      : null;
  return { clearanceAsked, clearance };
}

/** Everything the gates read, gathered by the caller in one transaction. */
export interface GateFacts {
  position: ProgramPosition;
  today: string;
  /** The current stage's exit criteria as evaluated (currentStageCriteria). */
  results: readonly CriterionResult[];
  openReferrals: readonly { id: number; reason: string }[];
  /** The sessions of the current stage (currentStageEntries), oldest first, with their stored decisions. */
  entries: readonly (ProgressEntry & { decision?: unknown })[];
  /** The intake's conditions (their dates are surgery dates for surgical ones). */
  conditions: readonly { code: string; side?: string; date?: string }[];
  fits: readonly string[];
  /** The current stage's sign-offs, on record and about to be recorded. */
  signoffs: readonly Signoff[];
  vigorous: VigorousFacts;
}

/**
 * The gates between the current stage and the next, each with what it found
 * and its source. `program status` and `program advance` both ask here, so
 * what status shows is what advance decides. In the last stage only the
 * gates about the current stage are listed.
 */
export function stageGates(f: GateFacts): Gate[] {
  const stages = f.position.program.stages;
  const n = f.position.currentStage;
  const stage = stages[n - 1];
  if (!stage) return [];
  const next = stages[n] as PlannedStage | undefined;
  const gates: Gate[] = [criteriaGate(f.results), referralGate(f.openReferrals), minimumGate(stage, n, f.position.stageStartedOn, f.today)];
  if (next?.afterSurgery) gates.push(surgeryGate(next, n + 1, f));
  gates.push(adviceGate(f.entries));
  const effusion = effusionGate(f.entries, affectedSide(f.conditions, f.fits));
  if (effusion) gates.push(effusion);
  if (next) {
    const vigorous = vigorousGate(next, n + 1, f.vigorous);
    if (vigorous) gates.push(vigorous);
  }
  return gates;
}

function criteriaGate(results: readonly CriterionResult[]): Gate {
  const missing = results.filter((r) => !r.met).length;
  return {
    code: 'exit_criteria',
    status: missing === 0 ? 'passed' : 'held',
    reason: missing === 0 ? `every exit criterion holds (${results.length})` : `${missing} of ${results.length} exit criteria not met`,
    source: SRC.criteria,
  };
}

function referralGate(open: readonly { id: number; reason: string }[]): Gate {
  return {
    code: 'open_referrals',
    status: open.length === 0 ? 'passed' : 'held',
    reason: open.length === 0 ? 'no referral open' : `referral${open.length === 1 ? '' : 's'} open: ${open.map((r) => `${r.id} (${r.reason})`).join('; ')}`,
    source: SRC.referral,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The stage's planned minimum (weeks [min, max] → min × 7 days since it began) holds even with a sign-off (FACTS §10). */
function minimumGate(stage: PlannedStage, n: number, startedOn: string, today: string): Gate {
  const need = stage.weeks[0] * 7;
  const days = daysBetween(startedOn, today);
  const head = `stage ${n} planned minimum ${plural(stage.weeks[0], 'week')}`;
  if (days < 0) return { code: 'stage_minimum', status: 'held', reason: `${head}: the stage has not begun (starts ${startedOn})`, source: SRC.minimum };
  const held = days < need;
  return {
    code: 'stage_minimum',
    status: held ? 'held' : 'passed',
    reason: held ? `${head}: ${days} of ${need} days (earliest ${addDays(startedOn, need)})` : `${head}: ${plural(days, 'day')} in the stage (${need} needed)`,
    source: SRC.minimum,
  };
}

/** The day a stage may begin after a surgery on `date`. */
export function earliestAfterSurgery(a: NonNullable<PlannedStage['afterSurgery']>, date: string): string {
  return a.fromWeek !== undefined ? addDays(date, a.fromWeek * 7) : addMonths(date, a.fromMonth!);
}

/**
 * Time since surgery (FACTS §10: rotator cuff repair phase 2 from week 6,
 * phase 3 from week 12, ASSET/Thigpen 2016; ACL return to sport ≥9 months):
 * read against the date of the condition the program fits. Without that date
 * the gate is unknown: it holds until a clinician signs the stage off (the
 * clinician judges the timing then, and the sign-off names them) or --force.
 */
function surgeryGate(next: PlannedStage, n: number, f: GateFacts): Gate {
  const a = next.afterSurgery!;
  const when = a.fromWeek !== undefined ? `week ${a.fromWeek}` : `${plural(a.fromMonth!, 'month')}`;
  const rule = `stage ${n} starts from ${when} after surgery`;
  const surgical = f.conditions.find((c) => f.fits.includes(c.code) && CONDITIONS[c.code as ConditionCode]?.dateKind === 'surgery');
  const label = surgical ? CONDITIONS[surgical.code as ConditionCode].label : f.fits.map((c) => CONDITIONS[c as ConditionCode]?.label ?? c).join(' or ');
  if (!surgical?.date) {
    const missing = surgical ? `${label}: surgery date not recorded` : `no ${label || 'surgery'} on the intake, so no surgery date`;
    const clinician = [...f.signoffs].reverse().find((s) => s.by === 'clinician');
    if (clinician) return { code: 'since_surgery', status: 'passed', reason: `${missing}; ${rule}: passed on the clinician sign-off by ${signer(clinician)} on ${clinician.date}`, source: a.source };
    return {
      code: 'since_surgery',
      status: 'unknown',
      reason: `${missing}; ${rule}: record the date at intake, or a clinician signs the stage off (--sign-off clinician --signed-by …), or --force --reason`,
      source: a.source,
    };
  }
  // A month-only surgery date counts from the month's last day (conditionStart): the gate never opens early.
  const start = conditionStart(surgical)!;
  const from = earliestAfterSurgery(a, start);
  const days = daysBetween(start, f.today);
  const held = f.today < from;
  const dated = start === surgical.date ? surgical.date : `${surgical.date}, counted from ${start}, its last day`;
  return { code: 'since_surgery', status: held ? 'held' : 'passed', reason: `${label} ${days < 0 ? 'in the month given' : `${plural(days, 'day')} ago`} (${dated}); ${rule}, on ${from}`, source: a.source };
}

interface StoredAdvice {
  advice?: { advice?: string; reasons?: { code?: string; text?: string; source?: string }[] };
}

/** The latest session's advice gates advancement: reduce or rest means the stage does not advance (FACTS §4, §10). */
function adviceGate(entries: GateFacts['entries']): Gate {
  const latest = entries.findLast((e) => e.attended && (e.decision as StoredAdvice | undefined)?.advice?.advice !== undefined);
  if (!latest) return { code: 'latest_advice', status: 'passed', reason: 'no session with advice in this stage yet', source: SRC.advice };
  const advice = (latest.decision as StoredAdvice).advice!;
  const held = advice.advice === 'reduce' || advice.advice === 'rest';
  const why = (advice.reasons ?? []).map((r) => r.text).filter(Boolean);
  return {
    code: 'latest_advice',
    status: held ? 'held' : 'passed',
    reason: `latest session (${latest.date}) advised ${advice.advice}${held && why.length ? `: ${why.join('; ')}` : ''}`,
    source: SRC.advice,
  };
}

/**
 * Knee effusion across the stage's last two graded visits on the affected
 * side (every side recorded when it is both or unknown): a rise (trace → 1+)
 * or a grade of 2+ or more holds (Sturgill 2009; FACTS §4, §10). No gate when
 * the stage recorded no effusion.
 */
function effusionGate(entries: GateFacts['entries'], side: Side | undefined): Gate | undefined {
  const bySide = new Map<string, { date: string; grade: number }[]>();
  for (const e of entries) {
    const day = new Map<string, number>();
    for (const m of e.measures) {
      if (m.code !== 'effusion_grade') continue;
      const s = m.side ?? '';
      if ((side === 'left' || side === 'right') && s !== '' && s !== side) continue;
      day.set(s, Math.max(day.get(s) ?? 0, m.value));
    }
    for (const [s, grade] of day) {
      const list = bySide.get(s) ?? [];
      // A visit is a day: the later entry of a day counts (FACTS §6 "on two visits").
      if (list.at(-1)?.date === e.date) list.pop();
      list.push({ date: e.date, grade });
      bySide.set(s, list);
    }
  }
  if (bySide.size === 0) return undefined;
  const found: string[] = [];
  let held = false;
  for (const [s, list] of [...bySide].sort(([a], [b]) => a.localeCompare(b))) {
    const knee = s ? `${s} knee` : 'knee';
    const last = list.at(-1)!;
    const before = list.at(-2);
    const rising = before !== undefined && last.grade > before.grade;
    const high = last.grade >= 3;
    if (rising || high) held = true;
    const trend = before ? `${effusionLabel(before.grade)} on ${before.date} → ${effusionLabel(last.grade)} on ${last.date}` : `${effusionLabel(last.grade)} on ${last.date}`;
    found.push(`${knee} ${trend}${rising ? ': rising' : high ? ': 2+ or more' : ''}`);
  }
  return { code: 'effusion', status: held ? 'held' : 'passed', reason: `knee effusion (stroke test) ${found.join('; ')}`, source: SRC.effusion };
}

/**
 * A stage whose dose reaches vigorous (RPE ≥6/10 CR10 or ≥60% HRR) waits for a
 * clearance in force when the screening asks for one before vigorous work
 * (Riebe 2015; FACTS §1, §10). No gate when the stage stays moderate.
 */
function vigorousGate(next: PlannedStage, n: number, v: VigorousFacts): Gate | undefined {
  const hard = vigorousExercises(next.exercises);
  if (hard.length === 0) return undefined;
  const dose = `stage ${n} reaches vigorous intensity (${hard.slice(0, 3).join('; ')}${hard.length > 3 ? `; ${hard.length - 3} more` : ''})`;
  if (v.clearanceAsked === null) return { code: 'vigorous_clearance', status: 'passed', reason: `${dose}; the screening asks no clearance for vigorous work`, source: SRC.vigorous };
  if (!v.clearance) return { code: 'vigorous_clearance', status: 'held', reason: `${dose}; ${v.clearanceAsked}, and no clearance is in force`, source: SRC.vigorous };
  if (v.clearance.maxRpe !== undefined && v.clearance.maxRpe < VIGOROUS_FROM.rpe) {
    return {
      code: 'vigorous_clearance',
      status: 'held',
      reason: `${dose}; the clearance by ${v.clearance.clinician} caps effort at RPE ${v.clearance.maxRpe}/10: regenerate the program under it`,
      source: SRC.vigorous,
    };
  }
  return {
    code: 'vigorous_clearance',
    status: 'passed',
    reason: `${dose}; cleared by ${v.clearance.clinician} (${v.clearance.profession}) on ${v.clearance.issuedOn}, valid until ${v.clearance.validUntil}`,
    source: SRC.vigorous,
  };
}

/** What `program advance` will do, decided from the gates (the apply step only carries it out). */
export interface AdvancePlan {
  advance: boolean;
  /** Advanced although a gate held (--force, with its reason). */
  forced: boolean;
  /** The gates that did not pass: what was forced past, or why it did not advance. */
  held: Gate[];
  /** Not advanced (or forced past it) because a referral is open. */
  blockedByReferral: boolean;
}

/**
 * Advance when every gate passes (exit criteria, no open referral — FACTS §3 —,
 * the stage minimum, the time since surgery, the latest advice, effusion,
 * clearance for vigorous work). A sign-off counts only towards the criteria:
 * the time gates and the rest hold even with one. Only --force with a
 * reason passes a held or unknown gate, and is then recorded as forced.
 */
export function planAdvance(gates: readonly Gate[], force: { force: boolean; reason?: string | undefined }): AdvancePlan {
  const held = gates.filter((g) => g.status !== 'passed');
  const blockedByReferral = held.some((g) => g.code === 'open_referrals');
  if (held.length === 0) return { advance: true, forced: false, held, blockedByReferral };
  const forced = force.force && (force.reason ?? '').trim() !== '';
  return { advance: forced, forced, held, blockedByReferral };
}

/** A sign-off as a trainer gives it at `program advance`: the role, and who, with what profession, on which day. */
export interface SignoffRequest {
  by: 'trainer' | 'clinician';
  name?: string | undefined;
  profession?: string | undefined;
  /** YYYY-MM-DD; today when not given. */
  on?: string | undefined;
}

/**
 * A sign-off must say who gave it and when (issue 15: not only a word). A
 * trainer's name defaults to the trainer on file (config trainer.name) and
 * their profession to "trainer"; a clinician's name and profession are always
 * given. The day is today unless given, never in the future, and within the
 * stage (on or after the day it began).
 */
export function checkSignoff(req: SignoffRequest, ctx: { today: string; stageStartedOn: string; trainerName?: string | undefined }): Signoff & { name: string; profession: string } {
  const name = (req.name ?? (req.by === 'trainer' ? ctx.trainerName : undefined) ?? '').normalize('NFC').trim();
  if (!name) {
    throw new ValidationError(
      'signed-by',
      req.by === 'trainer'
        ? '--sign-off trainer needs --signed-by "name" (or set your name once: bridgefit config set trainer.name "Sam Rivera")'
        : '--sign-off clinician needs --signed-by "name" and --profession, e.g. --signed-by "Dr A. Physio" --profession physiotherapist',
    );
  }
  const profession = (req.profession ?? (req.by === 'trainer' ? 'trainer' : '')).normalize('NFC').trim();
  if (!profession) throw new ValidationError('profession', `--sign-off clinician needs --profession (e.g. physiotherapist, orthopaedic surgeon, physician) for ${name}`);
  const on = req.on ?? ctx.today;
  const bad = dateProblem(on);
  if (bad) throw new ValidationError('signed-on', `--signed-on: ${bad}`);
  if (on > ctx.today) throw new ValidationError('signed-on', `--signed-on ${on} is in the future`);
  if (on < ctx.stageStartedOn) throw new ValidationError('signed-on', `--signed-on ${on} is before the stage began (${ctx.stageStartedOn}); a sign-off is for the stage the client is in`);
  return { by: req.by, name, profession, date: on };
}

/** Where a new program starts: the stage, and why (for the program's explanations). */
export type StartingStage = { ok: true; stage: number; why?: string } | { ok: false; reason: string };

/**
 * The stage a new program starts at (issue 16: a client who arrives weeks
 * after surgery). `asked` (--stage N) is taken when the time after surgery
 * allows it; by default, the latest stage whose time after surgery has come on
 * the start day (`afterSurgery`, FACTS §10: rotator cuff repair phase 2 from
 * week 6, phase 3 from week 12, phase 4 from week 20, ASSET/Thigpen 2016; ACL
 * return to sport from 9 months). Criteria-based stages (no `afterSurgery`,
 * e.g. knee replacement) start at 1 unless asked: time alone never says that
 * their exit criteria were met.
 */
export function startingStage(
  stages: readonly Pick<PlannedStage, 'name' | 'afterSurgery'>[],
  fits: readonly string[],
  conditions: readonly { code: string; date?: string }[],
  start: string,
  asked?: number,
): StartingStage {
  const surgical = conditions.find((c) => fits.includes(c.code) && CONDITIONS[c.code as ConditionCode]?.dateKind === 'surgery');
  // A month-only surgery date counts from its last day (conditionStart), the conservative end.
  const since = surgical && conditionStart(surgical);
  const reached = (n: number) => {
    const a = stages[n - 1]?.afterSurgery;
    return !a || (since !== undefined && earliestAfterSurgery(a, since) <= start);
  };
  if (asked !== undefined) {
    if (!Number.isInteger(asked) || asked < 1 || asked > stages.length) return { ok: false, reason: `--stage ${asked}: the program has stages 1–${stages.length}` };
    const a = stages[asked - 1]!.afterSurgery;
    if (a && !reached(asked)) {
      const when = a.fromWeek !== undefined ? `week ${a.fromWeek}` : plural(a.fromMonth!, 'month');
      const known = since ? `the surgery was on ${since}, so from ${earliestAfterSurgery(a, since)}` : 'the intake records no surgery date';
      return { ok: false, reason: `stage ${asked} (${stages[asked - 1]!.name}) starts from ${when} after surgery (${a.source}); ${known}` };
    }
    if (asked === 1) return { ok: true, stage: 1 };
    return { ok: true, stage: asked, why: `Starts at stage ${asked} (${stages[asked - 1]!.name}), as asked (--stage ${asked}): the earlier stages' exit criteria were not checked here; the treating clinician's assessment stands for them` };
  }
  let stage = 1;
  for (let n = 2; n <= stages.length; n++) if (stages[n - 1]!.afterSurgery && reached(n)) stage = n;
  if (stage === 1) return { ok: true, stage };
  const a = stages[stage - 1]!.afterSurgery!;
  return {
    ok: true,
    stage,
    why: `Starts at stage ${stage} (${stages[stage - 1]!.name}): ${plural(daysBetween(since!, start), 'day')} after surgery on the start day, and this stage is from ${a.fromWeek !== undefined ? `week ${a.fromWeek}` : plural(a.fromMonth!, 'month')} (${a.source}); the earlier stages' exit criteria were not checked here: confirm them with the treating clinician (--stage 1 starts at the beginning)`,
  };
}
