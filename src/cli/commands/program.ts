/** `program generate/show/list/advance/status`: a client's staged program, stage by stage. */
import { describeDue } from '../../domain/outcome-schedule.js';
import { advanceStage, stageStatus, type Gate, type SignedBy } from '../../app/advance-stage.js';
import { resolveClient } from '../../app/clients.js';
import { EXIT, UsageError, UserError } from '../../app/errors.js';
import { currentProgram, fittingTemplateIds, generateProgram, intakeForProgram, listPrograms, templateFor, type StoredProgram, type Transition } from '../../app/programs.js';
import { fullName } from '../../domain/client.js';
import { signer, type CriterionResult } from '../../domain/criteria.js';
import { addDays, daysBetween, dateProblem, plannedSessions } from '../../domain/dates.js';
import { adherence } from '../../domain/outcomes.js';
import type { GeneratedProgram } from '../../domain/program.js';
import { describeCriterion, describeDose } from '../../domain/program-text.js';
import type { SessionDecision } from '../../domain/session.js';
import { READ, type Cli } from '../cli.js';
import { command, examples, repeat } from '../command.js';
import { fitsFor, loadRulesFor, timingFor } from '../fits.js';

export const generate = command({
  define: (c) =>
    c
      .argument('<client>', 'id or name fragment')
      .option('--template <id>', 'one program template alone (default: the one that fits the conditions; several that fit make one program, merged)')
      .option('--start <date>', 'first day of stage 1, YYYY-MM-DD (default today)')
      .option('--sessions-per-week <n>', 'sessions a week in every stage (default: the template’s)')
      .option('--override <reason>', 'build it although the screening gate holds it back; the reason is recorded')
      .option('--stage <n>', 'start at this stage (a client who arrives after the first stages); default: the stage the time since surgery fits, where the template times its stages')
      .addHelpText(
        'after',
        examples(
          'bridgefit program generate zoe',
          'bridgefit program generate 12 --template knee_tka --start 2026-12-01 --sessions-per-week 2',
          'bridgefit program generate 12 --stage 3',
          'bridgefit program generate 12 --override "cleared by phone by Dr Costa; letter to follow"',
        ),
      ),
  async run(cli, opts, [selector]) {
    const today = cli.today();
    const start = opts.start ?? today;
    const badStart = dateProblem(start);
    if (badStart) throw new UsageError(`--start: ${badStart}`);
    let sessionsPerWeek: number | undefined;
    if (opts.sessionsPerWeek !== undefined) {
      // Digits only: Number() would also take "5.", "5e0" or " 5".
      sessionsPerWeek = /^\d+$/.test(opts.sessionsPerWeek) ? Number(opts.sessionsPerWeek) : NaN;
      if (!Number.isInteger(sessionsPerWeek) || sessionsPerWeek < 1 || sessionsPerWeek > 7) {
        throw new UsageError(`--sessions-per-week: expected a whole number 1–7, got "${opts.sessionsPerWeek}"`);
      }
    }
    if (opts.stage !== undefined && !/^[1-9]\d?$/.test(opts.stage)) throw new UsageError(`--stage: expected a stage number (1, 2, …), got "${opts.stage}"`);
    if (opts.override !== undefined && opts.override.trim() === '') throw new UsageError('--override needs the reason, e.g. --override "cleared by phone by Dr Costa, letter to follow"');

    // The template library (YAML parser, schemas) is loaded here, not with the module: status and advance never need it.
    const set = await (await import('../templates.js')).loadForUse(cli);
    await cli.withStore(async (store) => {
      const client = await resolveClient(store, selector);
      const intake = await intakeForProgram(store, client, today);
      let templateId = opts.template;
      let others: string[] = [];
      if (templateId === undefined) {
        const fitting = fittingTemplateIds(set, intake);
        if (fitting.length === 0) throw new UserError('no program template fits and there is no general one; pass --template (see "bridgefit template list")');
        templateId = fitting[0]!.id;
        others = fitting.slice(1).map((t) => t.id);
        // Several conditions: one program, the first (surgical, then cardiac) leading; at a terminal, or --template, one alone.
        if (others.length > 0 && cli.prompt.available) {
          const all = `all:${templateId}`;
          const choice = await cli.prompt.select('Several programs fit; which one?', [
            { value: all, name: `One program: ${fitting[0]!.name}, with the exercises of ${fitting.slice(1).map((t) => t.name).join(' and ')} (recommended)` },
            ...fitting.map((t) => ({ value: t.id, name: `${t.name} (${t.id}) alone` })),
          ]);
          if (choice !== all) [templateId, others] = [choice, []];
        }
      }
      const template = templateFor(set, templateId);
      const saved = await generateProgram(
        store,
        client,
        { template, ...(others.length ? { with: others.map((id) => templateFor(set, id)) } : {}), set, intake, start, startGiven: opts.start !== undefined, ...(opts.stage !== undefined ? { stage: Number(opts.stage) } : {}), ...(sessionsPerWeek !== undefined ? { sessionsPerWeek } : {}), ...(opts.override !== undefined ? { override: opts.override.trim() } : {}) },
        cli.ctx(),
      );
      if (cli.io.json) {
        cli.io.printJson(programJson(saved));
        return;
      }
      cli.io.info(`Generated program ${saved.id} for ${fullName(client)}: ${saved.program.name}.`);
      printProgram(cli, saved, undefined);
    });
  },
});

