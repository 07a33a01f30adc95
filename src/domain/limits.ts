/**
 * The limits a program must keep: the clearance's restrictions and the
 * overlays' caps and avoid lists, combined so the strictest of each kind wins,
 * and the test of one exercise against them.
 */
import { describeRestriction, type Restriction } from './clearance.js';
import type { Exercise, Overlay } from './template-schema.js';
import { LEG_LOADS, type LegLoad } from './template-terms.js';

/** A limit and who set it ("clearance", "overlay hypertension", "screening"). */
export interface Limit<T> {
  value: T;
  by: string;
}

/** Every limit that applies, the strictest of each kind. */
export interface Limits {
  noRunning?: Limit<true>;
  /** Impact levels not allowed. */
  impact: { low?: Limit<true>; high?: Limit<true> };
  noOverhead?: Limit<true>;
  noLoadedSpinalFlexion?: Limit<true>;
  /** The most weight a leg may take: the lower of the two sides' (for an exercise that loads both legs). */
  legLoad?: Limit<LegLoad>;
  /** The same per side (weight_bearing.<side> is always sided): an exercise done a leg at a time meets each leg's own. */
  legLoadBySide: { left?: Limit<LegLoad>; right?: Limit<LegLoad> };
  /** Degrees allowed per joint, the tighter side (for an exercise that moves both sides). */
  rom: Partial<Record<string, Limit<number>>>;
  /** The same per side (rom.<joint>.<side> is always sided): an exercise done one side at a time meets only its side's. */
  romBySide: { left: Partial<Record<string, Limit<number>>>; right: Partial<Record<string, Limit<number>>> };
  maxLoadKg?: Limit<number>;
  /** CR10. */
  maxRpe?: Limit<number>;
  maxHrrPercent?: Limit<number>;
  maxHr?: Limit<number>;
  noValsalva?: Limit<true>;
  /** No pushing or pulling with the arms (sternal precautions). */
  noArmPushPull?: Limit<true>;
  /** Heaviest weight held in the hands, kg (sternal precautions). */
  maxHandLoadKg?: Limit<number>;
  /** No agility, cutting, hopping, jumping or unstable-surface drills. */
  noFallRisk?: Limit<true>;
  supervisedOnly?: Limit<true>;
  exercises: Map<string, string>;
  patterns: Map<string, string>;
  positions: Map<string, string>;
}

/** Patterns whose point is the range itself: kept under a range-of-motion limit, with the limit as an instruction. */
const RANGE_WORK = new Set(['mobility', 'stretch']);

/**
 * "Only to 90° at the knee" for range work that would otherwise go past a
 * limit. Done one side at a time (`perSide`), it names the side: "only to 90°
 * at the left knee (…); the right as planned" when only one side is limited.
 */
export function romNotes(e: Exercise, limits: Limits, perSide = false): string[] {
  if (!RANGE_WORK.has(e.tags.pattern)) return [];
  const notes: string[] = [];
  for (const [joint, need] of Object.entries(e.tags.rom)) {
    if (need === undefined || !limits.rom[joint] || need <= limits.rom[joint]!.value) continue;
    if (!perSide) {
      notes.push(`only to ${limits.rom[joint]!.value}° at the ${joint} (${limits.rom[joint]!.by})`);
      continue;
    }
    const over = (['left', 'right'] as const).filter((s) => limits.romBySide[s][joint] && need > limits.romBySide[s][joint]!.value);
    const parts = over.map((s) => `only to ${limits.romBySide[s][joint]!.value}° at the ${s} ${joint} (${limits.romBySide[s][joint]!.by})`);
    notes.push(over.length === 1 ? `${parts[0]}; the ${over[0] === 'left' ? 'right' : 'left'} ${joint} as planned` : parts.join('; '));
  }
  return notes;
}


const WB_TO_LEG_LOAD: Record<string, LegLoad> = { non: 'none', toe_touch: 'toe_touch', partial: 'partial', as_tolerated: 'full', full: 'full' };

function stricterMin<T extends number>(current: Limit<T> | undefined, value: T, by: string): Limit<T> {
  return current === undefined || value < current.value ? { value, by } : current;
}

