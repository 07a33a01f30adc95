/** `template list/show/validate`: the program templates, condition overlays and exercise library. */
import { Option } from '@commander-js/extra-typings';
import { EXIT, NotFoundError, UsageError } from '../../app/errors.js';
import { loadTemplateSet, templateFileCount, validateTemplateFiles, type TemplateProblem, type TemplateSet } from '../../app/templates.js';
import { describeCriterion, describeDose } from '../../domain/program-text.js';
import type { Exercise, LimbPosture, Overlay, ProgramTemplate } from '../../domain/template-schema.js';
import { MEASURES, type MeasureCode } from '../../domain/template-terms.js';
import type { Cli } from '../cli.js';
import { command, examples } from '../command.js';
import { readSource } from '../input.js';
import { loadForUse } from '../templates.js';

function printProblems(cli: Cli, problems: TemplateProblem[]): void {
  for (const p of problems) cli.io.out(`${p.file}: ${p.path}: ${p.message}`);
}

export const validate = command({
  define: (c) =>
    c
      .argument('[file...]', 'template files to check, "-" for stdin (default: every built-in and user template)')
      .addHelpText('after', examples('bridgefit template validate', 'bridgefit template validate my-knee-program.yaml', 'cat my-knee-program.yaml | bridgefit template validate -')),
  async run(cli, _opts, [files]) {
    const set = loadTemplateSet(cli.templatesDir);
    if ((files ?? []).filter((f) => f === '-').length > 1) throw new UsageError('template validate: "-" (stdin) can be given once');
    const given = await Promise.all((files ?? []).map(async (f) => (f === '-' ? { name: 'stdin', text: await readSource(cli.io, '-', 'template validate', 'template') } : f)));
    const problems = given.length === 0 ? set.problems : validateTemplateFiles(set, given);
    const checked = given.length === 0 ? templateFileCount(set) : given.length;
    if (cli.io.json) cli.io.printJson({ ok: problems.length === 0, files: checked, problems });
    else if (problems.length === 0) cli.io.info(`${checked} template file(s) OK`);
    else {
      printProblems(cli, problems);
      cli.io.error(`${problems.length} problem(s) found`);
    }
    return problems.length === 0 ? EXIT.ok : EXIT.failure;
  },
});

export const list = command({
  define: (c) =>
    c
      .addOption(new Option('--kind <kind>', 'what to list').choices(['program', 'overlay', 'exercise', 'all'] as const).default('all' as const))
      .addHelpText('after', examples('bridgefit template list', 'bridgefit template list --kind exercise --json')),
  async run(cli, opts) {
    const set = await loadForUse(cli);
    const rows: { kind: string; id: string; name: string; version: string; for: string; source: string }[] = [];
    const source = (o: { builtIn: boolean; file: string; clinic?: boolean }, id: string, kind: string) => {
      if (o.builtIn) return 'built-in';
      const whose = o.clinic ? 'clinic' : 'yours';
      return set.overrides.some((x) => x.id === id && x.kind === kind && x.file === o.file) ? `${whose} (overrides built-in)` : whose;
    };
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
    if (cli.io.json) {
      cli.io.printJson(rows);
      return;
    }
    cli.io.table(
      ['KIND', 'ID', 'NAME', 'VERSION', opts.kind === 'exercise' ? 'PATTERN' : 'FOR', 'SOURCE'],
      rows.map((r) => [r.kind, r.id, r.name, r.version, r.for, r.source]),
    );
  },
});

