/**
 * What a stored program is for (its template's `fits`), which names the
 * affected side its exit criteria measure. Kept apart from templates.ts so
 * that reading it loads no YAML parser or schema: a program keeps `fits` in
 * its snapshot, and the library is loaded only for one generated before
 * snapshots kept it (parsing every template is most of a command's time).
 */
import { predatesLoadRules, withTemplateLoadRules, type GeneratedProgram } from '../domain/program.js';
import type { AfterSurgery } from '../domain/template-schema.js';
import type { TemplateSet } from '../templates/load.js';

export type FitsOf = (program: GeneratedProgram | undefined) => Promise<readonly string[]>;

/** `load` runs once, and only when a program's snapshot does not say what it fits. */
export function programFits(load: () => TemplateSet | Promise<TemplateSet>): FitsOf {
  let set: Promise<TemplateSet> | undefined;
  return async (program) => {
    if (!program) return [];
    if (program.fits) return program.fits;
    set ??= Promise.resolve().then(load);
    return (await set).programs.get(program.templateId)?.fits ?? [];
  };
}

/** The time after surgery a stage of a stored program needs, when its snapshot predates keeping it. */
export type TimingOf = (program: GeneratedProgram, stage: number) => Promise<AfterSurgery | null>;

/**
 * For a program generated before snapshots kept each stage's `afterSurgery`
 * (the key is missing), the template's stage of the same number and name
 * says; the library is loaded once and only then. A stage whose snapshot has
 * the key (null included) is never looked up: the program says.
 */
export function programTiming(load: () => TemplateSet | Promise<TemplateSet>): TimingOf {
  let set: Promise<TemplateSet> | undefined;
  return async (program, n) => {
    const stage = program.stages[n - 1];
    if (!stage || 'afterSurgery' in stage) return stage?.afterSurgery ?? null;
    set ??= Promise.resolve().then(load);
    const same = (await set).programs.get(program.templateId)?.stages[n - 1];
    if (!same?.afterSurgery || same.name !== stage.name) return null;
    return { ...same.afterSurgery, source: `${same.afterSurgery.source} [read from template ${program.templateId}: this program was generated before stage timing was kept]` };
  };
}

/** A stored program with the load rules its exercises follow (domain/load-progression.ts). */
export type LoadRulesOf = (program: GeneratedProgram) => Promise<GeneratedProgram>;

/**
 * For a program generated before snapshots kept load rules, the rules its
 * template declares (domain/program.ts withTemplateLoadRules); the library is
 * loaded once and only then. A newer program says for itself.
 */
export function programLoadRules(load: () => TemplateSet | Promise<TemplateSet>): LoadRulesOf {
  let set: Promise<TemplateSet> | undefined;
  return async (program) => {
    if (!predatesLoadRules(program)) return program;
    set ??= Promise.resolve().then(load);
    const library = await set;
    return withTemplateLoadRules(program, library.programs.get(program.templateId), library.exercises, library.overlays);
  };
}
