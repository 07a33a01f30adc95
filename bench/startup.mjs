#!/usr/bin/env node
// Start-up benchmark: `bridgefit client list --json` on N clients against the
// floor it cannot beat, a bare `node -e ''`. Prints medians over several runs.
//   npm run build && node bench/startup.mjs [clients=10000] [runs=15]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const clients = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 15);
const bin = fileURLToPath(new URL('../bin/bridgefit.js', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridgefit-bench-'));
const file = path.join(dir, 'bench.db');

try {
  execFileSync(process.execPath, [bin, '--db', file, 'init'], { stdio: 'ignore' });
  const db = new Database(file);
  const insert = db.prepare(
    `insert into clients (first_name, last_name, date_of_birth, sex, email, phone, goals, notes, status, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
  );
  const firsts = ['Zoë', 'Łukasz', '娜', 'عائشة', 'Ana', 'Margaret', 'Σοφία', 'Иван'];
  const now = new Date().toISOString();
  db.transaction(() => {
    for (let i = 0; i < clients; i++) {
      const dob = `${1940 + (i % 60)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
      insert.run(firsts[i % firsts.length], `Client${i}`, dob, i % 2 ? 'female' : 'male', `c${i}@example.org`, '+44 20 7946 0000', 'Walk without pain', null, now, now);
    }
  })();
  db.close();

  const time = (args) => {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
      if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)];
  };
  const floor = time(['-e', '']);
  const list = time([bin, '--db', file, 'client', 'list', '--json']);
  const help = time([bin, '--help']);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  console.log(`clients: ${clients}, runs: ${runs} (medians)`);
  console.log(`node -e ''                      ${floor.toFixed(0).padStart(5)} ms`);
  console.log(`bridgefit --help                ${help.toFixed(0).padStart(5)} ms  ${(help / floor).toFixed(2)}×`);
  console.log(`bridgefit client list --json    ${list.toFixed(0).padStart(5)} ms  ${(list / floor).toFixed(2)}×`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
