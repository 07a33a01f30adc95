/**
 * A solo trainer moves into the clinic (issue 18): `export --all` from their
 * SQLite file and `import` into the clinic as their own login lose nothing.
 * The clinic already holds another trainer's client, so every id is new and
 * every reference must follow.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addClient, listClients } from '../../src/app/clients.js';
import { makeDemo } from '../../src/app/demo.js';
import { writeExport } from '../../src/app/export.js';
import { importExport } from '../../src/app/import.js';
import { openDatabase, type Store } from '../../src/app/open.js';
import { checkNewClient } from '../../src/domain/client.js';
import type { ExportDocument } from '../../src/domain/export.js';
import { ctx, TODAY } from '../helpers/app.js';
import { asLogin, freshClinic, SERVER } from '../helpers/postgres.js';
import { renumbered } from '../helpers/renumber.js';
import { tempDir } from '../helpers/tmp.js';

async function exportAll(store: Store): Promise<ExportDocument> {
  let text = '';
  await writeExport(store, { all: true }, (chunk) => void (text += chunk), ctx.now);
  return JSON.parse(text) as ExportDocument;
}

describe.skipIf(!SERVER)(`moving a solo database into a clinic${SERVER ? '' : ' (skipped: BRIDGEFIT_TEST_POSTGRES is not set)'}`, () => {
  it('export --all, import as the trainer: every record arrives, equal up to ids, and only they see it', async () => {
    const dir = tempDir();
    const solo = await openDatabase((await makeDemo(dir, ctx)).database);
    const doc = await exportAll(solo);
    await solo.close();
    const text = JSON.stringify(doc);
    const file = path.join(dir, 'all.json');
    fs.writeFileSync(file, text);

    const clinic = await freshClinic();
    const other = await clinic.member('trainer', null, 'other');
    const otherStore = await clinic.open(other);
    await addClient(otherStore, checkNewClient({ firstName: 'Already', lastName: 'Here', dateOfBirth: '1950-01-01' }, TODAY), ctx);
    await otherStore.close();

    const mover = await clinic.member('trainer', null, 'mover');
    const store = await clinic.open(mover);
    try {
      const result = await importExport(store, text, 'all.json', ctx);
      expect(result.keptIds).toBe(false);
      expect(result.clients).toBe(doc.clients.length);
      // Their own details for reports come with them; the clinic's screening rules stay the administrators'.
      const personal = Object.keys(doc.settings).filter((k) => k.startsWith('trainer.'));
      expect(personal.length).toBeGreaterThan(0);
      expect(result.settingsKept.sort()).toEqual(Object.keys(doc.settings).filter((k) => !personal.includes(k)).sort());
      const back = await exportAll(store);
      expect(Object.keys(back.settings).sort()).toEqual(personal.sort());
      expect(renumbered({ ...back, settings: doc.settings })).toEqual(renumbered(doc));
      expect((await listClients(store, 'all')).length).toBe(doc.clients.length);
      // Twice is refused, as on SQLite.
      await expect(importExport(store, text, 'again.json', ctx)).rejects.toThrow(/was imported already/);
    } finally {
      await store.close();
    }
    // The other trainer sees none of it, and the mover none of theirs.
    expect(Number((await asLogin<{ n: string }>(other, clinic.database, 'select count(*) as n from clients'))[0]!.n)).toBe(1);
    expect(Number((await asLogin<{ n: string }>(mover, clinic.database, 'select count(*) as n from progress_entries'))[0]!.n)).toBe(doc.clients.reduce((n, c) => n + c.entries.length, 0));
  }, 60_000);
});
