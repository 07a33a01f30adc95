#!/usr/bin/env node
'use strict';
// Launcher. The CLI is built into one CommonJS file, dist/main.js (npm run
// build, run by `npm install`). Most of a command's start-up is V8 compiling
// that JavaScript, and Node 20 keeps no compiled code between runs, so this
// file compiles the bundle with V8's code cache: the compiled code of the
// last run of the same command noun (`client`, `program`, `--help` …) is
// kept in a folder of this user's own in the temporary directory and reused
// (bench/README.md, "Per-client commands (issue 14)": about a fifth of a
// per-client command). V8 refuses a cache made by another V8, other flags or
// other source, and a cache is named by the build's id (dist/main.id, a hash
// of dist/main.js and dist/help.js written by the build), so a stale one is
// never used; any failure to read or write the cache only means compiling as
// usual. BRIDGEFIT_NO_CODE_CACHE=1 turns it off.
//
// The root's help and the version (ROOT_ONLY below) come from dist/help.js, a
// small bundle of the command declarations alone (src/cli/help.ts), with a
// cache of its own: reading and deserialising the whole CLI was most of
// `--help`'s time.
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const vm = require('node:vm');
const { createRequire, wrap } = require('node:module');

/**
 * The command lines (after `bridgefit`) dist/help.js draws: src/cli/help.ts
 * SERVED, the same list (test/cli/help-bundle.test.ts checks the two agree).
 */
const ROOT_ONLY = [[], ['--help'], ['-h'], ['help'], ['--version']];
const args = process.argv.slice(2);
const helpOnly = ROOT_ONLY.some((line) => line.length === args.length && line.every((a, i) => a === args[i]));
const file = path.join(__dirname, '..', 'dist', helpOnly ? 'help.js' : 'main.js');
/** Part of every cache name: a new way of compiling here starts new caches. */
const LAUNCHER = 'l1';

/** The cache file for this build and command noun, in a folder only this user can write; undefined when there is none to trust. */
function cacheFile(argv) {
  if (process.env.BRIDGEFIT_NO_CODE_CACHE) return undefined;
  try {
    const id = fs.readFileSync(path.join(__dirname, '..', 'dist', 'main.id'), 'utf8').trim();
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    const dir = path.join(os.tmpdir(), `bridgefit-code-cache-${uid ?? 'user'}`);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    // Compiled code is run as is: never from a folder another user could have written.
    if (!st.isDirectory() || (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0))) return undefined;
    return path.join(dir, `${id}-${LAUNCHER}-${process.version}-${process.arch}-${helpOnly ? 'help-bundle' : noun(argv)}.bin`);
  } catch {
    return undefined;
  }
}

/**
 * The top-level commands (src/cli/main.ts COMMANDS; test/cli/launcher.test.ts
 * checks the two agree). A cache file is named by one of these words and never
 * by anything else typed: a client's name given where a command belongs must
 * not turn up in a file name in the temporary directory.
 */
const NOUNS = new Set(['init', 'client', 'intake', 'clearance', 'screen', 'config', 'template', 'program', 'progress', 'referral', 'summary', 'report', 'export', 'import', 'history', 'backup', 'restore', 'doctor', 'encrypt', 'decrypt', 'demo', 'completion', 'complete', 'clinic']);

/** The command's first word (`client`, `program` …), `root` for `--help`, `--version` and errors before one, `other` for a word that is not a command. */
function noun(argv) {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--db' || a === '--key-file' || a === '--templates') i++;
    else if (!a.startsWith('-')) return NOUNS.has(a) ? a : 'other';
  }
  return 'root';
}

const where = cacheFile(process.argv);
let cached;
if (where) {
  try {
    cached = fs.readFileSync(where);
  } catch {
    cached = undefined;
  }
}
// The bundle has no import(): Node 20 loses a script's dynamic import callback when its code
// comes from a cache (externals are loaded with require).
const script = new vm.Script(wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData: cached });
const mod = { exports: {} };
script.runInThisContext()(mod.exports, createRequire(file), mod, file, path.dirname(file));

mod.exports.main(process.argv).then((code) => {
  process.exitCode = code;
  // A first run, or a cache V8 refused: keep what this run compiled for the next one.
  if (where && (cached === undefined || script.cachedDataRejected)) {
    try {
      const tmp = `${where}.${process.pid}`;
      fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(tmp, where);
      // Caches of earlier builds are of no more use: one build's set is kept.
      const dir = path.dirname(where);
      const id = path.basename(where).split('-')[0];
      for (const f of fs.readdirSync(dir)) if (!f.startsWith(`${id}-`)) fs.rmSync(path.join(dir, f), { force: true });
    } catch {
      // No cache this time; the command has done its work.
    }
  }
});
