/** `clearance add <client>` and `clearance list <client>`: a clinician's decisions, append-only. */
import { addClearance, oppositeSide, listClearances } from '../../app/clearances.js';
import { resolveClient } from '../../app/clients.js';
import { CancelledError, UsageError } from '../../app/errors.js';
import { fullName } from '../../domain/client.js';
import {
  CLEARANCE_STATUSES,
  RESTRICTION_RULES,
  checkClearance,
  clearanceExpiry,
  clearanceState,
  describeRestriction,
  formatRestriction,
  parseRestriction,
  parseRestrictions,
  type Clearance,
  type ClearanceStatus,
  type Restriction,
} from '../../domain/clearance.js';
import { dateProblem, isIsoDate } from '../../domain/dates.js';
import { ValidationError } from '../../domain/errors.js';
import { READ, type Cli } from '../cli.js';
import { command, examples, repeat } from '../command.js';

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

export const add = command({
  define: (c) =>
    c
      .argument('<client>', 'id or name fragment')
      .option('--clinician <name>', 'who decided')
      .option('--profession <profession>', 'their profession, e.g. physician, physiotherapist')
      .option('--contact <contact>', 'phone or email')
      .option('--date <date>', 'date of the decision, YYYY-MM-DD (default today)')
      .option('--expires <date>', 'expiry or review date, YYYY-MM-DD (default: the configured validity)')
      .option('--status <status>', 'cleared | cleared-with-restrictions | not-cleared | pending')
      .option('--restrict <code[=value]>', 'a restriction; repeat for more (see the README for the codes)', repeat)
      .option('--note <text>', 'anything else the clinician said')
      .addHelpText(
        'after',
        `\nRestrictions: ${restrictionCodes()}\n` +
          examples(
            'bridgefit clearance add zoe',
            'bridgefit clearance add 12 --clinician "Dr Ana Costa" --profession physician --date 2026-11-20 --status cleared',
            'bridgefit clearance add 12 --clinician "J. Okafor" --profession physiotherapist --status cleared-with-restrictions --restrict no_impact --restrict weight_bearing.left=partial --restrict max_hr=110 --restrict rom.knee.left=90',
          ),
      ),
  async run(cli, opts, [selector]) {
    const today = cli.today();
    if (opts.date !== undefined) checkDate('--date', opts.date);
    if (opts.expires !== undefined && opts.expires.trim() === '') throw new UsageError('--expires needs a date, YYYY-MM-DD (leave the flag out for the configured validity)');
    if (opts.expires !== undefined) checkDate('--expires', opts.expires);
    if (opts.status !== undefined && !(CLEARANCE_STATUSES as readonly string[]).includes(opts.status)) {
      throw new UsageError(`--status must be one of ${CLEARANCE_STATUSES.join(', ')}, got "${opts.status}"`);
    }
    let restrictions: Restriction[] = usage(() => parseRestrictions(opts.restrict ?? []));
    await cli.withStore(async (store) => {
      const client = await resolveClient(store, selector);
      const missing = (['clinician', 'profession', 'status'] as const).filter((k) => opts[k] === undefined);
      let { clinician, profession, contact, date, expires, status, note } = opts;
      if (missing.length > 0) {
        if (!cli.prompt.available) cli.prompt.require(FLAG[missing[0]!]!, missing[0] === 'status' ? CLEARANCE_STATUSES.join(' | ') : `the ${missing[0]}`);
        const ask = cli.prompt;
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
        if (status === 'cleared-with-restrictions' && restrictions.length === 0) restrictions = await askRestrictions(cli);
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
        cli.io.out('');
        cli.io.fields([
          ['Client', fullName(client)],
          ['Decision', `${fields.status} on ${fields.issuedOn}${fields.expiresOn ? `, until ${fields.expiresOn}` : ''}`],
          ['By', `${fields.clinician} (${fields.profession})${fields.contact ? `, ${fields.contact}` : ''}`],
          ['Restrictions', fields.restrictions.map(describeRestriction).join('; ') || 'none'],
          ['Note', fields.note ?? '—'],
        ]);
        if (!(await cli.prompt.confirm('Save this clearance? It becomes the decision in force', true))) throw new CancelledError('not saved; nothing was written');
      }
      // A restriction on the side opposite to the condition: confirmed at a terminal, noted otherwise (issue 16).
      const opposite = await oppositeSide(store, client, fields.restrictions, today);
      let confirmed = false;
      if (opposite.length > 0 && cli.prompt.available) {
        for (const o of opposite) cli.io.warn(o);
        confirmed = await cli.prompt.confirm('A restriction is on the other side from the condition. Save it as written?', false);
        if (!confirmed) throw new CancelledError('not saved; nothing was written (check the side with the clinician)');
      }
      const { saved, validityMonths: validity, inForceId, programDrift, oppositeSide: noted } = await addClearance(store, client, fields, cli.ctx(), { confirmed });
      // Said at once, also with --json (on stderr): the program does not change by itself.
      if (programDrift) cli.io.warn(programDrift);
      if (!confirmed) for (const o of noted) cli.io.warn(`${o}; recorded as given, check the side with the clinician`);
      if (cli.io.json) cli.io.printJson({ ...clearanceJson(saved, today, validity, inForceId), programDrift, oppositeSide: noted });
      else {
        const state = clearanceState(saved, today, validity);
        const until = state === 'valid' || state === 'expired' ? `, valid until ${clearanceExpiry(saved, validity)}${state === 'expired' ? ' (already expired)' : ''}` : '';
        cli.io.info(`Recorded clearance ${saved.id} for ${fullName(client)}: ${saved.status} by ${saved.clinician} on ${saved.issuedOn}${until}.`);
        if (saved.restrictions.length) cli.io.info(`Restrictions: ${saved.restrictions.map(describeRestriction).join('; ')}`);
        cli.io.info(`Run "bridgefit screen ${client.id}" to see what it changes.`);
      }
    });
  },
});

