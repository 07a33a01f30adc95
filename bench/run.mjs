#!/usr/bin/env node
// All the benchmarks of issue #7 in one run, each figure beside the floor it
// cannot beat and the target ratio:
//   startup   `client list --json` on 10k clients vs `node -e ''`            ≤ 1.5×
//   summary   `summary --format json` on 10k × 150 vs the same SQL in SQLite  ≤ 2×
//   import    `progress import` of 1M rows vs a bare prepared-insert loop    ≤ 2×
//   scaling   the three at 1k, 10k, 100k clients: cost per client must stay flat
//   report    `report --all` for 1k clients vs a bare pdfkit loop drawing the
//             same pages (bench/report-floor.mjs)                     ≤ 2×, peak ≤ 300 MB;
//             and at 100 clients: ms per report and peak memory must stay flat
//   commands  (issue 14, lazy command loading) per-client commands on 10k × 150:
//             `client show`, `program status`, `screen`, `progress add` vs `node -e ''` ≤ 1.6×,
//             `--help` ≤ 1.3×
//   export    (issue 17) `export --all` on 10k × 150 vs the sqlite3 CLI's `.mode json`
//             reading the same tables into a file ≤ 2×; `import` of a 1k × 150
//             export (the 10k one is past import's 500 MB limit) vs a bare
//             prepared-insert loop over the same parsed file ≤ 3×
//
//   exercises (issue 16) `progress add` with 8 exercises logged vs the same session without
//             exercises, on 1k × 150 (--exercise-clients) ≤ 1.3×
//
//   npm run build && node bench/run.mjs [--only startup,summary,import,scaling,report,commands,exercises]
//       [--clients 10000] [--entries 150] [--import-rows 1000000]
//       [--sizes 1000,10000,100000] [--scale-import 10] [--runs 11] [--keep DIR]
//       [--report-clients 1000] [--report-sizes 100,1000] [--report-runs N]
//       [--export-import-clients 1000] [--exercise-clients 1000]
//
// Disk: a database of 10k clients × 150 entries is about 2.8 GB (the app
// stores each session's exercises and decision as JSON); 100k is about 28 GB.
//
// Data comes from bench/generate.mjs (seeded; a database is reused across
// sections when the same size is asked for twice). To add a figure, write a
// section: an async function that returns figures, and add it to SECTIONS.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { BIN, addDays, generate, importCsv, localToday, sampleRows } from './generate.mjs';
import { summaryQueries } from './queries.mjs';
import { countPdf } from './report-floor.mjs';

const FLOOR = fileURLToPath(new URL('./report-floor.mjs', import.meta.url));

// ---------------------------------------------------------------- options
const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const m = /^--([a-z-]+)$/.exec(process.argv[i]);
  if (!m) throw new Error(`unexpected argument ${process.argv[i]} (see the top of bench/run.mjs)`);
  args[m[1]] = process.argv[++i];
}
const opt = {
  only: (args.only ?? 'startup,summary,import,scaling,report,commands,export,exercises').split(','),
  clients: Number(args.clients ?? 10_000),
  entries: Number(args.entries ?? 150),
  importRows: Number(args['import-rows'] ?? 1_000_000),
  sizes: (args.sizes ?? '1000,10000,100000').split(',').map(Number),
  scaleImport: Number(args['scale-import'] ?? 10),
  runs: Number(args.runs ?? 11),
  reportClients: Number(args['report-clients'] ?? 1000),
  reportSizes: (args['report-sizes'] ?? '100,1000').split(',').map(Number),
  reportRuns: args['report-runs'] ? Number(args['report-runs']) : undefined,
  keep: args.keep,
  exportImportClients: Number(args['export-import-clients'] ?? 1000),
  exerciseClients: Number(args['exercise-clients'] ?? 1000),
};
const today = localToday();
const dir = opt.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bridgefit-bench-'));
fs.mkdirSync(dir, { recursive: true });

// ---------------------------------------------------------------- helpers
const ms = (t0) => performance.now() - t0;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const hasGnuTime = fs.existsSync('/usr/bin/time');

