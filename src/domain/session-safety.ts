/**
 * Session rules beyond pain, soreness and vitals (FACTS §4, §6, §10): effort
 * and load above the program's caps or rising for the same work, a fall
 * since the last session, and pain or knee effusion already too high before
 * the session. Pure: the entry, the sessions before it and the caps in; the
 * checks (before the session) and warnings (flagged on the entry, no
 * referral) out, each with its source.
 */
import type { Restriction } from './clearance.js';
import type { ConditionCode } from './conditions.js';
import type { ProgressEntry } from './progress-types.js';
import type { Reason } from './reason.js';
import { MEASURE_JOINT } from './template-terms.js';

/** A finding flagged on the entry and in the report that holds progression but refers no one. */
export interface SessionWarning {
  code: string;
  text: string;
  source: string;
}

const SRC = {
  effort: 'Effort above the program’s cap or rising for the same work is a warning sign: no progression (AACVPR, Squires et al. 2018; Mytinger et al. 2020) [confirmed for cardiac clients, a bridgefit default elsewhere]',
  rising: 'Effort rising for the same work: no progression (AACVPR, Squires et al. 2018; Mytinger et al. 2020); 3 rises in a row is a bridgefit default [unconfirmed]',
  load: 'The clearance’s restriction (max_load_kg): the clinician’s limit is kept; no progression past it',
  fracture: 'Possible vertebral fragility fracture after a fall, or new back pain or height loss in osteoporosis: hold and refer (Giangregorio et al. 2014, Too Fit To Fracture; CDC STEADI)',
  fallRisk: 'A fall in a client at risk of falls: hold and refer for a falls assessment (CDC STEADI; Otago, Campbell & Robertson)',
  fall: 'A fall since the last session: ask what happened and about any injury; do not progress at this session (CDC STEADI)',
  pain: 'Pain-monitoring model: above 5/10 is outside the acceptable zone (Thomeé, Phys Ther 1997; Silbernagel et al., Am J Sports Med 2007)',
  effusion: 'Knee effusion stroke test: 2+ or more holds progression (Sturgill et al. 2009)',
  rom: 'The clearance’s range-of-motion limit (rom.<joint>.<side>): the clinician’s limit is kept; no work past it',
} as const;

/** A cap and who set it. */
export interface Cap {
  value: number;
  by: string;
}

export interface EffortCaps {
  /** Highest effort allowed, CR10. */
  rpe?: Cap;
  /** Heaviest external load allowed, kg. */
  loadKg?: Cap;
}

/** What the effort rules need of the stage in force: its planned exercises' effort ranges (already capped by the clearance and overlays at generation). */
export interface StageEffort {
  number: number;
  exercises: readonly { dose: { rpe: readonly [number, number] } }[];
}

/**
 * The caps a session is held to: the top of the stage's planned effort (the
 * highest RPE any of its exercises plans, CR10) and the clearance's
 * `max_rpe` and `max_load_kg` in force on the day; the stricter wins.
 */
export function effortCaps(stage: StageEffort | undefined, restrictions: readonly Restriction[]): EffortCaps {
  const caps: EffortCaps = {};
  const tops = (stage?.exercises ?? []).map((x) => x.dose.rpe[1]);
  if (tops.length > 0) caps.rpe = { value: Math.max(...tops), by: `stage ${stage!.number}'s planned effort (RPE up to ${Math.max(...tops)}/10)` };
  for (const r of restrictions) {
    const v = Number(r.value);
    if (!Number.isFinite(v)) continue;
    if (r.code === 'max_rpe' && (caps.rpe === undefined || v <= caps.rpe.value)) caps.rpe = { value: v, by: `the clearance's max_rpe=${v}` };
    if (r.code === 'max_load_kg' && (caps.loadKg === undefined || v < caps.loadKg.value)) caps.loadKg = { value: v, by: `the clearance's max_load_kg=${v}` };
  }
  return caps;
}

/**
 * An RPE on the Borg 6–20 scale as CR10, by the ACSM classes (FACTS §5: light
 * 9–11, moderate 12–13, vigorous ≥14 on 6–20; CR10 2–3 light, 4–5 moderate,
 * 6–7 hard, 8–9 very hard, 10 maximal), each Borg value at the top of its
 * class so a cap is never passed unseen [U: the scales are not linear].
 */
