/** The shared vocabulary of findings: what a rule found, how serious, and on what source. Its own module, so the rules that use it import no consumer of it. */

/**
 * What a finding asks for. `refer` and `clearance` block the program until a
 * clinician has cleared; `hold` stops today's session; `caution` and `info`
 * are advice.
 */
export type Severity = 'refer' | 'clearance' | 'hold' | 'caution' | 'info';

export interface Reason {
  code: string;
  text: string;
  source: string;
  severity: Severity;
}

/** Most serious first. */
export const SEVERITY_ORDER: Severity[] = ['refer', 'clearance', 'hold', 'caution', 'info'];
