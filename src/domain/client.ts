import { ageOn, dateProblem } from './dates.js';
import { ValidationError } from './errors.js';
import { hasControlCharacters } from './text.js';

export const SEXES = ['female', 'male', 'other'] as const;
/** Recorded only to pick the right norm table (e.g. CDC STEADI chair-stand norms differ by sex). */
export type Sex = (typeof SEXES)[number];

export const CLIENT_STATUSES = ['active', 'archived'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

/** The fields a trainer sets; everything else is the store's. */
export interface ClientFields {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  sex: Sex | null;
  email: string | null;
  phone: string | null;
  goals: string | null;
  notes: string | null;
  /** The care team, each a name and a contact (phone, email or address), so referrals go to the right one (domain/referrals.ts). */
  gpName: string | null;
  gpContact: string | null;
  surgeonName: string | null;
  surgeonContact: string | null;
  physioName: string | null;
  physioContact: string | null;
}

/** A client as the rest of the program sees it (the store maps rows to this). */
export interface Client extends ClientFields {
  id: number;
  status: ClientStatus;
  createdAt: string;
  updatedAt: string;
  /** In a clinic (PostgreSQL), the login of the trainer whose client this is; absent on a trainer's own file. */
  trainer?: string;
}

export type ClientField = keyof ClientFields;
export const CLIENT_FIELDS: readonly ClientField[] = [
  'firstName',
  'lastName',
  'dateOfBirth',
  'sex',
  'email',
  'phone',
  'goals',
  'notes',
  'gpName',
  'gpContact',
  'surgeonName',
  'surgeonContact',
  'physioName',
  'physioContact',
];

/** Who looks after the client besides the trainer: the GP, the surgeon and the treating physiotherapist. */
export const CARE_ROLES = {
  gp: { label: 'GP', name: 'gpName', contact: 'gpContact' },
  surgeon: { label: 'surgeon', name: 'surgeonName', contact: 'surgeonContact' },
  physio: { label: 'physiotherapist', name: 'physioName', contact: 'physioContact' },
} as const satisfies Record<string, { label: string; name: ClientField; contact: ClientField }>;
export type CareRole = keyof typeof CARE_ROLES;
export const CARE_ROLE_CODES = Object.keys(CARE_ROLES) as CareRole[];

export interface CareContact {
  name: string | null;
  contact: string | null;
}
/** The care team on record: a role is there when its name or its contact is. */
export type CareTeam = Partial<Record<CareRole, CareContact>>;

export function careTeamOf(c: Pick<ClientFields, 'gpName' | 'gpContact' | 'surgeonName' | 'surgeonContact' | 'physioName' | 'physioContact'>): CareTeam {
  const team: CareTeam = {};
  for (const role of CARE_ROLE_CODES) {
    const { name, contact } = CARE_ROLES[role];
    const n = c[name] ?? null;
    const k = c[contact] ?? null;
    if (n !== null || k !== null) team[role] = { name: n, contact: k };
  }
  return team;
}

/** "Dr A. Shah (GP), 020 7946 0000"; "the client's surgeon, 020 …" when only a contact is on record. */
export function formatCareContact(role: CareRole, c: CareContact): string {
  const who = c.name ? `${c.name} (${CARE_ROLES[role].label})` : `the client's ${CARE_ROLES[role].label}`;
  return c.contact ? `${who}, ${c.contact}` : who;
}
export const REQUIRED_CLIENT_FIELDS: readonly ClientField[] = ['firstName', 'lastName', 'dateOfBirth'];

/** What the user typed, before checking: every value a string, absent when not given. */
export type RawClientFields = Partial<Record<ClientField, string>>;

const NAME_MAX = 100;
const TEXT_MAX = 4000;
const CARE_MAX = 200;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()./-]+$/;

/** Oldest date of birth accepted: a typo guard, not a clinical rule. */
const EARLIEST_DOB = '1900-01-01';

