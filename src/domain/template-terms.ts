/**
 * The words templates are written in: exercise tags, the measures exit
 * criteria and sessions record, the placeholders a text may name. Kept apart
 * from the schemas (template-schema.ts) so that a rule or a command needing
 * only the words loads no schema library.
 */

/**
 * Values a template's text may name in braces, filled in when the program is
 * generated from the same settings the rules use, so the text never says
 * another number than the rule: {bp_hold} is the resting BP hold for this
 * client (screening.bpHold, or screening.bpHoldCardiac for cardiac clients).
 */
export const TEXT_PLACEHOLDERS = ['bp_hold'] as const;

export const JOINTS = ['knee', 'hip', 'ankle', 'shoulder', 'elbow', 'wrist', 'spine'] as const;
export const PATTERNS = [
  'squat', 'hinge', 'lunge', 'step', 'push', 'pull', 'carry', 'rotation', 'gait', 'balance', 'mobility', 'aerobic', 'isometric', 'core', 'stretch',
] as const;
export const POSITIONS = ['standing', 'seated', 'supine', 'prone', 'side_lying', 'quadruped', 'kneeling', 'half_kneeling'] as const;
export const EQUIPMENT = [
  'none', 'chair', 'step', 'band', 'dumbbell', 'kettlebell', 'barbell', 'cable', 'machine', 'bike', 'treadmill', 'mat', 'wall', 'ankle_weight',
  'ball', 'foam_roller', 'rower', 'pool', 'towel', 'rail', 'bench', 'box', 'balance_pad', 'stick',
] as const;
/** How much weight goes through a leg, least to most; a weight-bearing restriction allows up to its level. */
export const LEG_LOADS = ['none', 'toe_touch', 'partial', 'full'] as const;
export type LegLoad = (typeof LEG_LOADS)[number];
/** Sport drills an --override program without clearance leaves out (FACTS §10: no stage above moderate without the clearance). */
export const DRILLS = ['none', 'plyometric', 'agility'] as const;
export const ROM_JOINT_KEYS = ['knee', 'hip', 'shoulder', 'ankle', 'elbow', 'wrist'] as const;


export const MEASURES = {
  knee_flexion: { unit: '°', label: 'knee flexion', sided: true },
  knee_extension: { unit: '°', label: 'knee extension deficit', sided: true },
  hip_flexion: { unit: '°', label: 'hip flexion', sided: true },
  shoulder_flexion: { unit: '°', label: 'shoulder flexion', sided: true },
  shoulder_abduction: { unit: '°', label: 'shoulder abduction', sided: true },
  shoulder_external_rotation: { unit: '°', label: 'shoulder external rotation', sided: true },
  ankle_dorsiflexion: { unit: '°', label: 'ankle dorsiflexion', sided: true },
  pain_during: { unit: '/10', label: 'pain during exercise', sided: false },
  pain_after: { unit: '/10', label: 'pain after exercise', sided: false },
  next_morning_pain: { unit: '/10', label: 'next-morning pain', sided: false },
  effusion_grade: { unit: 'grade (0 = none, 1 = trace, 2 = 1+, 3 = 2+, 4 = 3+)', label: 'knee effusion (stroke test)', sided: true },
  chair_stand_30s: { unit: 'stands', label: '30-s chair stand', sided: false },
  tug_seconds: { unit: 's', label: 'Timed Up and Go', sided: false },
  six_minute_walk_m: { unit: 'm', label: '6-minute walk', sided: false },
  single_leg_stance_s: { unit: 's', label: 'single-leg stance, eyes open', sided: true },
  lefs: { unit: '/80', label: 'LEFS', sided: false },
  odi: { unit: '%', label: 'ODI', sided: false },
  psfs: { unit: '/10', label: 'PSFS (average)', sided: false },
  quickdash: { unit: '/100', label: 'QuickDASH', sided: false },
  nprs: { unit: '/10', label: 'NPRS pain', sided: false },
  quad_index: { unit: '% of the other side', label: 'quadriceps strength symmetry', sided: false },
  hop_symmetry: { unit: '% of the other side', label: 'hop test symmetry', sided: false },
  walking_minutes: { unit: 'min', label: 'continuous walking', sided: false },
  // Pulse oximetry at rest (FACTS §10; LOINC 59408-5 "Oxygen saturation in Arterial blood by Pulse oximetry").
  spo2: { unit: '%', label: 'SpO2', sided: false },
  sessions_attended: { unit: 'sessions', label: 'sessions attended in the stage', sided: false },
  signoff: { unit: '', label: 'sign-off', sided: false },
} as const;
export type MeasureCode = keyof typeof MEASURES;

/**
 * The range-of-motion measures and the joint each reads, as a clearance's
 * `rom.<joint>.<side>` limit names it (knee_extension is a deficit, not a range).
 */
export const MEASURE_JOINT: Partial<Record<string, string>> = {
  knee_flexion: 'knee',
  hip_flexion: 'hip',
  shoulder_flexion: 'shoulder',
  shoulder_abduction: 'shoulder',
  shoulder_external_rotation: 'shoulder',
  ankle_dorsiflexion: 'ankle',
};
