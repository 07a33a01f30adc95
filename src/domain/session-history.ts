/**
 * What a session's decision must read from the sessions before it (FACTS
 * §10): the previous session's 24-hour response, and the days off and the
 * lower level the soreness rules bound it to. Pure: the earlier entries in,
 * checks and downgrades out.
 */
import { addDays, daysBetween } from './dates.js';
import { PROGRESS_DEFAULTS, effusionLabel, painBaseline } from './progress-rules.js';
import type { ProgressEntry } from './progress-types.js';
import type { Reason } from './reason.js';

/** Effusion 2+ as stored (EFFUSION_LABELS index). */
const EFFUSION_2PLUS = 3;

const SRC = {
  effusion: 'Knee effusion stroke test: 2+ or more holds progression; 1+ at the next session, do not advance (Sturgill et al. 2009)',
  soreness: 'Soreness rules carry forward: 2 days off, then drop one level (Fees et al., AJSM 1998)',
  pain: 'Pain-monitoring model: the 24-hour response weighs most; not settled by the next morning, or higher than before, means do not progress at the next session (Thomeé 1997; Silbernagel 2007)',
};

/** Soreness that sends the client home for days, and how many (Fees 1998 Table 5). */
const DAYS_OFF: Partial<Record<NonNullable<ProgressEntry['soreness']>, number>> = { warmup_continuing: 2, returned_during: 2, after_next_day: 1 };

export interface CarriedForward {
  /** Holds before the session: the days off are not over. */
  checks: Reason[];
  /** Reasons the session's advice may not be "progress". */
  noProgress: { code: string; text: string; source: string }[];
}

/**
 * `previous`: the client's earlier entries, oldest first. Only the last
 * attended one binds this session: its own advice was made on it.
 */
export function carriedForward(entry: ProgressEntry, previous: readonly ProgressEntry[], painLimit = PROGRESS_DEFAULTS.painLimit): CarriedForward {
  const out: CarriedForward = { checks: [], noProgress: [] };
  if (!entry.attended) return out;
  const attended = previous.filter((e) => e.attended && e.date <= entry.date);
  const last = attended.at(-1);
  if (!last) return out;

  const daysOff = last.soreness ? DAYS_OFF[last.soreness] : undefined;
  if (daysOff !== undefined) {
    const back = addDays(last.date, daysOff + 1);
    if (daysBetween(last.date, entry.date) <= daysOff) {
      // The days off the soreness rules gave are not over: no session yet.
      out.checks.push({ code: 'soreness_days_off', severity: 'hold', text: `Soreness on ${last.date} means ${daysOff} day${daysOff === 1 ? '' : 's'} off: no session before ${back}`, source: SRC.soreness });
    }
    // The session after the days off is at the lower level (or no higher): it cannot advance.
    out.noProgress.push({ code: 'soreness_carry', text: `Soreness on ${last.date}: this session was to drop a level${daysOff === 1 ? ' or stay' : ''}; build back before advancing`, source: SRC.soreness });
  }

  // Effusion 2+ or more at the last session holds progression (Sturgill 2009; FACTS §4): not advanced until the
  // same knee is graded again at 1+ or less (the effusion rules then judge it; 1+ again does not advance either).
  for (const m of last.measures) {
    if (m.code !== 'effusion_grade' || m.value < EFFUSION_2PLUS) continue;
    const regraded = entry.measures.some((n) => n.code === 'effusion_grade' && (n.side ?? '') === (m.side ?? ''));
    if (!regraded) out.noProgress.push({ code: 'previous_effusion', text: `Knee effusion ${effusionLabel(m.value)}${m.side ? ` (${m.side})` : ''} at the session of ${last.date}, not graded again: grade the knee before advancing`, source: SRC.effusion });
  }

  const nextDay = last.nextDayPain;
  if (nextDay !== undefined) {
    const { baseline } = painBaseline(last, attended.slice(0, -1));
    if (nextDay > painLimit || (baseline !== undefined && nextDay > baseline)) {
      const why = nextDay > painLimit ? `above ${painLimit}/10` : `above its pain before (${baseline}/10)`;
      out.noProgress.push({ code: 'previous_next_day', text: `The session of ${last.date} left next-morning pain ${nextDay}/10, ${why}: do not progress at this session`, source: SRC.pain });
    }
  }
  return out;
}