export const show = command({
  define: (c) =>
    c
      .argument('<client>', 'id or name fragment')
      .option('--stage <n>', 'only this stage')
      .addHelpText('after', examples('bridgefit program show zoe', 'bridgefit program show 12 --stage 2 --json')),
  async run(cli, opts, [selector]) {
    const { client, program, transitions } = await cli.withStore(async (store) => {
      const client = await resolveClient(store, selector);
      return { client, ...(await currentProgram(store, client)) };
    }, READ);
    let stage: number | undefined;
    if (opts.stage !== undefined) {
      stage = /^\d+$/.test(opts.stage) ? Number(opts.stage) : NaN;
      if (!Number.isInteger(stage) || stage < 1 || stage > program.program.stages.length) {
        throw new UsageError(`--stage: expected 1–${program.program.stages.length}, got "${opts.stage}"`);
      }
    }
    if (cli.io.json) {
      const json = programJson(program);
      cli.io.printJson(stage === undefined ? json : { ...json, stages: json.stages.filter((s) => s.number === stage) });
      return;
    }
    cli.io.out(cli.io.c.bold(`${fullName(client)}`) + cli.io.c.dim(` (client ${client.id})`));
    printProgram(cli, program, stage, transitions);
  },
});

export const list = command({
  define: (c) => c.argument('<client>', 'id or name fragment').addHelpText('after', examples('bridgefit program list zoe', 'bridgefit program list 12 --json')),
  async run(cli, _opts, [selector]) {
    const programs = await cli.withStore(async (store) => listPrograms(store, await resolveClient(store, selector)), READ);
    if (cli.io.json) {
      cli.io.printJson(programs.map(programJson));
      return;
    }
    cli.io.table(
      ['ID', 'GENERATED', 'TEMPLATE', 'START', 'STATUS', 'OVERRIDE'],
      programs.map((p) => [String(p.id), p.generatedAt.slice(0, 16).replace('T', ' '), `${p.program.templateId} ${p.program.templateVersion}`, p.program.startDate, p.status, p.program.override ?? '']),
    );
  },
});

