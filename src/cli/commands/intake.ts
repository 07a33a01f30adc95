/** `intake <client>` (the interview, or an answers file) and `intake list <client>`. */
import { resolveClient } from '../../app/clients.js';
import { CancelledError, InputError, UsageError } from '../../app/errors.js';
import { currentIntake, listIntakes, recordIntake } from '../../app/intake.js';
import { fullName, type Client } from '../../domain/client.js';
import { CONDITIONS } from '../../domain/conditions.js';
import { checkIntakeAnswers, followEntries, intakeJsonSchema, type IntakeAnswers } from '../../domain/intake.js';
import { MEDICATION_CLASSES } from '../../domain/medications.js';
import { SYMPTOMS } from '../../domain/symptoms.js';
import { formatBloodPressure, formatGlucose, type GlucoseUnit } from '../../domain/vitals.js';
import { glucoseUnit } from '../../app/settings.js';
import { READ, type Cli } from '../cli.js';
import { command, examples } from '../command.js';
import { parseJson, readSource } from '../input.js';
import { printVerdict } from '../print-verdict.js';

/** The PAR-Q+ answers ticked YES: questions, then follow-up questions as page.letter (e.g. other.c). */
function parqYes(parq: IntakeAnswers['parq']): string[] {
  const questions = (['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7'] as const).filter((q) => parq[q]);
  const followUps = Object.entries(parq.followUps ?? {}).flatMap(([page, answer]) =>
    answer?.has ? Object.entries(answer).filter(([letter, yes]) => letter !== 'has' && yes === true).map(([letter]) => `${page}.${letter}`) : [],
  );
  return [...questions, ...followUps];
}

export const intake = command({
  define: (c) =>
    c
      .argument('[client]', 'id or name fragment')
      .option('--answers <file>', 'take the answers from a JSON file ("-" for stdin) instead of asking')
      .option('--schema', 'print the JSON Schema of the answers file')
      .addHelpText(
        'after',
        examples('bridgefit intake zoe', 'bridgefit intake 12 --answers intake.json', 'cat intake.json | bridgefit intake 12 --answers - --json', 'bridgefit intake --schema > intake.schema.json', 'bridgefit intake list zoe'),
      ),
  async run(cli, opts, [selector]) {
    if (opts.schema) {
      cli.io.printJson(intakeJsonSchema());
      return;
    }
    if (!selector) throw new UsageError('missing <client>: which client is this intake for? (or --schema for the answers format)');
    const today = cli.today();
    await cli.withStore(async (store) => {
      const client = await resolveClient(store, selector);
      // A glucose typed as a number alone is read in the units.glucose setting's unit, else refused (FACTS §3).
      const unit = await glucoseUnit(store);
      let answers: IntakeAnswers;
      let notes: string[] = [];
      if (opts.answers !== undefined) {
        const name = opts.answers === '-' ? 'stdin' : opts.answers;
        ({ answers, notes } = followEntries(checked(await readSource(cli.io, opts.answers, '--answers'), name, client, today, unit)));
        // A condition added from the answers can open a follow-up page the file did not answer.
        if (notes.length > 0) answers = checked(answers, name, client, today, unit, notes);
      } else {
        if (!cli.prompt.available) cli.prompt.require('--answers <file|->', 'the intake answers as JSON; see "bridgefit intake --schema"');
        const { interview } = await import('../interview.js');
        answers = await interview(cli, client, (await currentIntake(store, client, today))?.answers, unit);
        printSummary(cli, client, answers);
        if (!(await cli.prompt.confirm('Save this intake?', true))) throw new CancelledError('not saved; nothing was written');
      }
      const { saved, verdict, referrals } = await recordIntake(store, client, answers, cli.ctx());
      if (cli.io.json) {
        cli.io.printJson({ intakeId: saved.id, clientId: client.id, date: saved.date, formVersion: saved.formVersion, notes, screening: verdict, referralsRaised: referrals });
        return;
      }
      cli.io.info(`Saved intake ${saved.id} for ${fullName(client)} (${saved.date}).`);
      for (const note of notes) cli.io.out(cli.io.c.yellow(`Note: ${note}`));
      printVerdict(cli, client, verdict);
      for (const r of referrals) cli.io.out(cli.io.c.red(`Referral ${r.id} to ${r.toWhom}: ${r.reason}`));
    });
  },
});

