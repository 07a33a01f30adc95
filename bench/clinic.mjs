#!/usr/bin/env node
// Clinic mode on PostgreSQL (issue 18), two figures:
//   summary   `summary --since 28d --format json` on N clients × M entries, on PostgreSQL (as the
//             trainer whose clients they are, row-level security on; and as the administrator)
//             beside the same data in SQLite: wall time of the binary, median of --runs
//             interleaved rounds after one untimed; the outputs are compared too.
//   writers   --writers trainers (8) adding sessions at once: each its own login and its own
//             clients, each a loop of `bridgefit progress add` processes for --seconds; sessions
//             a second, and 0 lost (rows counted afterwards = commands that succeeded; none
//             failed, none with a serialisation error). The same loop on one SQLite file, for context.
//
//   npm run build && BRIDGEFIT_BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres \
//     node bench/clinic.mjs [--only summary,writers] [--clients 10000] [--entries 150] [--runs 5]
//       [--writers 8] [--seconds 30] [--keep DIR] [--keep-clinic]
//
// The server: BRIDGEFIT_BENCH_POSTGRES, else BRIDGEFIT_TEST_POSTGRES (a superuser's URL, as
// `.ci/postgres start DIR` prints). Each figure makes a database of its own there (and logins for
// it), dropped at the end unless --keep-clinic. Loading needs `psql` on the PATH (COPY). The
// server must hold no other bridgefit clinic: `clinic init` makes one clinic per server.
//
// How the data gets into PostgreSQL: the SQLite file comes from bench/generate.mjs (as for every
// other bench; reused from --keep DIR); a fresh clinic is made through the CLI (clinic init, then
// clinic add-trainer); then every row of the file is streamed into its table with COPY … FROM
// STDIN (CSV, through psql), as the superuser with session_replication_role = replica (no
// foreign-key triggers: the rows come from a consistent file), ids kept, every client given to
// the one trainer (clients.trainer) and every audit record written by them (audit_log.actor);
// then the id sequences are moved past the rows and the tables vacuumed and analysed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { BIN, addDays, generate, localToday } from './generate.mjs';

const SERVER = process.env.BRIDGEFIT_BENCH_POSTGRES || process.env.BRIDGEFIT_TEST_POSTGRES || '';
if (!SERVER) {
  console.error(
    'bench/clinic.mjs needs a PostgreSQL server and neither BRIDGEFIT_BENCH_POSTGRES nor BRIDGEFIT_TEST_POSTGRES is set.\n' +
      'Set one to a superuser URL, e.g. the one `.ci/postgres start /tmp/bfpg-bench` prints. Nothing was run.',
  );
  process.exit(2);
}

