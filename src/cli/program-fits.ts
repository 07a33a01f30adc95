/**
 * What a stored program is for (its template's `fits`), which names the
 * affected side its exit criteria measure. A program keeps it in its snapshot;
 * for one generated before snapshots kept it, the template library is loaded,
 * once and only then: parsing every template is most of a command's time.
 */
import type { GeneratedProgram } from '../domain/program.js';
import type { TemplateSet } from '../templates/load.js';
import type { App } from './app.js';

export type FitsOf = (program: GeneratedProgram | undefined) => Promise<readonly string[]>;

export function programFits(app: App): FitsOf {
  let set: TemplateSet | undefined;
  return async (program) => {
    if (!program) return [];
    if (program.fits) return program.fits;
    set ??= (await import('./template.js')).loadForUse(app);
    return set.programs.get(program.templateId)?.fits ?? [];
  };
}