export const advance = command({
  define: (c) =>
    c
      .argument('<client>', 'id or name fragment')
      .option('--sign-off <role>', 'sign the current stage off first: trainer or clinician (one per command)', repeat)
      .option('--signed-by <name>', 'who signs off (a trainer sign-off defaults to config trainer.name)')
      .option('--profession <profession>', 'their profession, e.g. physiotherapist (a trainer sign-off defaults to "trainer")')
      .option('--signed-on <date>', 'the day they signed off, YYYY-MM-DD (default today; not in the future)')
      .option('--note <text>', 'what the sign-off rests on')
      .option('--force', 'advance although a gate holds (criteria, time in stage or since surgery, advice, effusion, clearance, a referral); needs --reason')
      .option('--reason <text>', 'why, when forcing; recorded with the transition and shown in the report')
      .addHelpText(
        'after',
        [
          '',
          'Every gate must pass: the exit criteria, no open referral, the stage\'s planned minimum',
          'time, the time since surgery the next stage needs, the latest session\'s advice (not',
          'reduce or rest), knee effusion not rising, and a clearance before a vigorous stage when',
          'the screening asks for one. A sign-off counts towards the criteria only; it never passes',
          'a time gate. Only --force --reason passes a held gate, and that is recorded.',
          examples(
            'bridgefit program advance zoe',
            'bridgefit program advance 12 --sign-off trainer --note "SLR without lag, walks 30 m with a stick"',
            'bridgefit program advance 12 --sign-off clinician --signed-by "Dr A. Physio" --profession physiotherapist --signed-on 2026-12-01',
            'bridgefit program advance 12 --force --reason "surgeon cleared stage 3 early by letter of 2026-11-30"',
          ),
        ].join('\n'),
      ),
  async run(cli, opts, [selector]) {
    const roles = opts.signOff ?? [];
    if (roles.length > 1) throw new UsageError('--sign-off: one sign-off per command (each has its own --signed-by and --profession)');
    const by = roles[0];
    if (by !== undefined && by !== 'trainer' && by !== 'clinician') throw new UsageError(`--sign-off: expected trainer or clinician, got "${by}"`);
    if (by === undefined && (opts.signedBy !== undefined || opts.profession !== undefined || opts.signedOn !== undefined)) throw new UsageError('--signed-by, --profession and --signed-on go with --sign-off trainer|clinician');
    if (opts.force && !opts.reason?.trim()) throw new UsageError('--force needs --reason "why", which is recorded');
    if (!opts.force && opts.reason !== undefined) throw new UsageError('--reason goes with --force');
    const { client, outcome } = await cli.withStore(async (store) => {
      const client = await resolveClient(store, selector);
      const signOff = by === undefined ? undefined : { by: by as SignedBy, name: opts.signedBy, profession: opts.profession, on: opts.signedOn };
      const request = { ...(signOff ? { signOff } : {}), ...(opts.note !== undefined ? { note: opts.note } : {}), force: Boolean(opts.force), ...(opts.reason !== undefined ? { reason: opts.reason } : {}) };
      return { client, outcome: await advanceStage(store, client, request, fitsFor(cli), cli.ctx(), timingFor(cli)) };
    });
    const { state } = outcome;
    if (cli.io.json) {
      cli.io.printJson({
        clientId: client.id,
        programId: state.program.id,
        advanced: outcome.advanced,
        forced: outcome.advanced ? outcome.forced : false,
        fromStage: state.program.currentStage,
        toStage: outcome.advanced ? outcome.to : null,
        gates: state.gates,
        held: outcome.held.map((g) => g.code),
        criteria: state.results.map((r) => ({ criterion: describeCriterion(r.criterion), met: r.met, detail: r.detail, evidence: r.evidence })),
        signoffs: state.signoffs,
        openReferrals: state.openReferrals.map((r) => ({ id: r.id, reason: r.reason })),
      });
    } else {
      cli.io.out(cli.io.c.bold(`Stage ${state.program.currentStage}: ${state.program.program.stages[state.program.currentStage - 1]!.name}`) + cli.io.c.dim(` (since ${state.program.stageStartedOn})`));
      cli.io.out('Exit criteria:');
      printCriteria(cli, state.results);
      cli.io.out('Gates to the next stage:');
      printGates(cli, state.gates);
      if (outcome.advanced && outcome.forced) cli.io.warn(`forced past ${outcome.held.length} gate(s): ${outcome.held.map((g) => g.reason).join('; ')}; recorded with the transition`);
      if (outcome.advanced) cli.io.info(`${outcome.forced ? 'Forced: moved' : 'Moved'} ${fullName(client)} to stage ${outcome.to}${outcome.forced ? ` (${opts.reason?.trim()})` : ''}.`);
    }
    if (outcome.advanced) return EXIT.ok;
    const held = outcome.held;
    const onlyCriteria = held.length === 1 && held[0]!.code === 'exit_criteria';
    cli.io.error(
      outcome.blockedByReferral && held.length === 1
        ? 'not advanced: a referral is open; resolve it ("bridgefit referral resolve") or use --force --reason'
        : onlyCriteria
          ? 'not advanced: the exit criteria do not all hold yet; nothing was changed (--force --reason "…" to advance anyway, recorded)'
          : `not advanced: ${held.map((g) => `${GATE_NAMES[g.code]} ${g.status === 'unknown' ? 'unknown' : 'held'} (${g.reason})`).join('; ')}; nothing was changed (--force --reason "…" to advance anyway, recorded)`,
    );
    return EXIT.failure;
  },
});

