/**
 * Clinic mode (issue 18): one PostgreSQL database for several trainers and
 * their clinicians. Making the clinic, adding its members and moving a client
 * to another trainer; who may see and change what is the server's row-level
 * security, so these use cases only ask and record.
 */
import { createHash } from 'node:crypto';
import type { Client } from '../domain/client.js';
import { recordAudit } from '../store/audit.js';
import type { ClinicInitResult, Member } from '../store/clinic.js';
import type { ClinicRole, Store } from '../store/store.js';
import type { Ctx } from './context.js';
import { InputError, NotFoundError, UsageError, UserError } from './errors.js';
import { loadTemplateSet, readShareableTemplate, validateTemplateFiles, type SharedTemplate, type TemplateProblem } from './templates.js';
import type { DatabaseLocation } from './open.js';

export type { ClinicInitResult, ClinicRole, Member };

/** The clinic store, or a usage error naming the command for a SQLite file. */
function clinicOf(store: Store, what: string): NonNullable<Store['clinic']> {
  if (!store.clinic) throw new UsageError(`${what} is for a clinic database (--db postgres://…); ${store.location} is one trainer's own file`);
  return store.clinic;
}

function mustBeAdmin(store: Store, what: string): void {
  const clinic = clinicOf(store, what);
  if (clinic.role !== 'admin') throw new UserError(`${what} is for the clinic's administrators; ${clinic.login} is a ${clinic.role ?? 'login outside the clinic'}`);
}

/** `clinic init`: make the clinic at `where` (as a superuser, once), or upgrade it (as an administrator). */
export async function initClinic(where: DatabaseLocation, options: { admin?: string }, ctx: Ctx): Promise<ClinicInitResult & { location: string }> {
  if (where.url === undefined) throw new UsageError(`clinic init makes a clinic database on PostgreSQL: pass --db postgres://user@host:port/database (or set BRIDGEFIT_DB); ${where.file} is a file`);
  const { initClinic: init } = await import('../store/clinic.js');
  return { ...(await init(where.url, where.file, { ...options, now: ctx.now })), location: where.file };
}

export interface NewMember {
  login: string;
  kind: ClinicRole;
  name: string | null;
  profession: string | null;
}

/** `clinic add-trainer|add-clinician|add-admin`: a login of the member's own, in the kind's group; audited. */
export async function addClinicMember(store: Store, m: NewMember, ctx: Ctx): Promise<{ login: string; kind: ClinicRole; created: boolean }> {
  mustBeAdmin(store, `clinic add-${m.kind}`);
  if (m.kind === 'clinician' && !m.name) throw new UsageError('a clinician needs --name, as clients name them in their care team (GP, surgeon, physiotherapist)');
  const { addMember } = await import('../store/clinic.js');
  return store.write(async (tx) => {
    const added = await addMember(tx, m, ctx.now);
    await recordAudit(tx, { command: ctx.command, action: 'clinic.member_add', entity: 'clinic_member', entityId: null, clientId: null, detail: { login: m.login, kind: m.kind, name: m.name, created: added.created } }, ctx.now);
    return { login: added.login, kind: added.kind, created: added.created };
  });
}

export async function listClinicMembers(store: Store) {
  clinicOf(store, 'clinic members');
  const { listMembers } = await import('../store/clinic.js');
  return listMembers(store.db);
}

/** Who this connection is, in the clinic. */
export function whoAmI(store: Store): { login: string; role: ClinicRole | null } {
  return clinicOf(store, 'clinic whoami');
}

/** `client transfer <client> --to <trainer>`: the client and everything under them go to another trainer; audited. */
export async function transferClient(store: Store, client: Client, to: string, ctx: Ctx): Promise<{ clientId: number; from: string | null; to: string }> {
  mustBeAdmin(store, 'client transfer');
  const { isTrainer, setClientTrainer } = await import('../store/clinic.js');
  return store.write(async (tx) => {
    if (!(await isTrainer(tx, to))) throw new UserError(`${to} is not one of the clinic's trainers ("bridgefit clinic members" lists them)`);
    const from = await setClientTrainer(tx, client.id, to);
    if (from === undefined) throw new UserError(`client ${client.id} is not there any more`);
    await recordAudit(tx, { command: ctx.command, action: 'client.transfer', entity: 'client', entityId: client.id, clientId: client.id, detail: { from, to } }, ctx.now);
    return { clientId: client.id, from, to };
  });
}

