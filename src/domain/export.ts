/**
 * The export document (`bridgefit export`, read back by `bridgefit import`):
 * everything a database holds, nested per client, as one JSON value. The zod
 * schema below is the one definition: `import` checks a file against it, and
 * `export --schema` prints the JSON Schema made from it.
 *
 * Keys are the database's columns in camelCase; a record's `id` is its id in
 * the database it came from, and the references (`intakeId`, `clearanceId`,
 * `programId`, `entryId`) are to those ids, within the same client. JSON
 * columns are embedded as JSON values. A nullable JSON column (an audit
 * record's `detail`, an amendment's `oldValue`/`newValue`) is left out when
 * the database holds SQL NULL, so `null` there is the JSON value null.
 */
import * as z from 'zod';
import { formatPath, issueMessage } from './intake.js';

export const EXPORT_FORMAT = 'bridgefit-export';
/** The document's version: changes only when a key is renamed, removed or changes meaning. */
export const EXPORT_VERSION = 1;

const id = z.int().positive();
const text = z.string();
const maybe = <T extends z.ZodType>(t: T) => t.nullable();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const json = z.json();

/** Flat records: one per table row, without the keys the nesting already says (clientId, programId, entryId). */
export const clientRecord = z.strictObject({
  id,
  firstName: text,
  lastName: text,
  dateOfBirth: date,
  sex: maybe(z.enum(['female', 'male', 'other'])),
  email: maybe(text),
  phone: maybe(text),
  goals: maybe(text),
  notes: maybe(text),
  status: z.enum(['active', 'archived']),
  createdAt: text,
  updatedAt: text,
  // Schema 11 (0011_care_team): optional, so an export from before reads.
  gpName: maybe(text).optional(),
  gpContact: maybe(text).optional(),
  surgeonName: maybe(text).optional(),
  surgeonContact: maybe(text).optional(),
  physioName: maybe(text).optional(),
  physioContact: maybe(text).optional(),
});

export const intakeRecord = z.strictObject({ id, intakeDate: date, recordedAt: text, formVersion: text, answers: json });

export const clearanceRecord = z.strictObject({
  id,
  clinician: text,
  profession: text,
  contact: maybe(text),
  issuedOn: date,
  expiresOn: maybe(date),
  status: z.enum(['cleared', 'cleared-with-restrictions', 'not-cleared', 'pending']),
  restrictions: json,
  note: maybe(text),
  recordedAt: text,
});

export const screeningRecord = z.strictObject({ id, intakeId: id, screenedOn: text, recordedAt: text, ruleVersion: text, settings: json, gate: text, verdict: json });

export const stageTransitionRecord = z.strictObject({ id, onDate: date, fromStage: z.int(), toStage: z.int(), forced: z.boolean(), reason: maybe(text), evidence: json });

export const signoffRecord = z.strictObject({
  id,
  stage: z.int(),
  by: z.enum(['trainer', 'clinician']),
  onDate: date,
  note: maybe(text),
  signedBy: maybe(text),
  profession: maybe(text),
  recordedAt: maybe(text),
});

export const programRecord = z.strictObject({
  id,
  templateId: text,
  templateVersion: text,
  intakeId: id,
  clearanceId: maybe(id),
  startDate: date,
  generatedAt: text,
  status: z.enum(['active', 'superseded']),
  supersededAt: maybe(text),
  overrideReason: maybe(text),
  snapshot: json,
  currentStage: z.int(),
  stageStartedOn: maybe(date),
  stageName: maybe(text),
  sessionsPerWeek: maybe(z.int()),
});

export const measurementRecord = z.strictObject({ id, sessionDate: date, code: text, side: maybe(text), value: z.number() });

// changedBy, voidedAt, voidReason and voidedBy came with schema 9: an export from before has none of them.
export const amendmentRecord = z.strictObject({ id, at: text, command: text, field: text, oldValue: json.optional(), newValue: json.optional(), changedBy: maybe(text).optional() });

