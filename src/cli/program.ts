import type { Kysely } from 'kysely';
import { fullName, clientAge, type Client } from '../domain/client.js';
import { evaluateCriteria, type CriterionResult } from '../domain/criteria.js';
import { adherence } from '../domain/outcomes.js';
import type { SessionDecision } from '../domain/session.js';
import { advanceStage, listEntries, listReferrals, listSignoffs, listTransitions, recordSignoff, type Referral, type StoredEntry, type Transition } from '../store/progress.js';
import type { Database } from '../store/schema.js';
import { addDays, daysBetween, isIsoDate, plannedSessions } from '../domain/dates.js';
import { describeCriterion, describeDose } from '../domain/program-text.js';
import { fittingTemplates, generateProgram, type GeneratedProgram } from '../domain/program.js';
import { resolveSettings } from '../domain/settings.js';
import { clearanceInForce } from '../domain/clearance.js';
import { listClearances } from '../store/clearances.js';
import { intakeInForce } from '../store/intakes.js';
import { getStoredSettings } from '../store/meta.js';
import { activeProgram, listPrograms, saveProgram, type StoredProgram } from '../store/programs.js';
import { READ, type App } from './app.js';
import { EXIT, InputError, NotFoundError, UsageError, UserError } from './errors.js';
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
  if (!isIsoDate(start)) throw new UsageError(`--start: expected a date as YYYY-MM-DD, got "${start}"`);
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

/** The side of the client's condition this program is for, when it has one. */
function affectedSide(conditions: readonly { code: string; side?: string }[], fits: readonly string[]): 'left' | 'right' | 'both' | undefined {
  const c = conditions.find((x) => fits.includes(x.code) && (x.side === 'left' || x.side === 'right' || x.side === 'both'));
  return c?.side as 'left' | 'right' | 'both' | undefined;
}

interface StageState {
  client: Client;
  program: StoredProgram;
  results: CriterionResult[];
  entries: StoredEntry[];
  openReferrals: Referral[];
}

async function stageState(
  db: Kysely<Database>,
  client: Client,
  program: StoredProgram,
  today: string,
  fits: readonly string[],
  pendingSignoffs: readonly { by: 'trainer' | 'clinician'; date: string }[] = [],
): Promise<StageState> {
  const stage = program.program.stages[program.currentStage - 1]!;
  // The entries of this stage since it began (a regenerated program of the same template keeps them).
  const entries = (await listEntries(db, client.id, program.stageStartedOn)).filter((e) => e.stage === program.currentStage);
  const intake = await intakeInForce(db, client.id, today);
  const side = affectedSide(intake?.answers.conditions ?? [], fits);
  const signoffs = [...(await listSignoffs(db, program.id, program.currentStage)), ...pendingSignoffs];
  const results = evaluateCriteria(stage.exitCriteria, entries, { ...(side ? { affectedSide: side } : {}), today, signoffs });
  return { client, program, results, entries, openReferrals: await listReferrals(db, { clientId: client.id, openOnly: true }) };
}

function printCriteria(app: App, results: readonly CriterionResult[]): void {
  const { c } = app.io;
  for (const r of results) app.io.out(`  ${r.met ? c.green('met    ') : c.yellow('not met')}  ${describeCriterion(r.criterion)}: ${r.detail}`);
}

