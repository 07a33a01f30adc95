/**
 * Several conditions, one program (issue 16): when more than one template fits
 * a client (coronary disease with knee osteoarthritis), one leads and the
 * others' exercises join its stages, instead of the trainer having to pick
 * one and lose the other's work. The lead keeps its stages, exit criteria and
 * gates; the merged template then goes through generation like any other, so
 * every limit (clearance, overlays, caps) applies to the joined exercises too.
 * Pure: templates and the exercise library in, one template out.
 */
import type { Exercise, ProgramTemplate } from './template-schema.js';

/**
 * Which template leads. A surgical program first: its stages follow tissue
 * healing and carry time-after-surgery gates (FACTS §10; ASSET, Thigpen 2016;
 * Brinlee 2021). Then cardiac rehabilitation, whose dose caps also reach any
 * program through the cardiac overlay (FACTS §7; AACVPR). Then the rest, in
 * the order they fit (most matching conditions first).
 */
const SURGICAL = new Set(['knee_tka', 'hip_tha', 'acl_reconstruction', 'rotator_cuff_repair', 'sternotomy']);
const CARDIAC = new Set(['coronary_artery_disease', 'heart_failure', 'arrhythmia']);

function rank(t: ProgramTemplate): number {
  if (t.fits.some((c) => SURGICAL.has(c) && c !== 'sternotomy')) return 0;
  if (t.fits.some((c) => CARDIAC.has(c) || c === 'sternotomy')) return 1;
  return 2;
}

/**
 * At most this many exercises join each stage from each other template, so a
 * session stays about as long as the lead's [U: bridgefit default; the
 * sources give no rule for combining programs].
 */
export const MERGED_PER_STAGE = 4;

export interface MergedTemplate {
  template: ProgramTemplate;
  /** The templates whose exercises joined, with what joined each stage. */
  from: { id: string; version: string; name: string }[];
  notes: string[];
}

/** The leading template first, then the others, in a stable order. */
export function leadFirst<T extends ProgramTemplate>(fitting: readonly T[]): T[] {
  return fitting.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i).map((x) => x.t);
}

/**
 * Merge `fitting` (two or more templates that fit one client) into the
 * leading one. Stage i of the lead takes the other's stage at the same point
 * of its course (i × its stage count ÷ the lead's), and from it up to
 * MERGED_PER_STAGE exercises whose movement pattern the stage does not yet
 * have (a second squat pattern is left out), with their dose and a note naming
 * where they come from. Precautions, sources, fits and outcome scores are
 * joined; exit criteria stay the lead's.
 */
export function mergeTemplates(fitting: readonly ProgramTemplate[], exercises: ReadonlyMap<string, Exercise>): MergedTemplate {
  const [lead, ...others] = leadFirst(fitting);
  if (!lead) throw new Error('mergeTemplates needs at least one template');
  const notes: string[] = [];
  const stages = lead.stages.map((stage, i) => {
    const items = [...stage.exercises];
    const precautions = [...stage.precautions];
    for (const other of others) {
      const j = Math.min(other.stages.length - 1, Math.floor((i * other.stages.length) / lead.stages.length));
      const source = other.stages[j]!;
      const patterns = new Set(items.map((x) => exercises.get(x.exercise)?.tags.pattern));
      const ids = new Set(items.map((x) => x.exercise));
      const joined: string[] = [];
      for (const item of source.exercises) {
        if (joined.length >= MERGED_PER_STAGE) break;
        const ex = exercises.get(item.exercise);
        if (ids.has(item.exercise) || (ex && patterns.has(ex.tags.pattern))) continue;
        const from = `from ${other.name}, stage ${j + 1}`;
        items.push({ ...item, note: item.note ? `${item.note} (${from})` : `${from[0]!.toUpperCase()}${from.slice(1)}` });
        ids.add(item.exercise);
        if (ex) patterns.add(ex.tags.pattern);
        joined.push(ex?.name ?? item.exercise);
      }
      for (const p of source.precautions) if (!precautions.includes(p)) precautions.push(p);
      notes.push(
        joined.length
          ? `Stage ${i + 1}: from ${other.name} (${other.id}) stage ${j + 1}: ${joined.join(', ')}`
          : `Stage ${i + 1}: nothing from ${other.name} (${other.id}) stage ${j + 1}: its movement patterns are already in the stage`,
      );
    }
    return { ...stage, exercises: items, precautions };
  });
  const outcomes = [...lead.outcomes];
  for (const o of others.flatMap((t) => t.outcomes)) if (!outcomes.some((x) => x.measure === o.measure)) outcomes.push(o);
  const template: ProgramTemplate = {
    ...lead,
    name: `${lead.name}, with ${others.map((t) => t.name).join(' and ')}`,
    sources: [...new Set([...lead.sources, ...others.flatMap((t) => t.sources)])],
    fits: [...new Set([...lead.fits, ...others.flatMap((t) => t.fits)])],
    stages,
    outcomes,
  };
  return { template, from: others.map((t) => ({ id: t.id, version: t.version, name: t.name })), notes };
}
