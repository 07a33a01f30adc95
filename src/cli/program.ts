import { fullName, clientAge } from '../domain/client.js';
import { clearanceInForce } from '../domain/clearance.js';
import { addDays, dateProblem } from '../domain/dates.js';
import { describeCriterion, describeDose } from '../domain/program-text.js';
import { fittingTemplates, generateProgram, type GeneratedProgram } from '../domain/program.js';
import { resolveSettings } from '../domain/settings.js';
import { listClearances } from '../store/clearances.js';
import { intakeInForce } from '../store/intakes.js';
import { getStoredSettings } from '../store/meta.js';
import { activeProgram, listPrograms, saveProgram, type StoredProgram } from '../store/programs.js';
import { listSignoffs, listTransitions, recordSignoff, type Transition } from '../store/progress.js';
import { READ, type App } from './app.js';
import { InputError, NotFoundError, UsageError, UserError } from './errors.js';
import { resolveClient } from './resolve.js';
import { screenAndRecord } from './screening.js';
import { loadForUse } from './template.js';

interface GenerateOptions {
  template?: string;
  start?: string;
  sessionsPerWeek?: string;
  override?: string;
}

/** `bridgefit program generate <client>` */
export async function generate(app: App, opts: GenerateOptions, args: string[]): Promise<void> {
  const today = app.today();
  const start = opts.start ?? today;
  const badStart = dateProblem(start);
  if (badStart) throw new UsageError(`--start: ${badStart}`);
  let sessionsPerWeek: number | undefined;
  if (opts.sessionsPerWeek !== undefined) {
    sessionsPerWeek = Number(opts.sessionsPerWeek);
    if (!Number.isInteger(sessionsPerWeek) || sessionsPerWeek < 1 || sessionsPerWeek > 7) {
      throw new UsageError(`--sessions-per-week: expected a whole number 1–7, got "${opts.sessionsPerWeek}"`);
    }
  }
  if (opts.override !== undefined && opts.override.trim() === '') throw new UsageError('--override needs the reason, e.g. --override "cleared by phone by Dr Costa, letter to follow"');

  const set = loadForUse(app);
  await app.withStore(async (store) => {
    const client = await resolveClient(store, args[0]!);
    const intake = await intakeInForce(store.db, client.id, today);
    if (!intake) throw new NotFoundError(`no intake for ${fullName(client)} yet; run "bridgefit intake ${client.id}" first`);

    let templateId = opts.template;
    if (templateId === undefined) {
      const fitting = fittingTemplates([...set.programs.values()], intake.answers.conditions.map((c) => c.code));
      if (fitting.length === 0) throw new UserError('no program template fits and there is no general one; pass --template (see "bridgefit template list")');
      if (fitting.length === 1) templateId = fitting[0]!.id;
      else if (app.prompt.available) {
        templateId = await app.prompt.select('Several programs fit; which one?', fitting.map((t) => ({ value: t.id, name: `${t.name} (${t.id})` })));
      } else {
        throw new UsageError(`several program templates fit ${fullName(client)}: ${fitting.map((t) => t.id).join(', ')}; pass --template <id>`);
      }
    }
    const template = set.programs.get(templateId);
    if (!template) throw new NotFoundError(`no program template "${templateId}"; known: ${[...set.programs.keys()].sort().join(', ')}`);
    const broken = set.problems.filter((p) => p.file === template.origin.file);
    if (broken.length > 0) throw new InputError(`template ${template.id} has problems; fix them first`, broken.map((p) => `${p.path}: ${p.message}`));

    const result = await store.write(async (tx) => {
      const { verdict } = await screenAndRecord(tx, client, intake, today, app.writeContext());
      const settings = resolveSettings(await getStoredSettings(tx));
      const generated = generateProgram({
        template,
        overlays: [...set.overlays.values()],
        exercises: set.exercises,
        intake: intake.answers,
        verdict,
        age: clientAge(client, today),
        sex: client.sex,
        hrMaxFormula: settings['screening.hrMaxFormula'],
        startDate: start,
        ...(sessionsPerWeek !== undefined ? { sessionsPerWeek } : {}),
        ...(opts.override !== undefined ? { override: opts.override.trim() } : {}),
      });
      if (!generated.ok) return generated;
      const clearance = clearanceInForce(await listClearances(tx, client.id), today);
      // Regenerating the same program (a new clearance, new restrictions) keeps the client where they are.
      const before = await activeProgram(tx, client.id);
      // At stage 1 an explicit --start begins the program afresh.
      const same = before && before.program.templateId === generated.program.templateId && (before.currentStage > 1 || opts.start === undefined);
      const carry = same ? { stage: Math.min(before.currentStage, generated.program.stages.length), startedOn: before.stageStartedOn } : undefined;
      if (carry && carry.stage > 1) generated.program.explanations.push({ code: 'continues_at_stage', text: `Continues at stage ${carry.stage}, where the client was (since ${carry.startedOn})` });
      else if (before && before.currentStage > 1) generated.program.explanations.push({ code: 'restarts', text: `A different template: starts at stage 1 (the previous program was at stage ${before.currentStage})` });
      const saved = await saveProgram(tx, client.id, generated.program, { intakeId: intake.id, clearanceId: clearance?.id ?? null }, app.writeContext(), carry);
      // The stage's sign-offs go with it.
      if (carry && before) for (const s of await listSignoffs(tx, before.id, carry.stage)) await recordSignoff(tx, { programId: saved.id, stage: carry.stage, by: s.by, on: s.date, note: null });
      return { ok: true as const, saved };
    });
    if (!result.ok) {
      const hint = result.reason.startsWith('the screening') ? ' (see "bridgefit screen"; --override "reason" builds it anyway, recorded)' : '';
      throw new UserError(`cannot build the program: ${result.reason}${hint}`, result.details);
    }
    if (app.io.json) {
      app.io.printJson(programJson(result.saved));
      return;
    }
    app.io.info(`Generated program ${result.saved.id} for ${fullName(client)}: ${template.name}.`);
    printProgram(app, result.saved, undefined);
  });
}

