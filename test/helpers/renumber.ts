/** Export documents compared up to their ids (an import into a database that holds data gives new ones). */
import type { ExportDocument } from '../../src/domain/export.js';

export const withoutIdentity = (doc: ExportDocument) => ({ ...doc, exportId: undefined, exportedAt: undefined });

/** The document with every id replaced by its place in the file, references following: equal documents up to ids. */
export function renumbered(doc: ExportDocument): unknown {
  const maps: Record<string, Map<number, number>> = {};
  const number = (kind: string, value: number) => {
    const map = (maps[kind] ??= new Map());
    if (!map.has(value)) map.set(value, map.size + 1);
    return map.get(value)!;
  };
  const ref = (kind: string, value: number | null) => (value === null ? null : maps[kind]!.get(value));
  const clients = doc.clients.map((c) => {
    const intakes = c.intakes.map((r) => ({ ...r, id: number('intake', r.id) }));
    const clearances = c.clearances.map((r) => ({ ...r, id: number('clearance', r.id) }));
    const screenings = c.screenings.map((r) => ({ ...r, id: number('screening', r.id), intakeId: ref('intake', r.intakeId) }));
    const programs = c.programs.map((p) => ({
      ...p,
      id: number('program', p.id),
      intakeId: ref('intake', p.intakeId),
      clearanceId: ref('clearance', p.clearanceId),
      stageTransitions: p.stageTransitions.map((r) => ({ ...r, id: number('transition', r.id) })),
      signoffs: p.signoffs.map((r) => ({ ...r, id: number('signoff', r.id) })),
    }));
    const entries = c.entries.map((e) => ({
      ...e,
      id: number('entry', e.id),
      programId: ref('program', e.programId),
      measurements: e.measurements.map((r) => ({ ...r, id: number('measurement', r.id) })),
      amendments: e.amendments.map((r) => ({ ...r, id: number('amendment', r.id) })),
    }));
    const referrals = c.referrals.map((r) => ({ ...r, id: number('referral', r.id), entryId: ref('entry', r.entryId) }));
    return { ...c, id: number('client', c.id), intakes, clearances, screenings, programs, entries, referrals };
  });
  // Ids inside JSON values follow too, once every record has its number: the sessions and
  // referrals a stage change's evidence names, the referrals open on a session's day.
  type Evidence = { criteria?: { entries?: number[] }[]; openReferralsBypassed?: { id: number }[] };
  for (const c of clients) {
    for (const p of c.programs) {
      p.stageTransitions = p.stageTransitions.map((t) => {
        const e = t.evidence as Evidence;
        return {
          ...t,
          evidence: {
            ...e,
            criteria: e.criteria?.map((k) => ({ ...k, entries: k.entries?.map((id) => ref('entry', id)) })),
            openReferralsBypassed: e.openReferralsBypassed?.map((r) => ({ ...r, id: ref('referral', r.id) })),
          },
        } as typeof t;
      });
    }
    c.entries = c.entries.map((e) => {
      const d = e.decision as { openReferrals?: { id: number }[] };
      return d?.openReferrals ? ({ ...e, decision: { ...d, openReferrals: d.openReferrals.map((r) => ({ ...r, id: ref('referral', r.id) })) } } as typeof e) : e;
    });
  }
  const entity: Record<string, string> = { client: 'client', intake: 'intake', clearance: 'clearance', program: 'program', progress_entry: 'entry', referral: 'referral', screening: 'screening' };
  const audit = doc.audit.map((a) => ({
    ...a,
    id: undefined,
    clientId: a.clientId === null ? null : (maps.client!.get(a.clientId) ?? null),
    entityId: a.entityId === null ? null : (maps[entity[a.entity] ?? '']?.get(a.entityId) ?? null),
  }));
  return { ...withoutIdentity(doc), clients, audit };
}

