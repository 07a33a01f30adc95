import { fullName } from '../domain/client.js';
import {
  CLEARANCE_STATUSES,
  RESTRICTION_RULES,
  checkClearance,
  clearanceInForce,
  clearanceExpiry,
  clearanceState,
  describeRestriction,
  formatRestriction,
  parseRestriction,
  parseRestrictions,
  type Clearance,
  type ClearanceStatus,
  type Restriction,
} from '../domain/clearance.js';
import { dateProblem, isIsoDate } from '../domain/dates.js';
import { ValidationError } from '../domain/errors.js';
import { resolveSettings } from '../domain/settings.js';
import { insertClearance, listClearances } from '../store/clearances.js';
import { getStoredSettings } from '../store/meta.js';
import { READ, type App } from './app.js';
import { CancelledError, UsageError } from './errors.js';
import { resolveClient } from './resolve.js';

interface AddOptions {
  clinician?: string;
  profession?: string;
  contact?: string;
  date?: string;
  expires?: string;
  status?: string;
  restrict?: string[];
  note?: string;
}

const FLAG: Record<string, string> = {
  clinician: '--clinician',
  profession: '--profession',
  contact: '--contact',
  date: '--date',
  expires: '--expires',
  status: '--status',
  restrict: '--restrict',
  note: '--note',
};

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ValidationError) throw new UsageError(`${FLAG[err.field] ?? err.field}: ${err.message}`);
    throw err;
  }
}

function checkDate(flag: string, value: string): string {
  const problem = dateProblem(value);
  if (problem) throw new UsageError(`${flag}: ${problem}`);
  return value;
}

/** The stable JSON shape of a clearance, with its state on `today`. */
export function clearanceJson(c: Clearance, today: string, validityMonths: number, inForceId?: number) {
  return {
    id: c.id,
    clinician: c.clinician,
    profession: c.profession,
    contact: c.contact,
    issuedOn: c.issuedOn,
    expiresOn: c.expiresOn,
    validUntil: clearanceExpiry(c, validityMonths),
    status: c.status,
    state: clearanceState(c, today, validityMonths),
    inForce: c.id === inForceId,
    restrictions: c.restrictions,
    note: c.note,
    recordedAt: c.recordedAt,
  };
}

/** `bridgefit clearance add <client>` */
export async function add(app: App, opts: AddOptions, args: string[]): Promise<void> {
  const today = app.today();
  if (opts.date !== undefined) checkDate('--date', opts.date);
  if (opts.expires !== undefined && opts.expires !== '') checkDate('--expires', opts.expires);
  if (opts.status !== undefined && !(CLEARANCE_STATUSES as readonly string[]).includes(opts.status)) {
    throw new UsageError(`--status must be one of ${CLEARANCE_STATUSES.join(', ')}, got "${opts.status}"`);
  }
  let restrictions: Restriction[] = usage(() => parseRestrictions(opts.restrict ?? []));

  await app.withStore(async (store) => {
    const client = await resolveClient(store, args[0]!);
    const missing = (['clinician', 'profession', 'status'] as const).filter((k) => opts[k] === undefined);
    let { clinician, profession, contact, date, expires, status, note } = opts;
    if (missing.length > 0) {
      if (!app.prompt.available) app.prompt.require(FLAG[missing[0]!]!, missing[0] === 'status' ? CLEARANCE_STATUSES.join(' | ') : `the ${missing[0]}`);
      const ask = app.prompt;
      const required = (t: string) => (t.trim() ? undefined : 'required');
      clinician ??= await ask.text({ message: 'Cleared by (clinician name)', validate: required });
      profession ??= await ask.text({ message: 'Profession (e.g. physician, physiotherapist, cardiologist)', validate: required });
      contact ??= await ask.text({ message: 'Contact (phone or email, optional)' });
      date ??= await ask.text({
        message: 'Date of the decision (YYYY-MM-DD)',
        default: today,
        validate: (t) => {
          const d = t.trim();
          if (!isIsoDate(d)) return /^\d{4}-\d{2}-\d{2}$/.test(d) ? dateProblem(d) : 'a date as YYYY-MM-DD, not in the future';
          if (d > today) return 'a date as YYYY-MM-DD, not in the future';
          return d < client.dateOfBirth ? `before the client's date of birth (${client.dateOfBirth})` : undefined;
        },
      });
      const decided = date.trim();
      expires ??= await ask.text({
        message: 'Expiry or review date (YYYY-MM-DD, optional)',
        validate: (t) => {
          const d = t.trim();
          if (d === '' || (isIsoDate(d) && d > decided)) return undefined;
          return /^\d{4}-\d{2}-\d{2}$/.test(d) && !isIsoDate(d) ? dateProblem(d) : `a date after ${decided} as YYYY-MM-DD, or empty`;
        },
      });
      status ??= await ask.select<ClearanceStatus>('Decision', CLEARANCE_STATUSES.map((s) => ({ value: s, name: s })));
      if (status === 'cleared-with-restrictions' && restrictions.length === 0) restrictions = await askRestrictions(app);
      note ??= await ask.text({ message: 'Note (optional)' });
    }
    const prompted = missing.length > 0;
    const fields = usage(() =>
      checkClearance(
        {
          clinician: clinician!,
          profession: profession!,
          contact: contact ?? null,
          issuedOn: (date ?? today).trim(),
          expiresOn: expires?.trim() ? expires.trim() : null,
          status: status as ClearanceStatus,
          restrictions,
          note: note ?? null,
        },
        today,
      ),
    );
    if (fields.issuedOn < client.dateOfBirth) throw new UsageError(`--date: ${fields.issuedOn} is before the client's date of birth (${client.dateOfBirth})`);
    if (prompted) {
      app.io.out('');
      app.io.fields([
        ['Client', fullName(client)],
        ['Decision', `${fields.status} on ${fields.issuedOn}${fields.expiresOn ? `, until ${fields.expiresOn}` : ''}`],
        ['By', `${fields.clinician} (${fields.profession})${fields.contact ? `, ${fields.contact}` : ''}`],
        ['Restrictions', fields.restrictions.map(describeRestriction).join('; ') || 'none'],
        ['Note', fields.note ?? '—'],
      ]);
      if (!(await app.prompt.confirm('Save this clearance? It becomes the decision in force', true))) throw new CancelledError('not saved; nothing was written');
    }
    const saved = await store.write((tx) => insertClearance(tx, client.id, fields, app.writeContext()));
    const validity = resolveSettings(await getStoredSettings(store.db))['screening.clearanceValidityMonths'];
    if (app.io.json) app.io.printJson(clearanceJson(saved, today, validity, clearanceInForce(await listClearances(store.db, client.id), today)?.id));
    else {
      const state = clearanceState(saved, today, validity);
      const until = state === 'valid' || state === 'expired' ? `, valid until ${clearanceExpiry(saved, validity)}${state === 'expired' ? ' (already expired)' : ''}` : '';
      app.io.info(`Recorded clearance ${saved.id} for ${fullName(client)}: ${saved.status} by ${saved.clinician} on ${saved.issuedOn}${until}.`);
      if (saved.restrictions.length) app.io.info(`Restrictions: ${saved.restrictions.map(describeRestriction).join('; ')}`);
      app.io.info(`Run "bridgefit screen ${client.id}" to see what it changes.`);
    }
  });
}

