/**
 * One client's record as a FHIR R4 Bundle of type "collection" (HL7 FHIR R4,
 * 4.0.1: bundle.html), for a physiotherapist's or physician's system. Pure:
 * the client as the export reads it (domain/export.ts) in, plain JSON out.
 *
 * What each resource carries (README "FHIR R4"):
 *   Patient               the client
 *   Practitioner          the trainer (settings) and each clinician who cleared
 *   Condition             each condition of the latest intake, side as bodySite
 *   Procedure             each surgery of the latest intake (date, side); and
 *                         each session (completed, or not-done with the reason)
 *   MedicationStatement   each medication of the latest intake
 *   QuestionnaireResponse each intake (PAR-Q+ in bridgefit's wording, vitals)
 *   RiskAssessment        each screening verdict, its reasons and sources
 *   Observation           each clearance (restrictions as components), and
 *                         each measure, vital sign, pain and effort rating
 *   CarePlan + Goal       each program: an activity per stage, a Goal per
 *                         exit criterion
 *   ServiceRequest        each referral back to a clinician
 *   DocumentReference     the report PDFs written beside the bundle
 *
 * Ids are stable: every fullUrl is urn:uuid:<uuid> made by `input.uuid` from
 * the client id, the kind of record and its row id, so two exports of the
 * same data differ only in Bundle.timestamp and Bundle.meta.lastUpdated.
 */
import { describeRestriction, clearanceExpiry, type Restriction } from './clearance.js';
import { fullName } from './client.js';
import { CONDITION_FLAGS, CONDITIONS, type ConditionCode } from './conditions.js';
import { addDays } from './dates.js';
import type { ExportedClient, ExportedProgram } from './export.js';
import {
  BF_SYSTEMS,
  CONDITION_CATEGORY,
  CONDITION_CLINICAL,
  CONDITION_SITE,
  LOINC,
  LOINC_CODES,
  MEASURE_CODING,
  OBSERVATION_CATEGORY,
  UCUM,
  UNITS,
  type LoincCode,
  type Unit,
} from './fhir-codes.js';
import type { IntakeAnswers } from './intake.js';
import { MEDICATION_CLASSES, type MedicationClass } from './medications.js';
import { FOLLOW_UPS, PARQ_QUESTIONS, PARQ_QUESTION_KEYS, type FollowUpCode } from './parq.js';
import type { GeneratedProgram, PlannedStage } from './program.js';
import { describeCriterion, describeDose } from './program-text.js';
import { EFFUSION_LABELS } from './progress-rules.js';
import type { ExerciseDone } from './progress-types.js';
import { verdictHeadline, type ScreeningVerdict } from './screening.js';
import type { TrainerProfile } from './settings.js';
import { affectedSide } from './stage.js';
import { SYMPTOMS, type SymptomCode } from './symptoms.js';
import type { ExitCriterion } from './template-schema.js';
import { MEASURES, type MeasureCode } from './template-terms.js';

export const FHIR_VERSION = '4.0.1';

// The R4 data types the export writes (R4 spec, datatypes.html).
export interface Coding {
  system: string;
  code: string;
  display?: string;
}
export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}
export interface Reference {
  reference: string;
  display?: string;
}
export interface Quantity {
  value: number;
  unit: string;
  system: string;
  code: string;
  comparator?: '<' | '<=' | '>=' | '>';
}
export interface Annotation {
  time?: string;
  text: string;
}
export interface Resource {
  resourceType: string;
  id: string;
  [key: string]: unknown;
}
export interface BundleEntry {
  fullUrl: string;
  resource: Resource;
}
export interface Bundle {
  resourceType: 'Bundle';
  id: string;
  meta: { lastUpdated: string };
  identifier: { system: string; value: string };
  type: 'collection';
  timestamp: string;
  entry: BundleEntry[];
}

/** A PDF written beside the bundle: referenced by its file name, size and SHA-1 (R4 Attachment.url, size, hash). */
export interface FhirDocument {
  kind: 'report' | 'handout';
  /** The file name, relative to the bundle's folder. */
  fileName: string;
  size: number;
  /** SHA-1 of the bytes, base64 (R4 Attachment.hash is base64Binary). */
  sha1: string;
  /** When the file was written (an instant). */
  createdAt: string;
}

export interface FhirInput {
  client: ExportedClient;
  /** The first day of the --since window; undefined: every dated record. */
  since?: string;
  now: string;
  trainer: TrainerProfile;
  clearanceValidityMonths: number;
  /** What each program (by id) is for: its template's `fits`, which names the affected side. */
  fits: ReadonlyMap<number, readonly string[]>;
  documents: readonly FhirDocument[];
  /** A stable UUID for a name (the caller's UUID v5). */
  uuid: (name: string) => string;
}

const SORENESS_TEXT: Record<string, string> = {
  none: 'no soreness',
  warmup_gone: 'sore in the warm-up, gone by its end',
  warmup_continuing: 'sore in the warm-up, continuing through the session',
  returned_during: 'soreness gone, then back during the session',
  after_next_day: 'sore the day after the session',
};
const GATE_TEXT = { ok: 'may start: no clearance needed, or cleared', 'needs-clearance': 'medical clearance needed before starting', refer: 'refer to a clinician before any exercise' } as const;
const SIDE_TEXT = { left: 'left', right: 'right', both: 'left and right' } as const;

/**
 * Which records are in the bundle: every clearance and program, the latest
 * intake and screening always (they are what the rest rests on) and earlier
 * ones dated in the window; sessions and observations in the window;
 * referrals raised in it or still open.
 */
export function inWindow(date: string, since: string | undefined): boolean {
  return since === undefined || date.slice(0, 10) >= since;
}

export function buildFhirBundle(input: FhirInput): Bundle {
  return new BundleBuilder(input).build();
}

class BundleBuilder {
  private readonly entries: BundleEntry[] = [];
  /** fullUrl → resourceType of every resource added. */
  private readonly types = new Map<string, string>();
  private readonly c: ExportedClient;
  private readonly patient: Reference;
  private trainerRef: Reference | undefined;
  private readonly clinicians = new Map<string, Reference>();
  private readonly exerciseNames = new Map<string, string>();

  constructor(private readonly input: FhirInput) {
    this.c = input.client;
    // The name as bridgefit writes it everywhere (李娜, family name first; Zoë Moreau).
    this.patient = { reference: this.url('patient', this.c.id), display: fullName(this.c).trim() };
    for (const p of this.c.programs) for (const s of (p.snapshot as unknown as GeneratedProgram).stages ?? []) for (const x of s.exercises) this.exerciseNames.set(x.exerciseId, x.name);
  }

