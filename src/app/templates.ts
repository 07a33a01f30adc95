/**
 * The template library as commands use it: built-in templates and the
 * trainer's own (--templates <dir>, else templates/ in the data directory),
 * and the checks of `template validate`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultDataDir } from '../store/location.js';
import { loadTemplates, parseTemplateFile, parseTemplateSource, readPrecompiled, readTemplateFile, type SharedTemplate, type TemplateProblem, type TemplateSet } from '../templates/load.js';
import { UsageError } from './errors.js';

export type { SharedTemplate, TemplateProblem, TemplateSet };

/** The trainer's own templates: `flagDir` (--templates), else templates/ in the data directory when it exists. */
export function userTemplateDir(flagDir: string | undefined): string | undefined {
  if (flagDir !== undefined) {
    const dir = path.resolve(flagDir);
    if (!fs.existsSync(dir)) throw new UsageError(`--templates ${flagDir}: no such folder`);
    if (!fs.statSync(dir).isDirectory()) throw new UsageError(`--templates ${flagDir}: is a file, not a folder`);
    try {
      fs.readdirSync(dir);
    } catch (err) {
      throw new UsageError(`--templates ${flagDir}: cannot read the folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    return dir;
  }
  const dir = path.join(defaultDataDir(), 'templates');
  return fs.existsSync(dir) ? dir : undefined;
}

/**
 * Built-in and user templates, checked; problems and overrides are in the set
 * for the caller to tell. `shared`: a clinic's templates (clinicTemplates),
 * between the built-in ones and the trainer's own.
 */
export function loadTemplateSet(flagDir: string | undefined, shared?: readonly SharedTemplate[]): TemplateSet {
  return loadTemplates(userTemplateDir(flagDir), { precompiled: readPrecompiled(), ...(shared ? { shared } : {}) });
}

/** The built-in templates only (the demo's). */
export function builtInTemplates(): TemplateSet {
  return loadTemplates(undefined, { precompiled: readPrecompiled() });
}

export { programFits, programTiming, type FitsOf, type TimingOf } from './fits.js';

/**
 * `template validate file...`: each file against its schema, and against the
 * library (and itself): every exercise it names must exist.
 */
export function validateTemplateFiles(set: TemplateSet, files: readonly (string | { name: string; text: string })[]): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const file of files) {
    // A text already read (stdin) is checked as it is, under its name.
    if (typeof file !== 'string') {
      checkAgainstLibrary(set, file.name, parseTemplateSource(file.text, file.name, problems), problems);
      continue;
    }
    if (!fs.existsSync(file)) {
      problems.push({ file, path: '(file)', message: 'no such file' });
      continue;
    }
    const full = path.resolve(file);
    checkAgainstLibrary(set, full, parseTemplateFile(full, problems), problems);
  }
  return problems;
}

/** Every exercise a parsed file names must be in the library (or in the file itself). */
function checkAgainstLibrary(set: TemplateSet, full: string, parsed: ReturnType<typeof parseTemplateFile>, problems: TemplateProblem[]): void {
  const known = (id: string) => set.exercises.has(id) || (parsed?.kind === 'exercises' && parsed.exercises.some((e) => e.id === id));
  const missing = (where: string, id: string | null) => {
    if (id !== null && !known(id)) problems.push({ file: full, path: where, message: `no exercise "${id}" in the library` });
  };
  if (parsed?.kind === 'program') parsed.program.stages.forEach((s, si) => s.exercises.forEach((x, xi) => missing(`stages[${si}].exercises[${xi}].exercise`, x.exercise)));
  if (parsed?.kind === 'invalid-program') parsed.references.forEach((r) => missing(r.path, r.id));
  if (parsed?.kind === 'overlay') parsed.overlay.avoid.exercises.forEach((x, i) => missing(`avoid.exercises[${i}]`, x));
  if (parsed?.kind === 'exercises') {
    parsed.exercises.forEach((e, i) => {
      missing(`exercises[${i}].easier`, e.easier);
      missing(`exercises[${i}].harder`, e.harder);
    });
  }
}

/** How many files the whole library came from (what `template validate` with no file checked). */
export function templateFileCount(set: TemplateSet): number {
  return new Set([...set.exercises.values(), ...set.programs.values(), ...set.overlays.values()].map((x) => x.origin.file)).size;
}

/** A template file as `template share` takes it: its name (the file's own) and its text, or the problems found reading it. */
export function readShareableTemplate(file: string): { name: string; text: string } | { problems: TemplateProblem[] } {
  const problems: TemplateProblem[] = [];
  const name = path.basename(file);
  if (!/\.ya?ml$/i.test(name)) return { problems: [{ file, path: '(file)', message: 'a template file ends in .yaml or .yml' }] };
  const text = readTemplateFile(path.resolve(file), problems);
  return text === undefined ? { problems } : { name, text };
}
