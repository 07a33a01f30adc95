/**
 * Damaged and tampered databases, made from a good one the way the issue
 * found them: a page zeroed as `dd` does it, a file cut short, a JSON cell
 * with one control byte, a table dropped, a trigger or a view added.
 */
import fs from 'node:fs';
import SqliteDatabase from 'better-sqlite3';

/** The first page of `object` (a table or an index), counting from 1. */
export function rootPage(file: string, object: string): number {
  const raw = new SqliteDatabase(file); // not readonly: a read-only connection leaves -wal and -shm behind
  try {
    const page = raw.prepare('select rootpage from sqlite_master where name = ?').pluck().get(object) as number | undefined;
    if (page === undefined) throw new Error(`${file} has no ${object}`);
    return page;
  } finally {
    raw.close();
  }
}

/** Zero one page in place: `dd if=/dev/zero of=db bs=<page> seek=<page - 1> count=1 conv=notrunc`. */
export function zeroPage(file: string, page: number): void {
  const pageSize = fs.readFileSync(file).readUInt16BE(16);
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, Buffer.alloc(pageSize), 0, pageSize, (page - 1) * pageSize);
  } finally {
    fs.closeSync(fd);
  }
}

/** Cut the file short by `pages` whole pages (so its size is still a multiple of the page size). */
export function cutShort(file: string, pages: number): void {
  const pageSize = fs.readFileSync(file).readUInt16BE(16);
  fs.truncateSync(file, fs.statSync(file).size - pages * pageSize);
}

/** Run SQL on the file as another program would, behind bridgefit's back. */
export function tamper(file: string, statements: string): void {
  const raw = new SqliteDatabase(file);
  try {
    raw.exec(statements);
    raw.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    raw.close();
  }
}

/** Put one control byte (0x01) inside the JSON of `table`.`column` in row `id`: it no longer parses. */
export function damageJson(file: string, table: string, column: string, id: number): void {
  const raw = new SqliteDatabase(file);
  try {
    const before = raw.prepare(`select "${column}" from "${table}" where id = ?`).pluck().get(id) as string;
    const at = before.indexOf('"', 1) + 1; // inside the first string (or key) of the value
    if (at <= 0) throw new Error(`${table} row ${id} ${column} has no string to damage: ${before}`);
    raw.prepare(`update "${table}" set "${column}" = ? where id = ?`).run(`${before.slice(0, at)}\u0001${before.slice(at)}`, id);
    raw.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    raw.close();
  }
}

/** The trigger: the next client added wipes the audit log and rewrites every client. */
export const TAMPER_TRIGGER = "create trigger tamper after insert on clients begin delete from audit_log; update clients set notes = 'tampered'; end;";