/** Combine clearance restrictions and overlays into one set of limits; the strictest wins. */
export function combineLimits(restrictions: readonly Restriction[], overlays: readonly Overlay[]): Limits {
  const limits: Limits = { impact: {}, rom: {}, romBySide: { left: {}, right: {} }, legLoadBySide: {}, exercises: new Map(), patterns: new Map(), positions: new Map() };
  for (const r of restrictions) {
    const by = `clearance: ${describeRestriction(r)}`;
    const [head, joint] = r.code.split('.');
    switch (head) {
      case 'no_running':
        limits.noRunning ??= { value: true, by };
        break;
      case 'no_impact':
        limits.impact.low ??= { value: true, by };
        limits.impact.high ??= { value: true, by };
        limits.noRunning ??= { value: true, by };
        break;
      case 'no_overhead_loading':
        limits.noOverhead ??= { value: true, by };
        break;
      case 'no_loaded_spinal_flexion':
        limits.noLoadedSpinalFlexion ??= { value: true, by };
        break;
      case 'supervised_only':
        limits.supervisedOnly ??= { value: true, by };
        break;
      case 'no_push_pull':
        limits.noArmPushPull ??= { value: true, by };
        break;
      case 'no_valsalva':
        limits.noValsalva ??= { value: true, by };
        break;
      case 'weight_bearing': {
        const load = WB_TO_LEG_LOAD[String(r.value)]!;
        if (!limits.legLoad || LEG_LOADS.indexOf(load) < LEG_LOADS.indexOf(limits.legLoad.value)) limits.legLoad = { value: load, by };
        const side = joint as 'left' | 'right';
        const current = limits.legLoadBySide[side];
        if (!current || LEG_LOADS.indexOf(load) < LEG_LOADS.indexOf(current.value)) limits.legLoadBySide[side] = { value: load, by };
        break;
      }
      case 'max_hr':
        limits.maxHr = stricterMin(limits.maxHr, Number(r.value), by);
        break;
      case 'max_rpe':
        limits.maxRpe = stricterMin(limits.maxRpe, Number(r.value), by);
        break;
      case 'max_load_kg':
        limits.maxLoadKg = stricterMin(limits.maxLoadKg, Number(r.value), by);
        break;
      case 'rom': {
        limits.rom[joint!] = stricterMin(limits.rom[joint!], Number(r.value), by);
        const side = r.code.split('.')[2] as 'left' | 'right';
        limits.romBySide[side][joint!] = stricterMin(limits.romBySide[side][joint!], Number(r.value), by);
        break;
      }
    }
  }
  for (const o of [...overlays].sort((a, b) => a.id.localeCompare(b.id))) {
    const by = `overlay ${o.id}`;
    if (o.caps.rpe !== undefined) limits.maxRpe = stricterMin(limits.maxRpe, o.caps.rpe, by);
    if (o.caps.hrrPercent !== undefined) limits.maxHrrPercent = stricterMin(limits.maxHrrPercent, o.caps.hrrPercent, by);
    if (o.caps.noValsalva) limits.noValsalva ??= { value: true, by };
    if (o.caps.handLoadKg !== undefined) limits.maxHandLoadKg = stricterMin(limits.maxHandLoadKg, o.caps.handLoadKg, by);
    if (o.avoid.armPushPull) limits.noArmPushPull ??= { value: true, by };
    if (o.avoid.fallRisk) limits.noFallRisk ??= { value: true, by };
    if (o.avoid.running) limits.noRunning ??= { value: true, by };
    for (const level of o.avoid.impact) limits.impact[level] ??= { value: true, by };
    if (o.avoid.impact.includes('low')) limits.impact.high ??= { value: true, by };
    if (o.avoid.overhead) limits.noOverhead ??= { value: true, by };
    if (o.avoid.loadedSpinalFlexion) limits.noLoadedSpinalFlexion ??= { value: true, by };
    for (const x of o.avoid.exercises) if (!limits.exercises.has(x)) limits.exercises.set(x, by);
    for (const x of o.avoid.patterns) if (!limits.patterns.has(x)) limits.patterns.set(x, by);
    for (const x of o.avoid.positions) if (!limits.positions.has(x)) limits.positions.set(x, by);
  }
  return limits;
}

/**
 * Why an exercise is not allowed under `limits`; empty when it is. Weight
 * bearing and range are read for both legs at once: the tighter side's limit
 * against the exercise's whole need (forbiddenOnSide reads an exercise done a
 * leg at a time leg by leg).
 */
export function forbiddenBy(e: Exercise, limits: Limits): string[] {
  return reasons(e, limits, (why) => {
    const t = e.tags;
    if (limits.legLoad && LEG_LOADS.indexOf(t.legLoad) > LEG_LOADS.indexOf(limits.legLoad.value)) why.push(limits.legLoad.by);
    // Range-of-motion work (mobility, stretching) stays, done within the limit (see romNotes);
    // loaded movements that need more range than allowed go.
    if (RANGE_WORK.has(t.pattern)) return;
    for (const [joint, need] of Object.entries(t.rom)) {
      const limit = limits.rom[joint];
      if (limit && need !== undefined && need > limit.value) why.push(`${limit.by} (needs ${need}°)`);
    }
  });
}

export type Side = 'left' | 'right';
export const otherSide = (s: Side): Side => (s === 'left' ? 'right' : 'left');

const LEG_WORDS: Record<LegLoad, string> = { none: 'takes no weight', toe_touch: 'touches down', partial: 'takes part of the weight', full: 'takes full weight' };

/**
 * Why a leg exercise done one side at a time, with the working leg on
 * `working`, is not allowed; empty when it is. Each leg meets its own side's
 * weight-bearing and range limits with what it does (tags.sided): under
 * weight_bearing.left=partial, step-ups led by the right leg put only part
 * of the weight through the left, so they stay for the right leg (issue 16:
 * "a left knee replacement loads the right leg normally"). An exercise whose
 * tags do not say what each leg does is read as forbiddenBy reads it.
 */