/** Run a command `runs` times; median wall time (ms) and the largest peak RSS (MB, when /usr/bin/time is there). */
export function timeCommand(argv, { runs = opt.runs, cwd = dir } = {}) {
  const samples = [];
  let rssMb = null;
  for (let i = 0; i < runs; i++) {
    const wrapped = hasGnuTime ? ['/usr/bin/time', ['-f', '%M', ...argv]] : [argv[0], argv.slice(1)];
    const t0 = performance.now();
    const r = spawnSync(wrapped[0], wrapped[1], { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
    samples.push(ms(t0));
    const err = String(r.stderr);
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${err.slice(-2000)}`);
    if (hasGnuTime) rssMb = Math.max(rssMb ?? 0, Number(err.trim().split('\n').at(-1)) / 1024);
  }
  return { ms: median(samples), rssMb };
}

/** In-process timing of `fn`, median of `runs`. */
function timeFn(fn, runs = 5) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(ms(t0));
  }
  return median(samples);
}

const bf = (db, ...rest) => [process.execPath, BIN, '--db', db, ...rest];

/** Generated databases, made once per (clients, entries) and reused. */
const made = new Map();
function database(clients, entries) {
  const key = `${clients}x${entries}`;
  if (made.has(key)) return made.get(key);
  const file = path.join(dir, `bench-${key}.db`);
  if (!fs.existsSync(file)) {
    const t0 = performance.now();
    const n = generate({ out: file, clients, entries, today });
    log(`  (generated ${n.clients} clients × ${entries} entries, ${n.measurements} measures in ${(ms(t0) / 1000).toFixed(1)} s)`);
  }
  made.set(key, file);
  return file;
}

function copyDb(file, to) {
  for (const suffix of ['-wal', '-shm']) fs.rmSync(to + suffix, { force: true });
  fs.copyFileSync(file, to);
  return to;
}

const log = (line) => console.log(line);
const fmtMs = (v) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(0)} ms`);

/** One line: what, its time, the floor, the ratio against the target. */
function figure(name, value, floor, target, extra = '') {
  const ratio = value / floor;
  const verdict = target ? (ratio <= target ? 'ok' : 'MISS') : '';
  log(`  ${name.padEnd(44)} ${fmtMs(value).padStart(9)}   floor ${fmtMs(floor).padStart(9)}   ${ratio.toFixed(2).padStart(5)}×${target ? ` (target ≤ ${target}×) ${verdict}` : ''}${extra ? `  ${extra}` : ''}`);
  return { name, value, floor, ratio, target, ok: target ? ratio <= target : null };
}

// ---------------------------------------------------------------- floors
const BARE_LIST = `import Database from 'better-sqlite3';
const db = new Database(process.argv[1], { readonly: true });
process.stdout.write(JSON.stringify(db.prepare("select * from clients where status = 'active' order by last_name, first_name").all(), null, 2) + '\\n');`;

/** The SQL `summary` sends, run directly: the work it cannot avoid. */
function summaryFloorSql(file) {
  const raw = new Database(file, { readonly: true });
  const q = summaryQueries(today).map(([sql, params]) => [raw.prepare(sql), params]);
  const t = timeFn(() => {
    for (const [stmt, params] of q) stmt.all(...params);
  });
  raw.close();
  return t;
}

const BARE_SUMMARY = `import Database from 'better-sqlite3';
import { summaryQueries } from ${JSON.stringify(new URL('./queries.mjs', import.meta.url).href)};
const db = new Database(process.argv[1], { readonly: true });
for (const [sql, params] of summaryQueries(process.argv[2])) db.prepare(sql).all(...params);`;

/**
 * The import floor: read the same CSV and insert the same rows (entries with
 * their exercises and a decision, measures, an audit row each) with one
 * prepared statement per table in one transaction. No checks, no rules.
 */
function importFloor(dbFile, csvFile, { asTheApp = false } = {}) {
  const raw = new Database(dbFile);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  // For context: the same loop on a connection set up as bridgefit's (src/store/sqlite.ts):
  // foreign keys checked, every b-tree cell checked as read, the entry's id by RETURNING.
  if (asTheApp) {
    raw.pragma('foreign_keys = ON');
    raw.pragma('cell_size_check = ON');
  }
  // A real entry's exercises and decision, as the app would write them.
  const { exercises, decision } = sampleRows(today).attended;
  const now = new Date().toISOString();
  const t0 = performance.now();
  const entry = raw.prepare(
    `insert into progress_entries (client_id, program_id, stage, session_date, recorded_at, attended, missed_reason, duration_min, pain_before, pain_during, pain_after, rpe, rpe_scale, bp_systolic, bp_diastolic, resting_hr, symptoms, exercises, notes, decision)
     values (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?)${asTheApp ? ' returning id' : ''}`,
  );
  const measure = raw.prepare('insert into measurements (entry_id, client_id, session_date, code, side, value) values (?, ?, ?, ?, ?, ?)');
  const audit = raw.prepare("insert into audit_log (at, command, action, entity, entity_id, client_id, detail) values (?, 'progress import', 'progress.create', 'progress_entry', ?, ?, null)");
  const lines = fs.readFileSync(csvFile, 'utf8').split('\n');
  raw.transaction(() => {
    for (let i = 1; i < lines.length; i++) {
      if (!lines[i]) continue;
      const f = lines[i].split(',');
      const client = Number(f[0]);
      const attended = f[2] === 'yes';
      const num = (s) => (s === '' ? null : Number(s));
      const [sys, dia] = f[9] ? f[9].split('/').map(Number) : [null, null];
      const values = [client, client, f[1], now, attended ? 1 : 0, f[3] || null, num(f[4]), num(f[5]), num(f[6]), num(f[7]), num(f[8]), f[8] ? 'cr10' : null, sys, dia, num(f[10]), attended ? exercises : '[]', f[12] || null, decision];
      const id = asTheApp ? entry.get(values).id : entry.run(values).lastInsertRowid;
      if (f[11]) {
        for (const m of f[11].split(';')) {
          const [k, v] = m.split('=');
          const [code, side] = k.split('.');
          measure.run(id, client, f[1], code, side ?? null, Number(v));
        }
      }
      audit.run(now, id, client);
    }
  })();
  const t = ms(t0);
  raw.close();
  return t;
}

// ---------------------------------------------------------------- export floors
/** Every table an export holds, as the sqlite3 CLI reads them. */
const EXPORT_TABLES = ['clients', 'intakes', 'clearances', 'screenings', 'programs', 'stage_transitions', 'signoffs', 'progress_entries', 'measurements', 'entry_amendments', 'referrals', 'audit_log'];
const hasSqlite3 = spawnSync('sqlite3', ['-version'], { stdio: 'ignore' }).status === 0;

/**
 * The import floor: the export file read and parsed, then every row inserted
 * by one prepared statement per table in one transaction, ids kept, JSON
 * columns stringified. No checking, no remapping, no record of the import.
 */
function exportImportFloor(dbFile, exportFile) {
  const t0 = performance.now();
  const doc = JSON.parse(fs.readFileSync(exportFile, 'utf8'));
  const db = new Database(dbFile);
  const snake = (k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const statements = new Map();
  const nested = new Set(['intakes', 'clearances', 'screenings', 'programs', 'entries', 'referrals', 'stageTransitions', 'signoffs', 'measurements', 'amendments']);
  const insert = (table, rec, extra) => {
    const row = { ...extra };
    for (const [k, v] of Object.entries(rec)) if (!nested.has(k)) row[snake(k)] = v !== null && typeof v === 'object' ? JSON.stringify(v) : typeof v === 'boolean' ? (v ? 1 : 0) : v;
    let st = statements.get(table);
    if (!st) {
      const cols = Object.keys(row);
      st = { cols, run: db.prepare(`insert into ${table} (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map(() => '?').join(', ')})`) };
      statements.set(table, st);
    }
    st.run.run(st.cols.map((c) => row[c] ?? null));
  };
  db.transaction(() => {
    for (const c of doc.clients) {
      insert('clients', c, {});
      for (const r of c.intakes) insert('intakes', r, { client_id: c.id });
      for (const r of c.clearances) insert('clearances', r, { client_id: c.id });
      for (const r of c.screenings) insert('screenings', r, { client_id: c.id });
      for (const p of c.programs) {
        insert('programs', p, { client_id: c.id });
        for (const r of p.stageTransitions) insert('stage_transitions', r, { program_id: p.id, client_id: c.id });
        for (const r of p.signoffs) insert('signoffs', r, { program_id: p.id });
      }
      for (const e of c.entries) {
        insert('progress_entries', e, { client_id: c.id });
        for (const r of e.measurements) insert('measurements', r, { entry_id: e.id, client_id: c.id });
        for (const r of e.amendments) insert('entry_amendments', r, { entry_id: e.id });
      }
      for (const r of c.referrals) insert('referrals', r, { client_id: c.id });
    }
    for (const a of doc.audit) insert('audit_log', a, {});
  })();
  db.close();
  return ms(t0);
}

// ---------------------------------------------------------------- sections
const SECTIONS = {
  async export() {
    log(`export and import (issue 17): export --all on ${opt.clients} × ${opt.entries}; import of ${opt.exportImportClients} × ${opt.entries} (one run each)`);
    const out = [];
    const db = database(opt.clients, opt.entries);
    const file = path.join(dir, 'export-all.json');
    fs.rmSync(file, { force: true });
    const cli = timeCommand(bf(db, '-q', 'export', '--all', '--out', file), { runs: 1 });
    const size = fs.statSync(file).size;
    fs.rmSync(file, { force: true });
    // The same to stdout redirected into a file, as the floor writes: no fsync of 2.7 GB before the rename.
    const piped = timeCommand(['sh', '-c', `"$0" "$1" --db "$2" -q export --all --out - > "$3"`, process.execPath, BIN, db, file], { runs: 1 });
    fs.rmSync(file, { force: true });
    if (hasSqlite3) {
      // The same tables, every row, as JSON into a file on the same disk.
      const sqlFile = path.join(dir, 'export-sqlite3.json');
      const selects = EXPORT_TABLES.map((t) => `select * from ${t} order by id;`).join(' ');
      const floor = timeCommand(['sh', '-c', `sqlite3 -readonly "$0" ".mode json" "$1" > "$2"`, db, selects, sqlFile], { runs: 1 });
      const floorSize = fs.statSync(sqlFile).size;
      fs.rmSync(sqlFile, { force: true });
      out.push(
        figure(`export --all (${opt.clients} × ${opt.entries})`, cli.ms, floor.ms, 2, `${(size / 2 ** 30).toFixed(2)} GB, peak ${cli.rssMb?.toFixed(0) ?? '?'} MB; sqlite3 wrote ${(floorSize / 2 ** 30).toFixed(2)} GB`),
        figure('  the same with --out - > file (no fsync)', piped.ms, floor.ms, null),
      );
    } else log('  (no sqlite3 CLI: export --all not compared; apt-get install sqlite3)');

    const small = database(opt.exportImportClients, opt.entries);
    const smallFile = path.join(dir, `export-${opt.exportImportClients}.json`);
    fs.rmSync(smallFile, { force: true });
    timeCommand(bf(small, '-q', 'export', '--all', '--out', smallFile), { runs: 1 });
    const fresh = () => {
      const f = path.join(dir, 'import-target.db');
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(f + suffix, { force: true });
      execFileSync(process.execPath, [BIN, '--db', f, '-q', 'init'], { stdio: 'ignore' });
      return f;
    };
    const importFloorMs = exportImportFloor(fresh(), smallFile);
    const target = fresh();
    const imported = timeCommand(bf(target, '-q', 'import', smallFile), { runs: 1 });
    const n = new Database(target, { readonly: true }).prepare('select count(*) from progress_entries').pluck().get();
    if (n !== opt.exportImportClients * opt.entries) throw new Error(`import stored ${n} entries, expected ${opt.exportImportClients * opt.entries}`);
    out.push(figure(`import (${opt.exportImportClients} × ${opt.entries}, ${(fs.statSync(smallFile).size / 2 ** 20).toFixed(0)} MB)`, imported.ms, importFloorMs, 3, `peak ${imported.rssMb?.toFixed(0) ?? '?'} MB`));
    fs.rmSync(smallFile, { force: true });
    return out;
  },

  async startup() {
    log(`start-up: client list --json on ${opt.clients} clients (medians of ${opt.runs})`);
    const db = database(opt.clients, opt.entries);
    const floor = timeCommand([process.execPath, '-e', '']).ms;
    const help = timeCommand([process.execPath, BIN, '--help']).ms;
    const list = timeCommand(bf(db, 'client', 'list', '--json')).ms;
    // Start-up itself: the same command on 10 clients (loading the CLI, kysely and better-sqlite3, opening the file).
    const small = timeCommand(bf(database(10, 0), 'client', 'list', '--json')).ms;
    // For context: a bare script doing the same work (load better-sqlite3, read every client, print pretty JSON).
    const bare = timeCommand([process.execPath, '--input-type=module', '-e', BARE_LIST, db]).ms;
    return [
      figure('bridgefit --help', help, floor, null),
      figure(`bridgefit client list --json (${opt.clients})`, list, floor, 1.5),
      figure('  the same vs a bare better-sqlite3 script', list, bare, null),
      figure('bridgefit client list --json (10)', small, floor, null),
    ];
  },

  async summary() {
    log(`summary --format json on ${opt.clients} clients × ${opt.entries} entries (medians of 5)`);
    const db = database(opt.clients, opt.entries);
    const floor = summaryFloorSql(db);
    const cli = timeCommand(bf(db, 'summary', '--since', '28d', '--format', 'json'), { runs: 5 });
    // For context: the same SQL from a fresh process (node start-up, cold SQLite cache).
    const bare = timeCommand([process.execPath, '--input-type=module', '-e', BARE_SUMMARY, db, today], { runs: 5 }).ms;
    return [
      figure('bridgefit summary --format json', cli.ms, floor, 2, cli.rssMb ? `peak ${cli.rssMb.toFixed(0)} MB` : ''),
      figure('  the same vs the SQL from a fresh process', cli.ms, bare, null),
    ];
  },

  async import() {
    const clients = Math.min(opt.clients, opt.importRows);
    log(`progress import: ${opt.importRows} rows over ${clients} clients (one run each)`);
    const { cli, floor, floorAsApp, rssMb } = importRun(clients, opt.importRows, { withAppFloor: true });
    return [
      figure(`bridgefit progress import (${opt.importRows} rows)`, cli, floor, 2, rssMb ? `peak ${rssMb.toFixed(0)} MB` : ''),
      figure('  the same vs the floor with the app\'s pragmas', cli, floorAsApp, null),
    ];
  },

  async scaling() {
    const perClient = opt.scaleImport;
    log(`scaling: cost per client at ${opt.sizes.join(', ')} clients (${opt.entries} entries each; import ${perClient} rows a client)`);
    const rows = [];
    for (const n of opt.sizes) {
      const db = database(n, opt.entries);
      const start = timeCommand([process.execPath, '-e', ''], { runs: 5 }).ms;
      // One untimed run first: the 100k file (28 GB) is larger than this machine's memory, and
      // a cold page cache made summary's first runs twice as slow as the rest.
      timeCommand(bf(db, 'summary', '--since', '28d', '--format', 'json'), { runs: 1 });
      const list = timeCommand(bf(db, 'client', 'list', '--json'), { runs: 5 }).ms;
      const sum = timeCommand(bf(db, 'summary', '--since', '28d', '--format', 'json'), { runs: 3 }).ms;
      const imp = importRun(n, n * perClient);
      rows.push({ n, list: list - start, sum: sum - start, imp: imp.cli - start, impFloor: imp.floor });
    }
    log(`  ${'clients'.padStart(8)}  ${'list µs/client'.padStart(15)}  ${'summary µs/client'.padStart(18)}  ${'import µs/row'.padStart(14)}  ${'floor µs/row'.padStart(13)}   (start-up of node subtracted)`);
    for (const r of rows) {
      log(`  ${String(r.n).padStart(8)}  ${((r.list * 1000) / r.n).toFixed(1).padStart(15)}  ${((r.sum * 1000) / r.n).toFixed(1).padStart(18)}  ${((r.imp * 1000) / (r.n * perClient)).toFixed(1).padStart(14)}  ${((r.impFloor * 1000) / (r.n * perClient)).toFixed(1).padStart(13)}`);
    }
    // The fixed cost (modules, opening the database) hides in the small sizes; what each
    // further client costs is the slope between two sizes, and it must not grow.
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1], rows[i]];
      const dn = b.n - a.n;
      log(`  ${`${a.n}→${b.n}`.padStart(14)}: each further client costs list ${(((b.list - a.list) * 1000) / dn).toFixed(1)} µs, summary ${(((b.sum - a.sum) * 1000) / dn).toFixed(1)} µs, import ${(((b.imp - a.imp) * 1000) / (dn * perClient)).toFixed(1)} µs a row (floor ${(((b.impFloor - a.impFloor) * 1000) / (dn * perClient)).toFixed(1)})`);
    }
    return [];
  },

  async report() {
    const sizes = [...new Set([...opt.reportSizes, opt.reportClients])].sort((a, b) => a - b);
    log(`report --all: ${sizes.join(', ')} clients × ${opt.entries} entries, one PDF per active client (--since 6w; ${opt.reportRuns ? `medians of ${opt.reportRuns}` : 'medians of 3 below 500 clients, 1 run above'})`);
    const rows = sizes.map((n) => reportRun(n));
    const main = rows.find((r) => r.n === opt.reportClients);
    log(`  ${'clients'.padStart(8)} ${'reports'.padStart(8)} ${'pages'.padStart(6)}  ${'ms/report'.padStart(9)} ${'floor'.padStart(6)} ${'shared'.padStart(6)}  ${'peak MB'.padStart(7)} ${'floor'.padStart(6)} ${'shared'.padStart(6)}   (floor: fonts registered per document; shared: parsed once)`);
    for (const r of rows) {
      const per = (v) => (v / r.reports).toFixed(1);
      log(`  ${String(r.n).padStart(8)} ${String(r.reports).padStart(8)} ${String(r.pages).padStart(6)}  ${per(r.cli.ms).padStart(9)} ${per(r.floor.ms).padStart(6)} ${per(r.shared.ms).padStart(6)}  ${mb(r.cli.rssMb).padStart(7)} ${mb(r.floor.rssMb).padStart(6)} ${mb(r.shared.rssMb).padStart(6)}`);
    }
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1], rows[i]];
      const dn = b.reports - a.reports;
      log(`  ${`${a.n}→${b.n}`.padStart(14)}: each further report costs ${((b.cli.ms - a.cli.ms) / dn).toFixed(1)} ms (floor ${((b.floor.ms - a.floor.ms) / dn).toFixed(1)}, shared fonts ${((b.shared.ms - a.shared.ms) / dn).toFixed(1)}); peak memory ${mb(a.cli.rssMb)} → ${mb(b.cli.rssMb)} MB`);
    }
    const rss = main.cli.rssMb;
    const memOk = rss === null ? null : rss <= 300;
    return [
      figure(`bridgefit report --all (${main.reports} reports, ${main.pages} pages)`, main.cli.ms, main.floor.ms, 2, rss === null ? '' : `peak ${mb(rss)} MB (target ≤ 300 MB) ${memOk ? 'ok' : 'MISS'}; floor peak ${mb(main.floor.rssMb)} MB`),
      figure('  the same vs the floor with fonts parsed once', main.cli.ms, main.shared.ms, null, rss === null ? '' : `floor peak ${mb(main.shared.rssMb)} MB`),
      { name: `report --all peak memory (${mb(rss)} MB)`, ok: memOk },
    ];
  },

  /**
   * Issue 14: what one everyday command costs on a full database. Each round runs every
   * command once, in the same order, so the machine's load falls on all of them alike;
   * the first round is untimed (page cache, V8's code cache). The writes (`screen`,
   * `progress add`) go to a fresh copy of the database, and each `progress add` records
   * a session on a different recent day the client has none, so every run writes.
   * `screen` stores a verdict only when it differs from the client's last one
   * (src/store/screenings.ts), so before each timed `screen` the row the previous one
   * stored is deleted (untimed) and every run stores one; the same command run again
   * right after, verdict unchanged and nothing stored, is shown for context.
   */
  async commands() {
    const runs = opt.runs;
    const source = database(opt.clients, opt.entries);
    const db = copyDb(source, path.join(dir, 'commands.db'));
    const raw = new Database(db);
    // A client in the middle of the file, active, with no open referral: an ordinary client.
    const id = raw
      .prepare("select id from clients where status = 'active' and id >= ? and id not in (select client_id from referrals where status = 'open') order by id limit 1")
      .pluck()
      .get(Math.ceil(opt.clients / 2));
    if (id === undefined) throw new Error('no active client without an open referral in the database');
    const taken = new Set(raw.prepare('select session_date from progress_entries where client_id = ?').pluck().all(id));
    const free = [];
    for (let back = 1; free.length < runs + 1; back++) {
      const day = addDays(today, -back);
      if (!taken.has(day)) free.push(day);
    }
    const count = (table) => raw.prepare(`select count(*) from ${table} where client_id = ?`).pluck().get(id);
    const before = { entries: count('progress_entries'), screenings: count('screenings') };
    const generatedScreening = raw.prepare('select max(id) from screenings where client_id = ?').pluck().get(id);
    const expectScreenings = (n, what) => {
      if (count('screenings') !== before.screenings + n) throw new Error(`${what}: ${count('screenings') - before.screenings} screenings stored, expected ${n}`);
    };
    log(`per-client commands on ${opt.clients} clients × ${opt.entries} entries, client ${id} (${runs} interleaved rounds after one untimed; progress add on ${free.at(-1)}…${free[0]}, days the client had no entry)`);
    const commands = [
      { name: "node -e ''", argv: () => [process.execPath, '-e', ''] },
      { name: 'bridgefit --help', argv: () => [process.execPath, BIN, '--help'], target: 1.3 },
      { name: `bridgefit client show ${id}`, argv: () => bf(db, 'client', 'show', String(id)), target: 1.6 },
      { name: `bridgefit program status ${id}`, argv: () => bf(db, 'program', 'status', String(id)), target: 1.6 },
      {
        name: `bridgefit screen ${id} (stores its verdict)`,
        argv: () => bf(db, 'screen', String(id)),
        before: () => raw.prepare('delete from screenings where client_id = ? and id > ?').run(id, generatedScreening),
        after: () => expectScreenings(1, 'screen'),
        target: 1.6,
      },
      { name: '  the same again, verdict unchanged', argv: () => bf(db, 'screen', String(id)), after: () => expectScreenings(1, 'screen again') },
      { name: `bridgefit progress add ${id} (a new day)`, argv: (round) => bf(db, 'progress', 'add', String(id), '--pain-before', '2', '--rpe', '4', '--date', free[round]), target: 1.6 },
    ];
    const samples = commands.map(() => []);
    for (let round = 0; round <= runs; round++) {
      commands.forEach((c, i) => {
        c.before?.();
        const t = timeCommand(c.argv(round), { runs: 1 }).ms;
        c.after?.();
        if (round > 0) samples[i].push(t);
      });
    }
    const after = { entries: count('progress_entries'), screenings: count('screenings') };
    raw.close();
    if (after.entries - before.entries !== runs + 1) throw new Error(`progress add wrote ${after.entries - before.entries} entries in ${runs + 1} runs`);
    const sorted = samples.map((xs) => [...xs].sort((a, b) => a - b));
    const floor = median(samples[0]);
    const spread = (xs) => `min ${xs[0].toFixed(0)}, quartiles ${xs[Math.floor(xs.length / 4)].toFixed(0)}–${xs[Math.floor((3 * xs.length) / 4)].toFixed(0)}, max ${xs.at(-1).toFixed(0)} ms`;
    log(`  ${"node -e ''".padEnd(44)} ${fmtMs(floor).padStart(9)}   (${spread(sorted[0])})`);
    const out = [];
    commands.forEach((c, i) => {
      if (i === 0) return;
      // The ratio round by round too: each sample against the floor measured just before it.
      const perRound = samples[i].map((t, r) => t / samples[0][r]).sort((a, b) => a - b);
      out.push(figure(c.name, median(samples[i]), floor, c.target, `(${spread(sorted[i])}; ratio by round ${perRound[0].toFixed(2)}–${perRound.at(-1).toFixed(2)}×)`));
    });
    log(`  (${runs + 1} entries and ${runs + 1} screenings written to ${db}; the generated database is untouched)`);
    return out;
  },
};

