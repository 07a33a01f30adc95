import SqliteDatabase from 'better-sqlite3';

/** Rows straight from a database file, to check what really landed (read-only). */
export function rows(file: string, query: string, values: unknown[] = []): Record<string, unknown>[] {
  const db = new SqliteDatabase(file, { readonly: true });
  try {
    return db.prepare(query).all(...values) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

/**
 * A client row as schema 1 wrote it, for upgrade tests: the store's own insert
 * writes today's columns, which a database at an older schema does not have.
 */
export function seedSchema1Client(file: string, c: { firstName: string; lastName: string; dateOfBirth: string; notes?: string | null }, at = '2026-12-02T10:00:00.000Z'): void {
  const db = new SqliteDatabase(file);
  try {
    db.prepare('insert into clients (first_name, last_name, date_of_birth, notes, created_at, updated_at) values (?, ?, ?, ?, ?, ?)').run(c.firstName, c.lastName, c.dateOfBirth, c.notes ?? null, at, at);
  } finally {
    db.close();
  }
}