/** What each gate is called on screen. */
const GATE_NAMES: Record<Gate['code'], string> = {
  exit_criteria: 'exit criteria',
  open_referrals: 'open referral',
  stage_minimum: 'stage minimum',
  since_surgery: 'time since surgery',
  latest_advice: 'latest advice',
  effusion: 'effusion',
  vigorous_clearance: 'clearance for vigorous work',
};

export const status = command({
  define: (c) => c.argument('<client>', 'id or name fragment').addHelpText('after', examples('bridgefit program status zoe', 'bridgefit program status 12 --json')),
  async run(cli, _opts, [selector]) {
    const today = cli.today();
    const { state, latest, outcomes } = await cli.withStore(async (store) => stageStatus(store, await resolveClient(store, selector), fitsFor(cli), today, timingFor(cli), loadRulesFor(cli)), READ);
    const stage = state.program.program.stages[state.program.currentStage - 1]!;
    const days = daysBetween(state.program.stageStartedOn, today);
    const planned = plannedSessions(stage.sessionsPerWeek, state.program.stageStartedOn, today);
    const attended = state.entries.filter((e) => e.attended).length;
    const adherenceValue = adherence(attended, planned);
    const advice = (latest?.decision as SessionDecision | undefined)?.advice;
    const last = state.program.currentStage >= state.program.program.stages.length;
    if (cli.io.json) {
      cli.io.printJson({
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
        gates: state.gates,
        readyToAdvance: !last && state.gates.every((g) => g.status === 'passed'),
        signoffs: state.signoffs,
        latestAdvice: advice ?? null,
        openReferrals: state.openReferrals.map((r) => ({ id: r.id, raisedOn: r.raisedOn, reason: r.reason })),
        restrictionDrift: state.restrictionDrift,
        outcomes: outcomes.map((o) => ({ measure: o.measure, everyWeeks: o.everyWeeks, last: o.last, dueOn: o.dueOn, due: o.due, source: o.source })),
        nextLoads: state.nextLoads,
      });
      return;
    }
    const { c } = cli.io;
    cli.io.out(c.bold(`${fullName(state.client)}: stage ${state.program.currentStage} of ${state.program.program.stages.length}, ${stage.name}`));
    cli.io.fields([
      [
        'In stage since',
        days < 0
          ? `not yet: the program starts on ${state.program.stageStartedOn} (in ${-days} day${days === -1 ? '' : 's'})`
          : `${state.program.stageStartedOn} (${days} day${days === 1 ? '' : 's'}; planned ${stage.weeks[0]}–${stage.weeks[1]} weeks)`,
      ],
      ['Adherence', adherenceValue === null ? 'no sessions planned yet' : `${attended} of ${planned} planned sessions (${Math.round(adherenceValue * 100)}%)`],
      ['Latest advice', advice ? `${advice.advice} (${latest!.date}): ${advice.reasons.map((r) => r.text).join('; ')}` : 'no session recorded yet'],
      ['Open referrals', state.openReferrals.map((r) => `${r.id}: ${r.reason}`).join('\n') || 'none'],
      ['Sign-offs', state.signoffs.map((s) => `${s.by}: ${signer(s)} on ${s.date}`).join('\n') || 'none for this stage'],
      ...(state.restrictionDrift ? ([['Clearance', c.yellow(state.restrictionDrift)]] as [string, string][]) : []),
      ...(outcomes.length
        ? ([['Outcome scores', outcomes.map((o) => `${describeDue(o)}: ${o.due ? c.yellow(`due${o.dueOn < today ? ` since ${o.dueOn}` : ''}`) : `next on ${o.dueOn}`}`).join('\n')]] as [string, string][])
        : []),
      ...(state.nextLoads.length > 0 ? ([['Next loads', state.nextLoads.map((l) => `${l.name}: ${l.suggestedKg !== null ? `${l.suggestedKg} kg (${l.reason})` : l.reason}`).join('\n')]] as [string, string][]) : []),
    ]);
    cli.io.out('Exit criteria:');
    printCriteria(cli, state.results);
    cli.io.out(last ? 'Gates (last stage: there is no stage to advance to):' : 'Gates to the next stage:');
    printGates(cli, state.gates);
  },
});

