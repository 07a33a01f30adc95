import fs from 'node:fs';
import path from 'node:path';
import { describeDose, describeCriterion } from '../domain/program-text.js';
import type { Exercise, Overlay, ProgramTemplate } from '../domain/template-schema.js';
import { defaultDataDir } from '../store/location.js';
import { loadTemplates, parseTemplateFile, readPrecompiled, type TemplateProblem, type TemplateSet } from '../templates/load.js';
import type { App } from './app.js';
import { EXIT, NotFoundError, UsageError } from './errors.js';

/** The trainer's own templates: --templates <dir>, else templates/ in the data directory. */
export function userTemplateDir(app: App): string | undefined {
  if (app.templatesDir !== undefined) {
    const dir = path.resolve(app.templatesDir);
    if (!fs.existsSync(dir)) throw new UsageError(`--templates ${app.templatesDir}: no such folder`);
    if (!fs.statSync(dir).isDirectory()) throw new UsageError(`--templates ${app.templatesDir}: is a file, not a folder`);
    try {
      fs.readdirSync(dir);
    } catch (err) {
      throw new UsageError(`--templates ${app.templatesDir}: cannot read the folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    return dir;
  }
  const dir = path.join(defaultDataDir(), 'templates');
  return fs.existsSync(dir) ? dir : undefined;
}

/** Load built-in and user templates; say (once) when a user file was skipped or overrides a built-in. */
export function loadForUse(app: App): TemplateSet {
  const set = loadTemplates(userTemplateDir(app), { precompiled: readPrecompiled() });
  if (set.problems.length > 0) {
    const files = new Set(set.problems.map((p) => p.file));
    app.io.warn(`${set.problems.length} problem(s) in ${[...files].join(', ')}; run "bridgefit template validate"`);
  }
  for (const o of set.overrides) app.io.info(`Using your ${o.kind} "${o.id}" from ${o.file} instead of the built-in one`);
  return set;
}

function printProblems(app: App, problems: TemplateProblem[]): void {
  for (const p of problems) app.io.out(`${p.file}: ${p.path}: ${p.message}`);
}

/** `bridgefit template validate [file...]` */
export async function validate(app: App, _opts: unknown, args: string[]): Promise<number> {
  const set = loadTemplates(userTemplateDir(app), { precompiled: readPrecompiled() });
  let problems: TemplateProblem[];
  let checked: number;
  if (args.length === 0) {
    problems = set.problems;
    checked = new Set([...set.exercises.values(), ...set.programs.values(), ...set.overlays.values()].map((x) => x.origin.file)).size;
  } else {
    problems = [];
    for (const file of args) {
      if (!fs.existsSync(file)) {
        problems.push({ file, path: '(file)', message: 'no such file' });
        continue;
      }
      const full = path.resolve(file);
      const parsed = parseTemplateFile(full, problems);
      // A single file is also checked against the library (and itself): every exercise it names must exist.
      const known = (id: string) => set.exercises.has(id) || (parsed?.kind === 'exercises' && parsed.exercises.some((e) => e.id === id));
      const missing = (where: string, id: string | null) => {
        if (id !== null && !known(id)) problems.push({ file: full, path: where, message: `no exercise "${id}" in the library` });
      };
      if (parsed?.kind === 'program') parsed.program.stages.forEach((s, si) => s.exercises.forEach((x, xi) => missing(`stages[${si}].exercises[${xi}].exercise`, x.exercise)));
      if (parsed?.kind === 'invalid-program') parsed.references.forEach((r) => missing(r.path, r.id));
      if (parsed?.kind === 'overlay') parsed.overlay.avoid.exercises.forEach((x, i) => missing(`avoid.exercises[${i}]`, x));
      if (parsed?.kind === 'exercises') {
        parsed.exercises.forEach((e, i) => {
          missing(`exercises[${i}].easier`, e.easier);
          missing(`exercises[${i}].harder`, e.harder);
        });
      }
    }
    checked = args.length;
  }
  if (app.io.json) app.io.printJson({ ok: problems.length === 0, files: checked, problems });
  else if (problems.length === 0) app.io.info(`${checked} template file(s) OK`);
  else {
    printProblems(app, problems);
    app.io.error(`${problems.length} problem(s) found`);
  }
  return problems.length === 0 ? EXIT.ok : EXIT.failure;
}

/** `bridgefit template list [--kind program|overlay|exercise]` */
export async function list(app: App, opts: { kind: 'program' | 'overlay' | 'exercise' | 'all' }): Promise<void> {
  const set = loadForUse(app);
  const rows: { kind: string; id: string; name: string; version: string; for: string; source: string }[] = [];
  const source = (o: { builtIn: boolean; file: string }, id: string, kind: string) =>
    o.builtIn ? 'built-in' : set.overrides.some((x) => x.id === id && x.kind === kind) ? `yours (overrides built-in)` : 'yours';
  if (opts.kind === 'program' || opts.kind === 'all') {
    for (const p of [...set.programs.values()].sort((a, b) => a.id.localeCompare(b.id))) {
      rows.push({ kind: 'program', id: p.id, name: p.name, version: p.version, for: p.fits.join(',') || '(general)', source: source(p.origin, p.id, 'program') });
    }
  }
  if (opts.kind === 'overlay' || opts.kind === 'all') {
    for (const o of [...set.overlays.values()].sort((a, b) => a.id.localeCompare(b.id))) {
      rows.push({ kind: 'overlay', id: o.id, name: o.name, version: o.version, for: [...o.appliesTo.conditions, ...o.appliesTo.medicationClasses].join(','), source: source(o.origin, o.id, 'overlay') });
    }
  }
  if (opts.kind === 'exercise') {
    for (const e of [...set.exercises.values()].sort((a, b) => a.id.localeCompare(b.id))) {
      rows.push({ kind: 'exercise', id: e.id, name: e.name, version: '', for: e.tags.pattern, source: source(e.origin, e.id, 'exercise') });
    }
  }
  if (app.io.json) {
    app.io.printJson(rows);
    return;
  }
  app.io.table(
    ['KIND', 'ID', 'NAME', 'VERSION', opts.kind === 'exercise' ? 'PATTERN' : 'FOR', 'SOURCE'],
    rows.map((r) => [r.kind, r.id, r.name, r.version, r.for, r.source]),
  );
}

/** `bridgefit template show <id>` */
export async function show(app: App, _opts: unknown, args: string[]): Promise<void> {
  const set = loadForUse(app);
  const id = args[0]!;
  const program = set.programs.get(id);
  const overlay = set.overlays.get(id);
  const exercise = set.exercises.get(id);
  const found = program ?? overlay ?? exercise;
  if (!found) throw new NotFoundError(`no template or exercise "${id}"; see "bridgefit template list"`);
  if (app.io.json) {
    const { origin, ...rest } = found;
    app.io.printJson({ ...rest, file: origin.file, builtIn: origin.builtIn });
    return;
  }
  if (program) showProgram(app, program, set);
  else if (overlay) showOverlay(app, overlay);
  else showExercise(app, exercise!, set);
}

function showProgram(app: App, p: ProgramTemplate, set: TemplateSet): void {
  const { c } = app.io;
  app.io.out(`${c.bold(p.name)} ${c.dim(`(${p.id} ${p.version})`)}`);
  app.io.out(p.description);
  app.io.out(`For: ${p.fits.join(', ') || 'anyone (general program)'}`);
  p.stages.forEach((s, i) => {
    app.io.out('');
    app.io.out(c.bold(`Stage ${i + 1}: ${s.name}`) + c.dim(`  ${s.weeks[0]}–${s.weeks[1]} weeks, ${s.sessionsPerWeek} sessions a week`));
    app.io.out(`  Goals: ${s.goals.join('; ')}`);
    for (const x of s.exercises) app.io.out(`  - ${set.exercises.get(x.exercise)?.name ?? x.exercise}: ${describeDose(x.dose)}${x.note ? ` (${x.note})` : ''}`);
    app.io.out('  Exit criteria:');
    for (const crit of s.exitCriteria) app.io.out(`    · ${describeCriterion(crit)}`);
    if (s.precautions.length) app.io.out(`  Precautions: ${s.precautions.join('; ')}`);
  });
  app.io.out('');
  app.io.out(c.dim(`Sources: ${p.sources.join('; ')}`));
}

function showOverlay(app: App, o: Overlay): void {
  const { c } = app.io;
  app.io.out(`${c.bold(o.name)} ${c.dim(`(${o.id} ${o.version}, overlay)`)}`);
  app.io.out(`Applies to: ${[...o.appliesTo.conditions, ...o.appliesTo.medicationClasses].join(', ')}`);
  app.io.out(`Precautions:\n${o.precautions.map((x) => `  - ${x}`).join('\n')}`);
  if (o.preSessionChecks.length) app.io.out(`Before each session:\n${o.preSessionChecks.map((x) => `  - ${x.rule}`).join('\n')}`);
  const caps = [o.caps.rpe !== undefined ? `RPE ≤ ${o.caps.rpe}/10` : '', o.caps.hrrPercent !== undefined ? `≤ ${o.caps.hrrPercent}% HRR` : '', o.caps.noValsalva ? 'no breath-holding' : ''].filter(Boolean);
  if (caps.length) app.io.out(`Caps: ${caps.join('; ')}`);
  const avoid = [
    ...o.avoid.exercises,
    ...o.avoid.impact.map((i) => `${i} impact`),
    o.avoid.running ? 'running' : '',
    o.avoid.overhead ? 'overhead loading' : '',
    o.avoid.loadedSpinalFlexion ? 'loaded spinal flexion' : '',
    ...o.avoid.patterns.map((x) => `${x} exercises`),
    ...o.avoid.positions.map((x) => `${x} positions`),
  ].filter(Boolean);
  if (avoid.length) app.io.out(`Avoid: ${avoid.join('; ')}`);
  app.io.out(`Red flags:\n${o.redFlags.map((x) => `  - ${x}`).join('\n')}`);
  app.io.out(c.dim(`Sources: ${o.sources.join('; ')}`));
}

function showExercise(app: App, e: Exercise, set: TemplateSet): void {
  const { c } = app.io;
  const t = e.tags;
  app.io.out(`${c.bold(e.name)} ${c.dim(`(${e.id})`)}`);
  app.io.out(e.cues.map((x) => `  - ${x}`).join('\n'));
  app.io.fields([
    ['Pattern', `${t.pattern}, ${t.position}`],
    ['Joints', t.joints.join(', ') || '—'],
    ['Leg load', t.legLoad],
    ['Impact', `${t.impact}${t.running ? ', running' : ''}`],
    ['Overhead', t.overhead ? 'yes' : 'no'],
    ['Loaded spinal flexion', t.loadedSpinalFlexion ? 'yes' : 'no'],
    ['Range of motion', Object.entries(t.rom).map(([j, d]) => `${j} ${d}°`).join(', ') || '—'],
    ['Equipment', t.equipment.join(', ')],
    ['Easier', e.easier ? (set.exercises.get(e.easier)?.name ?? e.easier) : '—'],
    ['Harder', e.harder ? (set.exercises.get(e.harder)?.name ?? e.harder) : '—'],
  ]);
}
