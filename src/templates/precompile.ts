/**
 * Build step (`npm run build`): parse and check the built-in templates once
 * and write them to dist/templates.json, which loadTemplates reads instead of
 * parsing the YAML at every command (see Precompiled in load.ts).
 */
import fs from 'node:fs';
import { precompiledFile, precompileTemplates } from './load.js';

const out = precompiledFile();
const tmp = `${out}.tmp`;
fs.writeFileSync(tmp, JSON.stringify(precompileTemplates()));
fs.renameSync(tmp, out);
