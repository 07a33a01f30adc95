/**
 * What a stored program is for (its template's `fits`), which names the
 * affected side its exit criteria measure. Kept apart from templates.ts so
 * that reading it loads no YAML parser or schema: a program keeps `fits` in
 * its snapshot, and the library is loaded only for one generated before
 * snapshots kept it (parsing every template is most of a command's time).
 */
import type { GeneratedProgram } from '../domain/program.js';
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
