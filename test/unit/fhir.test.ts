/**
 * The FHIR R4 mapping (src/domain/fhir.ts) on a record built by hand: the
 * codes (LOINC per FACTS §9, bridgefit's own otherwise), UCUM units, the side
 * as bodySite, the --since window, stable ids; and the bundle passes FHIR.js
 * and the official R4 JSON Schema.
 */
import { describe, expect, it } from 'vitest';
import { uuidV5 } from '../../src/app/fhir-export.js';
import type { ExportedClient } from '../../src/domain/export.js';
import { buildFhirBundle, type Bundle, type FhirInput, type Resource } from '../../src/domain/fhir.js';
import { fhirProblems, withoutTimestamps } from '../helpers/fhir.js';

const NOW = '2026-12-02T10:00:00.000Z';
const TRAINER = { 'trainer.name': 'Sam Rivera', 'trainer.credentials': 'ACSM-CEP', 'trainer.organisation': '', 'trainer.contact': 'sam@example.org · +44 20 7946 0000' };

const entry = (id: number, sessionDate: string, extra: Partial<ExportedClient['entries'][number]> = {}): ExportedClient['entries'][number] => ({
  id,
  programId: 7,
  stage: 1,
  sessionDate,
  recordedAt: `${sessionDate}T18:00:00.000Z`,
  attended: true,
  missedReason: null,
  durationMin: 45,
  painBefore: null,
  painDuring: null,
  painAfter: null,
  nextDayPain: null,
  rpe: null,
  rpeScale: null,
  bpSystolic: null,
  bpDiastolic: null,
  restingHr: null,
  glucoseValue: null,
  glucoseUnit: null,
  ketones: null,
  soreness: null,
  symptoms: [],
  exercises: [{ exerciseId: 'heel_slide', sets: 2, reps: 10, completed: true }],
  notes: null,
  decision: { today: 'go', advice: { advice: 'repeat', reasons: [{ text: 'stay at the same level' }] } },
  measurements: [],
  amendments: [],
  ...extra,
});

const stage = (number: number, exitCriteria: unknown[]) => ({
  number,
  name: `Stage ${number} name`,
  goals: ['bend the knee'],
  weeks: [2, 4],
  sessionsPerWeek: 3,
  plannedStart: number === 1 ? '2026-10-01' : '2026-10-29',
  plannedEnd: number === 1 ? ['2026-10-14', '2026-10-28'] : ['2026-11-11', '2026-11-25'],
  exercises: [{ exerciseId: 'heel_slide', name: 'Heel slide', cues: ['slow'], dose: { sets: 2, reps: 10, perSide: false, rpe: [2, 4], restSeconds: 30 }, heartRate: null, replaces: null, notes: [] }],
  exitCriteria,
  precautions: [],
  afterSurgery: null,
});

