#!/usr/bin/env node
// Deterministic data for the benchmarks: N clients, each with an intake, its
// screening, a clearance, a program (a real snapshot made by the CLI) and
// about a year of session entries with measures and outcome scores.
//
// One sample client is made through the CLI itself (client add, intake
// --answers, clearance add, program generate, progress add), so every JSON
// column holds what the app writes; its rows are then copied, with names,
// dates, stages and session values varied by a seeded PRNG, straight into the
// store's tables in one transaction. Same seed + same --today → same rows.
//
//   node bench/generate.mjs --out FILE [--clients 10000] [--entries 150] [--seed 1] [--today YYYY-MM-DD]
//   node bench/generate.mjs --out FILE --import-csv rows.csv --import-rows 1000000   (entries for `progress import`)
//
// As a module: `generate({ out, clients, entries, seed, today })`, `importCsv({ file, clients, rows, seed, today })`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export const BIN = fileURLToPath(new URL('../bin/bridgefit.js', import.meta.url));
const DAY_MS = 86_400_000;

/** mulberry32: small, fast, seedable; good enough for benchmark data. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  next.pick = (xs) => xs[Math.floor(next() * xs.length)];
  return next;
}

export function localToday(d = new Date()) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
export const addDays = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

const FIRST = ['Zoë', 'Łukasz', '娜', 'عائشة', 'Ana', 'Margaret', 'Σοφία', 'Иван', 'Aoife', 'José', 'Priya', 'Kwame', 'Ingrid', 'Tomás', 'Mei', 'Olu'];
const LAST = ['Moreau', 'Nowak', '李', 'Haddad', 'Costa', 'Okafor', 'Papadopoulou', 'Petrov', 'Murphy', 'García', 'Patel', 'Mensah', 'Larsen', 'Silva', 'Chen', 'Adeyemi'];

const ANSWERS = (today) => ({
  date: addDays(today, -370),
  physicallyActive: false,
  conditions: [{ code: 'knee_tka', side: 'left', date: addDays(today, -420) }],
  medications: [{ name: 'bisoprolol', class: 'beta_blocker' }],
  parq: { q1: false, q2: false, q3: false, q4: false, q5: false, q6: true, q7: false, followUps: { arthritis: { has: false } } },
  symptoms: [],
  desiredIntensity: 'moderate',
  vitals: { restingHr: 64, bp: '132/84' },
});

/**
 * One client made by the CLI: the rows it wrote are the templates every
 * generated client is copied from. Cached per `today` for the process.
 */