  /** urn:uuid of a record: client id, kind and row id (or key) make the name. */
  private url(kind: string, key: string | number): string {
    return `urn:uuid:${this.input.uuid(`bridgefit/client/${this.c.id}/${kind}/${key}`)}`;
  }

  private add(fullUrl: string, resource: { resourceType: string } & Record<string, unknown>): Reference {
    const id = fullUrl.slice('urn:uuid:'.length);
    // id first, after resourceType, as the spec's examples order them.
    const { resourceType, ...rest } = resource as { resourceType: string };
    this.entries.push({ fullUrl, resource: prune({ resourceType, id, ...rest }) as Resource });
    this.types.set(fullUrl, resourceType);
    return { reference: fullUrl };
  }

  private has(ref: string): boolean {
    return this.types.has(ref);
  }

  build(): Bundle {
    const { c, input } = this;
    this.addPatient();
    this.addTrainer();
    const intakes = [...c.intakes].sort((a, b) => cmp(a.intakeDate, b.intakeDate) || a.id - b.id);
    const latest = intakes.at(-1);
    const conditionRefs = latest ? this.addHistory(latest.id, latest.answers as unknown as IntakeAnswers) : new Map<string, Reference>();
    for (const i of intakes) if (i === latest || inWindow(i.intakeDate, input.since)) this.addIntake(i);
    const screenings = [...c.screenings].sort((a, b) => cmp(a.screenedOn, b.screenedOn) || a.id - b.id);
    // A screening rests on its intake; the Conditions are the latest intake's, so only its screenings name them.
    for (const s of screenings) if (s === screenings.at(-1) || inWindow(s.screenedOn, input.since)) this.addScreening(s, s.intakeId === latest?.id ? conditionRefs : new Map());
    for (const cl of [...c.clearances].sort((a, b) => cmp(a.issuedOn, b.issuedOn) || a.id - b.id)) this.addClearance(cl);
    const programs = [...c.programs].sort((a, b) => cmp(a.generatedAt, b.generatedAt) || a.id - b.id);
    programs.forEach((p, i) => this.addProgram(p, programs[i - 1], latest ? (latest.answers as unknown as IntakeAnswers) : undefined, conditionRefs));
    const entries = [...c.entries].filter((e) => inWindow(e.sessionDate, input.since)).sort((a, b) => cmp(a.sessionDate, b.sessionDate) || a.id - b.id);
    for (const e of entries) this.addSession(e);
    for (const r of [...c.referrals].sort((a, b) => cmp(a.raisedOn, b.raisedOn) || a.id - b.id)) {
      if (r.status === 'open' || inWindow(r.raisedOn, input.since)) this.addReferral(r);
    }
    for (const d of input.documents) this.addDocument(d);
    const fullUrl = this.url('bundle', input.since ?? 'all');
    return {
      resourceType: 'Bundle',
      id: fullUrl.slice('urn:uuid:'.length),
      meta: { lastUpdated: input.now },
      identifier: { system: 'urn:ietf:rfc:3986', value: fullUrl },
      type: 'collection',
      timestamp: input.now,
      entry: this.entries,
    };
  }

  private addPatient(): void {
    const c = this.c;
    const telecom = [
      ...(c.phone ? [{ system: 'phone', value: c.phone }] : []),
      ...(c.email ? [{ system: 'email', value: c.email }] : []),
    ];
    this.add(this.patient.reference, {
      resourceType: 'Patient',
      identifier: [{ system: BF_SYSTEMS.clientId, value: String(c.id) }],
      active: c.status === 'active',
      name: [{ text: this.patient.display, family: c.lastName, given: [c.firstName] }], // an empty part is pruned
      ...(telecom.length > 0 ? { telecom } : {}),
      // R4 AdministrativeGender: male | female | other | unknown.
      gender: c.sex ?? 'unknown',
      birthDate: c.dateOfBirth,
    });
  }

  private addTrainer(): void {
    const t = this.input.trainer;
    if (!t['trainer.name'].trim()) return;
    this.trainerRef = {
      ...this.add(this.url('practitioner', 'trainer'), {
        resourceType: 'Practitioner',
        name: [{ text: t['trainer.name'].trim() }],
        ...(t['trainer.contact'].trim() ? { telecom: contactPoints(t['trainer.contact']) } : {}),
        ...(t['trainer.credentials'].trim() ? { qualification: [{ code: { text: t['trainer.credentials'].trim() } }] } : {}),
      }),
      display: t['trainer.name'].trim(),
    };
  }

  private clinician(name: string, profession: string, contact: string | null): Reference {
    const key = `${name}\u0000${profession}`;
    const known = this.clinicians.get(key);
    if (known) return known;
    const ref = {
      ...this.add(this.url('practitioner', `clinician-${this.clinicians.size + 1}`), {
        resourceType: 'Practitioner',
        name: [{ text: name }],
        ...(contact ? { telecom: contactPoints(contact) } : {}),
        qualification: [{ code: { text: profession } }],
      }),
      display: `${name} (${profession})`,
    };
    this.clinicians.set(key, ref);
    return ref;
  }

