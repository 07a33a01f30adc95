/**
 * What every use case is given besides the store and its input: who is
 * asking (the command, for the audit log) and when. A use case never reads
 * the clock itself, so a test can fix the day.
 */
export interface Ctx {
  /** The command as typed, e.g. "progress add"; recorded in the audit log. */
  readonly command: string;
  /** ISO 8601 UTC time of the change. */
  readonly now: string;
  /** The trainer's local day, YYYY-MM-DD. */
  readonly today: string;
}

/** The same moment, as another day: the demo records what a trainer did on earlier days. */
export function onDay(ctx: Ctx, today: string): Ctx {
  return { ...ctx, today };
}