/**
 * Issue 16: `progress add` with 8 exercises logged (`--did id=3x10@20kg`, the first 8 of
 * the client's current stage, the library loaded to check the ids and the limits, and the
 * next loads worked out) against the same session with no exercises (the stage's plan taken
 * as done), ≤ 1.3×. Interleaved rounds after one untimed, as `commands`; each run records a
 * session on a different day the client had none, on a copy of the generated database.
 */
SECTIONS.exercises = async function exercises() {
  const runs = opt.runs;
  const source = database(opt.exerciseClients, opt.entries);
  const db = copyDb(source, path.join(dir, 'exercises.db'));
  const raw = new Database(db);
  const id = raw
    .prepare("select id from clients where status = 'active' and id >= ? and id not in (select client_id from referrals where status = 'open') order by id limit 1")
    .pluck()
    .get(Math.ceil(opt.exerciseClients / 2));
  const program = raw.prepare("select snapshot, current_stage from programs where client_id = ? and status = 'active'").get(id);
  const stage = JSON.parse(program.snapshot).stages[program.current_stage - 1];
  const ids = stage.exercises.filter((x) => x.dose.reps !== undefined).map((x) => x.exerciseId).slice(0, 8);
  if (ids.length < 8) throw new Error(`stage ${program.current_stage} of client ${id} has ${ids.length} exercises in reps; 8 needed`);
  const taken = new Set(raw.prepare('select session_date from progress_entries where client_id = ?').pluck().all(id));
  const free = [];
  for (let back = 1; free.length < 2 * (runs + 1); back++) {
    const day = addDays(today, -back);
    if (!taken.has(day)) free.push(day);
  }
  const count = () => raw.prepare('select count(*) from progress_entries where client_id = ?').pluck().get(id);
  const before = count();
  log(`progress add with 8 exercises vs none, on ${opt.exerciseClients} clients × ${opt.entries} entries, client ${id} at stage ${program.current_stage} (${runs} interleaved rounds after one untimed): ${ids.join(', ')}`);
  const base = (day) => bf(db, 'progress', 'add', String(id), '--pain-before', '2', '--pain-during', '3', '--rpe', '4', '--date', day);
  const commands = [
    { name: "node -e ''", argv: () => [process.execPath, '-e', ''] },
    { name: `progress add ${id}, no exercises`, argv: (round) => base(free[2 * round]) },
    { name: `progress add ${id}, 8 exercises (--did)`, argv: (round) => [...base(free[2 * round + 1]), ...ids.flatMap((x) => ['--did', `${x}=3x10@20kg`])] },
  ];
  const samples = commands.map(() => []);
  for (let round = 0; round <= runs; round++) {
    commands.forEach((c, i) => {
      const t = timeCommand(c.argv(round), { runs: 1 }).ms;
      if (round > 0) samples[i].push(t);
    });
  }
  const written = count() - before;
  const exercisesStored = raw.prepare('select exercises from progress_entries where client_id = ? order by id desc limit 1').pluck().get(id);
  raw.close();
  if (written !== 2 * (runs + 1)) throw new Error(`progress add wrote ${written} entries in ${2 * (runs + 1)} runs`);
  if (JSON.parse(exercisesStored).length !== 8) throw new Error('the last entry does not hold the 8 exercises');
  const sorted = samples.map((xs) => [...xs].sort((a, b) => a - b));
  const spread = (xs) => `min ${xs[0].toFixed(0)}, quartiles ${xs[Math.floor(xs.length / 4)].toFixed(0)}–${xs[Math.floor((3 * xs.length) / 4)].toFixed(0)}, max ${xs.at(-1).toFixed(0)} ms`;
  const floor = median(samples[0]);
  log(`  ${"node -e ''".padEnd(44)} ${fmtMs(floor).padStart(9)}   (${spread(sorted[0])})`);
  const none = median(samples[1]);
  log(`  ${commands[1].name.padEnd(44)} ${fmtMs(none).padStart(9)}   ${(none / floor).toFixed(2)}× node -e ''  (${spread(sorted[1])})`);
  // The target is against the session without exercises, round by round too.
  const perRound = samples[2].map((t, r) => t / samples[1][r]).sort((a, b) => a - b);
  return [figure(commands[2].name, median(samples[2]), none, 1.3, `(${spread(sorted[2])}; ratio by round ${perRound[0].toFixed(2)}–${perRound.at(-1).toFixed(2)}×; floor: the same without exercises)`)];
};

