/**
 * What a stored program is for, and the time after surgery its stages need,
 * as a command asks them: the template library (YAML, schemas) is loaded only
 * for a program whose snapshot does not say, and then once per command run.
 */
import { programFits, programLoadRules, programTiming, type FitsOf, type LoadRulesOf, type TimingOf } from '../app/fits.js';
import type { TemplateSet } from '../app/templates.js';
import type { Cli } from './cli.js';

const loaded = new WeakMap<Cli, Promise<TemplateSet>>();
function loadOnce(cli: Cli): Promise<TemplateSet> {
  let set = loaded.get(cli);
  if (!set) loaded.set(cli, (set = import('./templates.js').then((m) => m.loadForUse(cli))));
  return set;
}

export function fitsFor(cli: Cli): FitsOf {
  return programFits(() => loadOnce(cli));
}

export function timingFor(cli: Cli): TimingOf {
  return programTiming(() => loadOnce(cli));
}

export function loadRulesFor(cli: Cli): LoadRulesOf {
  return programLoadRules(() => loadOnce(cli));
}
