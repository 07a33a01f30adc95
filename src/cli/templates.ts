/** The template library as a command loads it: the problems and overrides found are told once, on stderr. */
import { loadTemplateSet, type TemplateSet } from '../app/templates.js';
import { READ, type Cli } from './cli.js';

const sets = new WeakMap<Cli, Promise<TemplateSet>>();

/**
 * Built-in templates, the clinic's shared ones (on a clinic database) and the
 * trainer's own, once per command run; say (once) when a file was skipped or
 * overrides another.
 */
export function loadForUse(cli: Cli): Promise<TemplateSet> {
  let set = sets.get(cli);
  if (!set) sets.set(cli, (set = load(cli)));
  return set;
}

async function load(cli: Cli): Promise<TemplateSet> {
  let shared: Awaited<ReturnType<typeof import('../app/clinic.js')['clinicTemplates']>> | undefined;
  if (cli.location().url !== undefined) {
    const { clinicTemplates } = await import('../app/clinic.js');
    shared = await cli.withStore((store) => clinicTemplates(store), READ);
  }
  const set = loadTemplateSet(cli.templatesDir, shared);
  if (set.problems.length > 0) {
    const files = new Set(set.problems.map((p) => p.file));
    cli.io.warn(`${set.problems.length} problem(s) in ${[...files].join(', ')}; run "bridgefit template validate"`);
  }
  for (const o of set.overrides) {
    cli.io.info(o.file.startsWith('clinic:') ? `Using the clinic's ${o.kind} "${o.id}" (${o.file.slice('clinic:'.length)}) instead of the built-in one` : `Using your ${o.kind} "${o.id}" from ${o.file} instead of the built-in one`);
  }
  return set;
}
