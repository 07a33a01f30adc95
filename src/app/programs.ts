/** Programs: generated from a template, the client's conditions, overlays and clearance; shown; listed. */
import { clientAge, fullName, type Client } from '../domain/client.js';
import { clearanceInForce } from '../domain/clearance.js';
import { fittingTemplates, generateProgram as build, type GeneratedProgram } from '../domain/program.js';
import { leadFirst, mergeTemplates } from '../domain/program-merge.js';
import { resolveSettings } from '../domain/settings.js';
import { startingStage } from '../domain/stage.js';
import type { ProgramTemplate } from '../domain/template-schema.js';
import { listClearances } from '../store/clearances.js';
import { getStoredSettings } from '../store/meta.js';
import { activeProgram, listPrograms as list, saveProgram, type StoredProgram } from '../store/programs.js';
import { listSignoffs, listTransitions, recordSignoff, type Transition } from '../store/progress.js';
import type { Store } from '../store/store.js';
import type { Ctx } from './context.js';
import { InputError, NotFoundError, UserError } from './errors.js';
import { requireIntake, screenAndRecord, type StoredIntake } from './screen-client.js';
import type { TemplateSet } from './templates.js';

export type { StoredProgram, Transition };

/**
 * The program templates that fit the intake's conditions (a general one when
 * none is specific), the one that leads a merged program first.
 */
export function fittingTemplateIds(set: TemplateSet, intake: StoredIntake): { id: string; name: string }[] {
  return leadFirst(fittingTemplates([...set.programs.values()], intake.answers.conditions.map((c) => c.code))).map((t) => ({ id: t.id, name: t.name }));
}

/** The intake `program generate` builds from (the one in force today). */
export async function intakeForProgram(store: Store, client: Client, today: string): Promise<StoredIntake> {
  return requireIntake(store.db, client, today);
}

/** A template by id, refused when unknown or when its file has problems. */
export function templateFor(set: TemplateSet, id: string): ProgramTemplate {
  const template = set.programs.get(id);
  if (!template) throw new NotFoundError(`no program template "${id}"; known: ${[...set.programs.keys()].sort().join(', ')}`);
  const broken = set.problems.filter((p) => p.file === template.origin.file);
  if (broken.length > 0) throw new InputError(`template ${template.id} has problems; fix them first`, broken.map((p) => `${p.path}: ${p.message}`));
  return template;
}

export interface GenerateRequest {
  template: ProgramTemplate;
  /** Other templates that fit the client too: merged into one program, the surgical or cardiac one leading (domain/program-merge.ts). */
  with?: ProgramTemplate[];
  set: TemplateSet;
  intake: StoredIntake;
  /** First day of stage 1. */
  start: string;
  /** An explicit start: at stage 1 it begins the program afresh. */
  startGiven: boolean;
  sessionsPerWeek?: number;
  override?: string;
  /** The stage to start at (--stage N); by default the one the time since surgery fits (domain/stage.ts startingStage). */
  stage?: number;
}

/**
 * `program generate`: screen again, build the program, store it as the
 * client's active one (the one before is superseded, not lost). Regenerating
 * the same template keeps the client at their stage, with its sign-offs.
 */