const int = maybe(z.int());
const num = maybe(z.number());
export const entryRecord = z.strictObject({
  id,
  programId: maybe(id),
  stage: int,
  sessionDate: date,
  recordedAt: text,
  attended: z.boolean(),
  missedReason: maybe(text),
  durationMin: num,
  painBefore: int,
  painDuring: int,
  painAfter: int,
  nextDayPain: int,
  rpe: num,
  rpeScale: maybe(text),
  bpSystolic: int,
  bpDiastolic: int,
  restingHr: int,
  glucoseValue: num,
  glucoseUnit: maybe(text),
  ketones: int,
  soreness: maybe(text),
  symptoms: json,
  exercises: json,
  notes: maybe(text),
  decision: json,
  weakOrTired: int.optional(),
  severeHypo: int.optional(),
  unwell: int.optional(),
  bpRecheckSystolic: int.optional(),
  bpRecheckDiastolic: int.optional(),
  glucoseRecheckValue: num.optional(),
  glucoseRecheckUnit: maybe(text).optional(),
  voidedAt: maybe(text).optional(),
  voidReason: maybe(text).optional(),
  voidedBy: maybe(text).optional(),
});

export const referralRecord = z.strictObject({
  id,
  entryId: maybe(id),
  raisedOn: date,
  code: text,
  reason: text,
  toWhom: text,
  status: z.enum(['open', 'resolved']),
  resolvedOn: maybe(date),
  resolutionNote: maybe(text),
  /** Who resolved it (schema 10); absent in exports written before. */
  resolvedBy: maybe(text).optional(),
});

export const auditRecord = z.strictObject({ id, at: text, command: text, action: text, entity: text, entityId: maybe(z.int()), clientId: maybe(z.int()), detail: json.optional() });

export const exportedProgram = programRecord.extend({ stageTransitions: z.array(stageTransitionRecord), signoffs: z.array(signoffRecord) });
export const exportedEntry = entryRecord.extend({ measurements: z.array(measurementRecord), amendments: z.array(amendmentRecord) });

export const exportedClient = clientRecord.extend({
  intakes: z.array(intakeRecord),
  clearances: z.array(clearanceRecord),
  screenings: z.array(screeningRecord),
  programs: z.array(exportedProgram),
  entries: z.array(exportedEntry),
  referrals: z.array(referralRecord),
});

export const exportDocumentSchema = z
  .strictObject({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    /** Unique per export: what a second import of the same file is recognised by. */
    exportId: z.string().min(8),
    exportedAt: z.string(),
    /** The schema version of the database it came from. */
    schemaVersion: z.int().positive(),
    /** "all": the whole database (settings and every audit record); "client": the clients named, their audit records. */
    scope: z.enum(['all', 'client']),
    /** Settings a person changed (`config set`), as stored; the defaults are not written. */
    settings: z.record(z.string(), z.string()),
    clients: z.array(exportedClient),
    audit: z.array(auditRecord),
  })
  .meta({ title: 'bridgefit export', description: `A bridgefit database as JSON (format ${EXPORT_FORMAT}, version ${EXPORT_VERSION})` });

export type ExportDocument = z.infer<typeof exportDocumentSchema>;
export type ExportedClient = z.infer<typeof exportedClient>;
export type ExportedProgram = z.infer<typeof exportedProgram>;
export type ExportedEntry = z.infer<typeof exportedEntry>;

export interface DocumentProblem {
  path: string;
  message: string;
}

export type DocumentCheck = { ok: true; document: ExportDocument } | { ok: false; problems: DocumentProblem[] };

/**
 * Check a parsed file: the format and version first (a file that is not an
 * export, or a later version, is said so in one line), then every field, then
 * that ids are unique and every reference points at a record of the same
 * client. Every problem at once, each named by its JSON path.
 */