export function programJson(p: StoredProgram) {
  return { id: p.id, clientId: p.clientId, status: p.status, generatedAt: p.generatedAt, supersededAt: p.supersededAt, intakeId: p.intakeId, clearanceId: p.clearanceId, ...p.program };
}

/** `bridgefit program show <client> [--stage n]` */
export async function show(app: App, opts: { stage?: string }, args: string[]): Promise<void> {
  const { client, program, transitions } = await app.withStore(async (store) => {
    const client = await resolveClient(store, args[0]!);
    const program = await activeProgram(store.db, client.id);
    return { client, program, transitions: program ? await listTransitions(store.db, program.id) : [] };
  }, READ);
  if (!program) throw new NotFoundError(`no program for ${fullName(client)} yet; run "bridgefit program generate ${client.id}"`);
  let stage: number | undefined;
  if (opts.stage !== undefined) {
    stage = Number(opts.stage);
    if (!Number.isInteger(stage) || stage < 1 || stage > program.program.stages.length) {
      throw new UsageError(`--stage: expected 1–${program.program.stages.length}, got "${opts.stage}"`);
    }
  }
  if (app.io.json) {
    const json = programJson(program);
    app.io.printJson(stage === undefined ? json : { ...json, stages: json.stages.filter((s) => s.number === stage) });
    return;
  }
  app.io.out(app.io.c.bold(`${fullName(client)}`) + app.io.c.dim(` (client ${client.id})`));
  printProgram(app, program, stage, transitions);
}

