/** How clients are shown: the stable JSON shape and the listing (client list, demo). */
import { clientAge, fullName, type Client } from '../domain/client.js';
import type { Cli } from './cli.js';
import { printDelimited, type Format } from './format.js';

/** The stable JSON shape of a client (documented in the README). */
export function clientJson(c: Client, today: string) {
  return {
    id: c.id,
    firstName: c.firstName,
    lastName: c.lastName,
    dateOfBirth: c.dateOfBirth,
    age: clientAge(c, today),
    sex: c.sex,
    email: c.email,
    phone: c.phone,
    goals: c.goals,
    notes: c.notes,
    gpName: c.gpName,
    gpContact: c.gpContact,
    surgeonName: c.surgeonName,
    surgeonContact: c.surgeonContact,
    physioName: c.physioName,
    physioContact: c.physioContact,
    status: c.status,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    // In a clinic: whose client (the trainer's login). Absent for a trainer's own file.
    ...(c.trainer !== undefined ? { trainer: c.trainer } : {}),
  };
}

/** The CSV and TSV columns of `client list`, in order: the JSON fields (documented in the README). */
export const CLIENT_COLUMNS = ['id', 'firstName', 'lastName', 'dateOfBirth', 'age', 'sex', 'email', 'phone', 'goals', 'notes', 'gpName', 'gpContact', 'surgeonName', 'surgeonContact', 'physioName', 'physioContact', 'status', 'createdAt', 'updatedAt'] as const;

/** Clients as JSON, CSV, TSV or a table (an empty table says what to do, on stderr). */
export async function printClients(cli: Cli, clients: readonly Client[], status: 'active' | 'archived' | 'all', today: string, format: Format = cli.io.json ? 'json' : 'table'): Promise<void> {
  if (format === 'json') {
    cli.io.printJson(clients.map((c) => clientJson(c, today)));
    return;
  }
  const inClinic = clients.some((x) => x.trainer !== undefined);
  if (format === 'csv' || format === 'tsv') {
    // A clinic's list ends with the trainer column.
    const columns = inClinic ? [...CLIENT_COLUMNS, 'trainer' as const] : CLIENT_COLUMNS;
    await printDelimited(cli, format, columns, clients.map((x) => {
      const j = clientJson(x, today) as Record<string, unknown>;
      return columns.map((col) => j[col] as string | number | null);
    }));
    return;
  }
  if (clients.length === 0) {
    cli.io.info(status === 'active' ? 'No active clients. Add one with "bridgefit client add".' : 'No clients.');
    return;
  }
  const { c } = cli.io;
  // The table shows the trainer where it tells something: clients of more than one trainer.
  const byTrainer = new Set(clients.map((x) => x.trainer)).size > 1;
  cli.io.table(
    ['ID', 'NAME', 'BORN', 'AGE', 'STATUS', 'PHONE', 'EMAIL', ...(byTrainer ? ['TRAINER'] : [])],
    clients.map((x) => [String(x.id), fullName(x), x.dateOfBirth, String(clientAge(x, today)), x.status, x.phone ?? '', x.email ?? '', ...(byTrainer ? [x.trainer ?? ''] : [])]),
    (_row, col, text) => (col === 0 ? c.cyan(text) : col === 4 && text === 'archived' ? c.dim(text) : text),
  );
}
