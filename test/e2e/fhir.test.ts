/** `bridgefit export <client> --format fhir` and the demo's bundle, as a trainer runs them: the built binary, pipes, exit codes, one line on stderr, the file written. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle } from '../../src/domain/fhir.js';
import { bf } from '../helpers/cli.js';
import { fhirProblems } from '../helpers/fhir.js';
import { mode, snapshot, tempDir } from '../helpers/tmp.js';

/** The demo folder, made once by the binary; each test works on a copy of its database. */
let demoDir: string;
let demoOut: { stdout: string; stderr: string; exitCode: number };
beforeAll(async () => {
  const dir = tempDir();
  demoOut = await bf(['demo', '--dir', 'bf-demo'], { cwd: dir });
  const keep = fs.mkdtempSync(path.join(path.dirname(dir), 'bridgefit-fhir-e2e-'));
  fs.cpSync(path.join(dir, 'bf-demo'), keep, { recursive: true });
  demoDir = keep;
}, 120_000);
afterAll(() => fs.rmSync(demoDir, { recursive: true, force: true }));

function copy(cwd: string): string {
  const file = path.join(cwd, 'clients.db');
  fs.copyFileSync(path.join(demoDir, 'demo.db'), file);
  return file;
}

const sha1 = (file: string) => crypto.createHash('sha1').update(fs.readFileSync(file)).digest('base64');

describe('bridgefit demo', () => {
  it('writes a FHIR bundle beside its PDFs, referencing them by name, size and SHA-1', () => {
    expect(demoOut.exitCode, demoOut.stderr).toBe(0);
    expect(demoOut.stderr).toContain(`Sample FHIR R4 Bundle:   ${path.join('bf-demo', '0001-zoe-moreau-fhir.json')}`);
    const file = path.join(demoDir, '0001-zoe-moreau-fhir.json');
    expect(mode(file)).toBe(0o600);
    const bundle = JSON.parse(fs.readFileSync(file, 'utf8')) as Bundle;
    expect(fhirProblems(bundle)).toEqual([]);
    const attachments = bundle.entry.filter((e) => e.resource.resourceType === 'DocumentReference').map((e) => (e.resource.content as { attachment: { url: string; size: number; hash: string } }[])[0]!.attachment);
    expect(attachments.map((a) => a.url).sort()).toEqual(['0001-zoe-moreau-handout.pdf', '0001-zoe-moreau-report.pdf']);
    for (const a of attachments) {
      expect(a.size).toBe(fs.statSync(path.join(demoDir, a.url)).size);
      expect(a.hash).toBe(sha1(path.join(demoDir, a.url)));
    }
  });
});

describe('bridgefit export --format fhir', () => {
  it('--out file: one line on stderr, nothing on stdout, a 0600 file that validates', async () => {
    const cwd = tempDir();
    const db = copy(cwd);
    const r = await bf(['--db', db, 'export', 'zoe', '--format', 'fhir', '--since', '6w', '--out', 'zoe-fhir.json'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Exported client 1 as a FHIR R4 Bundle of \d+ resources \(sessions from \d{4}-\d\d-\d\d\) to zoe-fhir\.json\n$/);
    const file = path.join(cwd, 'zoe-fhir.json');
    expect(mode(file)).toBe(0o600);
    const bundle = JSON.parse(fs.readFileSync(file, 'utf8')) as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(fhirProblems(bundle)).toEqual([]);
    const patient = bundle.entry[0]!.resource;
    expect(patient).toMatchObject({ resourceType: 'Patient', name: [{ family: 'Moreau', given: ['Zoë'] }], birthDate: '1961-04-12' });
    // No PDF beside it here: no DocumentReference.
    expect(bundle.entry.some((e) => e.resource.resourceType === 'DocumentReference')).toBe(false);
  });

  it('--out -: the bundle on stdout, the same as the file but for its timestamps; --json says what was written', async () => {
    const cwd = tempDir();
    const db = copy(cwd);
    const r = await bf(['--db', db, 'export', 'nowak', '--format', 'fhir', '--out', '-'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const streamed = JSON.parse(r.stdout) as Bundle;
    expect(fhirProblems(streamed)).toEqual([]);
    expect(streamed.entry.filter((e) => e.resource.resourceType === 'ServiceRequest').length).toBeGreaterThan(0);
    const j = await bf(['--db', db, 'export', 'nowak', '--format', 'fhir', '--out', 'n.json', '--json'], { cwd });
    expect(j.exitCode, j.stderr).toBe(0);
    const result = JSON.parse(j.stdout);
    expect(result).toMatchObject({ clientId: 2, file: 'n.json', since: null, documents: [] });
    expect(result.bytes).toBe(fs.statSync(path.join(cwd, 'n.json')).size);
    const written = JSON.parse(fs.readFileSync(path.join(cwd, 'n.json'), 'utf8')) as Bundle;
    const strip = (b: Bundle) => ({ ...b, timestamp: 0, meta: 0 });
    expect(strip(written)).toEqual(strip(streamed));
  });

  const refused: [string, string[], number, RegExp][] = [
    ['an unknown format', ['export', 'zoe', '--format', 'xml', '--out', 'x.json'], 2, /^bridgefit: --format xml: the export is written as json or fhir$/],
    ['a --since that is no date or span', ['export', 'zoe', '--format', 'fhir', '--since', 'soon', '--out', 'x.json'], 2, /^bridgefit: --since: expected a date \(YYYY-MM-DD\) or a span like 7d, 4w, 3m; got "soon"$/],
    ['a --since on a day the calendar has not', ['export', 'zoe', '--format', 'fhir', '--since', '2026-02-30', '--out', 'x.json'], 2, /^bridgefit: --since: .*2026-02-30.*$/],
    ['a --since after today', ['export', 'zoe', '--format', 'fhir', '--since', '2999-01-01', '--out', 'x.json'], 2, /^bridgefit: --since 2999-01-01 is after today \(\d{4}-\d\d-\d\d\)$/],
    ['--all (a Bundle is one patient)', ['export', '--all', '--format', 'fhir', '--out', 'x.json'], 2, /^bridgefit: --format fhir writes one client at a time .*give a client, not --all$/],
    ['no client', ['export', '--format', 'fhir', '--out', 'x.json'], 2, /^bridgefit: missing <client>: which client to export as FHIR\?$/],
    ['--since with json', ['export', 'zoe', '--since', '6w', '--out', 'x.json'], 2, /^bridgefit: --since goes with --format fhir/],
    ['--schema with fhir', ['export', '--schema', '--format', 'fhir'], 2, /^bridgefit: --schema prints the json export's schema/],
    ['a client who is not there', ['export', 'nobody', '--format', 'fhir', '--out', 'x.json'], 3, /^bridgefit: .*nobody.*$/],
    ['an existing file without --force', ['export', 'zoe', '--format', 'fhir', '--out', 'taken.json'], 1, /^bridgefit: taken\.json already exists; give --force to replace it, or choose another --out$/],
  ];
  for (const [what, args, code, message] of refused) {
    it(`refuses ${what}: one line, exit ${code}, nothing written`, async () => {
      const cwd = tempDir();
      const db = copy(cwd);
      fs.writeFileSync(path.join(cwd, 'taken.json'), 'mine');
      const before = snapshot(cwd);
      const r = await bf(['--db', db, ...args], { cwd });
      expect(r.exitCode, r.stderr).toBe(code);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
      expect(snapshot(cwd)).toEqual(before);
    });
  }
});