/** Check one field; returns the stored value (NFC, trimmed; '' → null for optional fields). */
export function checkClientField(field: ClientField, raw: string, today: string): ClientFields[ClientField] {
  const value = raw.normalize('NFC').trim();
  if (hasControlCharacters(value, 'note')) throw new ValidationError(field, `${label(field)} contains control characters`);
  switch (field) {
    case 'firstName':
    case 'lastName':
      if (value === '') throw new ValidationError(field, `${label(field)} is required`);
      if (value.length > NAME_MAX) throw new ValidationError(field, `${label(field)} is longer than ${NAME_MAX} characters`);
      if (value.includes('\n') || value.includes('\t')) throw new ValidationError(field, `${label(field)} must be one line`);
      return value;
    case 'dateOfBirth':
      {
        const problem = dateProblem(value);
        if (problem) throw new ValidationError(field, /^expected/.test(problem) ? `date of birth must be a date as YYYY-MM-DD, got "${raw}"` : `date of birth ${problem}`);
      }
      if (value > today) throw new ValidationError(field, `date of birth ${value} is in the future`);
      if (value < EARLIEST_DOB) throw new ValidationError(field, `date of birth ${value} is before ${EARLIEST_DOB}`);
      return value;
    case 'sex': {
      if (value === '') return null;
      const v = value.toLowerCase();
      if (!(SEXES as readonly string[]).includes(v)) {
        throw new ValidationError(field, `sex must be one of ${SEXES.join(', ')}, got "${raw}"`);
      }
      return v as Sex;
    }
    case 'email':
      if (value === '') return null;
      if (!EMAIL.test(value)) throw new ValidationError(field, `email "${value}" is not an email address`);
      return value;
    case 'phone':
      if (value === '') return null;
      if (!PHONE.test(value) || value.replace(/\D/g, '').length < 5) {
        throw new ValidationError(field, `phone "${value}" is not a phone number (digits, spaces, + - ( ) . /)`);
      }
      return value;
    case 'gpName':
    case 'gpContact':
    case 'surgeonName':
    case 'surgeonContact':
    case 'physioName':
    case 'physioContact':
      // Printed in a referral's one line: one line of text.
      if (value === '') return null;
      if (value.length > CARE_MAX) throw new ValidationError(field, `${label(field)} is longer than ${CARE_MAX} characters`);
      if (value.includes('\n') || value.includes('\t')) throw new ValidationError(field, `${label(field)} must be one line`);
      return value;
    case 'goals':
    case 'notes':
      if (value === '') return null;
      if (value.length > TEXT_MAX) throw new ValidationError(field, `${label(field)} is longer than ${TEXT_MAX} characters`);
      return value;
  }
}

/** Check a whole new client; every required field must be there. */
export function checkNewClient(raw: RawClientFields, today: string): ClientFields {
  for (const f of REQUIRED_CLIENT_FIELDS) {
    if (raw[f] === undefined) throw new ValidationError(f, `${label(f)} is required`);
  }
  const out: Partial<Record<ClientField, unknown>> = {};
  for (const f of CLIENT_FIELDS) {
    out[f] = raw[f] === undefined ? null : checkClientField(f, raw[f], today);
  }
  return out as unknown as ClientFields;
}

/** Check the fields of an edit; returns only those that change the client. */
export function checkClientChanges(current: ClientFields, raw: RawClientFields, today: string): Partial<ClientFields> {
  const changes: Partial<Record<ClientField, unknown>> = {};
  for (const f of CLIENT_FIELDS) {
    if (raw[f] === undefined) continue;
    const value = checkClientField(f, raw[f], today);
    if (value !== current[f]) changes[f] = value;
  }
  return changes as Partial<ClientFields>;
}

// Chinese, Japanese and Korean names are written family name first, without a space.
const EAST_ASIAN_NAME = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+$/u;

/** The name as the client would write it: "Zoë Moreau", but "李娜" (family name first). */
export function fullName(c: Pick<Client, 'firstName' | 'lastName'>): string {
  if (EAST_ASIAN_NAME.test(c.firstName) && EAST_ASIAN_NAME.test(c.lastName)) return `${c.lastName}${c.firstName}`;
  return `${c.firstName} ${c.lastName}`;
}

export function clientAge(c: Pick<Client, 'dateOfBirth'>, today: string): number {
  return ageOn(c.dateOfBirth, today);
}

/** The name of a field in messages, as the trainer calls it. */
export function label(field: ClientField): string {
  return {
    firstName: 'first name',
    lastName: 'last name',
    dateOfBirth: 'date of birth',
    sex: 'sex',
    email: 'email',
    phone: 'phone',
    goals: 'goals',
    notes: 'notes',
    gpName: "GP's name",
    gpContact: "GP's contact",
    surgeonName: "surgeon's name",
    surgeonContact: "surgeon's contact",
    physioName: "physiotherapist's name",
    physioContact: "physiotherapist's contact",
  }[field];
}

// Made on first use: building a Collator loads ICU's collation data (~6 ms),
// which a command that shows one client never needs.
let collator: Intl.Collator | undefined;

/** Clients in the order a person expects a list: last name, first name, then id. */
export function compareClients(a: Client, b: Client): number {
  collator ??= new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  return collator.compare(a.lastName, b.lastName) || collator.compare(a.firstName, b.firstName) || a.id - b.id;
}
