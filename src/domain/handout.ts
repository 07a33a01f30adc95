/**
 * The client's exercise sheet for the current stage: what to do, how hard,
 * how much pain is all right and when to stop, in the client's words.
 */
import { stopsTraining } from './session.js';
import { clearanceInForce, describeRestriction } from './clearance.js';
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
  restrictions: string[];
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

/** A dose in the client's words: "2 sets of 10, each side; rest 60 seconds between sets". */
export function plainDose(x: PlannedExercise): { dose: string; effort: string } {
  const d = x.dose;
  const amount = d.reps !== undefined ? plural(d.reps, 'repetition') : d.seconds !== undefined ? plainSeconds(d.seconds) : plural(d.minutes ?? 0, 'minute');
  const sets = `${plural(d.sets, 'set')} of ${amount}`;
  const parts = [`${sets}${d.perSide ? ' on each side' : ''}`];
  if (d.tempo) parts.push(plainTempo(d.tempo));
  if (d.restSeconds > 0 && d.sets > 1) parts.push(`rest ${plainSeconds(d.restSeconds)} between sets`);
  const effort = [`effort ${d.rpe[0]} to ${d.rpe[1]} out of 10`];
  if (x.heartRate) effort.push(`heart rate ${x.heartRate.low} to ${x.heartRate.high} beats a minute`);
  if (d.talkTest) effort.push(TALK_WORDS[d.talkTest]);
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
    programName: p.program.name,
    stage: p.currentStage,
    stages: p.program.stages.length,
    stageName: stage.name,
    sessionsPerWeek: stage.sessionsPerWeek,
    referred: input.referrals.some((r) => r.status === 'open'),
    // The exercise notes are the trainer's (how the program was made), and the goals cite studies: neither is for the client.
    exercises: stage.exercises.map((x) => ({ name: x.name, ...plainDose(x), cues: x.cues })),
    // Silbernagel 2007 [C, secondary]: up to 5/10 during and after, settled by next morning (FACTS §4).
    painLimit: PROGRESS_DEFAULTS.painLimit,
    stopSigns: handoutStopSigns(input.intake?.answers.conditions.map((x) => x.code) ?? []),
    restrictions: c && c.status !== 'not-cleared' ? c.restrictions.map(describeRestriction) : [],
  };
}

