/**
 * Many clients made through the use cases, as the commands make them (no
 * private inserts, so nothing a real database cannot hold): a clearance
 * (some with restrictions, some pending or not cleared), an intake with a
 * rotating mix of surgeries, sides, chronic conditions and medications, a
 * program where the screening allows one, and sessions with every kind of
 * value (pain, CR10 and Borg effort, BP, heart rate, glucose in both units,
 * ketones, soreness, symptoms, sided measures, scores, missed sessions), so
 * referrals are raised too. Deterministic: client i always gets the same.
 */
import { addClient } from '../../src/app/clients.js';
import { addClearance } from '../../src/app/clearances.js';
import type { Store } from '../../src/app/open.js';
import { recordIntake } from '../../src/app/intake.js';
import { fittingTemplateIds, generateProgram } from '../../src/app/programs.js';
import { recordSession } from '../../src/app/record-session.js';
import { builtInTemplates } from '../../src/app/templates.js';
import { checkClearance, type ClearanceFields } from '../../src/domain/clearance.js';
import { checkNewClient } from '../../src/domain/client.js';
import { checkIntakeAnswers } from '../../src/domain/intake.js';
import { checkProgressInput } from '../../src/domain/progress-input.js';
import { ago, allNo, ctx, TODAY } from './app.js';

const NAMES: [string, string][] = [
  ['Zoë', 'Moreau'],
  ['Łukasz', 'Nowak'],
  ['娜', '李'],
  ['عائشة', 'الحسن'],
  ['Margaret', "O'Brien"],
  ['José', 'Álvarez'],
  ['Søren', 'Kierkegård'],
  ['Ngozi', 'Okafor'],
];

/** [conditions, medications, PAR-Q YES answers and follow-up pages] by client, in rotation. */
const PROFILES = [
  { conditions: (side: string) => [{ code: 'knee_tka', side, date: ago(50) }, { code: 'type2_diabetes', date: '2015-03-01' }], medications: [{ name: 'metformin', class: 'other' }, { name: 'bisoprolol', class: 'beta_blocker' }], parq: { q4: true, q5: true, q6: true }, pages: { arthritis: { has: true, a: false, b: false, c: false }, metabolic: { has: true, a: false, b: false, c: false, d: false, e: false } } },
  { conditions: (side: string) => [{ code: 'hip_tha', side, date: ago(40) }], medications: [], parq: { q6: true }, pages: { arthritis: { has: true, a: false, b: false, c: false } } },
  { conditions: (side: string) => [{ code: 'acl_reconstruction', side, date: ago(120) }], medications: [], parq: { q6: true }, pages: { arthritis: { has: false } } },
  { conditions: (side: string) => [{ code: 'rotator_cuff_repair', side, date: ago(70) }], medications: [], parq: { q6: true }, pages: { arthritis: { has: false } } },
  { conditions: (side: string) => [{ code: 'knee_oa', side, date: '2019-05-01' }, { code: 'hypertension', date: '2018-01-01' }], medications: [{ name: 'amlodipine', class: 'other' }], parq: { q1: true, q4: true, q5: true, q6: true }, pages: { arthritis: { has: true, a: false, b: false, c: false }, blood_pressure: { has: true, a: false, b: false } } },
  { conditions: () => [{ code: 'low_back_pain', date: ago(60) }], medications: [], parq: { q6: true }, pages: { arthritis: { has: true, a: false, b: false, c: false } } },
  { conditions: (side: string) => [{ code: 'ankle_sprain', side, date: ago(20) }, { code: 'type1_diabetes', date: '2001-06-01' }], medications: [{ name: 'insulin glargine', class: 'insulin_or_sulfonylurea' }], parq: { q4: true, q5: true, q6: true }, pages: { arthritis: { has: false }, metabolic: { has: true, a: false, b: false, c: false, d: false, e: false } } },
] as const;

const NO_PAGES = { arthritis: { has: false }, cancer: { has: false }, heart: { has: false }, blood_pressure: { has: false }, metabolic: { has: false }, mental_health: { has: false }, respiratory: { has: false }, spinal_cord: { has: false }, stroke: { has: false }, other: { has: false } };

const CLEARANCES: ((i: number) => ClearanceFields)[] = [
  () => ({ clinician: 'Dr Ana Costa', profession: 'physician', contact: '+33 1 98 76 54 32', issuedOn: ago(45), expiresOn: null, status: 'cleared', restrictions: [], note: null }),
  (i) => ({
    clinician: 'J. Okafor',
    profession: 'physiotherapist',
    contact: 'j.okafor@example.org',
    issuedOn: ago(44),
    expiresOn: ago(-300),
    status: 'cleared-with-restrictions',
    restrictions: [{ code: 'no_impact' }, { code: i % 2 ? 'weight_bearing.left' : 'weight_bearing.right', value: 'as_tolerated' }, { code: 'max_rpe', value: 6 }, { code: 'max_load_kg', value: 12.5 }],
    note: 'Review in 12 weeks.',
  }),
  () => ({ clinician: 'Dr Lee', profession: 'cardiologist', contact: null, issuedOn: ago(43), expiresOn: null, status: 'cleared-with-restrictions', restrictions: [{ code: 'max_hr', value: 120 }, { code: 'no_valsalva' }], note: null }),
];

export interface Population {
  clients: number;
  programs: number;
  sessions: number;
  ms: number;
}

