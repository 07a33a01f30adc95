#!/usr/bin/env node
// Summary benchmark: `bridgefit summary --format json` over N clients with M
// entries each, against the same SQL run directly in SQLite. The summary
// section of bench/run.mjs (which runs every benchmark in one go; see
// bench/README.md).
//   npm run build && node bench/summary.mjs [clients=10000] [entries=150]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [clients = '10000', entries = '150'] = process.argv.slice(2);
const run = fileURLToPath(new URL('./run.mjs', import.meta.url));
const r = spawnSync(process.execPath, [run, '--only', 'summary', '--clients', clients, '--entries', entries], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