  /** The latest intake's conditions, surgeries and medications. Returns each condition code's resource. */
  private addHistory(intakeId: number, answers: IntakeAnswers): Map<string, Reference> {
    const refs = new Map<string, Reference>();
    const recorded = answers.date;
    answers.conditions.forEach((cond, i) => {
      const info = CONDITIONS[cond.code as ConditionCode];
      const code = codeable(BF_SYSTEMS.condition, cond.code, info?.label ?? cond.code);
      const site = bodySite(CONDITION_SITE[cond.code], cond.side);
      const notes: Annotation[] = [];
      if (cond.dueDate) notes.push({ text: `Expected date of delivery ${cond.dueDate}` });
      const flagText = (CONDITION_FLAGS as Partial<Record<string, Record<string, string>>>)[cond.code] ?? {};
      if (cond.flags?.length) notes.push({ text: cond.flags.map((f) => flagText[f] ?? f.replace(/_/g, ' ')).join('; ') });
      if (info?.dateKind === 'surgery') {
        // A surgery is a Procedure (R4 Procedure: status, code, performed[x], bodySite), not a Condition.
        refs.set(
          cond.code,
          this.add(this.url('procedure', `${intakeId}-${i}`), {
            resourceType: 'Procedure',
            status: 'completed',
            category: { text: 'surgical procedure' },
            code,
            subject: this.patient,
            ...(cond.date ? { performedDateTime: cond.date } : {}),
            ...(site ? { bodySite: [site] } : {}),
            ...(notes.length ? { note: notes } : {}),
          }),
        );
        return;
      }
      refs.set(
        cond.code,
        this.add(this.url('condition', `${intakeId}-${i}`), {
          resourceType: 'Condition',
          // Reported at the intake: active, not confirmed by bridgefit (R4 Condition; condition-clinical).
          clinicalStatus: { coding: [{ system: CONDITION_CLINICAL, code: 'active', display: 'Active' }] },
          category: [{ coding: [{ system: CONDITION_CATEGORY, code: 'problem-list-item', display: 'Problem List Item' }] }],
          code,
          ...(site ? { bodySite: [site] } : {}),
          subject: this.patient,
          ...(cond.date ? { onsetDateTime: cond.date } : {}),
          recordedDate: recorded,
          ...(cond.date && info?.dateKind === 'diagnosis' ? { note: [{ text: `Diagnosed ${cond.date}` }, ...notes] } : notes.length ? { note: notes } : {}),
        }),
      );
    });
    answers.medications.forEach((m, i) => {
      const cls = MEDICATION_CLASSES[m.class as MedicationClass];
      this.add(this.url('medication', `${intakeId}-${i}`), {
        resourceType: 'MedicationStatement',
        status: 'active',
        medicationCodeableConcept: { coding: [{ system: BF_SYSTEMS.medicationClass, code: m.class, display: cls?.label ?? m.class }], text: m.name },
        subject: this.patient,
        dateAsserted: recorded,
        informationSource: this.patient,
      });
    });
    return refs;
  }

  private addIntake(intake: ExportedClient['intakes'][number]): void {
    const a = intake.answers as unknown as IntakeAnswers;
    const items: unknown[] = [
      item('date', 'Date of the intake', [{ valueDate: a.date }]),
      item('physically-active', 'Planned, structured exercise ≥30 min at moderate intensity on ≥3 days/week for the last 3 months (ACSM)', [{ valueBoolean: a.physicallyActive }]),
    ];
    if (a.conditions.length > 0) {
      items.push(
        item(
          'conditions',
          'Conditions and surgeries',
          a.conditions.map((cond) => {
            const sub = [
              ...(cond.side ? [item('conditions.side', 'Side', [{ valueString: cond.side }])] : []),
              ...(cond.date ? [item('conditions.date', 'Date', [{ valueDate: cond.date }])] : []),
              ...(cond.dueDate ? [item('conditions.due-date', 'Expected date of delivery', [{ valueDate: cond.dueDate }])] : []),
            ];
            return { valueCoding: { system: BF_SYSTEMS.condition, code: cond.code, display: CONDITIONS[cond.code as ConditionCode]?.label ?? cond.code }, ...(sub.length ? { item: sub } : {}) };
          }),
        ),
      );
    }
    if (a.medications.length > 0) {
      items.push(item('medications', 'Medications', a.medications.map((m) => ({ valueString: `${m.name} (${MEDICATION_CLASSES[m.class as MedicationClass]?.label ?? m.class})` }))));
    }
    const parq = a.parq as unknown as Record<string, unknown> & { followUps?: Record<string, Record<string, boolean> | undefined> };
    const parqItems: unknown[] = PARQ_QUESTION_KEYS.map((q) => item(`parq.${q}`, PARQ_QUESTIONS[q], [{ valueBoolean: parq[q] === true }]));
    for (const [page, answers] of Object.entries(parq.followUps ?? {})) {
      if (!answers) continue;
      const def = FOLLOW_UPS[page as FollowUpCode];
      const sub = Object.entries(def?.questions ?? {}).flatMap(([k, text]) => (typeof answers[k] === 'boolean' ? [item(`parq.${page}.${k}`, text, [{ valueBoolean: answers[k] }])] : []));
      parqItems.push({ linkId: `parq.${page}`, text: def?.gate ?? page, answer: [{ valueBoolean: answers.has === true, ...(sub.length ? { item: sub } : {}) }] });
    }
    parqItems.push(item('parq.temporary-illness', 'A temporary illness (a cold, a fever) now', [{ valueBoolean: parq.temporaryIllness === true }]));
    parqItems.push(item('parq.health-changed', 'Health changed since the last answers', [{ valueBoolean: parq.healthChanged === true }]));
    items.push({ linkId: 'parq', text: intake.formVersion, item: parqItems });
    if (a.symptoms.length > 0) items.push(item('symptoms', 'Symptoms now', a.symptoms.map((s) => ({ valueCoding: symptomCoding(s) }))));
    items.push(item('desired-intensity', 'Intensity the client wants', [{ valueCoding: { system: BF_SYSTEMS.intensity, code: a.desiredIntensity, display: a.desiredIntensity } }]));
    if (a.goals) items.push(item('goals', 'Goals', [{ valueString: a.goals }]));
    const v = a.vitals ?? {};
    const vitals: unknown[] = [];
    if (v.restingHr !== undefined) vitals.push(item('vitals.resting-hr', 'Resting heart rate', [{ valueQuantity: quantity(v.restingHr, UNITS.perMinute) }]));
    if (v.bp) {
      vitals.push(item('vitals.systolic', 'Systolic blood pressure', [{ valueQuantity: quantity(v.bp.systolic, UNITS.mmHg) }]));
      vitals.push(item('vitals.diastolic', 'Diastolic blood pressure', [{ valueQuantity: quantity(v.bp.diastolic, UNITS.mmHg) }]));
    }
    if (v.glucose) vitals.push(item('vitals.glucose', 'Blood glucose', [{ valueQuantity: quantity(v.glucose.value, v.glucose.unit === 'mg/dL' ? UNITS.mgdL : UNITS.mmolL) }]));
    if (v.spo2 !== undefined) vitals.push(item('vitals.spo2', 'SpO2 at rest (pulse oximetry)', [{ valueQuantity: quantity(v.spo2, UNITS.percent) }]));
    for (const [key, text] of [['ketones', 'Ketones present'], ['weakOrTired', 'Weak or unusually tired'], ['severeHypoLast24h', 'A severe hypoglycaemia that needed help in the last 24 hours']] as const) {
      if (typeof v[key] === 'boolean') vitals.push(item(`vitals.${key}`, text, [{ valueBoolean: v[key] }]));
    }
    if (vitals.length > 0) items.push({ linkId: 'vitals', text: 'Vital signs at the intake', item: vitals });
    const ref = this.add(this.url('intake', intake.id), {
      resourceType: 'QuestionnaireResponse',
      // bridgefit's own intake form; its PAR-Q+ items are in bridgefit's short wording (parq.ts), not the copyrighted text.
      questionnaire: 'urn:bridgefit:questionnaire:intake',
      status: 'completed',
      subject: this.patient,
      authored: intake.recordedAt,
      ...(this.trainerRef ? { author: this.trainerRef } : {}),
      source: this.patient,
      item: items,
    });
    if (inWindow(intake.intakeDate, this.input.since)) this.addIntakeVitals(intake.id, a, ref);
  }