function printGates(cli: Cli, gates: readonly Gate[]): void {
  const { c } = cli.io;
  for (const g of gates) {
    const mark = g.status === 'passed' ? c.green('passed ') : g.status === 'held' ? c.red('held   ') : c.yellow('unknown');
    cli.io.out(`  ${mark}  ${GATE_NAMES[g.code]}: ${g.reason}`);
    if (g.status !== 'passed') cli.io.out(c.dim(`           source: ${g.source}`));
  }
}

function printCriteria(cli: Cli, results: readonly CriterionResult[]): void {
  const { c } = cli.io;
  for (const r of results) cli.io.out(`  ${r.met ? c.green('met    ') : c.yellow('not met')}  ${describeCriterion(r.criterion)}: ${r.detail}`);
}

function programJson(p: StoredProgram) {
  return { id: p.id, clientId: p.clientId, status: p.status, generatedAt: p.generatedAt, supersededAt: p.supersededAt, intakeId: p.intakeId, clearanceId: p.clearanceId, currentStage: p.currentStage, stageStartedOn: p.stageStartedOn, ...p.program };
}

function printProgram(cli: Cli, stored: StoredProgram, onlyStage: number | undefined, transitions: Transition[] = []): void {
  const { c } = cli.io;
  const p: GeneratedProgram = stored.program;
  cli.io.out(`${c.bold(p.name)} ${c.dim(`(${p.templateId} ${p.templateVersion}; program ${stored.id}, ${stored.status}; from ${p.startDate})`)}`);
  if (p.override) cli.io.out(c.yellow(`Built despite the screening gate: ${p.override}`));
  cli.io.fields([
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
    cli.io.out('');
    const current = stored.status === 'active' && s.number === stored.currentStage;
    // Later stages are planned again from where the client really is.
    const from = replanned.get(s.number) ?? s.plannedStart;
    const when = current
      ? `current stage since ${stored.stageStartedOn}; planned ${s.weeks[0]}–${s.weeks[1]} weeks`
      : s.number < stored.currentStage
        ? 'done'
        : `planned from ${from}, ending between ${addDays(from, s.weeks[0] * 7 - 1)} and ${addDays(from, s.weeks[1] * 7 - 1)} (${s.weeks[0]}–${s.weeks[1]} weeks)`;
    cli.io.out(c.bold(`Stage ${s.number}: ${s.name}`) + (current ? c.green('  ← current') : '') + c.dim(`  ${when}, ${s.sessionsPerWeek} sessions a week`));
    cli.io.out(`  Goals: ${s.goals.join('; ')}`);
    for (const x of s.exercises) {
      const hr = x.heartRate ? `, HR ${x.heartRate.low}–${x.heartRate.high} bpm` : '';
      cli.io.out(`  - ${x.name}: ${describeDose(x.dose, x.side)}${hr}`);
      if (x.replaces) cli.io.out(c.dim(`      instead of ${x.replaces.name}`));
      for (const n of x.notes) cli.io.out(c.dim(`      ${n}`));
    }
    cli.io.out('  Exit criteria:');
    for (const crit of s.exitCriteria) cli.io.out(`    · ${describeCriterion(crit)}`);
    if (s.precautions.length) cli.io.out(`  Precautions: ${s.precautions.join('; ')}`);
  }
  if (onlyStage === undefined && transitions.length > 0) {
    cli.io.out('');
    cli.io.out(c.bold('Stage changes'));
    for (const t of transitions) {
      cli.io.out(`  - ${t.onDate}: stage ${t.from} → ${t.to}${t.forced ? c.yellow(` (forced: ${t.reason})`) : ''}`);
      // Evidence from stage-1.0.0 on keeps the gates and which of them were forced past.
      const e = t.evidence as { gates?: { code?: string; reason?: string }[]; forcedPast?: string[] } | null;
      for (const g of e?.gates ?? []) if (e?.forcedPast?.includes(String(g.code))) cli.io.out(c.yellow(`      forced past: ${g.reason}`));
    }
  }
  if (onlyStage === undefined) {
    cli.io.out('');
    cli.io.out(c.bold('Why'));
    for (const e of p.explanations) cli.io.out(`  - ${e.text}`);
  }
}
