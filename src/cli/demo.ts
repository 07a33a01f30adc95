import fs from 'node:fs';
import path from 'node:path';
import { checkClearance, clearanceInForce, type ClearanceFields } from '../domain/clearance.js';
import { checkNewClient, clientAge, compareClients, fullName, type Client, type RawClientFields } from '../domain/client.js';
import { addDays } from '../domain/dates.js';
import { checkIntakeAnswers } from '../domain/intake.js';
import { PARQ_FORM_VERSION } from '../domain/parq.js';
import { verdictHeadline, type ScreeningVerdict } from '../domain/screening.js';
import { insertClearance } from '../store/clearances.js';
import { insertClient, listClients, setClientStatus } from '../store/clients.js';
import { insertIntake } from '../store/intakes.js';
import { saveProgram } from '../store/programs.js';
import { listClearances } from '../store/clearances.js';
import { loadTemplates } from '../templates/load.js';
import { fittingTemplates, generateProgram, type GeneratedProgram } from '../domain/program.js';
import { StoreError } from '../store/errors.js';
import { getMeta, setMeta } from '../store/meta.js';
import { openSqlite } from '../store/sqlite.js';
import type { App } from './app.js';
import { clientJson, list } from './client.js';
import { screenAndRecord } from './screening.js';
import { UserError } from './errors.js';

const allNo = { q1: false, q2: false, q3: false, q4: false, q5: false, q6: false, q7: false };
const noPages = { arthritis: { has: false }, cancer: { has: false }, heart: { has: false }, blood_pressure: { has: false }, metabolic: { has: false }, mental_health: { has: false }, respiratory: { has: false }, spinal_cord: { has: false }, stroke: { has: false }, other: { has: false } };

interface Sample {
  client: RawClientFields;
  archived?: boolean;
  /** Intake answers; dates are days before today, so the demo never ages. */
  intake?: (daysAgo: (n: number) => string) => Record<string, unknown>;
  clearance?: (daysAgo: (n: number) => string) => ClearanceFields;
}