/** `n` clients, each with up to `sessions` sessions. */
export async function seedPopulation(store: Store, n: number, sessions: number): Promise<Population> {
  const started = performance.now();
  const templates = builtInTemplates();
  let programs = 0;
  let recorded = 0;
  for (let i = 0; i < n; i++) {
    const [first, last] = NAMES[i % NAMES.length]!;
    const sex = (['female', 'male', 'other'] as const)[i % 3];
    const { client } = await addClient(store, checkNewClient({ firstName: first, lastName: `${last} ${i}`, dateOfBirth: `${1940 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`, sex, ...(i % 4 === 0 ? { email: `c${i}@example.org` } : {}) }, TODAY), ctx);
    const profile = PROFILES[i % PROFILES.length]!;
    const side = i % 5 === 0 ? 'both' : i % 2 ? 'left' : 'right';
    // Most are cleared; every 11th has a pending request, every 13th is not cleared (no program then).
    if (i % 11 === 5) await addClearance(store, client, checkClearance({ clinician: 'Dr Pending', profession: 'physician', contact: null, issuedOn: ago(44), expiresOn: null, status: 'pending', restrictions: [], note: 'asked by letter' }, TODAY), ctx);
    else if (i % 13 === 7) await addClearance(store, client, checkClearance({ clinician: 'Dr No', profession: 'physician', contact: null, issuedOn: ago(44), expiresOn: null, status: 'not-cleared', restrictions: [], note: 'see again after the scan' }, TODAY), ctx);
    else await addClearance(store, client, checkClearance(CLEARANCES[i % CLEARANCES.length]!(i), TODAY), ctx);
    const answers = checkIntakeAnswers(
      {
        date: ago(42),
        physicallyActive: i % 3 === 0,
        conditions: profile.conditions(side),
        medications: profile.medications,
        parq: { ...allNo, ...profile.parq, followUps: { ...NO_PAGES, ...profile.pages } },
        symptoms: i % 17 === 3 ? ['ankle_oedema'] : [],
        desiredIntensity: (['light', 'moderate', 'vigorous'] as const)[i % 3],
        ...(i % 2 ? { goals: 'Walk without pain' } : {}),
        vitals: { restingHr: 55 + (i % 30), bp: `${118 + (i % 30)}/${72 + (i % 15)}`, ...(i % 3 === 0 ? { glucose: i % 2 ? '7.1 mmol/L' : '128 mg/dL' } : {}), ...(i % 7 === 0 ? { spo2: 95 } : {}) },
      },
      { today: TODAY, dateOfBirth: client.dateOfBirth },
    );
    if (!answers.ok) throw new Error(`client ${i}: ${answers.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    const intake = await recordIntake(store, client, answers.answers, ctx);
    if (intake.verdict.gate !== 'ok') continue;
    const fitting = fittingTemplateIds(templates, intake.saved);
    if (fitting.length === 0) continue;
    const template = templates.programs.get(fitting[0]!.id)!;
    await generateProgram(store, client, { template, set: templates, intake: intake.saved, start: ago(35), startGiven: true }, ctx);
    programs += 1;
    const sided = profile.conditions(side)[0]!;
    const measureSide = 'side' in sided && sided.side !== 'both' ? sided.side : 'right';
    for (let s = 0; s < sessions; s++) {
      const day = ago(33 - s * Math.max(1, Math.floor(30 / sessions)));
      const k = i + s;
      const raw: Record<string, unknown> =
        k % 9 === 4
          ? { date: day, attended: false, missedReason: 'unwell with a cold' }
          : {
              date: day,
              painBefore: k % 4,
              painDuring: (k % 5) + (s === sessions - 1 && i % 6 === 1 ? 4 : 0),
              painAfter: k % 4,
              ...(s % 2 === 0 ? { nextDayPain: k % 3 } : {}),
              rpe: k % 10 === 0 ? 12 : 3 + (k % 3),
              rpeScale: k % 10 === 0 ? 'borg' : 'cr10',
              bp: `${120 + (k % 25)}/${75 + (k % 10)}`,
              ...(k % 3 === 0 ? { restingHr: 60 + (k % 20) } : {}),
              ...(profile.medications.some((m) => m.name === 'metformin' || m.name.startsWith('insulin')) ? { glucose: k % 2 ? `${(6 + (k % 3) * 0.4).toFixed(1)} mmol/L` : `${110 + (k % 20)} mg/dL` } : {}),
              ...(k % 5 === 2 ? { soreness: 'warmup_gone' } : {}),
              ...(k % 23 === 11 ? { symptoms: ['palpitations'] } : {}),
              durationMin: 30 + (k % 4) * 10,
              measures: [
                ...(sided.code === 'knee_tka' || sided.code === 'knee_oa' || sided.code === 'acl_reconstruction' ? [{ code: 'knee_flexion', side: measureSide, value: 85 + s * 4 }, { code: 'effusion_grade', side: measureSide, value: s < 2 ? '1+' : 'trace' }] : []),
                ...(sided.code === 'hip_tha' ? [{ code: 'hip_flexion', side: measureSide, value: 70 + s * 3 }] : []),
                ...(sided.code === 'rotator_cuff_repair' ? [{ code: 'shoulder_flexion', side: measureSide, value: 90 + s * 5 }] : []),
                ...(sided.code === 'low_back_pain' && s % 2 === 0 ? [{ code: 'odi', value: 30 - s }] : []),
                ...(s === 0 ? [{ code: 'lefs', value: 40 + (i % 20) }, { code: 'body_weight_kg', value: 60 + (i % 40) + 0.5 }] : []),
                ...(k % 6 === 1 ? [{ code: 'spo2', value: 97 }, { code: 'chair_stand_30s', value: 10 + (k % 6) }] : []),
              ],
            };
      const input = checkProgressInput(raw, { today: TODAY, dateOfBirth: client.dateOfBirth });
      if (!input.ok) throw new Error(`client ${i} session ${s}: ${input.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
      await recordSession(store, client, input.entry, ctx);
      recorded += 1;
    }
  }
  return { clients: n, programs, sessions: recorded, ms: Math.round(performance.now() - started) };
}