function record(): ExportedClient {
  return {
    id: 42,
    firstName: 'Zoë',
    lastName: 'Moreau',
    dateOfBirth: '1961-04-12',
    sex: 'female',
    email: 'zoe@example.org',
    phone: null,
    goals: null,
    notes: null,
    status: 'active',
    createdAt: NOW,
    updatedAt: NOW,
    intakes: [
      {
        id: 1,
        intakeDate: '2026-09-01',
        recordedAt: '2026-09-01T09:00:00.000Z',
        formVersion: 'PAR-Q+ 2020 (bridgefit short wording)',
        answers: {
          date: '2026-09-01',
          physicallyActive: false,
          conditions: [],
          medications: [],
          parq: { q1: false, q2: false, q3: false, q4: false, q5: false, q6: true, q7: false, followUps: { arthritis: { has: false } }, temporaryIllness: false, healthChanged: false },
          symptoms: [],
          desiredIntensity: 'light',
          vitals: {},
        },
      },
      {
        id: 2,
        intakeDate: '2026-10-01',
        recordedAt: '2026-10-01T09:00:00.000Z',
        formVersion: 'PAR-Q+ 2020 (bridgefit short wording)',
        answers: {
          date: '2026-10-01',
          physicallyActive: false,
          conditions: [
            { code: 'knee_tka', side: 'right', date: '2026-09-10' },
            { code: 'knee_oa', side: 'left', date: '2019-05-01' },
            { code: 'type2_diabetes', date: '2015-03-01' },
          ],
          medications: [{ name: 'bisoprolol', class: 'beta_blocker' }],
          parq: { q1: false, q2: false, q3: false, q4: true, q5: true, q6: true, q7: false, followUps: { arthritis: { has: true, a: false, b: true, c: false } }, temporaryIllness: false, healthChanged: false },
          symptoms: ['ankle_oedema'],
          desiredIntensity: 'moderate',
          goals: 'Walk to the market',
          vitals: { restingHr: 68, bp: { systolic: 138, diastolic: 86 }, glucose: { value: 7.2, unit: 'mmol/L' }, spo2: 97 },
        },
      },
    ],
    clearances: [
      {
        id: 3,
        clinician: 'Dr Ana Costa',
        profession: 'physician',
        contact: '+33 1 98 76 54 32',
        issuedOn: '2026-10-02',
        expiresOn: null,
        status: 'cleared-with-restrictions',
        restrictions: [{ code: 'no_impact' }, { code: 'weight_bearing.right', value: 'as_tolerated' }, { code: 'rom.knee.right', value: 100 }, { code: 'max_hr', value: 110 }],
        note: 'Review at 12 weeks.',
        recordedAt: '2026-10-02T09:00:00.000Z',
      },
    ],
    screenings: [
      {
        id: 4,
        intakeId: 2,
        screenedOn: '2026-10-01',
        recordedAt: '2026-10-01T09:00:00.000Z',
        ruleVersion: 'screening-1.3.0',
        settings: {},
        gate: 'ok',
        verdict: {
          ruleVersion: 'screening-1.3.0',
          screenedOn: '2026-10-01',
          intakeDate: '2026-10-01',
          gate: 'ok',
          sessionToday: 'go',
          acsm: { outcome: 'recommended', rule: 'acsm-2015', physicallyActive: false, knownDisease: ['metabolic'], symptoms: [], desiredIntensity: 'moderate' },
          parq: { outcome: 'seek-more-information', formVersion: 'PAR-Q+ 2020', yes: ['q4'] },
          redFlags: [],
          clearance: { needed: true, state: 'valid', covers: true, inForce: { id: 3, clinician: 'Dr Ana Costa', profession: 'physician', issuedOn: '2026-10-02', validUntil: '2027-10-02', status: 'cleared-with-restrictions' }, restrictions: [] },
          startingIntensity: 'light-moderate',
          dosing: 'rpe-only',
          targets: { rpe: '2–5/10', heartRate: null },
          reasons: [{ code: 'acsm_clearance', severity: 'clearance', text: 'medical clearance recommended', source: 'ACSM 2015' }],
        },
      },
    ],
    programs: [
      {
        id: 7,
        templateId: 'knee_tka',
        templateVersion: '1.1.0',
        intakeId: 2,
        clearanceId: 3,
        startDate: '2026-10-01',
        generatedAt: '2026-10-02T10:00:00.000Z',
        status: 'active',
        supersededAt: null,
        overrideReason: null,
        snapshot: {
          rulesVersion: 'generation-1.3.0',
          templateId: 'knee_tka',
          templateVersion: '1.1.0',
          fits: ['knee_tka'],
          name: 'After total knee replacement',
          startDate: '2026-10-01',
          overlays: [],
          dosing: 'rpe-only',
          precautions: ['no kneeling'],
          preSessionChecks: [],
          redFlags: ['calf pain with swelling'],
          stages: [
            stage(1, [
              { measure: 'knee_flexion', side: 'affected', op: '>=', value: 90, visits: 2 },
              { measure: 'pain_after', op: '<=', value: 3, days: 14 },
              { measure: 'signoff', by: 'trainer' },
            ]),
            stage(2, [
              { measure: 'knee_flexion', side: 'affected', op: '>', value: 110 },
              { measure: 'effusion_grade', side: 'affected', op: '<=', value: 1 },
            ]),
          ],
          explanations: [],
          override: null,
        },
        currentStage: 2,
        stageStartedOn: '2026-10-29',
        stageName: 'Stage 2 name',
        sessionsPerWeek: 3,
        stageTransitions: [{ id: 1, onDate: '2026-10-29', fromStage: 1, toStage: 2, forced: false, reason: 'criteria met', evidence: {} }],
        signoffs: [{ id: 1, stage: 1, by: 'clinician', onDate: '2026-10-28', note: 'flexion 95°, no lag', signedBy: 'J. Okafor', profession: 'physiotherapist', recordedAt: '2026-10-28T10:00:00.000Z' }],
      },
    ],
    entries: [
      entry(10, '2026-10-05', { painBefore: 2, painAfter: 3, nextDayPain: 2, rpe: 13, rpeScale: 'borg', glucoseValue: 130, glucoseUnit: 'mg/dL', measurements: [{ id: 100, sessionDate: '2026-10-05', code: 'knee_flexion', side: 'right', value: 88 }] }),
      entry(11, '2026-11-20', {
        painDuring: 3,
        rpe: 4,
        rpeScale: 'cr10',
        bpSystolic: 132,
        bpDiastolic: 84,
        restingHr: 70,
        glucoseValue: 6.8,
        glucoseUnit: 'mmol/L',
        ketones: 0,
        soreness: 'warmup_gone',
        symptoms: ['palpitations'],
        measurements: [
          { id: 101, sessionDate: '2026-11-20', code: 'knee_flexion', side: 'right', value: 104 },
          { id: 102, sessionDate: '2026-11-20', code: 'effusion_grade', side: 'right', value: 2 },
          { id: 103, sessionDate: '2026-11-20', code: 'lefs', side: null, value: 42 },
          { id: 104, sessionDate: '2026-11-20', code: 'odi', side: null, value: 24 },
          { id: 105, sessionDate: '2026-11-20', code: 'body_weight_kg', side: null, value: 71.5 },
          { id: 106, sessionDate: '2026-11-20', code: 'spo2', side: null, value: 96 },
        ],
      }),
      entry(12, '2026-11-25', { attended: false, missedReason: 'work travel', exercises: [], decision: null, durationMin: null }),
    ],
    referrals: [
      { id: 20, entryId: 10, raisedOn: '2026-10-05', code: 'pain_rising', reason: 'next-morning pain rising', toWhom: 'physiotherapist', status: 'resolved', resolvedOn: '2026-10-09', resolutionNote: 'seen, continue' },
      { id: 21, entryId: 11, raisedOn: '2026-11-20', code: 'palpitations', reason: 'palpitations during the session', toWhom: 'physician', status: 'open', resolvedOn: null, resolutionNote: null },
    ],
  } as unknown as ExportedClient;
}

