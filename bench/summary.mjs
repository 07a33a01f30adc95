#!/usr/bin/env node
// Summary benchmark: `bridgefit summary --format json` over N clients with M
// entries each, against the floor it cannot beat: the same aggregate run
// directly in SQLite. Prints both, and the ratio.
//   npm run build && node bench/summary.mjs [clients=10000] [entries=150]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const clients = Number(process.argv[2] ?? 10_000);
const perClient = Number(process.argv[3] ?? 150);
const bin = fileURLToPath(new URL('../bin/bridgefit.js', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridgefit-bench-'));
const file = path.join(dir, 'bench.db');
const today = new Date().toISOString().slice(0, 10);
const dayMs = 86_400_000;
const dateAgo = (n) => new Date(Date.parse(`${today}T00:00:00Z`) - n * dayMs).toISOString().slice(0, 10);

try {
  execFileSync(process.execPath, [bin, '--db', file, 'init'], { stdio: 'ignore' });
  const db = new Database(file);
  const t0 = process.hrtime.bigint();
  const addClient = db.prepare("insert into clients (first_name, last_name, date_of_birth, status, created_at, updated_at) values (?, ?, '1960-01-01', 'active', ?, ?)");
  const addIntake = db.prepare("insert into intakes (client_id, intake_date, recorded_at, form_version, answers) values (?, ?, ?, 'bench', '{}')");
  const addProgram = db.prepare(
    "insert into programs (client_id, template_id, template_version, intake_id, clearance_id, start_date, generated_at, status, snapshot, current_stage, stage_started_on, stage_name, sessions_per_week) values (?, 'knee_tka', '1.0.0', ?, null, ?, ?, 'active', '{}', 2, ?, 'Strength', 3)",
  );
  const addEntry = db.prepare(
    "insert into progress_entries (client_id, program_id, stage, session_date, recorded_at, attended, pain_before, pain_after, next_day_pain, symptoms, exercises, decision) values (?, ?, 2, ?, ?, ?, ?, ?, ?, '[]', '[]', ?)",
  );
  const addMeasure = db.prepare("insert into measurements (entry_id, client_id, session_date, code, side, value) values (?, ?, ?, 'lefs', null, ?)");
  const decision = JSON.stringify({ rulesVersion: 'progress-1.0.0', today: 'go', checks: [], flags: [], advice: { advice: 'repeat', reasons: [] } });
  const now = new Date().toISOString();
  db.transaction(() => {
    for (let c = 1; c <= clients; c++) {
      const id = addClient.run(`Client${c}`, `Bench${c}`, now, now).lastInsertRowid;
      const intake = addIntake.run(id, dateAgo(400), now).lastInsertRowid;
      const program = addProgram.run(id, intake, dateAgo(365), now, dateAgo(30)).lastInsertRowid;
      for (let e = 0; e < perClient; e++) {
        const date = dateAgo(Math.floor((365 * (perClient - e)) / perClient));
        const pain = (c + e) % 6;
        const entry = addEntry.run(id, program, date, now, e % 9 === 0 ? 0 : 1, pain, pain, pain, decision).lastInsertRowid;
        if (e === 0 || e === perClient - 1) addMeasure.run(entry, id, date, 30 + (e === 0 ? 0 : (c % 20)));
      }
    }
  })();
  db.close();
  console.log(`generated ${clients} clients × ${perClient} entries in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s`);

  const time = (fn, runs = 5) => {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      fn();
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)];
  };
  const from = dateAgo(28);
  const mid = dateAgo(14);
  const raw = new Database(file, { readonly: true });
  const floor = time(() => {
    raw
      .prepare(
        `select client_id, sum(attended), max(session_date),
           avg(case when attended = 1 and session_date < ? then pain_after end),
           avg(case when attended = 1 and session_date >= ? then pain_after end)
         from progress_entries where session_date >= ? and session_date <= ? group by client_id`,
      )
      .all(mid, mid, from, today);
    raw.prepare("select client_id, code, value from measurements where code in ('lefs') order by client_id, code, session_date, id").all();
  });
  raw.close();
  const cli = time(() => {
    const r = spawnSync(process.execPath, [bin, '--db', file, 'summary', '--since', '28d', '--format', 'json'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`summary exited ${r.status}`);
  });
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  console.log(`SQLite aggregate, in process (floor)   ${floor.toFixed(0).padStart(6)} ms`);
  console.log(`bridgefit summary --format json       ${cli.toFixed(0).padStart(6)} ms  ${(cli / floor).toFixed(2)}×`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
