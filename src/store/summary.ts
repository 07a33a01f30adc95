/**
 * The figures for `summary`, added up in the database: one grouped query per
 * kind of figure over all the clients asked for, never one query per client.
 * Only the outcome scores (two or three per client) come back row by row.
 */
import type { Kysely } from 'kysely';
import { fullName } from '../domain/client.js';
import { SCORE_CODES } from '../domain/progress-types.js';
import type { SessionDecision } from '../domain/session.js';
import type { ClientFigures } from '../domain/summary.js';
import type { Database } from './schema.js';
import { readJson } from './json.js';

export interface SummaryQuery {
  from: string;
  to: string;
  /** Middle of the window: pain before it is the earlier half. */
  mid: string;
  status: 'active' | 'archived' | 'all';
  clientIds?: number[];
}

export async function summaryFigures(db: Kysely<Database>, q: SummaryQuery): Promise<ClientFigures[]> {
  let clientQuery = db.selectFrom('clients').select(['id', 'first_name', 'last_name', 'status', 'trainer']);
  if (q.status !== 'all') clientQuery = clientQuery.where('status', '=', q.status);
  if (q.clientIds) clientQuery = clientQuery.where('id', 'in', q.clientIds.length ? q.clientIds : [-1]);
  const clients = await clientQuery.orderBy('id').execute();
  const figures = new Map<number, ClientFigures>();
  for (const c of clients) {
    figures.set(c.id, {
      clientId: c.id,
      name: fullName({ firstName: c.first_name, lastName: c.last_name }),
      status: c.status,
      ...(c.trainer ? { trainer: c.trainer } : {}),
      program: null,
      attended: 0,
      lastSession: null,
      pain: { earlier: { mean: null, n: 0 }, later: { mean: null, n: 0 } },
      outcomes: [],
      openReferrals: { count: 0, first: null },
      screeningRefers: false,
      clearanceNeeded: false,
      latestDecision: null,
    });
  }
  if (figures.size === 0) return [];
  const only = <T>(rows: T[], id: (r: T) => number) => rows.filter((r) => figures.has(id(r)));

  const programs = await db
    .selectFrom('programs')
    .select(['client_id', 'current_stage', 'stage_name', 'sessions_per_week', 'start_date', 'stage_started_on'])
    .where('status', '=', 'active')
    .execute();
  for (const p of only(programs, (r) => r.client_id)) {
    figures.get(p.client_id)!.program = { stage: p.current_stage, stageName: p.stage_name, sessionsPerWeek: p.sessions_per_week, startDate: p.start_date, stageStartedOn: p.stage_started_on ?? p.start_date };
  }

  // Attendance and the pain halves in one pass over the window's entries, counted from the
  // window's start or the active program's start, whichever is later (as the planned sessions are).
  const entries = await db
    .selectFrom('progress_entries as e')
    .leftJoin('programs as p', (join) => join.onRef('p.client_id', '=', 'e.client_id').on('p.status', '=', 'active'))
    .select((eb) => {
      const attendedFrom = eb.and([eb('e.attended', '=', 1), eb('e.session_date', '>=', eb.case().when('p.start_date', '>', q.from).then(eb.ref('p.start_date')).else(q.from).end())]);
      const half = (op: '<' | '>=') => eb.and([eb('e.attended', '=', 1), eb('e.session_date', op, q.mid)]);
      return [
        'e.client_id',
        eb.fn.sum<number>(eb.case().when(attendedFrom).then(1).else(0).end()).as('attended'),
        eb.fn.max('e.session_date').as('last_session'),
        eb.fn.avg<number>(eb.case().when(half('<')).then(eb.ref('e.pain_after')).end()).as('pain_earlier'),
        eb.fn.count<number>(eb.case().when(half('<')).then(eb.ref('e.pain_after')).end()).as('n_earlier'),
        eb.fn.avg<number>(eb.case().when(half('>=')).then(eb.ref('e.pain_after')).end()).as('pain_later'),
        eb.fn.count<number>(eb.case().when(half('>=')).then(eb.ref('e.pain_after')).end()).as('n_later'),
      ];
    })
    .where('e.session_date', '>=', q.from)
    .where('e.session_date', '<=', q.to)
    .where('e.voided_at', 'is', null)
    .groupBy('e.client_id')
    .execute();
  for (const e of only(entries, (r) => r.client_id)) {
    const f = figures.get(e.client_id)!;
    f.attended = Number(e.attended);
    f.lastSession = e.last_session;
    f.pain = {
      earlier: { mean: e.pain_earlier === null ? null : Number(e.pain_earlier), n: Number(e.n_earlier) },
      later: { mean: e.pain_later === null ? null : Number(e.pain_later), n: Number(e.n_later) },
    };
  }

  // The latest decision of each client, whatever the window.
  const latest = await db
    .selectFrom('progress_entries as p')
    .innerJoin(db.selectFrom('progress_entries').select((eb) => ['client_id', eb.fn.max('id').as('last_id')]).where('voided_at', 'is', null).groupBy('client_id').as('l'), 'l.last_id', 'p.id')
    .select(['p.id', 'p.client_id', 'p.decision', 'p.session_date'])
    .execute();
  for (const l of only(latest, (r) => r.client_id)) {
    const f = figures.get(l.client_id)!;
    f.latestDecision = readJson(l.decision, 'progress_entries', 'decision', l.id) as SessionDecision;
    f.lastSession ??= l.session_date;
  }

  // Open referrals: how many, and the first raised (the longest waiting) for the next action.
  const referrals = await db
    .selectFrom('referrals as r')
    .innerJoin(
      db.selectFrom('referrals').select((eb) => ['client_id', eb.fn.countAll<number>().as('n'), eb.fn.min('id').as('first_id')]).where('status', '=', 'open').groupBy('client_id').as('o'),
      'o.first_id',
      'r.id',
    )
    .select(['r.client_id', 'o.n', 'r.reason'])
    .execute();
  for (const r of only(referrals, (x) => x.client_id)) figures.get(r.client_id)!.openReferrals = { count: Number(r.n), first: r.reason };

  // Clients whose latest screening refers them to a clinician (ACSM 2015 / PAR-Q+), or needs a medical
  // clearance not given since: a clearance (not pending) issued on or after the screened intake's day
  // and recorded after the screening answers it until the next screening; one that does not clear refers.
  const gated = await db
    .selectFrom('screenings as s')
    .innerJoin(db.selectFrom('screenings').select((eb) => ['client_id', eb.fn.max('id').as('last_id')]).groupBy('client_id').as('l'), 'l.last_id', 's.id')
    .innerJoin('intakes as i', 'i.id', 's.intake_id')
    .select(['s.client_id', 's.gate', 's.recorded_at', 'i.intake_date'])
    .where('s.gate', 'in', ['refer', 'needs-clearance'])
    .execute();
  const waiting = only(gated, (x) => x.client_id).filter((r) => r.gate === 'needs-clearance');
  const since = waiting.length
    ? await db.selectFrom('clearances').select(['client_id', 'status', 'issued_on', 'recorded_at']).where('client_id', 'in', waiting.map((r) => r.client_id)).execute()
    : [];
  for (const r of only(gated, (x) => x.client_id)) {
    const f = figures.get(r.client_id)!;
    if (r.gate === 'refer') {
      f.screeningRefers = true;
      continue;
    }
    // The clinician's last word since the screening.
    const answer = since
      .filter((c) => c.client_id === r.client_id && c.recorded_at > r.recorded_at && c.issued_on >= r.intake_date && c.status !== 'pending')
      .sort((a, b) => (a.recorded_at < b.recorded_at ? -1 : a.recorded_at > b.recorded_at ? 1 : 0))
      .at(-1);
    if (answer?.status === 'not-cleared') f.screeningRefers = true;
    else f.clearanceNeeded = answer === undefined;
  }

  // Outcome scores: the first and the latest value of each, read in order.
  let scoreQuery = db
    .selectFrom('measurements')
    .select(['client_id', 'code', 'value'])
    .where('code', 'in', [...SCORE_CODES])
    .where('session_date', '<=', q.to)
    // A voided entry's scores count in nothing (progress_entries_voided_idx holds the few voided).
    .where('entry_id', 'not in', db.selectFrom('progress_entries').select('id').where('voided_at', 'is not', null));
  if (q.clientIds) scoreQuery = scoreQuery.where('client_id', 'in', q.clientIds.length ? q.clientIds : [-1]);
  const scores = await scoreQuery
    .orderBy('client_id')
    .orderBy('code')
    .orderBy('session_date')
    .orderBy('id')
    .execute();
  for (const s of scores) {
    const f = figures.get(s.client_id);
    if (!f) continue;
    const o = f.outcomes.find((x) => x.code === s.code);
    if (o) o.latest = s.value;
    else f.outcomes.push({ code: s.code, baseline: s.value, latest: s.value });
  }
  return [...figures.values()];
}