/** The clinic's shared templates (none on a SQLite file), for loading beside the built-in ones. */
export async function clinicTemplates(store: Store): Promise<SharedTemplate[]> {
  if (!store.clinic) return [];
  const { listSharedTemplates } = await import('../store/clinic.js');
  return (await listSharedTemplates(store.db)).map(({ name, text }) => ({ name, text }));
}

export async function listClinicTemplates(store: Store) {
  clinicOf(store, 'template shared');
  const { listSharedTemplates } = await import('../store/clinic.js');
  return (await listSharedTemplates(store.db)).map(({ text: _text, ...rest }) => rest);
}

/**
 * `template share <file...>` (administrators): each file checked against the
 * library as it will be (built-in, the clinic's, these files), then all
 * stored in one transaction or none. A file of the same name is replaced.
 */
export async function shareTemplates(store: Store, files: readonly string[], ctx: Ctx): Promise<{ name: string; sha256: string; replaced: boolean }[]> {
  mustBeAdmin(store, 'template share');
  const read = files.map((f) => readShareableTemplate(f));
  const unreadable = read.flatMap((r) => ('problems' in r ? r.problems : []));
  if (unreadable.length > 0) throw problemError(unreadable);
  const texts = read as { name: string; text: string }[];
  const names = texts.map((t) => t.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new UsageError(`template share: two files are named ${twice}; a shared template is known by its file name`);
  // Checked as the clinic will load them: the shared ones already there, these replacing any of the same name.
  const kept = (await clinicTemplates(store)).filter((t) => !names.includes(t.name));
  const set = loadTemplateSet(undefined, [...kept, ...texts]);
  const problems = [...set.problems.filter((p) => names.some((n) => p.file === `clinic:${n}`)), ...validateTemplateFiles(set, texts)];
  if (problems.length > 0) throw problemError(problems);
  const { putSharedTemplate } = await import('../store/clinic.js');
  return store.write(async (tx) => {
    const out: { name: string; sha256: string; replaced: boolean }[] = [];
    for (const t of texts) {
      const sha256 = createHash('sha256').update(t.text).digest('hex');
      const replaced = await putSharedTemplate(tx, { ...t, sha256 }, ctx.now);
      await recordAudit(tx, { command: ctx.command, action: 'template.share', entity: 'template', entityId: null, clientId: null, detail: { name: t.name, sha256, replaced } }, ctx.now);
      out.push({ name: t.name, sha256, replaced });
    }
    return out;
  });
}

/** `template unshare <name>` (administrators): programs made from it keep their copy (a program is a snapshot). */
export async function unshareTemplate(store: Store, name: string, ctx: Ctx): Promise<void> {
  mustBeAdmin(store, 'template unshare');
  const { deleteSharedTemplate } = await import('../store/clinic.js');
  await store.write(async (tx) => {
    if (!(await deleteSharedTemplate(tx, name))) throw new NotFoundError(`no shared template named ${name} ("bridgefit template shared" lists them)`);
    await recordAudit(tx, { command: ctx.command, action: 'template.unshare', entity: 'template', entityId: null, clientId: null, detail: { name } }, ctx.now);
  });
}

/** A summary line, then one line per problem (as `template validate` prints them); nothing was shared. */
function problemError(problems: readonly TemplateProblem[]): InputError {
  // The same problem may be found twice (loading the set, then checking the file against it).
  const lines = [...new Set(problems.map((p) => `${p.file.replace(/^clinic:/, '')}: ${p.path}: ${p.message}`))];
  return new InputError(`template share: ${lines.length} problem${lines.length === 1 ? '' : 's'} in the files; nothing was shared:`, lines);
}
