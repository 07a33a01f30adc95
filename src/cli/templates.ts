/** The template library as a command loads it: the problems and overrides found are told once, on stderr. */
import { loadTemplateSet, type TemplateSet } from '../app/templates.js';
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

