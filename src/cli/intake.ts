import { fullName, type Client } from '../domain/client.js';
import { CONDITIONS } from '../domain/conditions.js';
import { checkIntakeAnswers, intakeJsonSchema, type IntakeAnswers } from '../domain/intake.js';
import { MEDICATION_CLASSES } from '../domain/medications.js';
import { PARQ_FORM_VERSION } from '../domain/parq.js';
import { SYMPTOMS } from '../domain/symptoms.js';
import { formatBloodPressure, formatGlucose } from '../domain/vitals.js';
import { insertIntake, intakeInForce, listIntakes } from '../store/intakes.js';
import { READ, type App } from './app.js';
import { CancelledError, InputError, UsageError } from './errors.js';
import { parseJson, readSource } from './input.js';
import { resolveClient } from './resolve.js';
import { printVerdict, referIntakeRedFlags, screenAndRecord } from './screening.js';

interface IntakeOptions {
  answers?: string;
  schema?: boolean;
}

/** The PAR-Q+ answers ticked YES: questions, then follow-up questions as page.letter (e.g. other.c). */
function parqYes(parq: IntakeAnswers['parq']): string[] {
  const questions = (['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7'] as const).filter((q) => parq[q]);
  const followUps = Object.entries(parq.followUps ?? {}).flatMap(([page, answer]) =>
    answer?.has ? Object.entries(answer).filter(([letter, yes]) => letter !== 'has' && yes === true).map(([letter]) => `${page}.${letter}`) : [],
  );
  return [...questions, ...followUps];
}

/** `bridgefit intake <client>`: the interview, or an answers file; saved with its screening verdict. */
export async function intake(app: App, opts: IntakeOptions, args: string[]): Promise<void> {
  if (opts.schema) {
    app.io.printJson(intakeJsonSchema());
    return;
  }
  const selector = args[0];
  if (!selector) throw new UsageError('missing <client>: which client is this intake for? (or --schema for the answers format)');
  const today = app.today();
  await app.withStore(async (store) => {
    const client = await resolveClient(store, selector);
    let answers: IntakeAnswers;
    if (opts.answers !== undefined) {
      answers = checked(await readSource(app.io, opts.answers, '--answers'), opts.answers === '-' ? 'stdin' : opts.answers, client, today);
    } else {
      if (!app.prompt.available) app.prompt.require('--answers <file|->', 'the intake answers as JSON; see "bridgefit intake --schema"');
      const { interview } = await import('./interview.js');
      answers = await interview(app, client, (await intakeInForce(store.db, client.id, today))?.answers);
      printSummary(app, client, answers);
      if (!(await app.prompt.confirm('Save this intake?', true))) throw new CancelledError('not saved; nothing was written');
    }
    const { saved, verdict, referrals } = await store.write(async (tx) => {
      const saved = await insertIntake(tx, client.id, answers, PARQ_FORM_VERSION, app.writeContext());
      const { verdict } = await screenAndRecord(tx, client, saved, today, app.writeContext());
      const referrals = await referIntakeRedFlags(tx, client, saved, verdict, today, app.writeContext());
      return { saved, verdict, referrals };
    });
    if (app.io.json) {
      app.io.printJson({ intakeId: saved.id, clientId: client.id, date: saved.date, formVersion: saved.formVersion, screening: verdict, referralsRaised: referrals });
      return;
    }
    app.io.info(`Saved intake ${saved.id} for ${fullName(client)} (${saved.date}).`);
    printVerdict(app, client, verdict);
    for (const r of referrals) app.io.out(app.io.c.red(`Referral ${r.id} to ${r.toWhom}: ${r.reason}`));
  });
}

function checked(text: string, name: string, client: Client, today: string): IntakeAnswers {
  const result = checkIntakeAnswers(parseJson(text, name), { today, dateOfBirth: client.dateOfBirth });
  if (result.ok) return result.answers;
  const n = result.problems.length;
  throw new InputError(
    `${name}: ${n} problem${n > 1 ? 's' : ''}; nothing was saved`,
    result.problems.map((p) => `${p.path}: ${p.message}`),
  );
}

/** The answers as a person reads them, before saving. */
export function printSummary(app: App, client: Client, a: IntakeAnswers): void {
  const { c } = app.io;
  app.io.out('');
  app.io.out(c.bold(`Intake for ${fullName(client)}, ${a.date}`));
  const yes = (['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7'] as const).filter((q) => a.parq[q]);
  app.io.fields([
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
  app.io.out('');
}

/** `bridgefit intake list <client>` */
export async function list(app: App, _opts: unknown, args: string[]): Promise<void> {
  const { client, intakes } = await app.withStore(async (store) => {
    const client = await resolveClient(store, args[0]!);
    return { client, intakes: await listIntakes(store.db, client.id) };
  }, READ);
  if (app.io.json) {
    app.io.printJson(intakes.map((i) => ({ id: i.id, date: i.date, recordedAt: i.recordedAt, formVersion: i.formVersion, answers: i.answers })));
    return;
  }
  if (intakes.length === 0) {
    app.io.info(`No intake for ${fullName(client)} yet; run "bridgefit intake ${client.id}".`);
    return;
  }
  app.io.table(
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
}