const mb = (v) => (v === null || v === undefined ? '?' : v.toFixed(0));

/**
 * `report --all` on n clients, then the floor drawing the pages it wrote.
 * The pages are extracted once per size (bench/report-floor.mjs extract),
 * outside the timings.
 */
function reportRun(n) {
  const db = database(n, opt.entries);
  const runs = opt.reportRuns ?? (n < 500 ? 3 : 1);
  const out = path.join(dir, `report-${n}`);
  const floorIn = path.join(dir, `report-${n}-pages`);
  const floorOut = path.join(dir, `report-${n}-floor`);
  const fresh = (d) => {
    fs.rmSync(d, { recursive: true, force: true });
    fs.mkdirSync(d, { recursive: true });
    return d;
  };
  // Each run starts from an empty folder (report --all would replace the files anyway).
  const cli = timeRuns(runs, () => fresh(out), bf(db, '-q', 'report', '--all', '--out-dir', out));
  const pdfs = fs.readdirSync(out).filter((f) => f.endsWith('.pdf'));
  const active = new Database(db, { readonly: true }).prepare("select count(*) from clients where status = 'active'").pluck().get();
  if (pdfs.length !== active) throw new Error(`report --all wrote ${pdfs.length} PDFs for ${active} active clients`);
  const pages = pdfs.reduce((sum, f) => sum + countPdf(path.join(out, f)), 0);
  fresh(floorIn);
  const t0 = performance.now();
  const ex = spawnSync(process.execPath, [FLOOR, 'extract', '--pdfs', out, '--out', floorIn], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (ex.status !== 0) throw new Error(`extracting the pages failed: ${ex.stderr.slice(-2000)}`);
  const st = JSON.parse(ex.stdout);
  if (st.pages !== pages) throw new Error(`extracted ${st.pages} pages, the PDFs have ${pages}`);
  log(`  (${n} clients: extracted ${st.texts} text items and ${st.paths} path operations from ${st.pdfs} PDFs, ${pages} pages, in ${(ms(t0) / 1000).toFixed(1)} s; untimed)`);
  const floor = timeRuns(runs, () => fresh(floorOut), [process.execPath, FLOOR, '--in', floorIn, '--out-dir', floorOut]);
  if (fs.readdirSync(floorOut).length !== pdfs.length) throw new Error('the floor did not write every PDF');
  const shared = timeRuns(runs, () => fresh(floorOut), [process.execPath, FLOOR, '--in', floorIn, '--out-dir', floorOut, '--shared-fonts']);
  return { n, reports: pdfs.length, pages, cli, floor, shared };
}

/** timeCommand, with `before` (untimed) ahead of each run. */
function timeRuns(runs, before, argv) {
  const samples = [];
  let rssMb = null;
  for (let i = 0; i < runs; i++) {
    before();
    const r = timeCommand(argv, { runs: 1 });
    samples.push(r.ms);
    if (r.rssMb !== null) rssMb = Math.max(rssMb ?? 0, r.rssMb);
  }
  return { ms: median(samples), rssMb };
}

function importRun(clients, rows, { withAppFloor = false } = {}) {
  const base = database(clients, 0);
  const csv = path.join(dir, `import-${clients}x${rows}.csv`);
  if (!fs.existsSync(csv)) importCsv({ file: csv, clients, rows, today });
  const floorDb = copyDb(base, path.join(dir, 'import-floor.db'));
  const floor = importFloor(floorDb, csv);
  const floorAsApp = withAppFloor ? importFloor(copyDb(base, floorDb), csv, { asTheApp: true }) : null;
  const cliDb = copyDb(base, path.join(dir, 'import-cli.db'));
  const cli = timeCommand(bf(cliDb, '-q', 'progress', 'import', csv), { runs: 1 });
  const n = new Database(cliDb, { readonly: true }).prepare('select count(*) from progress_entries').pluck().get();
  if (n !== rows) throw new Error(`progress import stored ${n} entries, expected ${rows}`);
  return { cli: cli.ms, floor, floorAsApp, rssMb: cli.rssMb };
}

// ---------------------------------------------------------------- main
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: path.dirname(BIN), encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
log(`bridgefit benchmarks — ${new Date().toISOString()}, commit ${commit}`);
log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ${os.type()} ${os.release()}, node ${process.version}`);
log(`data in ${dir}${opt.keep ? ' (kept)' : ''}`);
const results = [];
try {
  for (const name of opt.only) {
    if (!SECTIONS[name]) throw new Error(`no section "${name}"; there are ${Object.keys(SECTIONS).join(', ')}`);
    results.push(...(await SECTIONS[name]()));
  }
  const missed = results.filter((r) => r.ok === false);
  log(missed.length ? `misses its target: ${missed.map((r) => r.name).join('; ')}` : 'every figure meets its target');
} finally {
  if (!opt.keep) fs.rmSync(dir, { recursive: true, force: true });
}