/** Sample clients: names in several scripts, the conditions bridgefit is for. */
const SAMPLES: Sample[] = [
  {
    client: {
      firstName: 'Zoë',
      lastName: 'Moreau',
      dateOfBirth: '1961-04-12',
      sex: 'female',
      email: 'zoe.moreau@example.org',
      phone: '+33 1 23 45 67 89',
      goals: 'Walk to the market and back without knee pain after her total knee replacement',
      notes: 'Discharged from physiotherapy 3 weeks ago; right knee.',
    },
    intake: (ago) => ({
      date: ago(14),
      physicallyActive: false,
      conditions: [
        { code: 'knee_tka', side: 'right', date: ago(90) },
        { code: 'type2_diabetes', date: '2015-03-01' },
      ],
      medications: [
        { name: 'bisoprolol', class: 'beta_blocker' },
        { name: 'metformin', class: 'other' },
      ],
      parq: { ...allNo, q4: true, q5: true, q6: true, followUps: { ...noPages, metabolic: { has: true, a: false, b: false, c: false, d: false, e: false }, arthritis: { has: true, a: false, b: true, c: false }, other: { has: true, a: false, b: false, c: true } } },
      symptoms: [],
      desiredIntensity: 'moderate',
      goals: 'Walk to the market and back without knee pain',
      vitals: { restingHr: 68, bp: '138/86', glucose: '7.2 mmol/L' },
    }),
    clearance: (ago) => ({
      clinician: 'Dr Ana Costa',
      profession: 'physician',
      contact: '+33 1 98 76 54 32',
      issuedOn: ago(10),
      expiresOn: null,
      status: 'cleared-with-restrictions',
      restrictions: [{ code: 'no_impact' }, { code: 'weight_bearing.right', value: 'as_tolerated' }, { code: 'rom.knee.right', value: 100 }],
      note: 'Progress flexion as tolerated; review at 12 weeks.',
    }),
  },
  {
    client: { firstName: 'Łukasz', lastName: 'Nowak', dateOfBirth: '1978-11-02', sex: 'male', email: 'lukasz.nowak@example.org', phone: '+48 22 123 45 67', goals: 'Back to five-a-side football after ACL reconstruction' },
    intake: (ago) => ({
      date: ago(7),
      physicallyActive: true,
      conditions: [{ code: 'acl_reconstruction', side: 'left', date: ago(150) }],
      parq: { ...allNo, q6: true, followUps: { arthritis: { has: false } } },
      desiredIntensity: 'vigorous',
      vitals: { restingHr: 58, bp: '122/78' },
    }),
  },
  {
    client: { firstName: '娜', lastName: '李', dateOfBirth: '1955-06-30', sex: 'female', phone: '+86 10 5555 0101', goals: 'Keep blood glucose steady and climb stairs without stopping', notes: 'Type 2 diabetes; takes metformin.' },
    intake: (ago) => ({
      date: ago(3),
      physicallyActive: false,
      conditions: [{ code: 'type2_diabetes' }, { code: 'hypertension' }],
      medications: [{ name: 'metformin', class: 'other' }, { name: 'amlodipine', class: 'other' }],
      parq: { ...allNo, q1: true, q4: true, q5: true, followUps: { ...noPages, blood_pressure: { has: true, a: false, b: false }, metabolic: { has: true, a: false, b: false, c: false, d: false, e: false }, other: { has: true, a: false, b: false, c: true } } },
      desiredIntensity: 'moderate',
      vitals: { restingHr: 74, bp: '148/88', glucose: '142 mg/dL' },
    }),
  },
  {
    client: { firstName: 'عائشة', lastName: 'الحسن', dateOfBirth: '1969-01-20', sex: 'female', email: 'aisha@example.org', goals: 'Lift her grandchildren without back pain' },
    intake: (ago) => ({
      date: ago(1),
      physicallyActive: false,
      conditions: [{ code: 'low_back_pain', date: ago(60) }],
      parq: { ...allNo, q6: true, followUps: { arthritis: { has: true, a: false, b: false, c: false } } },
      symptoms: ['night_pain'],
      desiredIntensity: 'light',
      vitals: { restingHr: 72, bp: '126/80' },
    }),
  },
  {
    client: { firstName: 'Margaret', lastName: "O'Brien", dateOfBirth: '1942-08-08', sex: 'female', goals: 'Fewer falls; walk to church unaided', notes: 'Finished the falls-prevention block in spring.' },
    archived: true,
  },
];

/**
 * A fresh sample database in its own folder, never the trainer's real one:
 * clients with intakes, a clearance and their screening verdicts. Run again,
 * it replaces the earlier demo database, and only a demo one.
 */