/** `bridgefit program list <client>`: every program, the active one and those it superseded. */
export async function list(app: App, _opts: unknown, args: string[]): Promise<void> {
  const programs = await app.withStore(async (store) => listPrograms(store.db, (await resolveClient(store, args[0]!)).id), READ);
  if (app.io.json) {
    app.io.printJson(programs.map(programJson));
    return;
  }
  app.io.table(
    ['ID', 'GENERATED', 'TEMPLATE', 'START', 'STATUS', 'OVERRIDE'],
    programs.map((p) => [String(p.id), p.generatedAt.slice(0, 16).replace('T', ' '), `${p.program.templateId} ${p.program.templateVersion}`, p.program.startDate, p.status, p.program.override ?? '']),
  );
}

export function printProgram(app: App, stored: StoredProgram, onlyStage: number | undefined, transitions: Transition[] = []): void {
  const { c } = app.io;
  const p: GeneratedProgram = stored.program;
  app.io.out(`${c.bold(p.name)} ${c.dim(`(${p.templateId} ${p.templateVersion}; program ${stored.id}, ${stored.status}; from ${p.startDate})`)}`);
  if (p.override) app.io.out(c.yellow(`Built despite the screening gate: ${p.override}`));
  app.io.fields([
    ['Overlays', p.overlays.map((o) => o.name).join('; ') || 'none'],
    ['Dosing', p.dosing === 'rpe-only' ? 'RPE and talk test only (no heart-rate targets)' : 'RPE, with heart rate where shown'],
    ['Precautions', p.precautions.join('\n') || '—'],
    ['Before each session', p.preSessionChecks.join('\n') || '—'],
    ['Stop and refer if', p.redFlags.join('\n') || '—'],
  ]);
  const replanned = new Map<number, string>();
  let cursor = stored.stageStartedOn;
  for (const s of p.stages.filter((x) => x.number >= stored.currentStage)) {
    if (s.number > stored.currentStage) replanned.set(s.number, cursor);
    cursor = addDays(cursor, s.weeks[0] * 7);
  }
  for (const s of p.stages) {
    if (onlyStage !== undefined && s.number !== onlyStage) continue;
    app.io.out('');
    const current = stored.status === 'active' && s.number === stored.currentStage;
    // Later stages are planned again from where the client really is.
    const from = replanned.get(s.number) ?? s.plannedStart;
    const when = current
      ? `current stage since ${stored.stageStartedOn}; planned ${s.weeks[0]}–${s.weeks[1]} weeks`
      : s.number < stored.currentStage
        ? 'done'
        : `planned from ${from}, ending between ${addDays(from, s.weeks[0] * 7 - 1)} and ${addDays(from, s.weeks[1] * 7 - 1)} (${s.weeks[0]}–${s.weeks[1]} weeks)`;
    app.io.out(c.bold(`Stage ${s.number}: ${s.name}`) + (current ? c.green('  ← current') : '') + c.dim(`  ${when}, ${s.sessionsPerWeek} sessions a week`));
    app.io.out(`  Goals: ${s.goals.join('; ')}`);
    for (const x of s.exercises) {
      const hr = x.heartRate ? `, HR ${x.heartRate.low}–${x.heartRate.high} bpm` : '';
      app.io.out(`  - ${x.name}: ${describeDose(x.dose)}${hr}`);
      if (x.replaces) app.io.out(c.dim(`      instead of ${x.replaces.name}`));
      for (const n of x.notes) app.io.out(c.dim(`      ${n}`));
    }
    app.io.out('  Exit criteria:');
    for (const crit of s.exitCriteria) app.io.out(`    · ${describeCriterion(crit)}`);
    if (s.precautions.length) app.io.out(`  Precautions: ${s.precautions.join('; ')}`);
  }
  if (onlyStage === undefined && transitions.length > 0) {
    app.io.out('');
    app.io.out(c.bold('Stage changes'));
    for (const t of transitions) app.io.out(`  - ${t.onDate}: stage ${t.from} → ${t.to}${t.forced ? c.yellow(` (forced: ${t.reason})`) : ''}`);
  }
  if (onlyStage === undefined) {
    app.io.out('');
    app.io.out(c.bold('Why'));
    for (const e of p.explanations) app.io.out(`  - ${e.text}`);
  }
}
