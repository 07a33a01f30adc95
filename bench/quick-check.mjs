#!/usr/bin/env node
// What the damage check on every open for writing costs (issue 20), on a database made by
// bench/generate.mjs: SQLite's quick_check of the whole file (what a write open runs up to
// 128 MiB), of every table but progress_entries (what it runs past that), and doctor's
// json_valid pass over the sessions' JSON columns. Warm figures: run it twice.
//
//   node bench/quick-check.mjs FILE [--runs 3]
import fs from 'node:fs';
import Database from 'better-sqlite3';

const file = process.argv[2];
if (!file) throw new Error('usage: node bench/quick-check.mjs FILE [--runs 3]');
const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;
// A read-write connection with writes refused, as bridgefit's reads: it leaves no -wal or -shm.
const db = new Database(file, { fileMustExist: true });
db.pragma('query_only = 1');
const ms = (fn) => {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> 'progress_entries'").pluck().all();
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const whole = [];
const perTable = [];
const json = [];
for (let i = 0; i < runs; i++) {
  whole.push(ms(() => db.pragma('quick_check(1)')));
  perTable.push(ms(() => tables.forEach((t) => db.pragma(`quick_check('${t}')`))));
  json.push(ms(() => db.prepare('select count(*) from progress_entries where json_valid(decision) = 0 or json_valid(exercises) = 0 or json_valid(symptoms) = 0').pluck().get()));
}
db.close();
const mb = (fs.statSync(file).size / 1e6).toFixed(0);
console.log(`${file} (${mb} MB), median of ${runs}: quick_check whole ${median(whole).toFixed(0)} ms; every table but progress_entries ${median(perTable).toFixed(0)} ms; json_valid of the sessions ${median(json).toFixed(0)} ms`);