async function askRestrictions(app: App): Promise<Restriction[]> {
  const out: Restriction[] = [];
  app.io.out(`Restrictions, one at a time as CODE or CODE=VALUE; empty to finish. For example: ${RESTRICTION_RULES.map((r) => r.example).join(', ')}`);
  for (;;) {
    const text = await app.prompt.text({
      message: `Restriction ${out.length + 1}`,
      validate: (t) => {
        if (t.trim() === '') return out.length === 0 ? 'at least one restriction (the status says so)' : undefined;
        try {
          const r = parseRestriction(t.trim());
          return out.some((o) => o.code === r.code) ? `${r.code} is already given` : undefined;
        } catch (err) {
          if (err instanceof ValidationError) return err.message;
          throw err;
        }
      },
    });
    if (text.trim() === '') return out;
    out.push(parseRestriction(text.trim()));
  }
}

/** `bridgefit clearance list <client>` */
export async function list(app: App, _opts: unknown, args: string[]): Promise<void> {
  const today = app.today();
  const { client, clearances, validity } = await app.withStore(async (store) => {
    const client = await resolveClient(store, args[0]!);
    const validity = resolveSettings(await getStoredSettings(store.db))['screening.clearanceValidityMonths'];
    return { client, clearances: await listClearances(store.db, client.id), validity };
  }, READ);
  if (app.io.json) {
    const inForce = clearanceInForce(clearances, today);
    app.io.printJson(clearances.map((c) => clearanceJson(c, today, validity, inForce?.id)));
    return;
  }
  if (clearances.length === 0) {
    app.io.info(`No clearance on file for ${fullName(client)}; add one with "bridgefit clearance add ${client.id}".`);
    return;
  }
  const { c } = app.io;
  const inForce = clearanceInForce(clearances, today);
  app.io.table(
    ['ID', 'DATE', 'STATUS', 'STATE', 'VALID UNTIL', 'IN FORCE', 'CLINICIAN', 'RESTRICTIONS'],
    clearances.map((x) => [
      String(x.id),
      x.issuedOn,
      x.status,
      clearanceState(x, today, validity),
      clearanceExpiry(x, validity),
      x.id === inForce?.id ? 'yes' : x.status === 'pending' ? 'pending' : 'superseded',
      `${x.clinician} (${x.profession})`,
      x.restrictions.map(formatRestriction).join(' ') || '-',
    ]),
    (_r, col, text) => (col === 3 ? (text === 'valid' ? c.green(text) : text === 'expired' || text === 'not-cleared' ? c.red(text) : c.yellow(text)) : text),
  );
}
