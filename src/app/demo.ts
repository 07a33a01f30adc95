/**
 * The demo: a fresh sample database in its own folder, never the trainer's
 * real one, made through the same use cases the commands call (no private
 * shortcuts, so it can never skip a gate): clients, intakes with their
 * screening and referrals, a clearance, programs, sessions, a stage advanced
 * on its exit criteria. Built under a partial name and renamed into place, so
 * a killed run never leaves half a demo under the demo's name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkClearance, type ClearanceFields } from '../domain/clearance.js';
import { checkNewClient, fullName, type Client, type RawClientFields } from '../domain/client.js';
import { addDays } from '../domain/dates.js';
import { checkIntakeAnswers } from '../domain/intake.js';
import { checkProgressInput } from '../domain/progress-input.js';
import type { ScreeningVerdict } from '../domain/screening.js';
import { StoreError } from '../store/errors.js';
import { commitPartial, partialName, removeStalePartials } from '../store/files.js';
import { getMeta, setMeta } from '../store/meta.js';
import { openSqlite } from '../store/sqlite.js';
import type { Store } from '../store/store.js';
import { advanceStage } from './advance-stage.js';
import { addClient, changeClientStatus } from './clients.js';
import { addClearance } from './clearances.js';
import { onDay, type Ctx } from './context.js';
import { UserError } from './errors.js';
import { recordIntake } from './intake.js';
import { fittingTemplateIds, generateProgram, type StoredProgram } from './programs.js';
import { recordSession } from './record-session.js';
import { setSetting } from './settings.js';
import { builtInTemplates, programFits } from './templates.js';

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

export interface DemoResult {
  database: string;
  screenings: { client: Client; verdict: ScreeningVerdict }[];
  programs: { client: Client; program: StoredProgram }[];
  /** The client whose record shows the most (weeks of sessions and a stage change): the sample reports are hers. */
  featured: Client;
}

/**
 * Make `dir`/demo.db afresh. Run again, it replaces the earlier demo
 * database, and only a demo one.
 */
export async function makeDemo(dir: string, ctx: Ctx): Promise<DemoResult> {
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UserError(`--dir ${dir} is a file, not a folder`);
  const file = path.join(path.resolve(dir), 'demo.db');
  if (fs.existsSync(file)) await checkEarlierDemo(file);
  // What a killed run left (never one another run is making now).
  removeStalePartials(path.dirname(file), 'demo.db.');
  const partial = partialName(file);
  const store = await openSqlite(partial, { create: true });
  let result: Omit<DemoResult, 'database'>;
  try {
    result = await fill(store, ctx);
  } catch (err) {
    await store.close();
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(partial + suffix, { force: true });
    throw err;
  }
  await store.close();
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  commitPartial(partial, file);
  return { database: file, ...result };
}

async function fill(store: Store, ctx: Ctx): Promise<Omit<DemoResult, 'database'>> {
  const today = ctx.today;
  const ago = (n: number) => addDays(today, -n);
  const templates = builtInTemplates();
  const fits = programFits(() => templates);
  const programs: DemoResult['programs'] = [];
  const screenings: DemoResult['screenings'] = [];
  await store.write((tx) => setMeta(tx, 'demo', 'true'));
  // A sample trainer, so the reports show the header and signature block as a trainer's own would.
  for (const [key, value] of Object.entries(DEMO_TRAINER)) await setSetting(store, key, value);
  for (const sample of SAMPLES) {
    const { client } = await addClient(store, checkNewClient(sample.client, today), ctx);
    if (sample.archived) await changeClientStatus(store, client, 'archived', ctx);
    if (sample.clearance) await addClearance(store, client, checkClearance(sample.clearance(ago), today), ctx);
    if (!sample.intake) continue;
    const checked = checkIntakeAnswers(sample.intake(ago), { today, dateOfBirth: client.dateOfBirth });
    if (!checked.ok) throw new Error(`demo intake for ${fullName(client)}: ${checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    const intake = await recordIntake(store, client, checked.answers, ctx);
    screenings.push({ client, verdict: intake.verdict });
    // Programs for the clients the screening lets start, as a trainer would next.
    if (intake.verdict.gate !== 'ok') continue;
    const template = templates.programs.get(fittingTemplateIds(templates, intake.saved)[0]!.id)!;
    const program = await generateProgram(store, client, { template, set: templates, intake: intake.saved, start: ago(PROGRAM_DAYS), startGiven: true }, ctx);
    programs.push({ client, program });
    // Sessions recorded as a trainer would have, through the same path as progress add.
    for (const session of sample.sessions?.(ago) ?? []) {
      const input = checkProgressInput(session, { today, dateOfBirth: client.dateOfBirth });
      if (!input.ok) throw new Error(`demo session for ${fullName(client)}: ${input.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
      await recordSession(store, client, input.entry, ctx);
    }
    if (sample.advance) {
      // Stage 1 signed off and advanced yesterday, as program advance does it: only if every gate passes (criteria, time in stage, advice, effusion…).
      const signOff = { by: 'trainer' as const, name: DEMO_TRAINER['trainer.name'], profession: 'clinical exercise physiologist (ACSM-CEP)' };
      const outcome = await advanceStage(store, client, { signOff, note: sample.advance }, fits, onDay(ctx, ago(1)));
      if (!outcome.advanced) throw new Error(`demo: ${fullName(client)} does not pass the gates of stage 1: ${outcome.held.map((g) => g.reason).join('; ')}`);
    }
  }
  const featured = programs.find((p) => p.client.firstName === 'Zoë')!.client;
  return { screenings, programs, featured };
}

/** The file at the demo's place must be an earlier demo database: anything else is left untouched. */
async function checkEarlierDemo(file: string): Promise<void> {
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
}