  /** The intake's vital signs as Observations too: a clinician's system charts Observations, not questionnaire answers. */
  private addIntakeVitals(intakeId: number, a: IntakeAnswers, qr: Reference): void {
    const v = a.vitals ?? {};
    const at = { effectiveDateTime: a.date, derivedFrom: [qr] };
    const key = (k: string) => this.url('observation', `intake-${intakeId}-${k}`);
    if (v.restingHr !== undefined) this.observation(key('resting-hr'), { ...vitalHr(v.restingHr, 'Resting heart rate at the intake'), ...at });
    if (v.bp) this.observation(key('bp'), { ...vitalBp(v.bp.systolic, v.bp.diastolic, 'Blood pressure at the intake'), ...at });
    if (v.glucose) this.observation(key('glucose'), { ...vitalGlucose(v.glucose.value, v.glucose.unit, 'Blood glucose at the intake'), ...at });
    if (v.spo2 !== undefined) this.observation(key('spo2'), { ...measureObservation('spo2', v.spo2, undefined, 'SpO2 at rest, at the intake'), ...at });
  }

  private observation(fullUrl: string, body: Record<string, unknown>): Reference {
    return this.add(fullUrl, {
      resourceType: 'Observation',
      status: 'final',
      ...body,
      subject: this.patient,
      ...(this.trainerRef && !('performer' in body) ? { performer: [this.trainerRef] } : {}),
    });
  }

  private addScreening(s: ExportedClient['screenings'][number], conditions: Map<string, Reference>): void {
    const v = s.verdict as unknown as ScreeningVerdict;
    const intake = this.url('intake', s.intakeId);
    const basis = [...(this.has(intake) ? [{ reference: intake }] : []), ...conditions.values()];
    this.add(this.url('screening', s.id), {
      resourceType: 'RiskAssessment',
      status: 'final',
      method: {
        coding: [{ system: BF_SYSTEMS.screeningRules, code: s.ruleVersion }],
        text: `ACSM 2015 preparticipation screening (${v.acsm?.rule ?? 'acsm-2015'}) and ${v.parq?.formVersion ?? 'PAR-Q+'}; bridgefit rules ${s.ruleVersion}`,
      },
      code: { coding: [{ system: BF_SYSTEMS.screening, code: 'preparticipation-screening', display: 'Preparticipation health screening' }], text: 'Preparticipation health screening before exercise' },
      subject: this.patient,
      occurrenceDateTime: s.screenedOn,
      ...(this.trainerRef ? { performer: this.trainerRef } : {}),
      ...(basis.length ? { basis } : {}),
      prediction: [
        { outcome: { coding: [{ system: BF_SYSTEMS.screening, code: `gate.${s.gate}`, display: GATE_TEXT[s.gate as keyof typeof GATE_TEXT] ?? s.gate }], text: verdictHeadline(v) } },
        ...(v.acsm ? [{ outcome: { coding: [{ system: BF_SYSTEMS.screening, code: `acsm.${v.acsm.outcome}` }], text: `ACSM medical clearance: ${v.acsm.outcome.replace(/-/g, ' ')}` } }] : []),
        ...(v.parq ? [{ outcome: { coding: [{ system: BF_SYSTEMS.screening, code: `parq.${v.parq.outcome}` }], text: `PAR-Q+: ${v.parq.outcome.replace(/-/g, ' ')}${v.parq.yes.length ? ` (YES: ${v.parq.yes.join(', ')})` : ''}` } }] : []),
      ],
      mitigation: [
        `Start at ${v.startingIntensity === 'none' ? 'no exercise until cleared' : `${v.startingIntensity.replace('-', ' to ')} intensity`}`,
        `dose by ${v.dosing === 'rpe-only' ? 'RPE or talk test, not heart rate' : 'heart rate and RPE'}`,
        ...(v.targets?.rpe ? [`RPE ${v.targets.rpe}`] : []),
        ...(v.targets?.heartRate ? [`heart rate ${v.targets.heartRate.low}–${v.targets.heartRate.high} bpm (${v.targets.heartRate.basis})`] : []),
      ].join('; '),
      note: (v.reasons ?? []).map((r) => ({ text: `[${r.severity}] ${r.text} (source: ${r.source})` })),
    });
  }