const sampleCache = new Map();
export function sampleRows(today) {
  if (sampleCache.has(today)) return sampleCache.get(today);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridgefit-sample-'));
  const db = path.join(dir, 'sample.db');
  const bf = (...args) => execFileSync(process.execPath, [BIN, '--db', db, '--no-input', '-q', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const start = addDays(today, -365);
    fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(ANSWERS(today)));
    bf('init');
    bf('client', 'add', '--first-name', 'Sample', '--last-name', 'Client', '--dob', '1958-03-14', '--sex', 'female');
    bf('intake', '1', '--answers', path.join(dir, 'a.json'));
    bf('clearance', 'add', '1', '--clinician', 'J. Okafor', '--profession', 'physiotherapist', '--contact', 'okafor@example.org', '--date', addDays(today, -368), '--expires', addDays(today, 30), '--status', 'cleared-with-restrictions', '--restrict', 'no_impact', '--restrict', 'rom.knee.left=90');
    bf('program', 'generate', '1', '--start', start);
    // Three real decisions to copy: a plain session, a missed one, and one that raises a referral.
    bf('progress', 'add', '1', '--date', addDays(start, 2), '--pain-before', '2', '--pain-during', '3', '--pain-after', '3', '--rpe', '4', '--bp', '128/82', '--hr', '64', '--measure', 'knee_flexion.left=112', '--score', 'lefs=38');
    bf('progress', 'add', '1', '--date', addDays(start, 4), '--missed', 'unwell');
    bf('progress', 'add', '1', '--date', addDays(start, 7), '--pain-before', '2', '--pain-after', '3', '--measure', 'knee_flexion.left=95');
    const raw = new Database(db, { readonly: true });
    const one = (sql) => raw.prepare(sql).get();
    const entries = raw.prepare('select * from progress_entries order by id').all();
    const rows = {
      intake: one('select * from intakes'),
      screening: one('select * from screenings'),
      clearance: one('select * from clearances'),
      program: one('select * from programs'),
      attended: entries[0],
      missed: entries[1],
      flagged: entries[2],
      referral: one('select * from referrals'),
    };
    raw.close();
    rows.snapshot = JSON.parse(rows.program.snapshot);
    sampleCache.set(today, rows);
    return rows;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Create `out` with the CLI (so the schema is the app's) and fill it. Returns counts. */
export function generate({ out, clients = 10_000, entries = 150, seed = 1, today = localToday() }) {
  if (fs.existsSync(out)) throw new Error(`${out} exists; the generator only writes new files`);
  const s = sampleRows(today);
  execFileSync(process.execPath, [BIN, '--db', out, '-q', 'init'], { stdio: 'ignore' });
  const rnd = prng(seed);
  const db = new Database(out);
  // A new file nobody else has open: no journal while filling it (much faster), WAL again after.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  const cols = (row) => Object.keys(row).filter((k) => k !== 'id');
  const insert = (table, row) => {
    const c = cols(row);
    return db.prepare(`insert into ${table} (${c.join(', ')}) values (${c.map((k) => '@' + k).join(', ')})`);
  };
  const ins = {
    client: db.prepare('insert into clients (first_name, last_name, date_of_birth, sex, email, phone, goals, notes, status, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    audit: db.prepare('insert into audit_log (at, command, action, entity, entity_id, client_id, detail) values (?, ?, ?, ?, ?, ?, ?)'),
    intake: insert('intakes', s.intake),
    screening: insert('screenings', s.screening),
    clearance: insert('clearances', s.clearance),
    program: insert('programs', s.program),
    entry: insert('progress_entries', s.attended),
    measure: db.prepare('insert into measurements (entry_id, client_id, session_date, code, side, value) values (?, ?, ?, ?, ?, ?)'),
    referral: insert('referrals', s.referral),
    transition: db.prepare('insert into stage_transitions (program_id, client_id, on_date, from_stage, to_stage, forced, reason, evidence) values (?, ?, ?, ?, ?, 0, null, ?)'),
  };
  const stages = s.snapshot.stages;
  const stageExercises = stages.map((st) =>
    JSON.stringify(st.exercises.map((x) => ({ exerciseId: x.exerciseId, sets: x.dose.sets, ...(x.dose.reps ? { reps: x.dose.reps } : {}), completed: true }))),
  );
  const start = s.program.start_date;
  const span = 365;
  const recordedAt = `${today}T09:00:00.000Z`;
  let entryCount = 0;
  let measureCount = 0;

  db.transaction(() => {
    for (let c = 0; c < clients; c++) {
      const first = FIRST[c % FIRST.length];
      const last = `${LAST[Math.floor(c / FIRST.length) % LAST.length]}${c >= FIRST.length * LAST.length ? ` ${c}` : ''}`;
      const dob = addDays('1940-01-01', rnd.int(0, 365 * 45));
      const sex = rnd.pick(['female', 'male', 'female', 'male', 'other', null]);
      const created = `${addDays(start, -5)}T10:00:00.000Z`;
      const clientId = Number(
        ins.client.run(first, last, dob, sex, `client${c}@example.org`, `+44 20 7946 ${String(c % 10000).padStart(4, '0')}`, 'Walk to the shops without a stick', c % 7 === 0 ? 'Prefers mornings' : null, c % 50 === 49 ? 'archived' : 'active', created, created).lastInsertRowid,
      );
      ins.audit.run(created, 'client add', 'client.create', 'client', clientId, clientId, JSON.stringify({ firstName: first, lastName: last, dateOfBirth: dob, sex }));
      const intakeId = Number(ins.intake.run({ ...s.intake, client_id: clientId }).lastInsertRowid);
      ins.screening.run({ ...s.screening, client_id: clientId, intake_id: intakeId });
      const clearanceId = Number(ins.clearance.run({ ...s.clearance, client_id: clientId }).lastInsertRowid);
      // Where the client is now: stage 1 … last, reached evenly over the year.
      const current = rnd.int(1, stages.length);
      const stageStart = (n) => (n === 1 ? start : addDays(start, Math.floor(((n - 1) * span) / stages.length) + rnd.int(-10, 10)));
      const startedOn = [null];
      for (let n = 1; n <= current; n++) startedOn.push(stageStart(n));
      const programId = Number(
        ins.program.run({
          ...s.program,
          client_id: clientId,
          intake_id: intakeId,
          clearance_id: clearanceId,
          current_stage: current,
          stage_started_on: startedOn[current],
          stage_name: stages[current - 1].name,
          sessions_per_week: stages[current - 1].sessionsPerWeek,
        }).lastInsertRowid,
      );
      for (let n = 2; n <= current; n++) ins.transition.run(programId, clientId, startedOn[n], n - 1, n, '[]');

      // About `entries` sessions, evenly over the year up to today, one a day at most.
      let pain = rnd.int(2, 5);
      let flexion = rnd.int(88, 100);
      let lefs = rnd.int(20, 40);
      const adherence = 0.75 + rnd() * 0.23;
      let flaggedEntry = null;
      for (let e = 0; e < entries; e++) {
        const date = addDays(start, Math.floor(((e + 1) * span) / entries));
        let stage = 1;
        while (stage < current && startedOn[stage + 1] <= date) stage++;
        const attended = rnd() < adherence;
        pain = Math.max(0, Math.min(8, pain + (rnd() < 0.45 ? -1 : rnd() < 0.8 ? 0 : 1)));
        const base = attended ? s.attended : s.missed;
        const row = {
          ...base,
          client_id: clientId,
          program_id: programId,
          stage,
          session_date: date,
          recorded_at: recordedAt,
        };
        if (attended) {
          Object.assign(row, {
            duration_min: rnd.int(30, 60),
            pain_before: Math.max(0, pain - 1),
            pain_during: pain,
            pain_after: pain + (rnd() < 0.2 ? 1 : 0),
            next_day_pain: rnd() < 0.5 ? pain : null,
            rpe: rnd.int(3, 6),
            bp_systolic: rnd.int(112, 148),
            bp_diastolic: rnd.int(68, 92),
            resting_hr: rnd.int(54, 78),
            exercises: stageExercises[stage - 1],
            notes: rnd() < 0.05 ? 'Tired after a poor night' : null,
          });
        } else {
          row.missed_reason = rnd.pick(['unwell', 'holiday', 'no transport', 'family']);
        }
        const entryId = Number(ins.entry.run(row).lastInsertRowid);
        entryCount++;
        if (attended && e % 6 === 0) {
          flexion = Math.min(130, flexion + rnd.int(0, 4));
          ins.measure.run(entryId, clientId, date, 'knee_flexion', 'left', flexion);
          measureCount++;
        }
        if (attended && (e % 12 === 0 || e === entries - 1)) {
          lefs = Math.min(80, lefs + rnd.int(0, 5));
          ins.measure.run(entryId, clientId, date, 'lefs', null, lefs);
          measureCount++;
        }
        if (attended && flaggedEntry === null && c % 20 === 3 && e > entries / 2) flaggedEntry = { entryId, date };
      }
      // One client in twenty has an open referral (a real one from the sample).
      if (flaggedEntry) ins.referral.run({ ...s.referral, client_id: clientId, entry_id: flaggedEntry.entryId, raised_on: flaggedEntry.date });
    }
  })();
  db.exec('analyze');
  db.pragma('journal_mode = WAL');
  db.close();
  return { clients, entries: entryCount, measurements: measureCount };
}

/**
 * A CSV for `progress import`: `rows` sessions spread over clients 1…`clients`
 * (ids, as they are in a database made by `generate` with no entries), on
 * distinct days within the last year, columns as the README documents.
 */
export function importCsv({ file, clients, rows, seed = 2, today = localToday() }) {
  const rnd = prng(seed);
  const perClient = Math.ceil(rows / clients);
  if (perClient > 360) throw new Error('too many rows per client for one a day in a year');
  const fd = fs.openSync(file, 'w');
  const chunk = [];
  const flush = () => {
    fs.writeSync(fd, chunk.join(''));
    chunk.length = 0;
  };
  chunk.push('client,date,attended,missed_reason,duration_min,pain_before,pain_during,pain_after,rpe,bp,resting_hr,measures,notes\n');
  let written = 0;
  for (let k = 0; k < perClient && written < rows; k++) {
    // Day k of every client, then day k+1: rows interleave clients as a clinic's export would.
    const date = addDays(today, -360 + Math.floor((k * 360) / perClient));
    for (let c = 1; c <= clients && written < rows; c++) {
      if (rnd() < 0.1) chunk.push(`${c},${date},no,${rnd.pick(['unwell', 'holiday', 'no transport'])},,,,,,,,,\n`);
      else {
        const pain = rnd.int(0, 4);
        const measures = k % 10 === 0 ? `knee_flexion.left=${rnd.int(100, 125)};lefs=${rnd.int(30, 70)}` : '';
        chunk.push(`${c},${date},yes,,${rnd.int(30, 60)},${pain},${pain},${pain + (rnd() < 0.2 ? 1 : 0)},${rnd.int(3, 6)},${rnd.int(112, 148)}/${rnd.int(68, 92)},${rnd.int(54, 78)},${measures},\n`);
      }
      written++;
      if (chunk.length >= 10_000) flush();
    }
  }
  flush();
  fs.closeSync(fd);
  return { rows: written, clients: Math.min(clients, rows) };
}

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument ${argv[i]}`);
    o[m[1]] = argv[++i];
  }
  return o;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const a = parseArgs(process.argv.slice(2));
  if (!a.out) {
    console.error('usage: node bench/generate.mjs --out FILE [--clients N] [--entries N] [--seed N] [--today YYYY-MM-DD] [--import-csv FILE --import-rows N]');
    process.exit(2);
  }
  const today = a.today ?? localToday();
  const t = performance.now();
  const n = generate({ out: a.out, clients: Number(a.clients ?? 10_000), entries: Number(a.entries ?? 150), seed: Number(a.seed ?? 1), today });
  console.log(`${a.out}: ${n.clients} clients, ${n.entries} entries, ${n.measurements} measurements in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  if (a['import-csv']) {
    const r = importCsv({ file: a['import-csv'], clients: n.clients, rows: Number(a['import-rows'] ?? 1_000_000), seed: Number(a.seed ?? 1) + 1, today });
    console.log(`${a['import-csv']}: ${r.rows} rows for progress import`);
  }
}