export async function generateProgram(store: Store, client: Client, req: GenerateRequest, ctx: Ctx): Promise<StoredProgram> {
  const today = ctx.today;
  const result = await store.write(async (tx) => {
    const { verdict } = await screenAndRecord(tx, client, req.intake, ctx);
    const settings = resolveSettings(await getStoredSettings(tx));
    const merged = req.with?.length ? mergeTemplates([req.template, ...req.with], req.set.exercises) : undefined;
    const generated = build({
      template: merged?.template ?? req.template,
      overlays: [...req.set.overlays.values()],
      exercises: req.set.exercises,
      intake: req.intake.answers,
      verdict,
      age: clientAge(client, today),
      sex: client.sex,
      hrMaxFormula: settings['screening.hrMaxFormula'],
      bpHold: settings['screening.bpHold'],
      bpHoldCardiac: settings['screening.bpHoldCardiac'],
      startDate: req.start,
      ...(req.sessionsPerWeek !== undefined ? { sessionsPerWeek: req.sessionsPerWeek } : {}),
      ...(req.override !== undefined ? { override: req.override } : {}),
    });
    if (!generated.ok) return generated;
    if (merged) {
      generated.program.mergedFrom = merged.from;
      generated.program.explanations.push(...merged.notes.map((text) => ({ code: 'merged', text })));
    }
    const clearance = clearanceInForce(await listClearances(tx, client.id), today);
    // A program cannot start before the intake it is built from, nor before the clearance it needs (issue 16).
    if (req.start < req.intake.date) return { ok: false as const, reason: `it would start on ${req.start}, before the intake of ${req.intake.date} it is built from (--start ${req.intake.date} or later)`, details: [] };
    if (verdict.clearance.needed && clearance && req.start < clearance.issuedOn) {
      return { ok: false as const, reason: `it would start on ${req.start}, before the clearance of ${clearance.issuedOn} it needs (--start ${clearance.issuedOn} or later)`, details: [] };
    }
    const before = await activeProgram(tx, client.id);
    const same = req.stage === undefined && before && before.program.templateId === generated.program.templateId && (before.currentStage > 1 || !req.startGiven);
    let carry = same ? { stage: Math.min(before.currentStage, generated.program.stages.length), startedOn: before.stageStartedOn } : undefined;
    if (carry && carry.stage > 1) generated.program.explanations.push({ code: 'continues_at_stage', text: `Continues at stage ${carry.stage}, where the client was (since ${carry.startedOn})` });
    else {
      // A new start: the stage asked for, or the one the time since surgery fits.
      const starting = startingStage(generated.program.stages, generated.program.fits ?? (merged?.template ?? req.template).fits, req.intake.answers.conditions, req.start, req.stage);
      if (!starting.ok) return { ok: false as const, reason: starting.reason, details: [] };
      if (starting.stage > 1) {
        carry = { stage: starting.stage, startedOn: req.start };
        generated.program.explanations.push({ code: 'starts_at_stage', text: starting.why! });
      } else if (before && before.currentStage > 1) generated.program.explanations.push({ code: 'restarts', text: `A different template: starts at stage 1 (the previous program was at stage ${before.currentStage})` });
    }
    const saved = await saveProgram(tx, client.id, generated.program, { intakeId: req.intake.id, clearanceId: clearance?.id ?? null }, ctx, carry);
    // The stage's sign-offs go with it.
    if (same && carry && before) {
      for (const s of await listSignoffs(tx, before.id, carry.stage)) {
        await recordSignoff(tx, { programId: saved.id, stage: carry.stage, by: s.by, on: s.date, name: s.name, profession: s.profession, note: s.note, recordedAt: s.recordedAt });
      }
    }
    return { ok: true as const, saved };
  });
  if (!result.ok) {
    const hint = result.reason.startsWith('the screening') ? ' (see "bridgefit screen"; --override "reason" builds it anyway, recorded)' : '';
    throw new UserError(`cannot build the program: ${result.reason}${hint}`, result.details);
  }
  return result.saved;
}

/** The active program and its stage changes, or a NotFoundError naming the command that makes one. */
export async function currentProgram(store: Store, client: Client): Promise<{ program: StoredProgram; transitions: Transition[] }> {
  const program = await activeProgram(store.db, client.id);
  if (!program) throw new NotFoundError(`no program for ${fullName(client)} yet; run "bridgefit program generate ${client.id}"`);
  return { program, transitions: await listTransitions(store.db, program.id) };
}

/** Every program generated for the client, oldest first. */
export async function listPrograms(store: Store, client: Client): Promise<StoredProgram[]> {
  return list(store.db, client.id);
}

export type { GeneratedProgram };