export function cr10Of(rpe: NonNullable<ProgressEntry['rpe']>): number {
  if (rpe.scale === 'cr10') return rpe.value;
  const borg = Math.round(rpe.value);
  const table: Record<number, number> = { 6: 0, 7: 1, 8: 1, 9: 2, 10: 3, 11: 3, 12: 4, 13: 5, 14: 6, 15: 7, 16: 7, 17: 8, 18: 9, 19: 9, 20: 10 };
  return table[Math.min(20, Math.max(6, borg))]!;
}

function rpeText(rpe: NonNullable<ProgressEntry['rpe']>): string {
  return rpe.scale === 'cr10' ? `${rpe.value}/10` : `${rpe.value}/20 (Borg; about ${cr10Of(rpe)}/10)`;
}

/** Rises in a row, for the same work, that count as effort rising [U default]. */
export const RPE_RISES = 3;

/** The same work: the same stage and the same exercises, sets, reps, time and load. */
function workOf(e: ProgressEntry): string {
  const ex = e.exercises
    .map((x) => `${x.exerciseId}:${x.sets ?? ''}:${x.reps ?? ''}:${x.seconds ?? ''}:${x.loadKg ?? ''}`)
    .sort()
    .join(',');
  return `${e.stage ?? ''}|${ex}`;
}

/**
 * Effort and load (FACTS §10; AACVPR; Mytinger 2020): RPE above the cap,
 * RPE rising on {@link RPE_RISES} sessions in a row for the same work, and
 * a recorded load above the clearance's `max_load_kg`. Each is a warning:
 * no progression, flagged in the report. `previous`: earlier entries, oldest first.
 */
export function effortWarnings(entry: ProgressEntry, previous: readonly ProgressEntry[], caps: EffortCaps): SessionWarning[] {
  if (!entry.attended) return [];
  const out: SessionWarning[] = [];
  const rpe = entry.rpe;
  if (rpe && caps.rpe && cr10Of(rpe) > caps.rpe.value) {
    out.push({ code: 'rpe_above_cap', text: `Effort RPE ${rpeText(rpe)} is above the cap of ${caps.rpe.value}/10 (${caps.rpe.by}): do not progress; hold this level and lower the effort to the cap`, source: SRC.effort });
  }
  if (rpe) {
    // Walk back over the sessions with an RPE for the same work; a change of work ends the run.
    const work = workOf(entry);
    const run: ProgressEntry[] = [entry];
    for (let i = previous.length - 1; i >= 0 && run.length <= RPE_RISES; i--) {
      const p = previous[i]!;
      if (!p.attended || !p.rpe) continue;
      if (workOf(p) !== work) break;
      run.unshift(p);
    }
    const values = run.map((e) => cr10Of(e.rpe!));
    if (run.length === RPE_RISES + 1 && values.every((v, i) => i === 0 || v > values[i - 1]!)) {
      const series = run.map((e) => `${e.date} ${rpeText(e.rpe!)}`).join(', ');
      out.push({ code: 'rpe_rising', text: `Effort rising on ${RPE_RISES} sessions in a row for the same work (${series}): do not progress; hold this level and find out why`, source: SRC.rising });
    }
  }
  if (caps.loadKg) {
    const heavy = entry.exercises.filter((x) => x.loadKg !== undefined && x.loadKg > caps.loadKg!.value);
    if (heavy.length > 0) {
      out.push({
        code: 'load_above_cap',
        text: `Load above ${caps.loadKg.value} kg (${caps.loadKg.by}): ${heavy.map((x) => `${x.exerciseId.replace(/_/g, ' ')} ${x.loadKg} kg`).join(', ')}: do not progress; keep loads within the clinician's limit`,
        source: SRC.load,
      });
    }
  }
  return out;
}

/** Whom a fall puts at risk of harm (FACTS §10): osteoporosis, or a falls risk (the condition, or a falls-prevention program). */
export interface FallContext {
  conditions: readonly ConditionCode[];
  /** The template of the program in force that day, if any. */
  programTemplateId?: string;
}

/**
 * A fall since the last session, new back or rib pain, new height loss
 * (FACTS §10; Giangregorio 2014 Too Fit To Fracture; CDC STEADI): a fall
 * with new back pain or height loss, any of them in osteoporosis, and a
 * fall in a falls risk hold and refer (checks of severity refer); a fall
 * elsewhere is a warning: recorded, shown, no progression.
 */
