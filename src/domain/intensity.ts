/**
 * Where "moderate" ends and "vigorous" begins, written once: program
 * generation keeps an --override program below it, and `program advance`
 * holds a stage that reaches it until a clearance is on file.
 *
 * ACSM 2015 / GETP 10th (Riebe et al. 2015; FACTS §1, §5) [C]: vigorous is
 * ≥60% of heart-rate reserve and RPE ≥14 on the 6–20 scale; on Borg CR10
 * 6–7 is "hard" (FACTS §5), so a dose reaching RPE 6/10 or 60% HRR is vigorous.
 */
import type { Dose } from './template-schema.js';

/** The lowest effort (CR10) and heart-rate reserve (%) that count as vigorous. */
export const VIGOROUS_FROM = { rpe: 6, hrrPercent: 60 } as const;

/** The highest moderate dose: RPE 5/10 (CR10), 59% HRR. */
export const MODERATE_CEILING = { rpe: VIGOROUS_FROM.rpe - 1, hrrPercent: VIGOROUS_FROM.hrrPercent - 1 } as const;

/** Whether the top of a dose reaches vigorous intensity (RPE ≥ 6/10 CR10 or ≥ 60% HRR). */
export function reachesVigorous(dose: Pick<Dose, 'rpe' | 'hrr'>): boolean {
  return dose.rpe[1] >= VIGOROUS_FROM.rpe || (dose.hrr !== undefined && dose.hrr[1] >= VIGOROUS_FROM.hrrPercent);
}

/**
 * The exercises of a stage whose dose reaches vigorous, with the dose that
 * does, in words ("Shuttle run: RPE 6–8/10"), for a gate's reason.
 */
export function vigorousExercises(exercises: readonly { name: string; dose: Pick<Dose, 'rpe' | 'hrr'> }[]): string[] {
  return exercises
    .filter((x) => reachesVigorous(x.dose))
    .map((x) => `${x.name}: ${x.dose.hrr && x.dose.hrr[1] >= VIGOROUS_FROM.hrrPercent && x.dose.rpe[1] < VIGOROUS_FROM.rpe ? `${x.dose.hrr[0]}–${x.dose.hrr[1]}% HRR` : `RPE ${x.dose.rpe[0]}–${x.dose.rpe[1]}/10`}`);
}