  /**
   * A clearance as an Observation, its restrictions as components. Why not
   * the others (R4 spec): Consent records a patient's own agreement, not a
   * clinician's decision; a DocumentReference needs a document, and
   * bridgefit keeps the decision, not the letter; a ServiceRequest is an
   * order for a service. A clearance is a clinician's finding about the
   * client, on a date, valid for a period: an Observation (performer = the
   * clinician, effectivePeriod = issued to valid-until, value = the
   * decision), which every clinical system reads, charts and lists, with
   * each restriction a coded component carrying its number in UCUM units.
   */
  private addClearance(cl: ExportedClient['clearances'][number]): void {
    const restrictions = (cl.restrictions as unknown as Restriction[]) ?? [];
    const pending = cl.status === 'pending';
    // Only a clearance given is valid for a period; a refusal is a decision on its day.
    const given = cl.status === 'cleared' || cl.status === 'cleared-with-restrictions';
    const validUntil = clearanceExpiry(cl, this.input.clearanceValidityMonths);
    this.add(this.url('clearance', cl.id), {
      resourceType: 'Observation',
      // A pending request has no answer yet (R4 ObservationStatus "registered").
      status: pending ? 'registered' : 'final',
      category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'exam', display: 'Exam' }] }],
      code: { coding: [{ system: BF_SYSTEMS.clearanceStatus, code: 'medical-clearance', display: 'Medical clearance for exercise' }], text: 'Medical clearance for exercise' },
      subject: this.patient,
      ...(given ? { effectivePeriod: { start: cl.issuedOn, end: validUntil } } : { effectiveDateTime: cl.issuedOn }),
      issued: cl.recordedAt,
      performer: [this.clinician(cl.clinician, cl.profession, cl.contact)],
      ...(pending ? {} : { valueCodeableConcept: { coding: [{ system: BF_SYSTEMS.clearanceStatus, code: cl.status, display: cl.status.replace(/-/g, ' ') }], text: cl.status.replace(/-/g, ' ') } }),
      note: [
        ...(!given ? [] : [{ text: cl.expiresOn ? `Valid until ${cl.expiresOn}` : `No expiry given: valid until ${validUntil} (${this.input.clearanceValidityMonths} months, the configured validity)` }]),
        ...(cl.note ? [{ text: cl.note }] : []),
      ],
      ...(restrictions.length ? { component: restrictions.map(restrictionComponent) } : {}),
    });
  }

  private addProgram(p: ExportedProgram, previous: ExportedProgram | undefined, intake: IntakeAnswers | undefined, conditions: Map<string, Reference>): void {
    const g = p.snapshot as unknown as GeneratedProgram;
    const fits = this.input.fits.get(p.id) ?? g.fits ?? [];
    const side = affectedSide(intake?.conditions ?? [], fits);
    // CarePlan.addresses and Goal.addresses take Conditions only (R4); a surgery's Procedure goes in supportingInfo.
    const addressed = fits.flatMap((code) => {
      const ref = conditions.get(code);
      return ref && this.isType(ref, 'Condition') ? [ref] : [];
    });
    const surgeries = fits.flatMap((code) => {
      const ref = conditions.get(code);
      return ref && this.isType(ref, 'Procedure') ? [ref] : [];
    });
    const plan = this.url('careplan', p.id);
    const transitions = [...p.stageTransitions].sort((a, b) => cmp(a.onDate, b.onDate) || a.id - b.id);
    const superseded = p.status !== 'active';
    const activities: unknown[] = [];
    const goals: Reference[] = [];
    for (const stage of g.stages) {
      const status = stageStatus(stage.number, p.currentStage, superseded);
      const stageGoals = stage.exitCriteria.map((crit, i) =>
        this.add(this.url('goal', `${p.id}-${stage.number}-${i}`), {
          resourceType: 'Goal',
          lifecycleStatus: { completed: 'completed', 'in-progress': 'active', 'not-started': 'planned', stopped: 'cancelled', cancelled: 'cancelled' }[status],
          ...(status === 'completed' && transitions.some((t) => t.fromStage === stage.number && !t.forced)
            ? { achievementStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: 'achieved', display: 'Achieved' }] } }
            : {}),
          category: [{ text: `exit criterion of stage ${stage.number} (${stage.name})` }],
          description: { text: `Stage ${stage.number} (${stage.name}) exit: ${criterionText(crit, side)}` },
          subject: this.patient,
          target: [criterionTarget(crit, stage, crit.side === 'affected' ? side : crit.side)],
          ...(addressed.length ? { addresses: addressed } : {}),
        }),
      );
      goals.push(...stageGoals);
      const into = transitions.filter((t) => t.toStage === stage.number);
      const outOf = transitions.filter((t) => t.fromStage === stage.number);
      const progress: Annotation[] = [
        ...into.map((t) => ({ time: t.onDate, text: `Entered stage ${stage.number} on ${t.onDate}${t.forced ? ` (forced: ${t.reason ?? 'no reason recorded'})` : t.reason ? ` (${t.reason})` : ''}` })),
        ...p.signoffs
          .filter((so) => so.stage === stage.number)
          .map((so) => ({ time: so.onDate, text: `Signed off by ${so.signedBy ?? `the ${so.by}`}${so.profession ? ` (${so.profession})` : ''} on ${so.onDate}${so.note ? `: ${so.note}` : ''}` })),
        ...outOf.map((t) => ({ time: t.onDate, text: `Left stage ${stage.number} for stage ${t.toStage} on ${t.onDate}${t.forced ? ' (forced past its gates)' : ''}` })),
      ];
      activities.push({
        ...(progress.length ? { progress } : {}),
        detail: {
          code: { text: `Stage ${stage.number}: ${stage.name}` },
          status,
          ...(stageGoals.length ? { goal: stageGoals } : {}),
          scheduledTiming: { repeat: { boundsPeriod: { start: stage.plannedStart, end: stage.plannedEnd[1] }, frequency: stage.sessionsPerWeek, period: 1, periodUnit: 'wk' } },
          description: stageText(stage),
        },
      });
    }
    const screening = this.c.screenings.filter((s) => s.intakeId === p.intakeId).sort((a, b) => a.id - b.id).at(-1);
    const support = [
      ...surgeries,
      ...(screening && this.has(this.url('screening', screening.id)) ? [{ reference: this.url('screening', screening.id) }] : []),
      ...(p.clearanceId !== null && this.has(this.url('clearance', p.clearanceId)) ? [{ reference: this.url('clearance', p.clearanceId) }] : []),
    ];
    const notes: Annotation[] = [
      ...(g.precautions ?? []).map((t) => ({ text: `Precaution: ${t}` })),
      ...(g.preSessionChecks ?? []).map((t) => ({ text: `Before each session: ${t}` })),
      ...(g.redFlags ?? []).map((t) => ({ text: `Red flag: ${t}` })),
      ...(p.overrideReason ? [{ text: `Generated although the screening held it back: ${p.overrideReason}` }] : []),
    ];
    this.add(plan, {
      resourceType: 'CarePlan',
      instantiatesUri: [`urn:bridgefit:template:${p.templateId}:${p.templateVersion}`],
      ...(previous ? { replaces: [{ reference: this.url('careplan', previous.id) }] } : {}),
      // Superseded by a newer program: ended before completion (R4 RequestStatus "revoked").
      status: superseded ? 'revoked' : 'active',
      intent: 'plan',
      title: g.name,
      description: `${g.name} (template ${p.templateId} ${p.templateVersion}${g.overlays?.length ? `; overlays: ${g.overlays.map((o) => o.name).join(', ')}` : ''}); now at stage ${p.currentStage}${p.stageName ? ` (${p.stageName})` : ''}; dosing by ${g.dosing === 'rpe-only' ? 'RPE or talk test' : 'heart rate and RPE'}`,
      subject: this.patient,
      period: { start: p.startDate, ...(superseded && p.supersededAt ? { end: p.supersededAt.slice(0, 10) } : {}) },
      created: p.generatedAt,
      ...(this.trainerRef ? { author: this.trainerRef } : {}),
      ...(addressed.length ? { addresses: addressed } : {}),
      ...(support.length ? { supportingInfo: support } : {}),
      ...(goals.length ? { goal: goals } : {}),
      activity: activities,
      ...(notes.length ? { note: notes } : {}),
    });
  }

  private isType(ref: Reference, type: string): boolean {
    return this.types.get(ref.reference) === type;
  }

  private addSession(e: ExportedClient['entries'][number]): void {
    const session = this.url('session', e.id);
    const plan = e.programId !== null ? this.url('careplan', e.programId) : undefined;
    const exercises = ((e.exercises as unknown as ExerciseDone[]) ?? []).map((x) => exerciseText(x, this.exerciseNames.get(x.exerciseId)));
    const decision = e.decision as { advice?: { advice?: string; reasons?: { text: string }[] }; today?: string } | null;
    const notes: Annotation[] = [
      ...(e.stage !== null ? [{ text: `Program stage ${e.stage}` }] : []),
      ...(e.durationMin !== null ? [{ text: `Duration ${e.durationMin} min` }] : []),
      ...(exercises.length ? [{ text: `Exercises: ${exercises.join('; ')}` }] : []),
      ...(decision?.today === 'hold' ? [{ text: 'Session held on the pre-session checks' }] : []),
      ...(decision?.advice?.advice ? [{ text: `Advice for the next session: ${decision.advice.advice}${decision.advice.reasons?.length ? ` (${decision.advice.reasons.map((r) => r.text).join('; ')})` : ''}` }] : []),
      ...(e.notes ? [{ text: e.notes }] : []),
      ...(e.voidedAt ? [{ text: `Voided on ${e.voidedAt.slice(0, 10)}${e.voidedBy ? ` by ${e.voidedBy}` : ''}: ${e.voidReason ?? ''}` }] : []),
    ];
    const ref = this.add(session, {
      resourceType: 'Procedure',
      ...(plan && this.has(plan) ? { basedOn: [{ reference: plan }] } : {}),
      // A missed session is a Procedure not done, with the reason (R4 Procedure.statusReason);
      // a voided entry was entered in error (R4 EventStatus), kept with why.
      status: e.voidedAt ? 'entered-in-error' : e.attended ? 'completed' : 'not-done',
      ...(!e.attended && e.missedReason ? { statusReason: { text: e.missedReason } } : {}),
      code: { coding: [{ system: BF_SYSTEMS.session, code: 'exercise-session', display: 'Supervised exercise session' }], text: 'Exercise session with the trainer' },
      subject: this.patient,
      performedDateTime: e.sessionDate,
      ...(this.trainerRef ? { performer: [{ actor: this.trainerRef }] } : {}),
      ...(notes.length ? { note: notes } : {}),
    });
    // A voided entry's readings were entered in error too (R4 ObservationStatus).
    const at = { effectiveDateTime: e.sessionDate, issued: e.recordedAt, partOf: [ref], ...(e.voidedAt ? { status: 'entered-in-error' } : {}) };
    const key = (k: string) => this.url('observation', `${e.id}-${k}`);
    const pains: [string, number | null, string, string?][] = [
      ['pain_before', e.painBefore, 'Pain before the session (0–10)'],
      ['pain_during', e.painDuring, 'Pain during the session (0–10)'],
      ['pain_after', e.painAfter, 'Pain after the session (0–10)'],
      // Next-morning pain is felt the day after the session.
      ['next_morning_pain', e.nextDayPain, 'Pain or stiffness the next morning (0–10)', addDays(e.sessionDate, 1)],
    ];
    for (const [code, value, text, day] of pains) {
      if (value === null) continue;
      this.observation(key(code), { ...painObservation(code, value, text), ...at, ...(day ? { effectiveDateTime: day } : {}) });
    }
    if (e.rpe !== null) this.observation(key('rpe'), { ...rpeObservation(e.rpe, e.rpeScale), ...at });
    if (e.bpSystolic !== null && e.bpDiastolic !== null) this.observation(key('bp'), { ...vitalBp(e.bpSystolic, e.bpDiastolic, 'Blood pressure before the session'), ...at });
    if (e.bpRecheckSystolic != null && e.bpRecheckDiastolic != null) {
      this.observation(key('bp-recheck'), { ...vitalBp(e.bpRecheckSystolic, e.bpRecheckDiastolic, 'Blood pressure before the session, measured again after rest'), ...at });
    }
    if (e.restingHr !== null) this.observation(key('resting-hr'), { ...vitalHr(e.restingHr, 'Resting heart rate before the session'), ...at });
    if (e.glucoseValue !== null) this.observation(key('glucose'), { ...vitalGlucose(e.glucoseValue, e.glucoseUnit === 'mg/dL' ? 'mg/dL' : 'mmol/L', 'Blood glucose before the session'), ...at });
    if (e.glucoseRecheckValue != null) {
      this.observation(key('glucose-recheck'), { ...vitalGlucose(e.glucoseRecheckValue, e.glucoseRecheckUnit === 'mg/dL' ? 'mg/dL' : 'mmol/L', 'Blood glucose re-checked before the session'), ...at });
    }
    if (e.ketones !== null) {
      this.observation(key('ketones'), { category: category('vital-signs'), code: { coding: [{ system: BF_SYSTEMS.vital, code: 'ketones', display: 'Ketones present (urine or blood)' }], text: 'Ketones present (urine or blood)' }, ...at, valueBoolean: e.ketones === 1 });
    }
    if (e.soreness !== null) {
      this.observation(key('soreness'), {
        category: category('survey'),
        code: { coding: [{ system: BF_SYSTEMS.measure, code: 'soreness', display: 'Soreness around the session (Fees 1998)' }], text: 'Soreness around the session' },
        ...at,
        valueCodeableConcept: { coding: [{ system: BF_SYSTEMS.soreness, code: e.soreness, display: SORENESS_TEXT[e.soreness] ?? e.soreness }], text: SORENESS_TEXT[e.soreness] ?? e.soreness },
      });
    }
    for (const s of (e.symptoms as unknown as SymptomCode[]) ?? []) {
      this.observation(key(`symptom-${s}`), { category: category('survey'), code: { coding: [symptomCoding(s)], text: `Symptom reported: ${SYMPTOMS[s]?.label ?? s}` }, ...at, valueBoolean: true });
    }
    for (const m of e.measurements) {
      this.observation(this.url('measurement', m.id), { ...measureObservation(m.code, m.value, m.side ?? undefined), ...at });
    }
  }

  private addReferral(r: ExportedClient['referrals'][number]): void {
    const session = r.entryId !== null ? this.url('session', r.entryId) : undefined;
    this.add(this.url('referral', r.id), {
      resourceType: 'ServiceRequest',
      // The trainer advises a clinician's review; the clinician decides (R4 RequestIntent "proposal": a suggestion by one who does not order).
      status: r.status === 'open' ? 'active' : 'completed',
      intent: 'proposal',
      category: [{ text: 'referral back to a clinician' }],
      code: { coding: [{ system: BF_SYSTEMS.referral, code: r.code }], text: r.reason },
      subject: this.patient,
      authoredOn: r.raisedOn,
      ...(this.trainerRef ? { requester: this.trainerRef } : {}),
      performerType: { text: r.toWhom },
      reasonCode: [{ coding: [{ system: BF_SYSTEMS.referral, code: r.code }], text: r.reason }],
      ...(session && this.has(session) ? { supportingInfo: [{ reference: session }] } : {}),
      ...(r.status === 'resolved' ? { note: [{ ...(r.resolvedOn ? { time: r.resolvedOn } : {}), text: `Resolved${r.resolvedOn ? ` on ${r.resolvedOn}` : ''}${r.resolutionNote ? `: ${r.resolutionNote}` : ''}` }] } : {}),
    });
  }

  private addDocument(d: FhirDocument): void {
    const title = d.kind === 'report' ? 'Clinician report' : 'Client handout';
    this.add(this.url('document', d.kind), {
      resourceType: 'DocumentReference',
      status: 'current',
      docStatus: 'final',
      type: { coding: [{ system: BF_SYSTEMS.document, code: d.kind, display: title }], text: `${title} (PDF)` },
      subject: this.patient,
      ...(this.trainerRef ? { author: [this.trainerRef] } : {}),
      description: `${title} by bridgefit, in the same folder as this bundle`,
      content: [{ attachment: { contentType: 'application/pdf', url: d.fileName, size: d.size, hash: d.sha1, title: d.fileName, creation: d.createdAt } }],
    });
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * FHIR JSON has no empty values: an element is left out rather than null,
 * "", [] or {} (R4 spec, json.html). Everything optional a record does not
 * hold is left out here, in one place.
 */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune).filter((v) => v !== undefined);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (p === undefined || p === null || (Array.isArray(p) && p.length === 0)) continue;
      out[k] = p;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

