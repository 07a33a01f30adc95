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
import { evaluateCriteria } from '../domain/criteria.js';
import { describeCriterion } from '../domain/program-text.js';
import { SessionRecorder } from './record-session.js';
import { advanceStage, listEntries, recordSignoff } from '../store/progress.js';
import { checkProgressInput } from '../domain/progress-input.js';
import { listClearances } from '../store/clearances.js';
import { loadTemplates, readPrecompiled } from '../templates/load.js';
import { fittingTemplates, generateProgram, type GeneratedProgram } from '../domain/program.js';
import { StoreError } from '../store/errors.js';
import { getMeta, setMeta, setStoredSetting } from '../store/meta.js';
import { openSqlite } from '../store/sqlite.js';
import type { App } from './app.js';
import { clientJson, list } from './client.js';
import { referIntakeRedFlags, screenAndRecord } from './screening.js';
import { sampleReports } from './report.js';
import { summary } from './summary.js';
import { UserError } from './errors.js';

const allNo = { q1: false, q2: false, q3: false, q4: false, q5: false, q6: false, q7: false };
const noPages = { arthritis: { has: false }, cancer: { has: false }, heart: { has: false }, blood_pressure: { has: false }, metabolic: { has: false }, mental_health: { has: false }, respiratory: { has: false }, spinal_cord: { has: false }, stroke: { has: false }, other: { has: false } };

const DEMO_TRAINER = {
  'trainer.name': 'Sam Rivera',
  'trainer.credentials': 'ACSM-CEP, BSc Exercise Science',
  'trainer.organisation': 'Northside Medical Fitness (demo)',
  'trainer.contact': 'sam@example.org · +44 20 7946 0000',
};

/** The demo programs started this many days ago, so there are weeks of sessions to show. */
const PROGRAM_DAYS = 21;

type DemoSession = Record<string, unknown> & { date: string };

