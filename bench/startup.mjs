#!/usr/bin/env node
// Start-up benchmark: `bridgefit client list --json` on N clients against the
// floor it cannot beat, a bare `node -e ''`. The start-up section of
// bench/run.mjs (which runs every benchmark in one go; see bench/README.md).
//   npm run build && node bench/startup.mjs [clients=10000] [runs=15]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [clients = '10000', runs = '15'] = process.argv.slice(2);
const run = fileURLToPath(new URL('./run.mjs', import.meta.url));
const r = spawnSync(process.execPath, [run, '--only', 'startup', '--clients', clients, '--entries', '0', '--runs', runs], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
