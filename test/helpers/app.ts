/**
 * The use cases on a real SQLite file in a temporary folder, as the commands
 * call them: no binary, no terminal, the day fixed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addClient } from '../../src/app/clients.js';
import { addClearance } from '../../src/app/clearances.js';
import type { Ctx } from '../../src/app/context.js';
import { recordIntake } from '../../src/app/intake.js';
import { CREATE, openDatabase, type Store } from '../../src/app/open.js';
import { generateProgram } from '../../src/app/programs.js';
import { recordSession } from '../../src/app/record-session.js';
import { builtInTemplates } from '../../src/app/templates.js';
import { checkClearance } from '../../src/domain/clearance.js';
import { checkNewClient, type Client } from '../../src/domain/client.js';
import { addDays } from '../../src/domain/dates.js';
import { checkIntakeAnswers } from '../../src/domain/intake.js';
import { checkProgressInput } from '../../src/domain/progress-input.js';
import { tempDir } from './tmp.js';

export const TODAY = '2026-12-02';
export const ctx: Ctx = { command: 'test', now: '2026-12-02T10:00:00.000Z', today: TODAY };
export const ago = (n: number) => addDays(TODAY, -n);

export const allNo = { q1: false, q2: false, q3: false, q4: false, q5: false, q6: false, q7: false };

export async function openTemp(name = 'clients.db'): Promise<{ store: Store; file: string; dir: string }> {
  const dir = tempDir();
  const file = path.join(dir, name);
  return { store: await openDatabase(file, CREATE), file, dir };
}

/** A copy of a closed database, opened: one starting point for several paths. */
export async function reopenCopy(file: string): Promise<Store> {
  const copy = path.join(tempDir(), 'copy.db');
  fs.copyFileSync(file, copy);
  return openDatabase(copy);
}

export async function client(store: Store, first = 'Zoë', last = 'Moreau'): Promise<Client> {
  return (await addClient(store, checkNewClient({ firstName: first, lastName: last, dateOfBirth: '1961-04-12', sex: 'female' }, TODAY), ctx)).client;
}

export async function intake(store: Store, c: Client, answers: Record<string, unknown>) {
  const checked = checkIntakeAnswers({ date: ago(30), physicallyActive: false, parq: { ...allNo, q6: true, followUps: { arthritis: { has: false } } }, desiredIntensity: 'moderate', ...answers }, { today: TODAY, dateOfBirth: c.dateOfBirth });
  if (!checked.ok) throw new Error(checked.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return recordIntake(store, c, checked.answers, ctx);
}

export async function cleared(store: Store, c: Client) {
  return addClearance(store, c, checkClearance({ clinician: 'J. Okafor', profession: 'physiotherapist', contact: null, issuedOn: ago(29), expiresOn: null, status: 'cleared', restrictions: [], note: null }, TODAY), ctx);
}

/** A program from a built-in template, started `daysAgo` days ago. */
export async function program(store: Store, c: Client, templateId: string, intakeSaved: Awaited<ReturnType<typeof intake>>['saved'], daysAgo = 21) {
  const set = builtInTemplates();
  return generateProgram(store, c, { template: set.programs.get(templateId)!, set, intake: intakeSaved, start: ago(daysAgo), startGiven: true }, ctx);
}

export function entry(raw: Record<string, unknown>, c: Client) {
  const checked = checkProgressInput(raw, { today: TODAY, dateOfBirth: c.dateOfBirth });
  if (!checked.ok) throw new Error(checked.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return checked.entry;
}

export async function session(store: Store, c: Client, raw: Record<string, unknown>) {
  return recordSession(store, c, entry(raw, c), ctx);
}