interface Sample {
  client: RawClientFields;
  archived?: boolean;
  /** Intake answers; dates are days before today, so the demo never ages. */
  intake?: (daysAgo: (n: number) => string) => Record<string, unknown>;
  clearance?: (daysAgo: (n: number) => string) => ClearanceFields;
  /** Sessions since the program started. */
  sessions?: (daysAgo: (n: number) => string) => DemoSession[];
  /** When set, stage 1 is signed off (with this note) and the client advanced. */
  advance?: string;
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
      date: ago(30),
      physicallyActive: false,
      conditions: [
        { code: 'knee_tka', side: 'right', date: ago(50) },
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
      issuedOn: ago(25),
      expiresOn: null,
      status: 'cleared-with-restrictions',
      restrictions: [{ code: 'no_impact' }, { code: 'weight_bearing.right', value: 'as_tolerated' }, { code: 'rom.knee.right', value: 100 }],
      note: 'Progress flexion as tolerated; review at 12 weeks.',
    }),
    // Three weeks of steady progress: range up, pain settling, then stage 1 signed off.
    sessions: (ago) =>
      [20, 18, 15, 13, 11, 8, 6, 4, 2].map((d, i) => ({
        date: ago(d),
        painBefore: 3 - Math.floor(i / 4),
        painDuring: 3,
        painAfter: 3 - Math.floor(i / 3),
        nextDayPain: 3 - Math.floor(i / 3),
        rpe: 3,
        rpeScale: 'cr10',
        bp: `${132 - i}/${84 - Math.floor(i / 2)}`,
        glucose: `${(6.8 - i * 0.1).toFixed(1)} mmol/L`,
        soreness: i < 2 ? 'warmup_gone' : 'none',
        measures: [
          { code: 'knee_flexion', side: 'right', value: 88 + i * 3 },
          { code: 'knee_extension', side: 'right', value: Math.max(4, 12 - i) },
          { code: 'effusion_grade', side: 'right', value: i < 3 ? '1+' : 'trace' },
          ...(i === 0 || i === 8 ? [{ code: 'lefs', value: i === 0 ? 31 : 42 }] : []),
        ],
      })),
    advance: 'Straight leg raise without lag; independent transfers; walks 40 m with a stick; minimal swelling',
  },
  {
    client: { firstName: 'Łukasz', lastName: 'Nowak', dateOfBirth: '1978-11-02', sex: 'male', email: 'lukasz.nowak@example.org', phone: '+48 22 123 45 67', goals: 'Back to five-a-side football after ACL reconstruction' },
    intake: (ago) => ({
      date: ago(28),
      physicallyActive: true,
      conditions: [{ code: 'acl_reconstruction', side: 'left', date: ago(150) }],
      parq: { ...allNo, q6: true, followUps: { arthritis: { has: false } } },
      desiredIntensity: 'vigorous',
      vitals: { restingHr: 58, bp: '122/78' },
    }),
    // Next-morning pain climbing after two sessions: the red-flag rule raises a referral.
    sessions: (ago) => [
      { date: ago(19), painBefore: 1, painDuring: 2, painAfter: 2, nextDayPain: 1, rpe: 4, measures: [{ code: 'knee_flexion', side: 'left', value: 112 }] },
      { date: ago(16), attended: false, missedReason: 'work travel' },
      { date: ago(12), painBefore: 1, painDuring: 3, painAfter: 3, nextDayPain: 2, rpe: 5, measures: [{ code: 'knee_flexion', side: 'left', value: 115 }] },
      { date: ago(7), painBefore: 1, painDuring: 4, painAfter: 4, nextDayPain: 3, rpe: 5, soreness: 'after_next_day' },
      { date: ago(3), painBefore: 1, painDuring: 4, painAfter: 5, nextDayPain: 4, rpe: 6, soreness: 'after_next_day', measures: [{ code: 'effusion_grade', side: 'left', value: '1+' }] },
    ],
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
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UserError(`--dir ${opts.dir} is a file, not a folder`);
  const file = path.join(dir, 'demo.db');
  if (fs.existsSync(file)) await removeEarlierDemo(file);

  const today = app.today();
  const ago = (n: number) => addDays(today, -n);
  const ctx = { ...app.writeContext(), command: 'demo' };
  const templates = loadTemplates(undefined, { precompiled: readPrecompiled() });
  const programs: { client: Client; program: GeneratedProgram }[] = [];
  const store = await openSqlite(file, { create: true });
  const screenings: { client: Client; verdict: ScreeningVerdict }[] = [];
  try {
    await store.write(async (tx) => {
      await setMeta(tx, 'demo', 'true');
      // A sample trainer, so the reports show the header and signature block as a trainer's own would.
      for (const [key, value] of Object.entries(DEMO_TRAINER)) await setStoredSetting(tx, key, value);
      for (const sample of SAMPLES) {
        const client = await insertClient(tx, checkNewClient(sample.client, today), ctx);
        if (sample.archived) await setClientStatus(tx, client.id, 'archived', ctx);
        if (sample.clearance) await insertClearance(tx, client.id, checkClearance(sample.clearance(ago), today), ctx);
        if (sample.intake) {
          const checked = checkIntakeAnswers(sample.intake(ago), { today, dateOfBirth: client.dateOfBirth });
          if (!checked.ok) throw new Error(`demo intake for ${fullName(client)}: ${checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
          const intake = await insertIntake(tx, client.id, checked.answers, PARQ_FORM_VERSION, ctx);
          const screened = await screenAndRecord(tx, client, intake, today, ctx);
          await referIntakeRedFlags(tx, client, intake, screened.verdict, today, ctx);
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
              sex: client.sex,
              hrMaxFormula: 'tanaka',
              startDate: ago(PROGRAM_DAYS),
            });
            if (!built.ok) throw new Error(`demo program for ${fullName(client)}: ${built.reason}`);
            const clearance = clearanceInForce(await listClearances(tx, client.id), today);
            const saved = await saveProgram(tx, client.id, built.program, { intakeId: intake.id, clearanceId: clearance?.id ?? null }, ctx);
            programs.push({ client, program: saved.program });
            if (sample.sessions) {
              // Sessions recorded as a trainer would have, through the same path as progress add.
              const recorder = await SessionRecorder.for(tx, client, today);
              for (const session of sample.sessions(ago)) {
                const input = checkProgressInput(session, { today, dateOfBirth: client.dateOfBirth });
                if (!input.ok) throw new Error(`demo session for ${fullName(client)}: ${input.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
                await recorder.record(input.entry, ctx);
              }
              if (sample.advance) {
                // Stage 1 signed off and advanced only if its exit criteria really hold on the recorded sessions.
                const stage = saved.program.stages[0]!;
                const entries = (await listEntries(tx, client.id)).filter((e) => e.stage === 1);
                const signoffs = [{ by: 'trainer' as const, date: ago(1) }];
                const side = checked.answers.conditions.find((c) => c.side === 'left' || c.side === 'right')?.side as 'left' | 'right' | undefined;
                const results = evaluateCriteria(stage.exitCriteria, entries, { ...(side ? { affectedSide: side } : {}), today: ago(1), signoffs });
                if (!results.every((r) => r.met)) throw new Error(`demo: ${fullName(client)} does not meet stage 1: ${results.filter((r) => !r.met).map((r) => r.detail).join('; ')}`);
                await recordSignoff(tx, { programId: saved.id, stage: 1, by: 'trainer', on: ago(1), note: sample.advance });
                const evidence = { criteria: results.map((r) => ({ criterion: describeCriterion(r.criterion), met: r.met, detail: r.detail, entries: r.evidence })), openReferralsBypassed: [] };
                await advanceStage(tx, { programId: saved.id, clientId: client.id, from: 1, to: 2, on: ago(1), forced: false, reason: null, evidence }, ctx);
              }
            }
          }
        }
      }
    });
  } finally {
    await store.close();
  }

  // A sample clinician report and handout for the client who has weeks of sessions and a stage change.
  const reports = await sampleReports(app.withDatabase(file), programs.find((p) => p.client.firstName === 'Zoë')!.client.id, dir);

  if (app.io.json) {
    const all = await app.withDatabase(file).withStore((s) => listClients(s.db, 'all'));
    app.io.printJson({
      database: file,
      clients: all.sort(compareClients).map((c) => clientJson(c, today)),
      screenings: screenings.map((s) => ({ clientId: s.client.id, ...s.verdict })),
      programs: programs.map((p) => ({ clientId: p.client.id, ...p.program })),
      reports,
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
  await summary(app.withDatabase(file), { since: '28d', status: 'active', format: 'table' });
  app.io.info('');
  app.io.info(`Sample clinician report: ${path.relative(process.cwd(), reports[0]!) || reports[0]}`);
  app.io.info(`Sample client handout:   ${path.relative(process.cwd(), reports[1]!) || reports[1]}`);
  app.io.info('');
  app.io.info('Try it (from this folder; "npx" runs the bridgefit of this clone):');
  app.io.info(`  npx bridgefit --db ${rel} screen zoe`);
  app.io.info(`  npx bridgefit --db ${rel} program show zoe`);
  app.io.info(`  npx bridgefit --db ${rel} program status nowak`);
  app.io.info(`  npx bridgefit --db ${rel} referral list`);
  app.io.info(`  npx bridgefit --db ${rel} summary --format csv`);
  app.io.info(`  npx bridgefit --db ${rel} clearance list zoe`);
  app.io.info(`  npx bridgefit --db ${rel} client list --json`);
  app.io.info(`  npx bridgefit --db ${rel} report nowak --question "May he return to cycling outdoors?"`);
  app.io.info(`  npx bridgefit --db ${rel} report --all --out-dir ${path.join(path.relative(process.cwd(), dir) || '.', 'reports')}`);
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
