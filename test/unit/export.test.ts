/** The export document's schema: what import accepts and what it names, and the JSON Schema made from it. */
import { describe, expect, it } from 'vitest';
import { checkExportDocument, EXPORT_FORMAT, EXPORT_VERSION, exportJsonSchema, type ExportDocument } from '../../src/domain/export.js';

function minimal(): ExportDocument {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportId: '2f1d6c1e-6a4e-4c55-9d6a-0d1f2c3b4a59',
    exportedAt: '2026-12-02T10:00:00.000Z',
    schemaVersion: 8,
    scope: 'all',
    settings: { 'trainer.name': 'Sam Rivera' },
    clients: [
      {
        id: 3,
        firstName: 'Zoë',
        lastName: 'Moreau',
        dateOfBirth: '1961-04-12',
        sex: 'female',
        email: null,
        phone: null,
        goals: null,
        notes: null,
        status: 'active',
        createdAt: '2026-11-01T09:00:00.000Z',
        updatedAt: '2026-11-01T09:00:00.000Z',
        intakes: [{ id: 4, intakeDate: '2026-11-01', recordedAt: '2026-11-01T09:00:00.000Z', formVersion: '1', answers: { conditions: [] } }],
        clearances: [],
        screenings: [{ id: 5, intakeId: 4, screenedOn: '2026-11-01', recordedAt: '2026-11-01T09:00:00.000Z', ruleVersion: 'r1', settings: {}, gate: 'go', verdict: { gate: 'go' } }],
        programs: [],
        entries: [],
        referrals: [],
      },
    ],
    audit: [{ id: 1, at: '2026-11-01T09:00:00.000Z', command: 'client add', action: 'client.create', entity: 'client', entityId: 3, clientId: 3 }],
  };
}

describe('checkExportDocument', () => {
  it('accepts a minimal document, an audit record without detail (SQL NULL) and one whose detail is null', () => {
    const doc = minimal();
    doc.audit.push({ ...doc.audit[0]!, id: 2, detail: null });
    const checked = checkExportDocument(doc);
    expect(checked.ok).toBe(true);
    if (checked.ok) {
      expect('detail' in checked.document.audit[0]!).toBe(false);
      expect(checked.document.audit[1]!.detail).toBeNull();
    }
  });

  it('refuses what is not an export, or a later version, in one problem', () => {
    expect(checkExportDocument([1, 2])).toEqual({ ok: false, problems: [{ path: '(top level)', message: 'expected a bridgefit export (a JSON object)' }] });
    expect(checkExportDocument({ resourceType: 'Bundle' })).toEqual({ ok: false, problems: [{ path: 'format', message: 'expected "bridgefit-export", got nothing: not a bridgefit export' }] });
    expect(checkExportDocument({ ...minimal(), version: 2 })).toEqual({
      ok: false,
      problems: [{ path: 'version', message: 'the file is export version 2, written by a newer bridgefit; this one reads version 1' }],
    });
  });

  it('names every field problem by its JSON path, all at once', () => {
    const doc = minimal() as unknown as { clients: Record<string, unknown>[]; audit: Record<string, unknown>[] };
    doc.clients[0]!.status = 'gone';
    doc.clients[0]!.nickname = 'Zo';
    (doc.clients[0]!.intakes as Record<string, unknown>[])[0]!.answers = undefined;
    doc.audit[0]!.id = -1;
    const checked = checkExportDocument(doc);
    expect(checked.ok).toBe(false);
    const paths = checked.ok ? [] : checked.problems.map((p) => p.path).sort();
    expect(paths).toEqual(['audit[0].id', 'clients[0]', 'clients[0].intakes[0].answers', 'clients[0].status']);
  });

  it('refuses a reference to a record of another client, and an id used twice', () => {
    const doc = minimal();
    const other = { ...structuredClone(doc.clients[0]!), id: 7, intakes: [{ ...doc.clients[0]!.intakes[0]!, id: 8 }], screenings: [] };
    doc.clients.push(other);
    doc.clients[0]!.screenings[0]!.intakeId = 8;
    doc.clients[1]!.intakes[0]!.id = 4;
    const checked = checkExportDocument(doc);
    expect(checked.ok ? [] : checked.problems).toEqual([
      { path: 'clients[0].screenings[0].intakeId', message: 'no intake 8 of this client in the file' },
      { path: 'clients[1].intakes[0].id', message: 'id 4 is used by another intake in the file' },
    ]);
  });
});

describe('exportJsonSchema', () => {
  it('is the same schema: it requires the format, version, clients and audit, and names the nested records', () => {
    const schema = exportJsonSchema() as { title: string; required: string[]; properties: Record<string, { const?: unknown; items?: { required?: string[] } }> };
    expect(schema.title).toBe('bridgefit export');
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'version', 'exportId', 'clients', 'audit', 'settings']));
    expect(schema.properties.format!.const).toBe(EXPORT_FORMAT);
    expect(schema.properties.version!.const).toBe(EXPORT_VERSION);
    expect(schema.properties.clients!.items!.required).toEqual(expect.arrayContaining(['id', 'intakes', 'programs', 'entries', 'referrals']));
    // Optional only where SQL NULL is told by absence.
    expect((schema.properties.audit!.items!.required ?? []).includes('detail')).toBe(false);
  });
});
