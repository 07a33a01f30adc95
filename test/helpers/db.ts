import SqliteDatabase from 'better-sqlite3';

/** Rows straight from a database file, to check what really landed (read-only). */
export function rows(file: string, query: string): Record<string, unknown>[] {
  const db = new SqliteDatabase(file, { readonly: true });
  try {
    return db.prepare(query).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