export function fallFindings(entry: ProgressEntry, ctx: FallContext): { checks: Reason[]; warnings: SessionWarning[] } {
  const out = { checks: [] as Reason[], warnings: [] as SessionWarning[] };
  const has = (s: string) => (entry.symptoms as readonly string[]).includes(s);
  const fell = has('fall');
  const spine = ['new_back_pain', 'height_loss'].filter(has);
  const spineText = spine.map((s) => (s === 'new_back_pain' ? 'new back or rib pain' : 'new height loss')).join(' and ');
  const osteoporosis = ctx.conditions.includes('osteoporosis');
  const fallsRisk = ctx.conditions.includes('falls_risk') || ctx.programTemplateId === 'falls_prevention';
  const refer = (code: string, text: string, source: string) => out.checks.push({ code, severity: 'refer', text, source });
  if (fell && (spine.length > 0 || osteoporosis)) {
    const why = spine.length > 0 ? `with ${spineText}` : 'in osteoporosis';
    refer('fall_possible_fracture', `A fall since the last session ${why}: possible fragility fracture (vertebral, hip, wrist or rib): no session; refer to a doctor before training again`, SRC.fracture);
  } else if (fell && fallsRisk) {
    refer('fall_review', `A fall since the last session in a client at risk of falls${ctx.conditions.includes('falls_risk') ? '' : ' (falls-prevention program)'}: no session today; refer for a falls assessment (cause, injury, medication review)`, SRC.fallRisk);
  } else if (fell) {
    out.warnings.push({ code: 'fall', text: 'A fall since the last session: ask what happened and about any injury; do not progress at this session; refer if there is pain, injury, dizziness or another fall', source: SRC.fall });
  } else if (osteoporosis && spine.length > 0) {
    refer('possible_vertebral_fracture', `${spineText[0]!.toUpperCase()}${spineText.slice(1)} in osteoporosis: possible vertebral fracture: no session; refer to a doctor before training again`, SRC.fracture);
  }
  return out;
}

/** Effusion grade 2+ as stored (EFFUSION_LABELS index; FACTS §4). */
const EFFUSION_2PLUS = 3;
const EFFUSION_NAMES = ['none', 'trace', '1+', '2+', '3+'];

/**
 * What is already too high when the session starts (FACTS §4, §6): pain
 * before above the limit (Thomeé 1997; Silbernagel 2007: >5/10 is outside
 * the acceptable zone) and knee effusion 2+ or more (Sturgill 2009: hold
 * progression). Neither stops the session; each says to train below the
 * level today, and the advice does not progress (progress-rules.ts).
 */
export function preSessionChecks(entry: ProgressEntry, painLimit: number): Reason[] {
  if (!entry.attended) return [];
  const out: Reason[] = [];
  if (entry.painBefore !== undefined && entry.painBefore > painLimit) {
    out.push({ code: 'pain_before_high', severity: 'caution', text: `Pain before the session ${entry.painBefore}/10 is above ${painLimit}/10, outside the acceptable zone: no progression; train below the current level today, and stop if it rises`, source: SRC.pain });
  }
  const swollen = entry.measures.filter((m) => m.code === 'effusion_grade' && m.value >= EFFUSION_2PLUS);
  if (swollen.length > 0) {
    const which = swollen.map((m) => `${EFFUSION_NAMES[m.value] ?? m.value}${m.side ? ` (${m.side} knee)` : ''}`).join(', ');
    out.push({ code: 'effusion_before_2plus', severity: 'caution', text: `Knee effusion ${which} at the session: hold progression; reduce today's load (no impact, fewer and lighter knee sets)`, source: SRC.effusion });
  }
  return out;
}


/**
 * A range measured beyond the clearance's limit for that joint and side
 * (issue 16): a warning on the entry, no progression, never silently stored.
 */
export function rangeWarnings(entry: ProgressEntry, restrictions: readonly Restriction[]): SessionWarning[] {
  const out: SessionWarning[] = [];
  for (const m of entry.measures) {
    const joint = MEASURE_JOINT[m.code];
    if (!joint || !m.side) continue;
    const limit = restrictions.find((r) => r.code === `rom.${joint}.${m.side}`);
    const value = Number(limit?.value);
    if (!limit || !Number.isFinite(value) || m.value <= value) continue;
    out.push({
      code: 'rom_beyond_limit',
      text: `${m.code.replace(/_/g, ' ')} (${m.side}) ${m.value}° is beyond the clinician's limit of ${value}° (rom.${joint}.${m.side}=${value}): work within the limit; tell the clinician the range has passed it`,
      source: SRC.rom,
    });
  }
  return out;
}