function input(overrides: Partial<FhirInput> = {}): FhirInput {
  return {
    client: record(),
    now: NOW,
    trainer: TRAINER,
    clearanceValidityMonths: 12,
    fits: new Map([[7, ['knee_tka']]]),
    documents: [{ kind: 'report', fileName: '0042-zoe-moreau-report.pdf', size: 1234, sha1: 'qUqP5cyxm6YcTAhz05Hph5gvu9M=', createdAt: NOW }],
    uuid: uuidV5,
    ...overrides,
  };
}

const resources = (b: Bundle, type: string) => b.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
const codes = (r: Resource) => ((r.code as { coding: { system: string; code: string }[] }).coding ?? []).map((c) => `${c.system}|${c.code}`);
const byCode = (b: Bundle, code: string) => resources(b, 'Observation').filter((r) => codes(r).some((c) => c.endsWith(`|${code}`)));

describe('FHIR R4 bundle', () => {
  const bundle = buildFhirBundle(input());

  it('passes FHIR.js and the official R4 JSON Schema, every reference resolving', () => {
    expect(fhirProblems(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', timestamp: NOW });
    expect(new Set(bundle.entry.map((e) => e.resource.resourceType))).toEqual(
      new Set(['Patient', 'Practitioner', 'Condition', 'Procedure', 'MedicationStatement', 'QuestionnaireResponse', 'RiskAssessment', 'Observation', 'CarePlan', 'Goal', 'ServiceRequest', 'DocumentReference']),
    );
  });

  it('catches a broken bundle (the validators are not blind)', () => {
    const broken = structuredClone(bundle);
    const obs = broken.entry.find((e) => e.resource.resourceType === 'Observation')!.resource;
    delete obs.status;
    obs.effectiveDateTime = '5 October';
    (broken.entry[0]!.resource as Record<string, unknown>).shoeSize = 40;
    broken.entry.push({ fullUrl: 'urn:uuid:00000000-0000-5000-8000-000000000000', resource: { resourceType: 'Goal', id: '00000000-0000-5000-8000-000000000000', lifecycleStatus: 'active', description: { text: 'x' }, subject: { reference: 'urn:uuid:11111111-1111-5111-8111-111111111111' } } });
    const problems = fhirProblems(broken).join('\n');
    // FHIR.js finds the missing required element, the schema does not (it has no "required" for min-1 elements).
    expect(problems).toMatch(/FHIR\.js error at Observation\.status .*Missing property/);
    expect(problems).toMatch(/FHIR\.js error at Observation\.effectiveDateTime .*Invalid dateTime/);
    expect(problems).toMatch(/R4 JSON Schema \(Observation entry\[\d+\]\) at \.effectiveDateTime: should match pattern/);
    expect(problems).toMatch(/FHIR\.js error at Patient\.shoeSize .*Unexpected property/);
    expect(problems).toMatch(/R4 JSON Schema \(Patient entry\[0\]\) at : should NOT have additional properties \{"additionalProperty":"shoeSize"\}/);
    expect(problems).toMatch(/reference urn:uuid:11111111.* is to nothing/);
  });

  it('is the same for the same data except its timestamps; ids follow the client', () => {
    const again = buildFhirBundle(input({ now: '2027-01-01T00:00:00.000Z' }));
    expect(again.timestamp).not.toBe(bundle.timestamp);
    expect(withoutTimestamps(again)).toEqual(withoutTimestamps(bundle));
    const other = buildFhirBundle(input({ client: { ...record(), id: 43 } }));
    const ids = new Set(bundle.entry.map((e) => e.fullUrl));
    expect(other.entry.filter((e) => ids.has(e.fullUrl))).toEqual([]);
  });

  it('names the surgery a Procedure with its date and side as bodySite; other conditions are Conditions', () => {
    const [surgery] = resources(bundle, 'Procedure').filter((p) => codes(p).includes('urn:bridgefit:condition|knee_tka'));
    expect(surgery).toMatchObject({ status: 'completed', performedDateTime: '2026-09-10', bodySite: [{ coding: [{ system: 'urn:bridgefit:body-site', code: 'knee.right' }], text: 'right knee' }] });
    const conditions = resources(bundle, 'Condition');
    expect(conditions.map((c) => codes(c)[0])).toEqual(['urn:bridgefit:condition|knee_oa', 'urn:bridgefit:condition|type2_diabetes']);
    expect(conditions[0]).toMatchObject({ bodySite: [{ text: 'left knee' }], onsetDateTime: '2019-05-01', recordedDate: '2026-10-01' });
    expect(conditions[1]!.bodySite).toBeUndefined();
    expect(resources(bundle, 'MedicationStatement')).toMatchObject([{ status: 'active', medicationCodeableConcept: { text: 'bisoprolol', coding: [{ code: 'beta_blocker' }] } }]);
  });

  it('codes vital signs and pain with LOINC (FACTS §9) in UCUM units', () => {
    const hr = byCode(bundle, '8867-4');
    expect(hr.map((o) => o.valueQuantity)).toEqual([
      { value: 68, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
      { value: 70, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
    ]);
    const bp = byCode(bundle, '85354-9').find((o) => o.effectiveDateTime === '2026-11-20')!;
    expect(bp.valueQuantity).toBeUndefined();
    expect(bp.component).toEqual([
      { code: { coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' }], text: 'Systolic' }, valueQuantity: { value: 132, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
      { code: { coding: [{ system: 'http://loinc.org', code: '8462-4', display: 'Diastolic blood pressure' }], text: 'Diastolic' }, valueQuantity: { value: 84, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
    ]);
    expect(bp.category).toEqual([{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }]);
    expect(byCode(bundle, '29463-7').map((o) => o.valueQuantity)).toEqual([{ value: 71.5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' }]);
    expect(byCode(bundle, '59408-5').map((o) => [o.effectiveDateTime, (o.valueQuantity as { value: number }).value])).toEqual([['2026-10-01', 97], ['2026-11-20', 96]]);
    // Each pain rating is 72514-3, told apart by bridgefit's code; next-morning pain is dated the next morning.
    const pains = byCode(bundle, '72514-3').map((o) => [codes(o)[1], o.effectiveDateTime, (o.valueQuantity as { value: number; code: string }).value]);
    expect(pains).toEqual([
      ['urn:bridgefit:measure|pain_before', '2026-10-05', 2],
      ['urn:bridgefit:measure|pain_after', '2026-10-05', 3],
      ['urn:bridgefit:measure|next_morning_pain', '2026-10-06', 2],
      ['urn:bridgefit:measure|pain_during', '2026-11-20', 3],
    ]);
    expect(byCode(bundle, '97909-6').map((o) => o.valueQuantity)).toEqual([{ value: 24, unit: '%', system: 'http://unitsofmeasure.org', code: '%' }]);
  });

  it('keeps bridgefit codes where LOINC has none or the scale differs', () => {
    // FACTS §9: LEFS has no LOINC code.
    const [lefs] = byCode(bundle, 'lefs');
    expect(codes(lefs!)).toEqual(['urn:bridgefit:measure|lefs']);
    expect(lefs!.valueQuantity).toMatchObject({ value: 42, code: '{score}' });
    // 82289-0 is the 0–10 scale: a CR10 rating has it, a Borg 6–20 rating does not.
    expect(byCode(bundle, '82289-0').map((o) => (o.valueQuantity as { value: number }).value)).toEqual([4]);
    expect(codes(byCode(bundle, 'rpe_borg')[0]!)).toEqual(['urn:bridgefit:measure|rpe_borg']);
    // Glucose in the unit recorded: mmol/L → 15074-8, mg/dL → 2339-0.
    expect(byCode(bundle, '2339-0').map((o) => o.valueQuantity)).toEqual([{ value: 130, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' }]);
    expect(byCode(bundle, '15074-8').map((o) => (o.valueQuantity as { value: number }).value)).toEqual([7.2, 6.8]);
  });

  it('puts the side of a measure in bodySite, and an effusion grade as its name', () => {
    const flexion = byCode(bundle, 'knee_flexion');
    expect(flexion.map((o) => [o.effectiveDateTime, o.valueQuantity, o.bodySite])).toEqual([
      ['2026-10-05', { value: 88, unit: '°', system: 'http://unitsofmeasure.org', code: 'deg' }, { coding: [{ system: 'urn:bridgefit:body-site', code: 'knee.right', display: 'right knee' }], text: 'right knee' }],
      ['2026-11-20', { value: 104, unit: '°', system: 'http://unitsofmeasure.org', code: 'deg' }, { coding: [{ system: 'urn:bridgefit:body-site', code: 'knee.right', display: 'right knee' }], text: 'right knee' }],
    ]);
    const [effusion] = byCode(bundle, 'effusion_grade');
    // Stored 2 is "1+" (EFFUSION_LABELS), never the bare number.
    expect(effusion).toMatchObject({ valueCodeableConcept: { coding: [{ code: '1+' }] }, bodySite: { text: 'right knee' } });
    expect(effusion!.valueQuantity).toBeUndefined();
  });

  it('links each observation to its session, a missed session being a Procedure not done', () => {
    const sessions = resources(bundle, 'Procedure').filter((p) => codes(p).includes('urn:bridgefit:session|exercise-session'));
    expect(sessions.map((s) => [s.performedDateTime, s.status, (s.statusReason as { text?: string } | undefined)?.text])).toEqual([
      ['2026-10-05', 'completed', undefined],
      ['2026-11-20', 'completed', undefined],
      ['2026-11-25', 'not-done', 'work travel'],
    ]);
    const session = `urn:uuid:${sessions[1]!.id}`;
    expect(byCode(bundle, 'knee_flexion')[1]!.partOf).toEqual([{ reference: session }]);
    expect(JSON.stringify(sessions[0]!.note)).toContain('Heel slide: 2×10');
  });

  it('a voided entry is entered-in-error with why, its readings too; a second reading is its own Observation', () => {
    const client = record();
    client.entries[1] = { ...client.entries[1]!, bpSystolic: 168, bpDiastolic: 100, bpRecheckSystolic: 138, bpRecheckDiastolic: 86, voidedAt: '2026-11-22T09:00:00.000Z', voidReason: 'recorded for the wrong client', voidedBy: 'Sam Rivera' } as never;
    const b = buildFhirBundle(input({ client }));
    expect(fhirProblems(b)).toEqual([]);
    const sessions = resources(b, 'Procedure').filter((p) => codes(p).includes('urn:bridgefit:session|exercise-session'));
    expect(sessions.map((s) => s.status)).toEqual(['completed', 'entered-in-error', 'not-done']);
    expect(JSON.stringify(sessions[1]!.note)).toContain('Voided on 2026-11-22 by Sam Rivera: recorded for the wrong client');
    const partOf = `urn:uuid:${sessions[1]!.id}`;
    const readings = resources(b, 'Observation').filter((o) => JSON.stringify(o.partOf) === JSON.stringify([{ reference: partOf }]));
    expect(readings.length).toBeGreaterThan(5);
    expect(new Set(readings.map((o) => o.status))).toEqual(new Set(['entered-in-error']));
    const bp = byCode(b, '85354-9').filter((o) => JSON.stringify(o.partOf) === JSON.stringify([{ reference: partOf }]));
    expect(bp.map((o) => (o.code as { text: string }).text)).toEqual(['Blood pressure before the session', 'Blood pressure before the session, measured again after rest']);
  });

  it('writes the clearance as an Observation by the clinician with each restriction a component', () => {
    const [clearance] = resources(bundle, 'Observation').filter((o) => codes(o).includes('urn:bridgefit:clearance-status|medical-clearance'));
    expect(clearance).toMatchObject({ status: 'final', effectivePeriod: { start: '2026-10-02', end: '2027-10-02' }, valueCodeableConcept: { coding: [{ code: 'cleared-with-restrictions' }] } });
    const clinician = resources(bundle, 'Practitioner').find((p) => `urn:uuid:${p.id}` === (clearance!.performer as { reference: string }[])[0]!.reference)!;
    expect(clinician.name).toEqual([{ text: 'Dr Ana Costa' }]);
    expect(clearance!.component).toEqual([
      { code: { coding: [{ system: 'urn:bridgefit:restriction', code: 'no_impact', display: 'no impact' }], text: 'no impact' }, valueBoolean: true },
      { code: { coding: [{ system: 'urn:bridgefit:restriction', code: 'weight_bearing.right', display: 'right leg: as-tolerated weight bearing' }], text: 'right leg: as-tolerated weight bearing' }, valueCodeableConcept: { coding: [{ system: 'urn:bridgefit:weight-bearing', code: 'as_tolerated', display: 'as tolerated' }], text: 'as-tolerated' } },
      { code: { coding: [{ system: 'urn:bridgefit:restriction', code: 'rom.knee.right', display: 'right knee range of motion at most 100°' }], text: 'right knee range of motion at most 100°' }, valueQuantity: { value: 100, comparator: '<=', unit: '°', system: 'http://unitsofmeasure.org', code: 'deg' } },
      { code: { coding: [{ system: 'urn:bridgefit:restriction', code: 'max_hr', display: 'heart rate at most 110 bpm' }], text: 'heart rate at most 110 bpm' }, valueQuantity: { value: 110, comparator: '<=', unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' } },
    ]);
  });

  it('makes one CarePlan activity per stage and one Goal per exit criterion', () => {
    const [plan] = resources(bundle, 'CarePlan');
    const activities = plan!.activity as { detail: { status: string; goal: { reference: string }[] }; progress?: { time: string; text: string }[] }[];
    expect(activities.map((a) => [a.detail.status, a.detail.goal.length])).toEqual([
      ['completed', 3],
      ['in-progress', 2],
    ]);
    expect(activities.map((a) => a.progress?.map((p) => p.text))).toEqual([
      ['Signed off by J. Okafor (physiotherapist) on 2026-10-28: flexion 95°, no lag', 'Left stage 1 for stage 2 on 2026-10-29'],
      ['Entered stage 2 on 2026-10-29 (criteria met)'],
    ]);
    const goals = resources(bundle, 'Goal');
    expect(goals).toHaveLength(5);
    expect((plan!.goal as unknown[]).length).toBe(5);
    const [flexion90, pain, signoff, flexion110, effusion] = goals;
    expect(flexion90).toMatchObject({ lifecycleStatus: 'completed', achievementStatus: { coding: [{ code: 'achieved' }] }, target: [{ measure: { text: 'knee flexion, right knee' }, detailRange: { low: { value: 90, code: 'deg' } }, dueDate: '2026-10-28' }] });
    expect((flexion90!.description as { text: string }).text).toContain('knee flexion (affected side: right) ≥ 90° on 2 visits');
    expect(pain).toMatchObject({ target: [{ measure: { coding: [{ system: 'http://loinc.org', code: '72514-3' }, { code: 'pain_after' }] }, detailRange: { high: { value: 3, code: '{score}' } } }] });
    expect(signoff).toMatchObject({ target: [{ detailString: 'signed off by the trainer' }] });
    expect(flexion110).toMatchObject({ lifecycleStatus: 'active', target: [{ detailQuantity: { value: 110, comparator: '>', code: 'deg' } }] });
    expect(effusion!.target).toMatchObject([{ detailString: expect.stringContaining('at most trace') }]);
    // A Goal addresses Conditions only (R4): the surgery's Procedure is the plan's supportingInfo.
    expect(JSON.stringify(plan!.supportingInfo)).toContain(resources(bundle, 'Procedure')[0]!.id);
  });

  it('writes a referral as a ServiceRequest and the PDF as a DocumentReference with size and SHA-1', () => {
    expect(resources(bundle, 'ServiceRequest').map((s) => [s.status, s.intent, s.authoredOn, (s.performerType as { text: string }).text])).toEqual([
      ['completed', 'proposal', '2026-10-05', 'physiotherapist'],
      ['active', 'proposal', '2026-11-20', 'physician'],
    ]);
    expect(resources(bundle, 'DocumentReference')).toMatchObject([
      { status: 'current', content: [{ attachment: { contentType: 'application/pdf', url: '0042-zoe-moreau-report.pdf', size: 1234, hash: 'qUqP5cyxm6YcTAhz05Hph5gvu9M=' } }] },
    ]);
  });

  it('--since keeps the sessions and observations from that day, the record they rest on, and open referrals', () => {
    const recent = buildFhirBundle(input({ since: '2026-11-01' }));
    expect(fhirProblems(recent)).toEqual([]);
    const sessions = resources(recent, 'Procedure').filter((p) => codes(p).includes('urn:bridgefit:session|exercise-session'));
    expect(sessions.map((s) => s.performedDateTime)).toEqual(['2026-11-20', '2026-11-25']);
    const dated = resources(recent, 'Observation').filter((o) => typeof o.effectiveDateTime === 'string').map((o) => o.effectiveDateTime as string);
    expect(dated.length).toBeGreaterThan(0);
    expect(dated.every((d) => d >= '2026-11-01')).toBe(true);
    // The latest intake and screening, the clearance and the program stay; the earlier intake and the resolved referral from October go.
    expect(resources(recent, 'QuestionnaireResponse').map((q) => q.authored)).toEqual(['2026-10-01T09:00:00.000Z']);
    expect(resources(recent, 'RiskAssessment')).toHaveLength(1);
    expect(resources(recent, 'CarePlan')).toHaveLength(1);
    expect(byCode(recent, 'medical-clearance')).toHaveLength(1);
    expect(resources(recent, 'ServiceRequest').map((s) => s.status)).toEqual(['active']);
    expect(recent.id).not.toBe(bundle.id);
  });
});

describe('FHIR R4 bundle, records with little in them', () => {
  it('a pending clearance is "registered" with no value and no empty note; no intake, no program: still valid', () => {
    const bare = {
      ...record(),
      email: null,
      intakes: [],
      screenings: [],
      programs: [],
      entries: [],
      referrals: [],
      clearances: [
        { ...record().clearances[0]!, status: 'pending', restrictions: [], note: null },
        { ...record().clearances[0]!, id: 9, issuedOn: '2026-10-20', status: 'not-cleared', restrictions: [], note: 'after the scan' },
      ],
    } as ExportedClient;
    const b = buildFhirBundle(input({ client: bare, trainer: { 'trainer.name': '', 'trainer.credentials': '', 'trainer.organisation': '', 'trainer.contact': '' }, documents: [] }));
    expect(fhirProblems(b)).toEqual([]);
    expect(b.entry.map((e) => e.resource.resourceType)).toEqual(['Patient', 'Practitioner', 'Observation', 'Observation']);
    const clearance = b.entry[2]!.resource;
    expect(clearance).toMatchObject({ status: 'registered', effectiveDateTime: '2026-10-02' });
    expect(clearance.valueCodeableConcept).toBeUndefined();
    expect(clearance.note).toBeUndefined();
    // A refusal is a decision on its day: no period of validity.
    const refused = b.entry[3]!.resource;
    expect(refused).toMatchObject({ status: 'final', effectiveDateTime: '2026-10-20', valueCodeableConcept: { coding: [{ code: 'not-cleared' }] }, note: [{ text: 'after the scan' }] });
    expect(refused.effectivePeriod).toBeUndefined();
    expect(b.entry[0]!.resource.telecom).toBeUndefined();
  });
});

describe('FHIR R4 bundle, names', () => {
  it('gives the name as bridgefit writes it: family name first for 李娜', () => {
    const b = buildFhirBundle(input({ client: { ...record(), firstName: '娜', lastName: '李' } }));
    expect(b.entry[0]!.resource.name).toEqual([{ text: '李娜', family: '李', given: ['娜'] }]);
    expect(fhirProblems(b)).toEqual([]);
  });
});

describe('uuidV5', () => {
  it('is RFC 4122 version 5 (the Python documentation example)', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });
});