// ---------------------------------------------------------------- options
const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const m = /^--([a-z-]+)$/.exec(process.argv[i]);
  if (!m) throw new Error(`unexpected argument ${process.argv[i]} (see the top of bench/clinic.mjs)`);
  args[m[1]] = m[1] === 'keep-clinic' ? true : process.argv[++i];
}
const opt = {
  only: (args.only ?? 'summary,writers').split(','),
  clients: Number(args.clients ?? 10_000),
  entries: Number(args.entries ?? 150),
  runs: Number(args.runs ?? 5),
  writers: Number(args.writers ?? 8),
  seconds: Number(args.seconds ?? 30),
  keep: args.keep,
  keepClinic: Boolean(args['keep-clinic']),
};
const today = localToday();
const dir = opt.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bridgefit-clinic-bench-'));
fs.mkdirSync(dir, { recursive: true });
const log = (line) => console.log(line);
const ms = (t0) => performance.now() - t0;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const fmtMs = (v) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(0)} ms`);
const id = () => crypto.randomBytes(3).toString('hex');

// ---------------------------------------------------------------- the server
const superuser = new URL(SERVER).username || 'postgres';
function urlFor(login, database) {
  const u = new URL(SERVER);
  if (login !== superuser) u.password = '';
  u.username = login;
  u.pathname = `/${database}`;
  return u.toString();
}
/** One statement on `database` as the superuser. */
async function sql(database, text, values = []) {
  const client = new pg.Client({ connectionString: urlFor(superuser, database) });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}
const made = { databases: [], logins: [] };
async function cleanUp() {
  if (opt.keepClinic) {
    if (made.databases.length) log(`(kept: databases ${made.databases.join(', ')}; logins ${made.logins.join(', ')})`);
    return;
  }
  for (const d of made.databases.splice(0)) await sql('postgres', `drop database if exists ${d} with (force)`);
  for (const l of made.logins.splice(0)) await sql('postgres', `drop role if exists ${l}`);
}

/** Run the binary and wait: { code, stdout, stderr, ms }. */
function bfSync(db, ...rest) {
  const env = typeof rest.at(-1) === 'object' ? { ...process.env, ...rest.pop() } : process.env;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, '--db', db, ...rest], { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'], env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: ms(t0) };
}
function must(r, what) {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return r;
}
/** The same, without blocking the other writers. */
function bfAsync(db, ...rest) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, '--db', db, ...rest], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr, ms: ms(t0) }));
  });
}

/** A fresh clinic made through the CLI: its database, `clinic init` as the superuser, an administrator, trainers. */
async function freshClinic(label, trainers) {
  const database = `bfbench_${label}_${id()}`;
  await sql('postgres', `create database ${database}`);
  made.databases.push(database);
  const admin = `bfb_adm_${id()}`;
  made.logins.push(admin);
  must(bfSync(urlFor(superuser, database), '-q', 'clinic', 'init', '--admin', admin), 'clinic init');
  const logins = [];
  for (let i = 1; i <= trainers; i++) {
    const login = `bfb_t${i}_${id()}`;
    made.logins.push(login);
    must(bfSync(urlFor(admin, database), '-q', 'clinic', 'add-trainer', login, '--name', `Trainer ${i}`), 'clinic add-trainer');
    logins.push(login);
  }
  return { database, admin, trainers: logins };
}

// ---------------------------------------------------------------- loading
const TABLES = ['clients', 'audit_log', 'intakes', 'clearances', 'screenings', 'programs', 'stage_transitions', 'signoffs', 'progress_entries', 'measurements', 'entry_amendments', 'referrals'];
const csv = (v) => (v === null || v === undefined ? '' : typeof v === 'number' || typeof v === 'bigint' ? String(v) : `"${String(v).replaceAll('"', '""')}"`);

/** Every row of the SQLite `file` into the clinic's tables, as `trainer`'s (see the top). Returns counts and times. */
async function loadIntoClinic(file, database, trainer) {
  if (spawnSync('psql', ['--version'], { stdio: 'ignore' }).status !== 0) throw new Error('loading needs psql (PostgreSQL client) on the PATH');
  const src = new Database(file, { readonly: true });
  const t0 = performance.now();
  const rows = {};
  let bytes = 0;
  for (const table of TABLES) {
    const pgCols = (await sql(database, 'select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1 order by ordinal_position', [table])).map((r) => r.column_name);
    const have = new Set(src.pragma(`table_info(${table})`).map((c) => c.name));
    // The clinic's columns: whose client (the one trainer), who wrote the record (the same).
    const constant = { clients: { trainer }, audit_log: { actor: trainer } }[table] ?? {};
    // Ids kept (rows refer to each other by them), but for the audit log's: the clinic's own records are there already.
    const fromFile = pgCols.filter((c) => have.has(c) && !(c in constant) && !(table === 'audit_log' && c === 'id'));
    const extra = Object.entries(constant).filter(([c]) => pgCols.includes(c));
    const columns = [...fromFile, ...extra.map(([c]) => c)];
    const tail = extra.length ? ',' + extra.map(([, v]) => csv(v)).join(',') : '';
    const psql = spawn('psql', [urlFor(superuser, database), '-q', '-v', 'ON_ERROR_STOP=1', '-c', `copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from stdin with (format csv)`], {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, PGOPTIONS: '-c session_replication_role=replica -c synchronous_commit=off' },
    });
    let err = '';
    psql.stderr.on('data', (d) => (err += d));
    const done = new Promise((resolve) => psql.on('close', resolve));
    const write = (text) => (psql.stdin.write(text) ? Promise.resolve() : new Promise((resolve) => psql.stdin.once('drain', resolve)));
    let n = 0;
    let chunk = [];
    let size = 0;
    for (const row of src.prepare(`select ${fromFile.map((c) => `"${c}"`).join(', ')} from ${table} order by rowid`).raw(true).iterate()) {
      const line = row.map(csv).join(',') + tail + '\n';
      chunk.push(line);
      size += line.length;
      n++;
      if (size > 4 << 20) {
        await write(chunk.join(''));
        bytes += size;
        chunk = [];
        size = 0;
      }
    }
    if (chunk.length) await write(chunk.join(''));
    bytes += size;
    psql.stdin.end();
    const code = await done;
    if (code !== 0) throw new Error(`COPY into ${table} failed: ${err.slice(-2000)}`);
    rows[table] = n;
  }
  src.close();
  const copied = ms(t0);
  for (const table of TABLES) await sql(database, `select setval(pg_get_serial_sequence('${table}', 'id'), coalesce((select max(id) from ${table}), 0) + 1, false)`);
  const t1 = performance.now();
  await sql(database, 'vacuum analyze');
  return { rows, bytes, copyMs: copied, vacuumMs: ms(t1) };
}

