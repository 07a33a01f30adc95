#!/usr/bin/env node
// Launcher: the CLI is built into one bundled file (npm run build, run by `npm install`).
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv);