export async function demo(app: App, opts: { dir: string }): Promise<void> {
  const dir = path.resolve(opts.dir);
  const file = path.join(dir, 'demo.db');
  if (fs.existsSync(file)) await removeEarlierDemo(file);

  const today = app.today();
  const ago = (n: number) => addDays(today, -n);
  const ctx = { ...app.writeContext(), command: 'demo' };
  const templates = loadTemplates();
  const programs: { client: Client; program: GeneratedProgram }[] = [];
  const store = await openSqlite(file, { create: true });
  const screenings: { client: Client; verdict: ScreeningVerdict }[] = [];
  try {
    await store.write(async (tx) => {
      await setMeta(tx, 'demo', 'true');
      for (const sample of SAMPLES) {
        const client = await insertClient(tx, checkNewClient(sample.client, today), ctx);
        if (sample.archived) await setClientStatus(tx, client.id, 'archived', ctx);
        if (sample.clearance) await insertClearance(tx, client.id, checkClearance(sample.clearance(ago), today), ctx);
        if (sample.intake) {
          const checked = checkIntakeAnswers(sample.intake(ago), { today, dateOfBirth: client.dateOfBirth });
          if (!checked.ok) throw new Error(`demo intake for ${fullName(client)}: ${checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
          const intake = await insertIntake(tx, client.id, checked.answers, PARQ_FORM_VERSION, ctx);
          const screened = await screenAndRecord(tx, client, intake, today, ctx);
          screenings.push({ client, ...screened });
          if (screened.verdict.gate === 'ok') {
            // Programs for the clients the screening lets start, as a trainer would next.
            const template = fittingTemplates([...templates.programs.values()], checked.answers.conditions.map((c) => c.code))[0]!;
            const built = generateProgram({
              template,
              overlays: [...templates.overlays.values()],
              exercises: templates.exercises,
              intake: checked.answers,
              verdict: screened.verdict,
              age: clientAge(client, today),
              hrMaxFormula: 'tanaka',
              startDate: today,
            });
            if (!built.ok) throw new Error(`demo program for ${fullName(client)}: ${built.reason}`);
            const clearance = clearanceInForce(await listClearances(tx, client.id), today);
            programs.push({ client, program: (await saveProgram(tx, client.id, built.program, { intakeId: intake.id, clearanceId: clearance?.id ?? null }, ctx)).program });
          }
        }
      }
    });
  } finally {
    await store.close();
  }

  if (app.io.json) {
    const all = await app.withDatabase(file).withStore((s) => listClients(s.db, 'all'));
    app.io.printJson({
      database: file,
      clients: all.sort(compareClients).map((c) => clientJson(c, today)),
      screenings: screenings.map((s) => ({ clientId: s.client.id, ...s.verdict })),
      programs: programs.map((p) => ({ clientId: p.client.id, ...p.program })),
    });
    return;
  }
  app.io.info(`Demo database: ${file}`);
  await list(app.withDatabase(file), { status: 'all' });
  app.io.out('');
  app.io.table(
    ['ID', 'NAME', 'GATE', 'START AT', 'DOSING', 'WHY'],
    screenings.map(({ client, verdict }) => [
      String(client.id),
      fullName(client),
      verdict.gate,
      verdict.startingIntensity,
      verdict.dosing,
      verdictHeadline(verdict),
    ]),
    (_row, col, text) => (col !== 2 ? text : text === 'ok' ? app.io.c.green(text) : text === 'refer' ? app.io.c.red(text) : app.io.c.yellow(text)),
  );
  const rel = path.relative(process.cwd(), file) || file;
  app.io.info('');
  app.io.out('');
  app.io.table(
    ['ID', 'NAME', 'PROGRAM', 'STAGES', 'STAGE 1', 'EXERCISES', 'ADJUSTED'],
    programs.map(({ client, program }) => [
      String(client.id),
      fullName(client),
      program.templateId,
      String(program.stages.length),
      `${program.stages[0]!.name}, from ${program.stages[0]!.plannedStart}`,
      String(program.stages[0]!.exercises.length),
      String(program.explanations.filter((e) => e.code === 'replaced' || e.code === 'dropped').length),
    ]),
  );
  app.io.info('');
  app.io.info('Try it (from this folder; "npx" runs the bridgefit of this clone):');
  app.io.info(`  npx bridgefit --db ${rel} screen zoe`);
  app.io.info(`  npx bridgefit --db ${rel} program show zoe`);
  app.io.info(`  npx bridgefit --db ${rel} clearance list zoe`);
  app.io.info(`  npx bridgefit --db ${rel} client list --json`);
}

async function removeEarlierDemo(file: string): Promise<void> {
  let isDemo = false;
  try {
    const earlier = await openSqlite(file, { create: false, readOnly: true });
    try {
      isDemo = (await getMeta(earlier.db, 'demo')) === 'true';
    } finally {
      await earlier.close();
    }
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
  }
  if (!isDemo) throw new UserError(`${file} exists and is not a bridgefit demo database; left untouched (choose another --dir)`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}