export function checkExportDocument(raw: unknown): DocumentCheck {
  const head = raw as { format?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || Array.isArray(head)) return fail('(top level)', 'expected a bridgefit export (a JSON object)');
  if (head.format !== EXPORT_FORMAT) return fail('format', `expected "${EXPORT_FORMAT}", got ${JSON.stringify(head.format) ?? 'nothing'}: not a bridgefit export`);
  if (typeof head.version === 'number' && head.version > EXPORT_VERSION) {
    return fail('version', `the file is export version ${head.version}, written by a newer bridgefit; this one reads version ${EXPORT_VERSION}`);
  }
  // Checked a client (and an audit record) at a time against the same schema, so that only
  // one client's checked copy is held beside the file's own objects; the schema has no
  // defaults or transforms, so what passes is the document as it was read.
  const problems: DocumentProblem[] = [];
  const add = (issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[]) => {
    for (const i of issues) problems.push({ path: formatPath([...prefix, ...i.path]), message: issueMessage(i) });
  };
  const top = headSchema.safeParse(raw, { reportInput: true });
  if (!top.success) add(top.error.issues, []);
  const doc = raw as { clients?: unknown; audit?: unknown };
  if (Array.isArray(doc.clients)) {
    doc.clients.forEach((c, i) => {
      const r = exportedClient.safeParse(c, { reportInput: true });
      if (!r.success) add(r.error.issues, ['clients', i]);
    });
  }
  if (Array.isArray(doc.audit)) {
    doc.audit.forEach((a, i) => {
      const r = auditRecord.safeParse(a, { reportInput: true });
      if (!r.success) add(r.error.issues, ['audit', i]);
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  const document = raw as ExportDocument;
  const dangling = referenceProblems(document);
  return dangling.length > 0 ? { ok: false, problems: dangling } : { ok: true, document };
}

/** The document with its two long lists taken as lists only: their items are checked one by one. */
const headSchema = exportDocumentSchema.extend({ clients: z.array(z.unknown()), audit: z.array(z.unknown()) });

function fail(path: string, message: string): DocumentCheck {
  return { ok: false, problems: [{ path, message }] };
}

function referenceProblems(doc: ExportDocument): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  const seen = new Map<string, Set<number>>();
  const unique = (kind: string, value: number, at: string) => {
    const set = seen.get(kind) ?? new Set<number>();
    seen.set(kind, set);
    if (set.has(value)) problems.push({ path: `${at}.id`, message: `id ${value} is used by another ${kind} in the file` });
    set.add(value);
  };
  const refer = (ids: Set<number>, value: number | null, what: string, at: string) => {
    if (value !== null && !ids.has(value)) problems.push({ path: at, message: `no ${what} ${value} of this client in the file` });
  };
  doc.clients.forEach((c, ci) => {
    const at = `clients[${ci}]`;
    unique('client', c.id, at);
    const intakes = new Set(c.intakes.map((r) => r.id));
    const clearances = new Set(c.clearances.map((r) => r.id));
    const programs = new Set(c.programs.map((r) => r.id));
    const entries = new Set(c.entries.map((r) => r.id));
    c.intakes.forEach((r, i) => unique('intake', r.id, `${at}.intakes[${i}]`));
    c.clearances.forEach((r, i) => unique('clearance', r.id, `${at}.clearances[${i}]`));
    c.screenings.forEach((r, i) => {
      unique('screening', r.id, `${at}.screenings[${i}]`);
      refer(intakes, r.intakeId, 'intake', `${at}.screenings[${i}].intakeId`);
    });
    c.programs.forEach((p, i) => {
      const pat = `${at}.programs[${i}]`;
      unique('program', p.id, pat);
      refer(intakes, p.intakeId, 'intake', `${pat}.intakeId`);
      refer(clearances, p.clearanceId, 'clearance', `${pat}.clearanceId`);
      p.stageTransitions.forEach((r, j) => unique('stage transition', r.id, `${pat}.stageTransitions[${j}]`));
      p.signoffs.forEach((r, j) => unique('sign-off', r.id, `${pat}.signoffs[${j}]`));
    });
    c.entries.forEach((e, i) => {
      const eat = `${at}.entries[${i}]`;
      unique('entry', e.id, eat);
      refer(programs, e.programId, 'program', `${eat}.programId`);
      e.measurements.forEach((r, j) => unique('measurement', r.id, `${eat}.measurements[${j}]`));
      e.amendments.forEach((r, j) => unique('amendment', r.id, `${eat}.amendments[${j}]`));
    });
    c.referrals.forEach((r, i) => {
      unique('referral', r.id, `${at}.referrals[${i}]`);
      refer(entries, r.entryId, 'entry', `${at}.referrals[${i}].entryId`);
    });
  });
  doc.audit.forEach((r, i) => unique('audit record', r.id, `audit[${i}]`));
  return problems;
}

/** The JSON Schema of the export document, made from the same zod schema `import` checks with. */
export function exportJsonSchema(): unknown {
  return z.toJSONSchema(exportDocumentSchema, { io: 'input', unrepresentable: 'any' });
}
