/** What a stored program is for, as a command asks it: the template library (YAML, schemas) is loaded only when the program's snapshot does not say. */
import { programFits, type FitsOf } from '../app/fits.js';
import type { Cli } from './cli.js';

export function fitsFor(cli: Cli): FitsOf {
  return programFits(async () => (await import('./templates.js')).loadForUse(cli));
}