async function askRestrictions(cli: Cli): Promise<Restriction[]> {
  const out: Restriction[] = [];
  cli.io.out(`Restrictions, one at a time as CODE or CODE=VALUE; empty to finish. For example: ${RESTRICTION_RULES.map((r) => r.example).join(', ')}`);
  for (;;) {
    const text = await cli.prompt.text({
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

export const list = command({
  define: (c) => c.argument('<client>', 'id or name fragment').addHelpText('after', examples('bridgefit clearance list zoe', 'bridgefit clearance list 12 --json')),
  async run(cli, _opts, [selector]) {
    const today = cli.today();
    const { client, history } = await cli.withStore(async (store) => {
      const client = await resolveClient(store, selector);
      return { client, history: await listClearances(store, client, today) };
    }, READ);
    const { clearances, validityMonths: validity, inForceId } = history;
    if (cli.io.json) {
      cli.io.printJson(clearances.map((c) => clearanceJson(c, today, validity, inForceId)));
      return;
    }
    if (clearances.length === 0) {
      cli.io.info(`No clearance on file for ${fullName(client)}; add one with "bridgefit clearance add ${client.id}".`);
      return;
    }
    const { c } = cli.io;
    cli.io.table(
      ['ID', 'DATE', 'STATUS', 'STATE', 'VALID UNTIL', 'IN FORCE', 'CLINICIAN', 'RESTRICTIONS'],
      clearances.map((x) => [
        String(x.id),
        x.issuedOn,
        x.status,
        clearanceState(x, today, validity),
        clearanceExpiry(x, validity),
        x.id === inForceId ? 'yes' : x.status === 'pending' ? 'pending' : 'superseded',
        `${x.clinician} (${x.profession})`,
        x.restrictions.map(formatRestriction).join(' ') || '-',
      ]),
      (_r, col, text) => (col === 3 ? (text === 'valid' ? c.green(text) : text === 'expired' || text === 'not-cleared' ? c.red(text) : c.yellow(text)) : text),
    );
  },
});

/** Every restriction code, from the vocabulary itself (so a new one is in the help the day it is added). */
function restrictionCodes(): string {
  return RESTRICTION_RULES.map((r) => {
    const [key] = r.example.split('=');
    const sided = key!.replace(/\.left$/, '.left|right');
    if (r.value.kind === 'flag') return key!;
    if (r.value.kind === 'choice') return `${sided}=${r.value.values.join('|')}`;
    return `${sided.replace(/^rom\.knee\./, 'rom.JOINT.')}=${r.value.min}–${r.value.max} ${r.value.unit}`;
  }).join(', ');
}