function codeable(system: string, code: string, display: string): CodeableConcept {
  return { coding: [{ system, code, display }], text: display };
}

function quantity(value: number, unit: Unit, comparator?: Quantity['comparator']): Quantity {
  return { value, ...(comparator ? { comparator } : {}), unit: unit.unit, system: UCUM, code: unit.code };
}

function loincCoding(l: LoincCode): Coding {
  return { system: LOINC, code: l.code, ...(l.display ? { display: l.display } : {}) };
}

function category(code: 'vital-signs' | 'survey' | 'exam' | 'activity' | 'laboratory'): CodeableConcept[] {
  const display = { 'vital-signs': 'Vital Signs', survey: 'Survey', exam: 'Exam', activity: 'Activity', laboratory: 'Laboratory' }[code];
  return [{ coding: [{ system: OBSERVATION_CATEGORY, code, display }] }];
}

/** A side of a joint as a bodySite: bridgefit's code ("knee.right") and the words ("right knee"). */
function bodySite(site: string | undefined, side: string | undefined | null): CodeableConcept | undefined {
  if (!side || !(side in SIDE_TEXT)) return undefined;
  const words = site ? `${SIDE_TEXT[side as keyof typeof SIDE_TEXT]} ${site}` : `${SIDE_TEXT[side as keyof typeof SIDE_TEXT]} side`;
  return { coding: [{ system: BF_SYSTEMS.bodySite, code: `${site ?? 'side'}.${side}`, display: words }], text: words };
}