export const show = command({
  define: (c) =>
    c
      .argument('<id>', 'a program, overlay or exercise id')
      .addHelpText('after', examples('bridgefit template show knee_tka', 'bridgefit template show hypertension', 'bridgefit template show sit_to_stand --json')),
  async run(cli, _opts, [id]) {
    const set = await loadForUse(cli);
    const program = set.programs.get(id);
    const overlay = set.overlays.get(id);
    const exercise = set.exercises.get(id);
    const found = program ?? overlay ?? exercise;
    if (!found) throw new NotFoundError(`no template or exercise "${id}"; see "bridgefit template list"`);
    if (cli.io.json) {
      const { origin, ...rest } = found;
      cli.io.printJson({ ...rest, file: origin.file, builtIn: origin.builtIn });
      return;
    }
    if (program) showProgram(cli, program, set);
    else if (overlay) showOverlay(cli, overlay);
    else showExercise(cli, exercise!, set);
  },
});

function showProgram(cli: Cli, p: ProgramTemplate, set: TemplateSet): void {
  const { c } = cli.io;
  cli.io.out(`${c.bold(p.name)} ${c.dim(`(${p.id} ${p.version})`)}`);
  cli.io.out(p.description);
  cli.io.out(`For: ${p.fits.join(', ') || 'anyone (general program)'}`);
  for (const o of p.outcomes) cli.io.out(`Outcome score: ${MEASURES[o.measure as MeasureCode]?.label ?? o.measure}, at the start and every ${o.everyWeeks} week${o.everyWeeks === 1 ? '' : 's'} ${c.dim(`(${o.source})`)}`);
  p.stages.forEach((s, i) => {
    cli.io.out('');
    cli.io.out(c.bold(`Stage ${i + 1}: ${s.name}`) + c.dim(`  ${s.weeks[0]}–${s.weeks[1]} weeks, ${s.sessionsPerWeek} sessions a week`));
    cli.io.out(`  Goals: ${s.goals.join('; ')}`);
    for (const x of s.exercises) cli.io.out(`  - ${set.exercises.get(x.exercise)?.name ?? x.exercise}: ${describeDose(x.dose)}${x.note ? ` (${x.note})` : ''}`);
    cli.io.out('  Exit criteria:');
    for (const crit of s.exitCriteria) cli.io.out(`    · ${describeCriterion(crit)}`);
    if (s.precautions.length) cli.io.out(`  Precautions: ${s.precautions.join('; ')}`);
  });
  cli.io.out('');
  cli.io.out(c.dim(`Sources: ${p.sources.join('; ')}`));
}

function showOverlay(cli: Cli, o: Overlay): void {
  const { c } = cli.io;
  cli.io.out(`${c.bold(o.name)} ${c.dim(`(${o.id} ${o.version}, overlay)`)}`);
  cli.io.out(`Applies to: ${[...o.appliesTo.conditions, ...o.appliesTo.medicationClasses].join(', ')}`);
  cli.io.out(`Precautions:\n${o.precautions.map((x) => `  - ${x}`).join('\n')}`);
  if (o.preSessionChecks.length) cli.io.out(`Before each session:\n${o.preSessionChecks.map((x) => `  - ${x.rule}`).join('\n')}`);
  const caps = [o.caps.rpe !== undefined ? `RPE ≤ ${o.caps.rpe}/10` : '', o.caps.hrrPercent !== undefined ? `≤ ${o.caps.hrrPercent}% HRR` : '', o.caps.noValsalva ? 'no breath-holding' : ''].filter(Boolean);
  if (caps.length) cli.io.out(`Caps: ${caps.join('; ')}`);
  const avoid = [
    ...o.avoid.exercises,
    ...o.avoid.impact.map((i) => `${i} impact`),
    o.avoid.running ? 'running' : '',
    o.avoid.overhead ? 'overhead loading' : '',
    o.avoid.loadedSpinalFlexion ? 'loaded spinal flexion' : '',
    ...o.avoid.patterns.map((x) => `${x} exercises`),
    ...o.avoid.positions.map((x) => `${x} positions`),
  ].filter(Boolean);
  if (avoid.length) cli.io.out(`Avoid: ${avoid.join('; ')}`);
  cli.io.out(`Red flags:\n${o.redFlags.map((x) => `  - ${x}`).join('\n')}`);
  cli.io.out(c.dim(`Sources: ${o.sources.join('; ')}`));
}

