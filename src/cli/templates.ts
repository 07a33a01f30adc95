/** The template library as a command loads it: the problems and overrides found are told once, on stderr. */
import { loadTemplateSet, programFits, programTiming, type FitsOf, type TemplateSet, type TimingOf } from '../app/templates.js';
import type { Cli } from './cli.js';

/** Load built-in and user templates; say (once) when a user file was skipped or overrides a built-in. */
export function loadForUse(cli: Cli): TemplateSet {
  const set = loadTemplateSet(cli.templatesDir);
  if (set.problems.length > 0) {
    const files = new Set(set.problems.map((p) => p.file));
    cli.io.warn(`${set.problems.length} problem(s) in ${[...files].join(', ')}; run "bridgefit template validate"`);
  }
  for (const o of set.overrides) cli.io.info(`Using your ${o.kind} "${o.id}" from ${o.file} instead of the built-in one`);
  return set;
}

/** What a stored program is for, loading the library (and telling its problems) only when the program does not say. */
export function fitsFor(cli: Cli): FitsOf {
  return programFits(() => loadOnce(cli));
}

/** The library loaded once per command run, for the readers that need it only for older programs. */
const loaded = new WeakMap<Cli, TemplateSet>();
function loadOnce(cli: Cli): TemplateSet {
  let set = loaded.get(cli);
  if (!set) loaded.set(cli, (set = loadForUse(cli)));
  return set;
}

/** The time after surgery a stage needs, reading the library only for a program generated before its snapshot kept it. */
export function timingFor(cli: Cli): TimingOf {
  return programTiming(() => loadOnce(cli));
}