function contactPoints(contact: string): { system: string; value: string }[] {
  // "sam@example.org · +44 20 7946 0000": each part an email or a phone (R4 ContactPoint needs a system with a value).
  return contact
    .split(/\s*[·;,|]\s*/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => ({ system: p.includes('@') ? 'email' : /^[+\d][\d\s().-]*$/.test(p) ? 'phone' : 'other', value: p }));
}

function item(linkId: string, text: string, answer: unknown[]) {
  return { linkId, text, answer };
}

function symptomCoding(s: string): Coding {
  return { system: BF_SYSTEMS.symptom, code: s, display: SYMPTOMS[s as SymptomCode]?.label ?? s };
}

function painObservation(code: string, value: number, text: string) {
  // FACTS §9: pain 0–10 72514-3; which pain (before, during, after, next morning) is bridgefit's code beside it.
  return {
    category: category('survey'),
    code: { coding: [loincCoding(LOINC_CODES.pain), { system: BF_SYSTEMS.measure, code, display: text }], text },
    valueQuantity: quantity(value, UNITS.score),
  };
}

function rpeObservation(value: number, scale: string | null) {
  if (scale === 'borg') {
    // FACTS §9 gives 82289-0 for the 0–10 scale only: a 6–20 Borg rating keeps bridgefit's code.
    return { category: category('survey'), code: { coding: [{ system: BF_SYSTEMS.measure, code: 'rpe_borg', display: 'Rating of perceived exertion, Borg 6–20' }], text: 'Effort (RPE, Borg 6–20)' }, valueQuantity: quantity(value, UNITS.borg) };
  }
  return {
    category: category('survey'),
    code: { coding: [loincCoding(LOINC_CODES.rpeCr10), { system: BF_SYSTEMS.measure, code: 'rpe_cr10', display: 'Rating of perceived exertion, CR10 (0–10)' }], text: 'Effort (RPE, CR10 0–10)' },
    valueQuantity: quantity(value, UNITS.score),
  };
}

function vitalHr(value: number, text: string) {
  // FACTS §9: heart rate 8867-4, /min (R4 vital-signs profile).
  return { category: category('vital-signs'), code: { coding: [loincCoding(LOINC_CODES.heartRate)], text }, valueQuantity: quantity(value, UNITS.perMinute) };
}

function vitalBp(systolic: number, diastolic: number, text: string) {
  // FACTS §9: BP panel 85354-9, components 8480-6 / 8462-4, mm[Hg] (R4 vital-signs profile: the panel has no value of its own).
  return {
    category: category('vital-signs'),
    code: { coding: [loincCoding(LOINC_CODES.bpPanel)], text },
    component: [
      { code: { coding: [loincCoding(LOINC_CODES.systolic)], text: 'Systolic' }, valueQuantity: quantity(systolic, UNITS.mmHg) },
      { code: { coding: [loincCoding(LOINC_CODES.diastolic)], text: 'Diastolic' }, valueQuantity: quantity(diastolic, UNITS.mmHg) },
    ],
  };
}