/** `bridgefit program advance <client> [--sign-off trainer|clinician] [--force --reason "…"]` */
export async function advance(app: App, opts: { signOff?: string[]; note?: string; force?: boolean; reason?: string }, args: string[]): Promise<number> {
  const today = app.today();
  for (const by of opts.signOff ?? []) if (by !== 'trainer' && by !== 'clinician') throw new UsageError(`--sign-off: expected trainer or clinician, got "${by}"`);
  if (opts.force && !opts.reason?.trim()) throw new UsageError('--force needs --reason "why", which is recorded');
  if (!opts.force && opts.reason !== undefined) throw new UsageError('--reason goes with --force');
  const set = loadForUse(app);
  return app.withStore(async (store) => {
    const client = await resolveClient(store, args[0]!);
    const outcome = await store.write(async (tx) => {
      const program = await activeProgram(tx, client.id);
      if (!program) throw new NotFoundError(`no program for ${fullName(client)} yet; run "bridgefit program generate ${client.id}"`);
      const count = program.program.stages.length;
      if (program.currentStage >= count) throw new UserError(`${fullName(client)} is in the last stage (${count}) of ${program.program.name}; there is no stage to advance to`);
      const fits = set.programs.get(program.program.templateId)?.fits ?? [];
      const pending = (opts.signOff ?? []).map((by) => ({ by: by as 'trainer' | 'clinician', date: today }));
      const state = await stageState(tx, client, program, today, fits, pending);
      const allMet = state.results.every((r) => r.met);
      const blockedByReferral = state.openReferrals.length > 0;
      const evidence = {
        criteria: state.results.map((r) => ({ criterion: describeCriterion(r.criterion), met: r.met, detail: r.detail, entries: r.evidence })),
        openReferralsBypassed: state.openReferrals.map((r) => ({ id: r.id, reason: r.reason })),
      };
      if ((allMet && !blockedByReferral) || opts.force) {
        // Sign-offs are kept only with the advance they allowed: a refused advance changes nothing.
        for (const s of pending) await recordSignoff(tx, { programId: program.id, stage: program.currentStage, by: s.by, on: today, note: opts.note ?? null });
        const next = program.program.stages[program.currentStage]!;
        await advanceStage(
          tx,
          { programId: program.id, clientId: client.id, from: program.currentStage, to: program.currentStage + 1, on: today, forced: !(allMet && !blockedByReferral), reason: opts.reason?.trim() ?? null, evidence, stageName: next.name, sessionsPerWeek: next.sessionsPerWeek },
          app.writeContext(),
        );
        return { advanced: true as const, state, forced: !(allMet && !blockedByReferral), to: program.currentStage + 1 };
      }
      return { advanced: false as const, state, blockedByReferral };
    });
    const { state } = outcome;
    if (app.io.json) {
      app.io.printJson({
        clientId: client.id,
        programId: state.program.id,
        advanced: outcome.advanced,
        forced: outcome.advanced ? outcome.forced : false,
        fromStage: state.program.currentStage,
        toStage: outcome.advanced ? outcome.to : null,
        criteria: state.results.map((r) => ({ criterion: describeCriterion(r.criterion), met: r.met, detail: r.detail, evidence: r.evidence })),
        openReferrals: state.openReferrals.map((r) => ({ id: r.id, reason: r.reason })),
      });
    } else {
      app.io.out(app.io.c.bold(`Stage ${state.program.currentStage}: ${state.program.program.stages[state.program.currentStage - 1]!.name}`) + app.io.c.dim(` (since ${state.program.stageStartedOn})`));
      printCriteria(app, state.results);
      for (const r of state.openReferrals) app.io.out(app.io.c.red(`  open referral ${r.id}: ${r.reason}`));
      if (outcome.advanced && outcome.forced && state.openReferrals.length > 0) app.io.warn(`advanced past ${state.openReferrals.length} open referral(s); recorded with the transition`);
      if (outcome.advanced) app.io.info(`${outcome.forced ? 'Forced: moved' : 'Moved'} ${fullName(client)} to stage ${outcome.to}${outcome.forced ? ` (${opts.reason?.trim()})` : ''}.`);
    }
    if (outcome.advanced) return EXIT.ok;
    app.io.error(
      outcome.blockedByReferral
        ? 'not advanced: a referral is open; resolve it ("bridgefit referral resolve") or use --force --reason'
        : 'not advanced: the exit criteria do not all hold yet; nothing was changed (--force --reason "…" to advance anyway, recorded)',
    );
    return EXIT.failure;
  });
}

/** `bridgefit program status <client>` */
export async function status(app: App, _opts: unknown, args: string[]): Promise<void> {
  const today = app.today();
  const set = loadForUse(app);
  const { state, latest } = await app.withStore(async (store) => {
    const client = await resolveClient(store, args[0]!);
    const program = await activeProgram(store.db, client.id);
    if (!program) throw new NotFoundError(`no program for ${fullName(client)} yet; run "bridgefit program generate ${client.id}"`);
    const state = await stageState(store.db, client, program, today, set.programs.get(program.program.templateId)?.fits ?? []);
    const all = await listEntries(store.db, client.id);
    return { state, latest: all.at(-1) };
  }, READ);
  const stage = state.program.program.stages[state.program.currentStage - 1]!;
  const days = daysBetween(state.program.stageStartedOn, today);
  const planned = plannedSessions(stage.sessionsPerWeek, state.program.stageStartedOn, today);
  const attended = state.entries.filter((e) => e.attended).length;
  const adherenceValue = adherence(attended, planned);
  const advice = (latest?.decision as SessionDecision | undefined)?.advice;
  if (app.io.json) {
    app.io.printJson({
      clientId: state.client.id,
      programId: state.program.id,
      stage: state.program.currentStage,
      stages: state.program.program.stages.length,
      stageName: stage.name,
      stageStartedOn: state.program.stageStartedOn,
      daysInStage: days,
      sessionsPlanned: planned,
      sessionsAttended: attended,
      adherence: adherenceValue,
      criteria: state.results.map((r) => ({ criterion: describeCriterion(r.criterion), met: r.met, detail: r.detail })),
      latestAdvice: advice ?? null,
      openReferrals: state.openReferrals.map((r) => ({ id: r.id, raisedOn: r.raisedOn, reason: r.reason })),
    });
    return;
  }
  const { c } = app.io;
  app.io.out(c.bold(`${fullName(state.client)}: stage ${state.program.currentStage} of ${state.program.program.stages.length}, ${stage.name}`));
  app.io.fields([
    ['In stage since', `${state.program.stageStartedOn} (${days} days; planned ${stage.weeks[0]}–${stage.weeks[1]} weeks)`],
    ['Adherence', adherenceValue === null ? 'no sessions planned yet' : `${attended} of ${planned} planned sessions (${Math.round(adherenceValue * 100)}%)`],
    ['Latest advice', advice ? `${advice.advice} (${latest!.date}): ${advice.reasons.map((r) => r.text).join('; ')}` : 'no session recorded yet'],
    ['Open referrals', state.openReferrals.map((r) => `${r.id}: ${r.reason}`).join('\n') || 'none'],
  ]);
  app.io.out('Exit criteria:');
  printCriteria(app, state.results);
}