/** The answers checked: a file's text, or answers already read (with the notes on what was changed in them). */
function checked(input: string | IntakeAnswers, name: string, client: Client, today: string, glucoseUnit: GlucoseUnit | undefined, notes: string[] = []): IntakeAnswers {
  const result = checkIntakeAnswers(typeof input === 'string' ? parseJson(input, name) : input, { today, dateOfBirth: client.dateOfBirth, glucoseUnit });
  if (result.ok) return result.answers;
  const n = result.problems.length;
  throw new InputError(
    `${name}: ${n} problem${n > 1 ? 's' : ''}; nothing was saved`,
    [...result.problems.map((p) => `${p.path}: ${p.message}`), ...notes.map((note) => `(note: ${note})`)],
  );
}

/** The answers as a person reads them, before saving. */
function printSummary(cli: Cli, client: Client, a: IntakeAnswers): void {
  const { c } = cli.io;
  cli.io.out('');
  cli.io.out(c.bold(`Intake for ${fullName(client)}, ${a.date}`));
  const yes = (['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7'] as const).filter((q) => a.parq[q]);
  cli.io.fields([
    ['Conditions', a.conditions.length ? a.conditions.map((x) => `${CONDITIONS[x.code].label}${x.side ? ` (${x.side})` : ''}${x.date ? ` ${x.date}` : ''}`).join('; ') : 'none'],
    ['Medications', a.medications.length ? a.medications.map((m) => `${m.name} (${MEDICATION_CLASSES[m.class].label})`).join('; ') : 'none'],
    ['PAR-Q+ YES', yes.length ? yes.join(', ') : 'none'],
    ['Follow-ups', Object.entries(a.parq.followUps).map(([k, v]) => `${k}: ${v!.has ? Object.entries(v!).filter(([q, b]) => q !== 'has' && b).map(([q]) => q).join('') || 'all no' : 'no'}`).join('; ') || '—'],
    ['Active', a.physicallyActive ? 'yes (ACSM definition)' : 'no'],
    ['Symptoms', a.symptoms.length ? a.symptoms.map((s) => SYMPTOMS[s].label).join('; ') : 'none'],
    ['Wants', `${a.desiredIntensity} intensity`],
    ['Goals', a.goals ?? '—'],
    ['Resting HR', a.vitals.restingHr !== undefined ? `${a.vitals.restingHr} bpm` : '—'],
    ['Resting BP', a.vitals.bp ? formatBloodPressure(a.vitals.bp) : '—'],
    ['Glucose', a.vitals.glucose ? `${formatGlucose(a.vitals.glucose)}${a.vitals.ketones !== undefined ? `, ketones ${a.vitals.ketones ? 'present' : 'negative'}` : ''}` : '—'],
  ]);
  cli.io.out('');
}

export const list = command({
  define: (c) => c.argument('<client>', 'id or name fragment').addHelpText('after', examples('bridgefit intake list zoe', 'bridgefit intake list 12 --json')),
  async run(cli, _opts, [selector]) {
    const { client, intakes } = await cli.withStore(async (store) => {
      const client = await resolveClient(store, selector);
      return { client, intakes: await listIntakes(store, client) };
    }, READ);
    if (cli.io.json) {
      cli.io.printJson(intakes.map((i) => ({ id: i.id, date: i.date, recordedAt: i.recordedAt, formVersion: i.formVersion, answers: i.answers })));
      return;
    }
    if (intakes.length === 0) {
      cli.io.info(`No intake for ${fullName(client)} yet; run "bridgefit intake ${client.id}".`);
      return;
    }
    cli.io.table(
      ['ID', 'DATE', 'CONDITIONS', 'MEDICATIONS', 'PAR-Q+ YES', 'ACTIVE', 'SYMPTOMS'],
      intakes.map((i) => [
        String(i.id),
        i.date,
        i.answers.conditions.map((x) => x.code + (x.side ? `.${x.side}` : '')).join(',') || '-',
        String(i.answers.medications.length),
        parqYes(i.answers.parq).join(',') || '-',
        i.answers.physicallyActive ? 'yes' : 'no',
        i.answers.symptoms.join(',') || '-',
      ]),
    );
  },
});
