/**
 * export --format fhir as a use case on real databases: the demo's clients
 * and 1,000 generated clients pass FHIR.js and the R4 JSON Schema with zero
 * errors; the file is written 0600 and atomically, references the PDFs beside
 * it by name, size and SHA-1, is never written over a file without --force,
 * and two exports of the same data differ only in their timestamps.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDemo } from '../../src/app/demo.js';
import { NotFoundError, UserError } from '../../src/app/errors.js';
import { bundleText, clientBundle, exportFhirToFile, writeFhir } from '../../src/app/fhir-export.js';
import { programFits } from '../../src/app/fits.js';
import { openDatabase, type Store } from '../../src/app/open.js';
import { builtInTemplates } from '../../src/app/templates.js';
import type { Bundle } from '../../src/domain/fhir.js';
import { reportFileName } from '../../src/domain/report.js';
import { ctx, openTemp } from '../helpers/app.js';
import { FHIR_TYPES, fhirProblems, withoutTimestamps } from '../helpers/fhir.js';
import { seedPopulation } from '../helpers/population.js';
import { mode, snapshot, tempDir } from '../helpers/tmp.js';

const fits = programFits(() => builtInTemplates());
const opts = { now: ctx.now, fits };

let demoDir: string;
let store: Store;
beforeAll(async () => {
  demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridgefit-fhir-demo-'));
  store = await openDatabase((await makeDemo(demoDir, ctx)).database);
}, 120_000);
afterAll(async () => {
  await store.close();
  fs.rmSync(demoDir, { recursive: true, force: true });
});

const types = (b: Bundle) => new Set(b.entry.map((e) => e.resource.resourceType));

describe('export --format fhir (use case)', () => {
  it('gives every demo client a bundle with zero validation errors', async () => {
    const seen = new Set<string>();
    for (const id of [1, 2, 3, 4, 5]) {
      const { bundle } = await clientBundle(store, id, opts);
      expect(fhirProblems(bundle), `client ${id}`).toEqual([]);
      for (const t of types(bundle)) seen.add(t);
    }
    // The demo has no referral-free client only: between them, every resource type but DocumentReference (no PDF given here).
    expect([...seen].sort()).toEqual(FHIR_TYPES.filter((t) => t !== 'Bundle' && t !== 'DocumentReference').sort());
  });

  it('writes the file 0600 and references the PDFs beside it by size and SHA-1', async () => {
    const dir = tempDir();
    const report = path.join(dir, reportFileName(1, 'Zoë', 'Moreau', '-report'));
    const pdf = Buffer.from('%PDF-1.7\n% a report\n%%EOF\n');
    fs.writeFileSync(report, pdf);
    // Not a PDF: never referenced, though it has the handout's name.
    fs.writeFileSync(path.join(dir, reportFileName(1, 'Zoë', 'Moreau', '-handout')), 'notes');
    const file = path.join(dir, 'zoe.json');
    const result = await exportFhirToFile(store, 1, file, false, opts);
    expect(mode(file)).toBe(0o600);
    expect(result).toMatchObject({ clientId: 1, file, since: null, documents: ['0001-zoe-moreau-report.pdf'] });
    const bundle = JSON.parse(fs.readFileSync(file, 'utf8')) as Bundle;
    expect(result.bytes).toBe(fs.statSync(file).size);
    expect(fhirProblems(bundle)).toEqual([]);
    const docs = bundle.entry.filter((e) => e.resource.resourceType === 'DocumentReference').map((e) => e.resource);
    expect(docs).toMatchObject([{ content: [{ attachment: { contentType: 'application/pdf', url: '0001-zoe-moreau-report.pdf', size: pdf.length, hash: crypto.createHash('sha1').update(pdf).digest('base64') } }] }]);
    expect(fs.readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('never writes over a file without force; with force, replaces it whole', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'zoe.json');
    fs.writeFileSync(file, 'keep me');
    const before = snapshot(dir);
    await expect(exportFhirToFile(store, 1, file, false, opts)).rejects.toThrow(UserError);
    expect(snapshot(dir)).toEqual(before);
    await exportFhirToFile(store, 1, file, true, opts);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).resourceType).toBe('Bundle');
    // As the demo writes it: over an earlier bundle only, never over another file.
    await exportFhirToFile(store, 2, file, 'earlier-bundle', opts);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).entry[0].resource.name[0].family).toBe('Nowak');
    const notes = path.join(dir, 'notes.json');
    fs.writeFileSync(notes, '{"mine": true}');
    await expect(exportFhirToFile(store, 1, notes, 'earlier-bundle', opts)).rejects.toThrow(/notes\.json exists and is not a FHIR bundle; not replacing it/);
    expect(fs.readFileSync(notes, 'utf8')).toBe('{"mine": true}');
    await expect(exportFhirToFile(store, 99, path.join(dir, 'nobody.json'), false, opts)).rejects.toThrow(NotFoundError);
    expect(fs.existsSync(path.join(dir, 'nobody.json'))).toBe(false);
  });

  it('is the same document twice but for its timestamps; the stream gets the same text as the file', async () => {
    const a = (await clientBundle(store, 2, opts)).bundle;
    const b = (await clientBundle(store, 2, { ...opts, now: '2027-03-01T08:00:00.000Z' })).bundle;
    expect(withoutTimestamps(b)).toEqual(withoutTimestamps(a));
    let streamed = '';
    const r = await writeFhir(store, 2, (t) => void (streamed += t), opts);
    expect(streamed).toBe(bundleText(a));
    expect(r.bytes).toBe(Buffer.byteLength(streamed));
  });

  it('--since leaves out the sessions before the window', async () => {
    const all = (await clientBundle(store, 1, opts)).bundle;
    const recent = (await clientBundle(store, 1, { ...opts, since: '2026-11-25' })).bundle;
    const sessions = (b: Bundle) => b.entry.filter((e) => JSON.stringify(e.resource.code ?? '').includes('exercise-session')).map((e) => e.resource.performedDateTime as string);
    expect(sessions(all).length).toBe(9);
    expect(sessions(recent).length).toBeGreaterThan(0);
    expect(sessions(recent).length).toBeLessThan(9);
    expect(sessions(recent).every((d) => d >= '2026-11-25')).toBe(true);
    expect(fhirProblems(recent)).toEqual([]);
  });
});

describe('1,000 generated clients', () => {
  it('seed through the use cases, and every bundle has zero validation errors', async () => {
    const { store: big } = await openTemp('population.db');
    try {
      // 6 sessions a client: measured 12–22 s to seed 1,000 clients (5,154 sessions) and 9–16 s to build and
      // validate their 65,820 resources, on a shared 2-core machine (load 5–8); the figures are printed below.
      const seeded = await seedPopulation(big, 1000, 6);
      expect(seeded.clients).toBe(1000);
      expect(seeded.programs).toBeGreaterThan(700);
      const started = performance.now();
      const seen = new Set<string>();
      let resources = 0;
      const failed: string[] = [];
      for (let id = 1; id <= 1000; id++) {
        const { bundle } = await clientBundle(big, id, opts);
        for (const t of types(bundle)) seen.add(t);
        resources += bundle.entry.length;
        const problems = fhirProblems(bundle);
        if (problems.length > 0) failed.push(`client ${id}: ${problems.slice(0, 5).join('; ')}`);
      }
      const ms = Math.round(performance.now() - started);
      console.log(`1,000 clients: seeded (${seeded.programs} programs, ${seeded.sessions} sessions) in ${seeded.ms} ms; ${resources} resources built and validated in ${ms} ms`);
      expect(failed.slice(0, 5)).toEqual([]);
      expect([...seen].sort()).toEqual(FHIR_TYPES.filter((t) => t !== 'Bundle' && t !== 'DocumentReference').sort());
    } finally {
      await big.close();
    }
  }, 600_000);
});
