/**
 * The client's exercise sheet for the current stage: what to do, how hard,
 * how much pain is all right and when to stop, in the client's words.
 */
import { clearanceInForce, describeRestriction } from './clearance.js';
import { fullName } from './client.js';
import { CONDITIONS, type ConditionCode } from './conditions.js';
import type { PlannedExercise } from './program.js';
import { PROGRESS_DEFAULTS } from './progress-rules.js';
import type { ReportInput } from './report.js';
import type { TrainerProfile } from './settings.js';
import { SYMPTOM_CODES, SYMPTOMS } from './symptoms.js';

/** The client's handout for the current stage: plain words, what to do and when to stop. */
export interface HandoutModel {
  produced: string;
  trainer: TrainerProfile;
  clientName: string;
  programName: string;
  stage: number;
  stages: number;
  stageName: string;
  goals: string[];
  sessionsPerWeek: number;
  exercises: { name: string; dose: string; effort: string; cues: string[]; notes: string[] }[];
  painLimit: number;
  stopSigns: string[];
  restrictions: string[];
}

const TALK_WORDS = { can_sing: 'you can still sing', can_talk: 'you can talk but not sing', few_words: 'you can say only a few words at a time' } as const;

/** A dose in the client's words: "2 sets of 10, each side; rest 60 seconds between sets". */
export function plainDose(x: PlannedExercise): { dose: string; effort: string } {
  const d = x.dose;
  const amount = d.reps !== undefined ? `${d.reps} repetitions` : d.seconds !== undefined ? `${d.seconds} seconds` : `${d.minutes} minutes`;
  const sets = d.sets === 1 ? `1 set of ${amount}` : `${d.sets} sets of ${amount}`;
  const parts = [`${sets}${d.perSide ? ' on each side' : ''}`];
  if (d.restSeconds > 0 && d.sets > 1) parts.push(`rest ${d.restSeconds} seconds between sets`);
  if (d.tempo) parts.push(`tempo ${d.tempo}`);
  const effort = [`effort ${d.rpe[0]} to ${d.rpe[1]} out of 10`];
  if (x.heartRate) effort.push(`heart rate ${x.heartRate.low} to ${x.heartRate.high} beats a minute`);
  if (d.talkTest) effort.push(TALK_WORDS[d.talkTest]);
  return { dose: parts.join('; '), effort: effort.join('; ') };
}

/**
 * The red-flag symptoms in the client's words (FACTS §3): stop and get help.
 * The DVT sign is for clients after surgery, the cauda equina sign for back pain.
 */
export function handoutStopSigns(conditions: readonly ConditionCode[]): string[] {
  const surgical = conditions.some((c) => CONDITIONS[c].surgical);
  return SYMPTOM_CODES.filter((code) => SYMPTOMS[code].redFlag)
    .filter((code) => (code === 'calf_pain_swelling' ? surgical : code === 'cauda_equina' ? conditions.includes('low_back_pain') : true))
    .map((code) => SYMPTOMS[code].label);
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
    goals: stage.goals,
    sessionsPerWeek: stage.sessionsPerWeek,
    exercises: stage.exercises.map((x) => ({ name: x.name, ...plainDose(x), cues: x.cues, notes: x.notes })),
    // Silbernagel 2007 [C, secondary]: up to 5/10 during and after, settled by next morning (FACTS §4).
    painLimit: PROGRESS_DEFAULTS.painLimit,
    stopSigns: handoutStopSigns(input.intake?.answers.conditions.map((x) => x.code) ?? []),
    restrictions: c && c.status !== 'not-cleared' ? c.restrictions.map(describeRestriction) : [],
  };
}