const romText = (rom: Exercise['tags']['rom']) => Object.entries(rom).map(([j, d]) => `${j} ${d}°`).join(', ') || '—';
const legText = (leg: LimbPosture) => `${leg.legLoad} load; ${romText(leg.rom)}${leg.liesOn ? '; lain on' : ''}`;

function showExercise(cli: Cli, e: Exercise, set: TemplateSet): void {
  const { c } = cli.io;
  const t = e.tags;
  cli.io.out(`${c.bold(e.name)} ${c.dim(`(${e.id})`)}`);
  cli.io.out(e.cues.map((x) => `  - ${x}`).join('\n'));
  cli.io.fields([
    ['Pattern', `${t.pattern}, ${t.position}`],
    ['Joints', t.joints.join(', ') || '—'],
    ['Leg load', t.legLoad],
    ['Impact', `${t.impact}${t.running ? ', running' : ''}`],
    ['Overhead', t.overhead ? 'yes' : 'no'],
    ['Loaded spinal flexion', t.loadedSpinalFlexion ? 'yes' : 'no'],
    ['Range of motion', romText(t.rom)],
    ...(t.sided
      ? ([
          ['Working leg', legText(t.sided.working)],
          ['Other leg', legText(t.sided.other)],
        ] as [string, string][])
      : []),
    ['Equipment', t.equipment.join(', ')],
    ['Easier', e.easier ? (set.exercises.get(e.easier)?.name ?? e.easier) : '—'],
    ['Harder', e.harder ? (set.exercises.get(e.harder)?.name ?? e.harder) : '—'],
  ]);
}

export const share = command({
  define: (c) =>
    c
      .argument('<file...>', 'template files (YAML) to share with every member of the clinic')
      .addHelpText(
        'after',
        '\nA clinic administrator\'s task (clinic mode). Each file is checked against the library first; all are\nshared or none. A file of the same name replaces the one shared before; programs made from it keep their copy.' +
          examples('bridgefit template share knee_tka_clinic.yaml', 'bridgefit template share templates/*.yaml --json'),
      ),
  async run(cli, _opts, [files]) {
    const { shareTemplates } = await import('../../app/clinic.js');
    const shared = await cli.withStore((store) => shareTemplates(store, files, cli.ctx()));
    if (cli.io.json) cli.io.printJson(shared);
    else for (const t of shared) cli.io.info(`${t.replaced ? 'Replaced' : 'Shared'} ${t.name} with the clinic`);
  },
});

export const unshare = command({
  define: (c) => c.argument('<name>', 'the shared file\'s name, as "template shared" lists it').addHelpText('after', examples('bridgefit template unshare knee_tka_clinic.yaml')),
  async run(cli, _opts, [name]) {
    const { unshareTemplate } = await import('../../app/clinic.js');
    await cli.withStore((store) => unshareTemplate(store, name, cli.ctx()));
    if (cli.io.json) cli.io.printJson({ name, unshared: true });
    else cli.io.info(`${name} is no longer shared; programs made from it keep their copy`);
  },
});

export const shared = command({
  define: (c) => c.addHelpText('after', examples('bridgefit template shared', 'bridgefit template shared --json')),
  async run(cli) {
    const { listClinicTemplates } = await import('../../app/clinic.js');
    const { READ } = await import('../cli.js');
    const rows = await cli.withStore((store) => listClinicTemplates(store), READ);
    if (cli.io.json) cli.io.printJson(rows);
    else if (rows.length === 0) cli.io.info('No templates are shared with the clinic ("bridgefit template share <file>")');
    else cli.io.table(['NAME', 'SHARED BY', 'ON', 'SHA-256'], rows.map((r) => [r.name, r.sharedBy ?? '', r.sharedAt.slice(0, 10), r.sha256.slice(0, 12)]));
  },
});
