/** Build step: write dist/bridgefit.1 (the man page) from the command tree; run by `npm run build`. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from '../../package.json' with { type: 'json' };
import { manPage } from './man.js';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bridgefit.1');
// The page's date is the day it was built (UTC), as man pages carry it.
fs.writeFileSync(out, await manPage(pkg.version, new Date().toISOString().slice(0, 10)));
