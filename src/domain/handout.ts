/**
 * The client's exercise sheet for the current stage: what to do, how hard,
 * how much pain is all right and when to stop, in the client's words.
 */
import { stopsTraining } from './session.js';
import { clearanceInForce, type Restriction } from './clearance.js';
import { affectedSide } from './stage.js';
import { fullName } from './client.js';
import { CONDITIONS, type ConditionCode } from './conditions.js';
import type { PlannedExercise } from './program.js';
import { PROGRESS_DEFAULTS } from './progress-rules.js';
import type { ReportInput } from './report.js';
import type { TrainerProfile } from './settings.js';
import { SYMPTOM_CODES, SYMPTOMS, type SymptomCode } from './symptoms.js';

/** The client's handout for the current stage: plain words, what to do and when to stop. */
export interface HandoutModel {
  produced: string;
  trainer: TrainerProfile;
  clientName: string;
  programName: string;
  stage: number;
  stages: number;
  stageName: string;
  sessionsPerWeek: number;
  /** The trainer has referred the client to their doctor or physiotherapist, and the referral is open. */
  referred: boolean;
  /** What to do, how hard and how: no trainer-facing notes, no goals with their citations. */
  exercises: { name: string; dose: string; effort: string; cues: string[] }[];
  painLimit: number;
  stopSigns: StopSigns;
  /** The clinician's limits in the client's words; a range limit with the angle to draw. */
  restrictions: ClientRestriction[];
  /** The limb the program is for, when the condition has a side: "right knee", operated or not. */
  limb: { side: 'left' | 'right' | 'both'; part: string; operated: boolean; condition: string } | null;
  /** What to carry and do about low blood sugar: for clients on insulin or a sulfonylurea (FACTS §3); null otherwise. */
  hypo: { carry: string[]; below4: string[]; also: string[] } | null;
  /** The home log sheet: how many rows, and whether it asks for blood sugar before each session. */
  logSheet: { rows: number; glucose: boolean };
}

/** A clinician's limit as the client reads it; `angle` when it is a range of movement to draw. */
export interface ClientRestriction {
  text: string;
  angle?: { degrees: number; joint: string; side: string };
}

/** The red-flag symptoms in the client's words, by whom to call. */
export interface StopSigns {
  /** Stop and call emergency services. */
  emergency: string[];
  /** Stop, and tell the trainer and the doctor today. */
  today: string[];
}