// ---------------------------------------------------------------- summary
async function summaryFigure() {
  const file = path.join(dir, `bench-${opt.clients}x${opt.entries}.db`);
  if (!fs.existsSync(file)) {
    const t0 = performance.now();
    const n = generate({ out: file, clients: opt.clients, entries: opt.entries, today });
    log(`  (generated ${n.clients} clients × ${opt.entries} entries, ${n.measurements} measures in ${(ms(t0) / 1000).toFixed(1)} s: ${file})`);
  }
  const clinic = await freshClinic('summary', 1);
  const [trainer] = clinic.trainers;
  const loaded = await loadIntoClinic(file, clinic.database, trainer);
  const size = (await sql(clinic.database, 'select pg_database_size(current_database()) as n'))[0].n;
  log(
    `  loaded into ${clinic.database} as ${trainer}'s: ${Object.entries(loaded.rows).map(([t, n]) => `${t} ${n}`).join(', ')}; ` +
      `${(loaded.bytes / 2 ** 30).toFixed(2)} GB of CSV by COPY in ${(loaded.copyMs / 1000).toFixed(1)} s, vacuum analyze ${(loaded.vacuumMs / 1000).toFixed(1)} s; ` +
      `database ${(Number(size) / 2 ** 30).toFixed(2)} GB, SQLite file ${(fs.statSync(file).size / 2 ** 30).toFixed(2)} GB`,
  );
  const argv = ['summary', '--since', '28d', '--format', 'json'];
  const targets = [
    { name: 'SQLite file', db: file },
    { name: `PostgreSQL, as the trainer (row-level security)`, db: urlFor(trainer, clinic.database) },
    { name: 'PostgreSQL, as the administrator', db: urlFor(clinic.admin, clinic.database) },
    // For context: the server's JIT compiles the larger plans (their estimated cost is past
    // jit_above_cost), which takes longer than running them; libpq's PGOPTIONS turns it off.
    { name: '  as the trainer, with PGOPTIONS="-c jit=off"', db: urlFor(trainer, clinic.database), env: { PGOPTIONS: '-c jit=off' } },
  ];
  const samples = targets.map(() => []);
  const outputs = [];
  for (let round = 0; round <= opt.runs; round++) {
    targets.forEach((t, i) => {
      const r = must(bfSync(t.db, ...argv, t.env ?? {}), `summary on ${t.name}`);
      // A clinic's rows also say whose client each is (trainer): compared without it.
      if (round === 0) outputs[i] = JSON.parse(r.stdout).map(({ trainer: _trainer, ...row }) => row);
      else samples[i].push(r.ms);
    });
  }
  const base = median(samples[0]);
  log(`  summary --since 28d --format json, ${opt.clients} × ${opt.entries}, median of ${opt.runs} interleaved rounds after one untimed:`);
  targets.forEach((t, i) => {
    const xs = samples[i];
    log(`    ${t.name.padEnd(48)} ${fmtMs(median(xs)).padStart(8)}  (${fmtMs(Math.min(...xs))}–${fmtMs(Math.max(...xs))})  ${(median(xs) / base).toFixed(2)}× SQLite`);
  });
  for (let i = 1; i < outputs.length; i++) {
    const same = isDeepStrictEqual(outputs[i], outputs[0]);
    const diff = same ? '' : firstDifference(outputs[0], outputs[i]);
    log(`    ${targets[i].name}: ${outputs[i].length} clients, output ${same ? 'the same as SQLite\'s' : `DIFFERS from SQLite's: ${diff}`}`);
  }
}

function firstDifference(a, b) {
  if (a.length !== b.length) return `${a.length} clients against ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (isDeepStrictEqual(a[i], b[i])) continue;
    const keys = Object.keys(a[i]).filter((k) => !isDeepStrictEqual(a[i][k], b[i][k]));
    return `client ${a[i].clientId}: ${keys.map((k) => `${k} ${JSON.stringify(a[i][k])} vs ${JSON.stringify(b[i][k])}`).join('; ')}`;
  }
  return '?';
}

// ---------------------------------------------------------------- writers
const ANSWERS = {
  date: addDays(today, -330),
  physicallyActive: false,
  conditions: [{ code: 'knee_tka', side: 'left', date: addDays(today, -340) }],
  parq: { q1: false, q2: false, q3: false, q4: false, q5: false, q6: true, q7: false, followUps: { arthritis: { has: false } } },
  desiredIntensity: 'moderate',
  vitals: { restingHr: 64, bp: '132/84' },
};
const FIRST_DAY = -310; // sessions from 310 days ago, one a day, forward: each is the client's latest

/** One client with an intake, a clearance and a program, through the CLI, on `db`. */
function clientFor(db, answersFile, n) {
  must(bfSync(db, '-q', 'client', 'add', '--first-name', `Client${n}`, '--last-name', `Writer${n}`, '--dob', '1958-03-14'), 'client add');
  const list = JSON.parse(must(bfSync(db, 'client', 'list', '--json'), 'client list').stdout);
  const clientId = list.find((c) => c.firstName === `Client${n}`).id;
  must(bfSync(db, '-q', 'intake', String(clientId), '--answers', answersFile), 'intake');
  must(bfSync(db, '-q', 'clearance', 'add', String(clientId), '--clinician', 'J. Okafor', '--profession', 'physiotherapist', '--date', addDays(today, -329), '--status', 'cleared'), 'clearance add');
  must(bfSync(db, '-q', 'program', 'generate', String(clientId), '--start', addDays(today, -320)), 'program generate');
  return clientId;
}

/** `writers` loops of `progress add` at once for `seconds`; each writer its own database URL (or the same file) and client. */
async function writeAtOnce(workers, seconds) {
  const results = workers.map(() => ({ ok: 0, failed: [], ms: [] }));
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    workers.map(async (w, i) => {
      for (let k = 0; performance.now() < deadline; k++) {
        if (FIRST_DAY + k >= 0) throw new Error(`writer ${i + 1} ran out of days (more than ${-FIRST_DAY} sessions): lower --seconds`);
        const measures = k % 3 === 0 ? ['--measure', `knee_flexion.left=${90 + (k % 20)}`] : [];
        const r = await bfAsync(w.db, '-q', 'progress', 'add', String(w.clientId), '--date', addDays(today, FIRST_DAY + k), '--pain-before', '1', '--pain-during', '2', '--pain-after', '2', '--rpe', '4', ...measures);
        results[i].ms.push(r.ms);
        if (r.code === 0) results[i].ok++;
        else results[i].failed.push(r.stderr.trim().split('\n')[0]);
      }
    }),
  );
  return { results, wallMs: ms(t0) };
}

function report(name, { results, wallMs }, counted) {
  const ok = results.reduce((s, r) => s + r.ok, 0);
  const failed = results.flatMap((r) => r.failed);
  const serial = failed.filter((f) => /serializ|serialis|40001|deadlock|busy|overlapping|locked/i.test(f));
  const all = results.flatMap((r) => r.ms);
  const lost = counted.reduce((s, n, i) => s + Math.abs(n - results[i].ok), 0);
  log(
    `    ${name.padEnd(40)} ${String(ok).padStart(5)} sessions in ${(wallMs / 1000).toFixed(1)} s = ${(ok / (wallMs / 1000)).toFixed(2)} a second; ` +
      `per command median ${fmtMs(median(all))}, p95 ${fmtMs(quantile(all, 0.95))}; failed ${failed.length} (serialisation/busy ${serial.length}); ` +
      `rows counted ${counted.reduce((s, n) => s + n, 0)}, lost ${lost} (per writer: ${results.map((r, i) => `${r.ok}/${counted[i]}`).join(' ')})`,
  );
  for (const f of [...new Set(failed)].slice(0, 5)) log(`      failure: ${f}`);
  return { ok, failed: failed.length, lost };
}

async function writersFigure() {
  const answersFile = path.join(dir, 'writer-answers.json');
  fs.writeFileSync(answersFile, JSON.stringify(ANSWERS));
  log(`  ${opt.writers} writers at once, ${opt.seconds} s each, on ${os.cpus().length} cores: each a loop of "bridgefit progress add" processes (a new day each time, a knee flexion every third)`);

  // PostgreSQL: one trainer login per writer, each with their own client.
  const clinic = await freshClinic('writers', opt.writers);
  const workers = await Promise.all(clinic.trainers.map(async (login, i) => ({ login, db: urlFor(login, clinic.database), clientId: clientFor(urlFor(login, clinic.database), answersFile, i + 1) })));
  const [before] = await sql(clinic.database, 'select xact_commit::int as c, xact_rollback::int as r from pg_stat_database where datname = current_database()');
  const pgRun = await writeAtOnce(workers, opt.seconds);
  const counts = await sql(clinic.database, `select c.trainer, count(e.id)::int as n, (select count(*)::int from audit_log a where a.actor = c.trainer and a.action = 'progress.create') as audited from clients c left join progress_entries e on e.client_id = c.id group by c.trainer`);
  const [after] = await sql(clinic.database, 'select xact_commit::int as c, xact_rollback::int as r from pg_stat_database where datname = current_database()');
  const byLogin = new Map(counts.map((r) => [r.trainer, r]));
  const audited = workers.map((w) => byLogin.get(w.login)?.audited ?? 0);
  const pg = report(`PostgreSQL, ${opt.writers} trainer logins`, pgRun, workers.map((w) => byLogin.get(w.login)?.n ?? 0));
  log(`      audit records of progress.create by each login: ${audited.join(' ')}; server: ${after.r - before.r} transactions rolled back (retried serialisation failures and the like) of ${after.c - before.c + after.r - before.r}`);

  // For context: the same on one SQLite file (one trainer's own database, 8 processes writing it).
  const file = path.join(dir, `writers-${id()}.db`);
  must(bfSync(file, '-q', 'init'), 'init');
  const local = [];
  for (let i = 0; i < opt.writers; i++) local.push({ db: file, clientId: clientFor(file, answersFile, i + 1) });
  const sqRun = await writeAtOnce(local, opt.seconds);
  const raw = new Database(file, { readonly: true });
  const sqCounts = local.map((w) => raw.prepare('select count(*) from progress_entries where client_id = ?').pluck().get(w.clientId));
  raw.close();
  const sq = report(`SQLite, one file, ${opt.writers} processes`, sqRun, sqCounts);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  if (pg.failed || pg.lost) throw new Error(`PostgreSQL writers: ${pg.failed} failed, ${pg.lost} lost`);
  if (sq.failed || sq.lost) throw new Error(`SQLite writers: ${sq.failed} failed, ${sq.lost} lost`);
}

// ---------------------------------------------------------------- main
const server = await sql('postgres', "select version() as v, current_setting('fsync') as fsync, current_setting('synchronous_commit') as sc, current_setting('shared_buffers') as sb");
log(`bridgefit clinic benchmarks — ${new Date().toISOString()}`);
log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ${os.type()} ${os.release()}, node ${process.version}`);
log(`server: ${server[0].v.split(' on ')[0]} at ${new URL(SERVER).host} (fsync ${server[0].fsync}, synchronous_commit ${server[0].sc}, shared_buffers ${server[0].sb}); data in ${dir}${opt.keep ? ' (kept)' : ''}`);
const SECTIONS = { summary: summaryFigure, writers: writersFigure };
try {
  for (const name of opt.only) {
    if (!SECTIONS[name]) throw new Error(`no section "${name}"; there are ${Object.keys(SECTIONS).join(', ')}`);
    log(`${name}:`);
    await SECTIONS[name]();
    // One clinic per server (clinic init refuses a second): each figure's goes before the next is made.
    if (!opt.keepClinic) await cleanUp();
  }
} finally {
  await cleanUp();
  if (!opt.keep) fs.rmSync(dir, { recursive: true, force: true });
}
