#!/usr/bin/env node
// The nine Noto faces the reports embed live in fonts/, copied byte for byte
// from pinned @expo-google-fonts packages (each of which ships every weight of
// its family: 167 MB installed for the 19 MB bridgefit draws with).
// fonts/sources.json names, for each file, the package, version and path it
// came from and its SHA-256.
//
//   node .ci/fonts.mjs check    every file is there, with its size and hash
//   node .ci/fonts.mjs fetch    download the pinned packages (npm pack, one
//                                   at a time, into a temp folder), copy each
//                                   face and its licence into fonts/, and
//                                   refuse a file whose hash differs
//   node .ci/fonts.mjs fetch --update
//                                   the same, recording the new hashes (after
//                                   changing a version in sources.json)
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'render', 'fonts');
const manifestFile = path.join(dir, 'sources.json');
const sources = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

function check() {
  let bad = 0;
  for (const s of sources) {
    const file = path.join(dir, s.file);
    if (!fs.existsSync(file)) {
      console.error(`${s.file}: missing`);
      bad++;
      continue;
    }
    const buf = fs.readFileSync(file);
    if (buf.length !== s.bytes || sha256(buf) !== s.sha256) {
      console.error(`${s.file}: ${buf.length} bytes, not the ${s.bytes} of ${s.package}@${s.version} (${s.path})`);
      bad++;
    }
  }
  if (bad) {
    console.error(`${bad} of ${sources.length} font files differ: run "node .ci/fonts.mjs fetch"`);
    process.exit(1);
  }
  console.log(`${sources.length} font files match fonts/sources.json`);
}

function fetch(update) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bridgefit-fonts-'));
  try {
    const packages = [...new Set(sources.map((s) => `${s.package}@${s.version}`))];
    for (const spec of packages) {
      const out = path.join(tmp, spec.replace(/[@/]/g, '_'));
      fs.mkdirSync(out);
      // npm pack checks the tarball against the registry's integrity hash.
      const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', spec, '--json', '--pack-destination', out], { encoding: 'utf8' }));
      execFileSync('tar', ['-xzf', path.join(out, filename), '-C', out]);
      const pkgDir = path.join(out, 'package');
      const name = spec.slice(0, spec.lastIndexOf('@')).split('/')[1];
      fs.copyFileSync(path.join(pkgDir, 'LICENSE_FONT'), path.join(dir, `LICENSE-${name}.txt`));
      for (const s of sources.filter((x) => `${x.package}@${x.version}` === spec)) {
        const buf = fs.readFileSync(path.join(pkgDir, s.path));
        const hash = sha256(buf);
        if (hash !== s.sha256 && !update) throw new Error(`${spec} ${s.path}: SHA-256 ${hash}, not ${s.sha256} (use --update to accept it)`);
        fs.writeFileSync(path.join(dir, s.file), buf);
        Object.assign(s, { bytes: buf.length, sha256: hash });
        console.log(`${s.file} ← ${spec} ${s.path}`);
      }
      fs.rmSync(out, { recursive: true, force: true });
    }
    if (update) fs.writeFileSync(manifestFile, `${JSON.stringify(sources, null, 2)}\n`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const [cmd, flag] = process.argv.slice(2);
if (cmd === 'check') check();
else if (cmd === 'fetch') fetch(flag === '--update');
else {
  console.error('usage: node .ci/fonts.mjs check | fetch [--update]');
  process.exit(2);
}