/** "5-s hold" → "hold each one for 5 seconds"; other tempo codes ("2-1-3") → "slowly and under control". */
export function plainTempo(tempo: string): string {
  const hold = /^(\d+)-s hold\b(.*)$/.exec(tempo.trim());
  if (hold) return `hold each one for ${hold[1]} seconds${/end of (the )?range/.test(hold[2]!) ? ' at the end of the movement' : ''}`;
  const lower = /^(\d+)-s lowering\b/.exec(tempo.trim());
  if (lower) return `lower slowly, over ${lower[1]} seconds`;
  return 'slowly and under control';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Seconds as a client reads them: 45 seconds; from 2 minutes up, minutes ("5 minutes", "2 minutes 30 seconds"). */
export function plainSeconds(seconds: number): string {
  if (seconds < 120) return plural(seconds, 'second');
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return s === 0 ? plural(m, 'minute') : `${plural(m, 'minute')} ${plural(s, 'second')}`;
}

const TALK_WORDS = { can_sing: 'you can still sing', can_talk: 'you can talk but not sing', few_words: 'you can say only a few words at a time' } as const;

/**
 * How hard, in words, from the top of a 0–10 effort range (FACTS §5: CR10 2–3
 * light, 4–5 moderate, 6–7 hard; talk test [U]: moderate, you can talk but not
 * sing; vigorous, a few words only). Never the scale's name.
 */
export function effortWords(top: number): string {
  if (top <= 3) return 'easy: you can still talk and sing';
  if (top <= 5) return 'moderate: you can still talk, but not sing';
  if (top <= 7) return 'hard: you can say only a few words at a time';
  return 'very hard: you can hardly speak';
}

/** A dose in the client's words: "2 sets of 10, each side; rest 60 seconds between sets". */
export function plainDose(x: PlannedExercise): { dose: string; effort: string } {
  const d = x.dose;
  const amount = d.reps !== undefined ? plural(d.reps, 'repetition') : d.seconds !== undefined ? plainSeconds(d.seconds) : plural(d.minutes ?? 0, 'minute');
  const sets = `${plural(d.sets, 'set')} of ${amount}`;
  const parts = [`${sets}${x.side ? `, with your ${x.side} leg only` : d.perSide ? ' on each side' : ''}`];
  if (d.tempo) parts.push(plainTempo(d.tempo));
  if (d.restSeconds > 0 && d.sets > 1) parts.push(`rest ${plainSeconds(d.restSeconds)} between sets`);
  // The talk test as planned when there is one, else the words for the effort range (FACTS §5).
  const words = effortWords(d.rpe[1]).split(': ');
  const effort = [`${words[0]}, ${d.talkTest ? TALK_WORDS[d.talkTest] : words[1]} (${d.rpe[0]} to ${d.rpe[1]} out of 10)`];
  if (x.heartRate) effort.push(`heart rate ${x.heartRate.low} to ${x.heartRate.high} beats a minute`);
  return { dose: parts.join('; '), effort: effort.join('; ') };
}

/**
 * Each red-flag symptom (FACTS §3) in the client's words, and whom to call:
 * emergency services for what may be a heart attack, a stroke or cauda equina
 * syndrome; otherwise stop and tell the trainer and the doctor the same day.
 * Every red flag of SYMPTOMS has an entry (a test checks it).
 */
export const CLIENT_STOP_SIGNS: Partial<Record<SymptomCode, { text: string; call: keyof StopSigns }[]>> = {
  chest_pain: [{ text: 'pain, pressure or tightness in your chest, neck, jaw or arms', call: 'emergency' }],
  dizziness_syncope: [
    { text: 'fainting, or nearly fainting', call: 'emergency' },
    { text: 'feeling dizzy or light-headed', call: 'today' },
  ],
  neuro_signs: [{ text: 'sudden weakness on one side, slurred speech, confusion or loss of vision', call: 'emergency' }],
  cauda_equina: [{ text: 'back pain with numbness between your legs or around your bottom, or trouble passing water or controlling your bladder or bowels', call: 'emergency' }],
  breathless: [{ text: 'getting out of breath at rest or with very little effort', call: 'today' }],
  palpitations: [{ text: 'a racing, pounding or irregular heartbeat', call: 'today' }],
  calf_pain_swelling: [{ text: 'a painful, swollen calf', call: 'today' }],
  night_pain: [{ text: 'new pain at night or when you are resting', call: 'today' }],
  fever_joint_swelling: [{ text: 'a fever with a hot, swollen joint', call: 'today' }],
  // Pregnancy (ACOG 804): the midwife or maternity unit the same day.
  vaginal_bleeding: [{ text: 'any bleeding from the vagina (call your midwife or maternity unit)', call: 'today' }],
  contractions: [{ text: 'regular, painful tightenings of your bump (contractions) (call your midwife or maternity unit)', call: 'today' }],
  fluid_leak: [{ text: 'fluid leaking from your vagina (call your midwife or maternity unit)', call: 'today' }],
};

/**
 * The red-flag symptoms in the client's words (FACTS §3): stop and get help.
 * The calf sign is for clients after surgery, the bladder/bowel sign for back pain.
 */
export function handoutStopSigns(conditions: readonly ConditionCode[]): StopSigns {
  const surgical = conditions.some((c) => CONDITIONS[c].surgical);
  const out: StopSigns = { emergency: [], today: [] };
  SYMPTOM_CODES.filter((code) => SYMPTOMS[code].redFlag)
    .filter((code) => (code === 'calf_pain_swelling' ? surgical : code === 'cauda_equina' ? conditions.includes('low_back_pain') : true))
    .filter((code) => {
      const only = (SYMPTOMS[code] as { onlyWith?: ConditionCode }).onlyWith;
      return only === undefined || conditions.includes(only);
    })
    .forEach((code) => {
      for (const sign of CLIENT_STOP_SIGNS[code] ?? [{ text: SYMPTOMS[code].label, call: 'today' as const }]) out[sign.call].push(sign.text);
    });
  return out;
}

/**
 * Why the client must not be handed exercises now, if so: the clinician did
 * not clear them, or the screening refers them or needs clearance not yet
 * given (ACSM 2015; PAR-Q+: no exercise until then). A screening made before
 * the clearance now in force is not held against them.
 */
export function handoutBlockedBy(input: ReportInput): string | undefined {
  const c = clearanceInForce(input.clearances, input.today);
  if (c?.status === 'not-cleared') return `${c.clinician} did not clear them for exercise (${c.issuedOn})`;
  // A red flag referred at a session, still open: no exercise until a clinician has assessed them (FACTS §1, §3).
  const stop = input.referrals.find((r) => r.status === 'open' && stopsTraining(r.code));
  if (stop) return `referral ${stop.id} of ${stop.raisedOn} (${stop.reason}) is open: no exercise until a clinician has assessed them`;
  const s = input.screening;
  if (!s || s.gate === 'ok' || (c && c.issuedOn > s.screenedOn)) return undefined;
  return s.gate === 'refer' ? `the screening of ${s.screenedOn} refers them to a clinician` : `the screening of ${s.screenedOn} needs medical clearance, not yet given`;
}

export function buildHandout(input: ReportInput): HandoutModel | undefined {
  const p = input.program;
  const stage = p?.program.stages[p.currentStage - 1];
  if (!p || !stage) return undefined;
  const c = clearanceInForce(input.clearances, input.today);
  return {
    produced: input.today,
    trainer: input.trainer,
    clientName: fullName(input.client),
    programName: clientWords(p.program.name),
    stage: p.currentStage,
    stages: p.program.stages.length,
    stageName: clientWords(stage.name),
    sessionsPerWeek: stage.sessionsPerWeek,
    referred: input.referrals.some((r) => r.status === 'open'),
    // The exercise notes are the trainer's (how the program was made), and the goals cite studies: neither is for the client.
    exercises: stage.exercises.map((x) => ({ name: clientWords(x.name), ...plainDose(x), cues: x.cues.map(clientWords) })),
    // Silbernagel 2007 [C, secondary]: up to 5/10 during and after, settled by next morning (FACTS §4).
    painLimit: PROGRESS_DEFAULTS.painLimit,
    stopSigns: handoutStopSigns(input.intake?.answers.conditions.map((x) => x.code) ?? []),
    restrictions: c && c.status !== 'not-cleared' ? c.restrictions.map(clientRestriction) : [],
    limb: limbOf(input),
    hypo: hypoRisk(input) ? HYPO_ADVICE : null,
    // Four weeks of sessions, between 8 and 16 rows (a page).
    logSheet: { rows: Math.min(16, Math.max(8, stage.sessionsPerWeek * 4)), glucose: hypoRisk(input) },
  };
}

/**
 * Words a client should not meet on their sheet: a scale's name (CR10, RPE,
 * Borg) and a citation or consensus phase in brackets ("(ASSET phase 1, to
 * about week 6)"). The clinician report keeps them.
 */
export function clientWords(text: string): string {
  return text
    .replace(/\s*\([^()]*\b(ASSET|CR10|RPE|Borg|et al|[A-Z][a-z]+ \d{4})\b[^()]*\)/g, '')
    .replace(/\bRPE (\d+(?:[–-]\d+)?)(?:\/10)?/g, 'effort $1 out of 10')
    .replace(/\s*\bCR10\b\s*/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** The part of the body a sided condition is about. */
const LIMB_PART: Partial<Record<ConditionCode, string>> = {
  knee_tka: 'knee',
  acl_reconstruction: 'knee',
  knee_oa: 'knee',
  hip_tha: 'hip',
  hip_oa: 'hip',
  rotator_cuff_repair: 'shoulder',
  shoulder_pain: 'shoulder',
  ankle_sprain: 'ankle',
};

/** The limb the program is for: the side of the program's condition (stage.ts affectedSide, the program's fits). */
function limbOf(input: ReportInput): HandoutModel['limb'] {
  const conditions = input.intake?.answers.conditions ?? [];
  const side = affectedSide(conditions, input.programFits);
  const c = conditions.find((x) => input.programFits.includes(x.code) && x.side === side);
  const part = c && LIMB_PART[c.code as ConditionCode];
  if (!side || !c || !part) return null;
  const info = CONDITIONS[c.code as ConditionCode];
  return { side, part, operated: info.surgical, condition: info.label };
}

/** On insulin or a sulfonylurea, or type 1 diabetes (insulin by definition): low blood sugar during and after exercise (FACTS §3; Turner et al. 2019). */
function hypoRisk(input: ReportInput): boolean {
  const answers = input.intake?.answers;
  return (answers?.medications ?? []).some((m) => m.class === 'insulin_or_sulfonylurea') || (answers?.conditions ?? []).some((c) => c.code === 'type1_diabetes');
}

/**
 * Low blood sugar, in the client's words. FACTS §3 (Turner et al., Sports Med
 * Open 2019): do not start below 4.0 mmol/L (about 72 mg/dL); treat with 15 g
 * fast carbohydrate and check again after 15 minutes; no exercise after a
 * severe hypo needing help in the last 24 hours. The type 1 diabetes overlay
 * (templates/overlays/type1_diabetes.yaml): bring a meter and fast
 * carbohydrate; lows can come hours after; a low that does not recover after
 * two treatments, or drowsiness or confusion: emergency services. The foods
 * named are examples of 15 g [U].
 */
export const HYPO_ADVICE: NonNullable<HandoutModel['hypo']> = {
  carry: ['your blood sugar meter', 'fast sugar: about 15 g, such as 4 glucose tablets or a small glass (150 ml) of fruit juice or non-diet fizzy drink'],
  below4: [
    'Check your blood sugar before you start. Below 4.0 mmol/L (72 mg/dL), do not start.',
    'Take 15 g of fast sugar, wait 15 minutes and check again.',
    'Start only when it is 4.0 mmol/L or more and you feel well.',
    'If you feel shaky, sweaty, hungry or confused while exercising: stop, check, and do the same.',
    'Still below 4.0 after two treatments, or drowsy or confused: call emergency services.',
  ],
  also: [
    'Low blood sugar can also come hours after exercise, even overnight: check again later.',
    'Do not exercise if you had a bad low that needed someone else’s help in the last 24 hours.',
  ],
};

const WEIGHT_WORDS: Record<string, (leg: string) => string> = {
  non: (leg) => `Do not put any weight on your ${leg} leg`,
  toe_touch: (leg) => `Let only the toes of your ${leg} foot touch the floor, for balance: no weight on that leg`,
  partial: (leg) => `Put only part of your weight on your ${leg} leg, as your physiotherapist showed you`,
  as_tolerated: (leg) => `You may put as much weight on your ${leg} leg as is comfortable`,
  full: (leg) => `You may put your full weight on your ${leg} leg`,
};

const RANGE_WORDS: Record<string, (side: string, deg: number) => string> = {
  knee: (side, deg) => `Bend your ${side} knee no further than ${deg}°`,
  hip: (side, deg) => `Bend your ${side} hip (knee towards your chest) no further than ${deg}°`,
  shoulder: (side, deg) => `Raise your ${side} arm no higher than ${deg}°`,
  ankle: (side, deg) => `Bend your ${side} ankle no further than ${deg}°`,
  elbow: (side, deg) => `Bend your ${side} elbow no further than ${deg}°`,
  wrist: (side, deg) => `Bend your ${side} wrist no further than ${deg}°`,
};

/** A clinician's restriction (clearance.ts vocabulary) in the client's words; effort in talk-test words (FACTS §5). */
export function clientRestriction(r: Restriction): ClientRestriction {
  const [head, joint, side] = r.code.split('.');
  const n = Number(r.value);
  switch (head) {
    case 'no_running':
      return { text: 'No running or jogging' };
    case 'no_impact':
      return { text: 'No jumping, hopping or running' };
    case 'no_overhead_loading':
      return { text: 'Do not lift or hold anything above your shoulders' };
    case 'no_loaded_spinal_flexion':
      return { text: 'Do not bend forward or twist your back while lifting or carrying' };
    case 'supervised_only':
      return { text: 'Exercise only with your trainer there' };
    case 'no_push_pull':
      return { text: 'No pushing or pulling with your arms: no push-ups, presses, rows or planks' };
    case 'no_valsalva':
      return { text: 'Do not hold your breath: breathe out as you push or lift' };
    case 'weight_bearing':
      return { text: (WEIGHT_WORDS[String(r.value)] ?? ((leg: string) => `Weight on your ${leg} leg: as your physiotherapist told you`))(joint ?? '') };
    case 'max_hr':
      return { text: `Keep your heart rate at or below ${n} beats a minute` };
    case 'max_rpe':
      return { text: `Effort: no harder than ${n} out of 10 (${effortWords(n).replace(': ', ', ')})` };
    case 'max_load_kg':
      return { text: `Lift, carry or hold nothing heavier than ${n} kg` };
    case 'rom':
      return { text: (RANGE_WORDS[joint ?? ''] ?? ((s: string, d: number) => `Move your ${s} ${joint} no further than ${d}°`))(side ?? '', n), angle: { degrees: n, joint: joint ?? '', side: side ?? '' } };
    default:
      return { text: clientWords(r.code.replace(/[._]/g, ' ')) };
  }
}