export function forbiddenOnSide(e: Exercise, limits: Limits, working: Side): string[] {
  const sided = e.tags.sided;
  if (!sided) return forbiddenBy(e, limits);
  return reasons(e, limits, (why) => {
    for (const side of ['left', 'right'] as const) {
      const leg = side === working ? sided.working : sided.other;
      const load = limits.legLoadBySide[side];
      if (load && LEG_LOADS.indexOf(leg.legLoad) > LEG_LOADS.indexOf(load.value)) why.push(`${load.by} (the ${side} leg ${LEG_WORDS[leg.legLoad]})`);
      // Lying on a limited leg (side-lying, the bottom leg) carries the pelvis through that hip: the operated leg goes on top.
      else if (load && load.value !== 'full' && leg.liesOn) why.push(`${load.by} (lying on the ${side} hip)`);
      if (RANGE_WORK.has(e.tags.pattern)) continue;
      for (const [joint, need] of Object.entries(leg.rom)) {
        const limit = limits.romBySide[side][joint];
        if (limit && need !== undefined && need > limit.value) why.push(`${limit.by} (the ${side} ${joint} needs ${need}°)`);
      }
    }
  });
}

/** Every reason an exercise is not allowed, with the legs' weight bearing and range from `legs`, in one order. */
function reasons(e: Exercise, limits: Limits, legs: (why: string[]) => void): string[] {
  const why: string[] = [];
  const t = e.tags;
  if (limits.exercises.has(e.id)) why.push(limits.exercises.get(e.id)!);
  if (limits.patterns.has(t.pattern)) why.push(`${limits.patterns.get(t.pattern)!} (${t.pattern})`);
  if (limits.positions.has(t.position)) why.push(`${limits.positions.get(t.position)!} (${t.position})`);
  if (t.running && limits.noRunning) why.push(limits.noRunning.by);
  if (t.impact !== 'none' && limits.impact[t.impact]) why.push(limits.impact[t.impact]!.by);
  if (t.overhead && limits.noOverhead) why.push(limits.noOverhead.by);
  if (t.loadedSpinalFlexion && limits.noLoadedSpinalFlexion) why.push(limits.noLoadedSpinalFlexion.by);
  legs(why);
  if (t.externalLoad && limits.maxLoadKg && limits.maxLoadKg.value === 0) why.push(limits.maxLoadKg.by);
  if (t.armPushPull && limits.noArmPushPull) why.push(`${limits.noArmPushPull.by} (pushes or pulls with the arms)`);
  if (t.handLoad && limits.maxHandLoadKg && limits.maxHandLoadKg.value === 0) why.push(limits.maxHandLoadKg.by);
  if (t.fallRisk && limits.noFallRisk) why.push(`${limits.noFallRisk.by} (fall risk)`);
  return [...new Set(why)];
}

/**
 * The heaviest load this exercise may use, and who said so: a clearance's
 * `max_load_kg` for any external load, and a hand-load cap (sternal
 * precautions) for weights held in the hands; the lower wins.
 */
export function loadCapFor(e: Exercise, limits: Limits): Limit<number> | undefined {
  const caps: Limit<number>[] = [];
  if (limits.maxLoadKg) caps.push(limits.maxLoadKg);
  if (e.tags.handLoad && limits.maxHandLoadKg) caps.push({ value: limits.maxHandLoadKg.value, by: `${limits.maxHandLoadKg.by}: in the hands` });
  return caps.sort((a, b) => a.value - b.value)[0];
}

/**
 * A template note under a load cap: every load it names above the cap
 * ("e.g. 8 kg", "1-2 kg") is rewritten to "no more than <cap> kg", so a note
 * never contradicts the cap. Returns the note unchanged when nothing exceeds it.
 */
export function capLoadsInNote(note: string, capKg: number): { note: string; changed: boolean } {
  let changed = false;
  const out = note.replace(/(?:e\.g\.\s*)?(\d+(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(\d+(?:\.\d+)?))?\s*kg\b/g, (whole, lo: string, hi: string | undefined) => {
    const most = Number(hi ?? lo);
    if (most <= capKg) return whole;
    changed = true;
    return `no more than ${capKg} kg`;
  });
  return { note: out, changed };
}

/**
 * Exercises an entry records that were not in the day's plan and that the
 * program's limits forbid (issue 16: a forbidden exercise swapped in is a flag
 * on the entry, never silently stored). The plan's own exercises passed these
 * limits when the program was generated. An id the library does not have is
 * left to the caller (it refuses them).
 */
export function exercisesNotAllowed(
  done: readonly { exerciseId: string; completed: boolean }[],
  planned: ReadonlySet<string>,
  library: ReadonlyMap<string, Exercise>,
  limits: Limits,
): { exerciseId: string; why: string[] }[] {
  const out: { exerciseId: string; why: string[] }[] = [];
  for (const x of done) {
    if (!x.completed || planned.has(x.exerciseId)) continue;
    const e = library.get(x.exerciseId);
    const why = e ? forbiddenBy(e, limits) : [];
    if (why.length > 0) out.push({ exerciseId: x.exerciseId, why });
  }
  return out;
}