function vitalGlucose(value: number, unit: 'mmol/L' | 'mg/dL', text: string) {
  // 15074-8 (moles/volume, mmol/L) or 2339-0 (mass/volume, mg/dL), in the unit recorded: fhir-codes.ts names the sources.
  const loinc = unit === 'mg/dL' ? LOINC_CODES.glucoseMass : LOINC_CODES.glucoseMmol;
  return {
    // A finger-prick reading is a point-of-care test: observation-category "laboratory".
    category: category('laboratory'),
    code: { coding: [loincCoding(loinc), { system: BF_SYSTEMS.vital, code: 'glucose', display: 'Blood glucose (finger-prick)' }], text },
    valueQuantity: quantity(value, unit === 'mg/dL' ? UNITS.mgdL : UNITS.mmolL),
  };
}

/** A recorded measure: LOINC where FACTS §9 has one, else bridgefit's code; its UCUM unit; its side as bodySite. */
export function measureObservation(code: string, value: number, side: string | undefined, text?: string) {
  const coding = MEASURE_CODING[code as keyof typeof MEASURE_CODING];
  const label = MEASURES[code as MeasureCode]?.label ?? (code === 'girth_cm' ? 'limb girth' : code === 'body_weight_kg' ? 'body weight' : code);
  const site = bodySite(coding?.site, side);
  const codings: Coding[] = [...(coding?.loinc ? [loincCoding(coding.loinc)] : []), { system: BF_SYSTEMS.measure, code, display: label }];
  const body: Record<string, unknown> = {
    category: category(coding?.category ?? 'exam'),
    code: { coding: codings, text: text ?? (site ? `${label}, ${site.text}` : label) },
  };
  if (code === 'effusion_grade') {
    // Stored as the index of EFFUSION_LABELS (0 none … 4 = 3+): written as the grade's name, never the bare index, which sits one step off the grades.
    const grade = EFFUSION_LABELS[value] ?? String(value);
    body.valueCodeableConcept = { coding: [{ system: BF_SYSTEMS.effusion, code: grade, display: `${grade} (stroke test)` }], text: `${grade} (stroke test)` };
  } else {
    body.valueQuantity = quantity(value, coding?.unit ?? { code: '1', unit: '1' });
  }
  if (site) body.bodySite = site;
  return body;
}

function restrictionComponent(r: Restriction) {
  const words = describeRestriction(r);
  const code = { coding: [{ system: BF_SYSTEMS.restriction, code: r.code, display: words }], text: words };
  const head = r.code.split('.')[0];
  if (r.value === undefined) return { code, valueBoolean: true };
  if (head === 'weight_bearing') return { code, valueCodeableConcept: { coding: [{ system: BF_SYSTEMS.weightBearing, code: String(r.value), display: String(r.value).replace(/_/g, ' ') }], text: String(r.value).replace(/_/g, '-') } };
  const unit = head === 'max_hr' ? UNITS.perMinute : head === 'max_load_kg' ? UNITS.kg : head === 'rom' ? UNITS.deg : head === 'max_rpe' ? { code: '{score}', unit: '/10 (CR10)' } : { code: '1', unit: '1' };
  // A ceiling: at most the value (R4 Quantity.comparator "<=").
  return { code, valueQuantity: quantity(Number(r.value), unit, '<=') };
}

function stageStatus(n: number, current: number, superseded: boolean): 'completed' | 'in-progress' | 'not-started' | 'stopped' | 'cancelled' {
  if (n < current) return 'completed';
  if (n === current) return superseded ? 'stopped' : 'in-progress';
  return superseded ? 'cancelled' : 'not-started';
}

function stageText(stage: PlannedStage): string {
  const parts = [
    `Stage ${stage.number}: ${stage.name}, ${stage.weeks[0]}–${stage.weeks[1]} weeks, ${stage.sessionsPerWeek} sessions a week`,
    `Goals: ${stage.goals.join('; ')}`,
    `Exercises: ${stage.exercises.map((x) => `${x.name} (${describeDose(x.dose, x.side)}${x.replaces ? `; instead of ${x.replaces.name}` : ''})`).join('; ')}`,
    ...(stage.precautions.length ? [`Precautions: ${stage.precautions.join('; ')}`] : []),
  ];
  return parts.join('. ');
}

function criterionText(c: ExitCriterion, side: string | undefined): string {
  if (c.side === 'affected' && (side === 'left' || side === 'right')) return describeCriterion({ ...c, side }).replace(` (${side})`, ` (affected side: ${side})`);
  if (c.side === 'affected' && side === 'both') return `${describeCriterion(c)}, on both sides`;
  return describeCriterion(c);
}

/**
 * A Goal target (R4 Goal.target): the measure's code; "at least" and "at
 * most" as a Range's low or high, a strict bound as a Quantity comparator, an
 * exact value as a Quantity; an effusion grade or a sign-off in words.
 */
function criterionTarget(c: ExitCriterion, stage: PlannedStage, side: string | undefined) {
  const due = { dueDate: stage.plannedEnd[1] };
  if (c.measure === 'signoff') {
    return { measure: { coding: [{ system: BF_SYSTEMS.measure, code: 'signoff', display: 'sign-off' }], text: 'sign-off' }, detailString: `signed off by the ${c.by ?? 'trainer'}`, ...due };
  }
  const coding = MEASURE_CODING[c.measure];
  const label = MEASURES[c.measure].label;
  const site = bodySite(coding.site, side);
  const measure = { coding: [...(coding.loinc ? [loincCoding(coding.loinc)] : []), { system: BF_SYSTEMS.measure, code: c.measure, display: label }], text: site ? `${label}, ${site.text}` : label };
  if (c.measure === 'effusion_grade' || c.value === undefined) return { measure, detailString: describeCriterion(c), ...due };
  const q = (comparator?: Quantity['comparator']) => quantity(c.value!, coding.unit, comparator);
  const { comparator, ...simple } = q();
  void comparator;
  switch (c.op) {
    case '>=':
      return { measure, detailRange: { low: simple }, ...due };
    case '<=':
      return { measure, detailRange: { high: simple }, ...due };
    case '>':
    case '<':
      return { measure, detailQuantity: q(c.op), ...due };
    default:
      return { measure, detailQuantity: simple, ...due };
  }
}

function exerciseText(x: ExerciseDone, name: string | undefined): string {
  const what = name ?? x.exerciseId.replace(/_/g, ' ');
  if (!x.completed) return `${what}: skipped`;
  const amount = x.reps !== undefined ? `${x.sets ?? 1}×${x.reps}` : x.seconds !== undefined ? `${x.sets ?? 1}×${x.seconds} s` : x.sets !== undefined ? `${x.sets} set${x.sets === 1 ? '' : 's'}` : 'done';
  return `${what}: ${amount}${x.loadKg !== undefined ? ` @ ${x.loadKg} kg` : ''}`;
}

