/** `clinic init|add-trainer|add-clinician|add-admin|members|whoami`: a clinic on PostgreSQL (issue 18). */
import { addClinicMember, initClinic, listClinicMembers, whoAmI, type ClinicRole } from '../../app/clinic.js';
import { UsageError } from '../../app/errors.js';
import { READ } from '../cli.js';
import { command, examples } from '../command.js';
import type { Cli } from '../cli.js';

const URL_EXAMPLE = 'postgres://postgres@db.clinic.local:5432/bridgefit';

export const init = command({
  define: (c) =>
    c
      .option('--admin <login>', "also make the clinic's first administrator, a login who can add members")
      .addHelpText(
        'after',
        '\nRun once, as a PostgreSQL superuser, in a database of its own; run again (as an\nadministrator) after upgrading bridgefit, to upgrade the schema.' +
          examples(`bridgefit --db ${URL_EXAMPLE} clinic init --admin maria`, 'BRIDGEFIT_DB=postgres://maria@db.clinic.local/bridgefit bridgefit clinic init'),
      ),
  async run(cli, opts) {
    const result = await initClinic(cli.location(), opts.admin !== undefined ? { admin: opts.admin } : {}, cli.ctx());
    if (cli.io.json) {
      cli.io.printJson(result);
      return;
    }
    const made = result.applied.length === result.schemaVersion ? 'Made the clinic' : result.applied.length > 0 ? 'Upgraded the clinic' : 'The clinic is ready';
    cli.io.info(`${made} at ${result.location} (schema ${result.schemaVersion}${result.rolesCreated.length ? `; new roles ${result.rolesCreated.join(', ')}` : ''}).`);
    if (result.admin) cli.io.info(`Administrator: ${result.admin}. Give the login a password or another way in (psql: \\password ${result.admin}), then add members: bridgefit clinic add-trainer <login>`);
  },
});

function adder(kind: ClinicRole) {
  return async (cli: Cli, opts: { name?: string; profession?: string }, login: string) => {
    if (opts.name !== undefined && opts.name.trim() === '') throw new UsageError('--name needs a name');
    const result = await cli.withStore((store) => addClinicMember(store, { login, kind, name: opts.name?.trim() ?? null, profession: opts.profession?.trim() || null }, cli.ctx()));
    if (cli.io.json) cli.io.printJson(result);
    else cli.io.info(`${result.created ? 'Made the login' : 'Added the existing login'} ${result.login} as a ${kind}${result.created ? `; give it a password or another way in (psql: \\password ${result.login})` : ''}.`);
  };
}

export const addTrainer = command({
  define: (c) =>
    c
      .argument('<login>', 'the trainer\'s PostgreSQL login (made unless it exists)')
      .option('--name <name>', 'the name reports show')
      .addHelpText('after', '\nA trainer sees and changes only their own clients, and everything under them.' + examples('bridgefit clinic add-trainer tom --name "Tom Berg"')),
  run: (cli, opts, [login]) => adder('trainer')(cli, opts, login),
});

export const addClinician = command({
  define: (c) =>
    c
      .argument('<login>', "the clinician's PostgreSQL login (made unless it exists)")
      .requiredOption('--name <name>', "the clinician's name as clients' care teams and referrals name them")
      .option('--profession <profession>', 'e.g. physiotherapist, GP, orthopaedic surgeon')
      .addHelpText(
        'after',
        '\nA clinician reads the clients who name them as GP, surgeon or physiotherapist, or were\nreferred to them, and may record a clearance, resolve a referral and sign off a stage.' +
          examples('bridgefit clinic add-clinician anna --name "Dr Anna Weber" --profession physiotherapist'),
      ),
  run: (cli, opts, [login]) => adder('clinician')(cli, opts, login),
});

export const addAdmin = command({
  define: (c) =>
    c
      .argument('<login>', "the administrator's PostgreSQL login (made unless it exists)")
      .option('--name <name>', 'the name reports show')
      .addHelpText('after', '\nAn administrator sees every client, adds members and transfers clients.' + examples('bridgefit clinic add-admin maria')),
  run: (cli, opts, [login]) => adder('admin')(cli, opts, login),
});

export const members = command({
  define: (c) => c.addHelpText('after', examples('bridgefit clinic members', 'bridgefit clinic members --json')),
  async run(cli) {
    const rows = await cli.withStore((store) => listClinicMembers(store), READ);
    if (cli.io.json) {
      cli.io.printJson(rows);
      return;
    }
    if (rows.length === 0) {
      cli.io.info('No members yet: bridgefit clinic add-trainer <login>');
      return;
    }
    cli.io.table(
      ['LOGIN', 'KIND', 'NAME', 'PROFESSION', 'CLIENTS', 'ADDED'],
      rows.map((r) => [r.login, r.kind, r.name ?? '', r.profession ?? '', r.kind === 'trainer' ? String(r.clients) : '', r.addedAt.slice(0, 10)]),
    );
  },
});

export const whoami = command({
  define: (c) => c.addHelpText('after', examples('bridgefit clinic whoami')),
  async run(cli) {
    const me = await cli.withStore(async (store) => whoAmI(store), READ);
    if (cli.io.json) cli.io.printJson(me);
    else cli.io.out(`${me.login} (${me.role ?? 'not a member'})`);
  },
});
