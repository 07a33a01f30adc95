// The SQL `bridgefit summary` sends (src/store/summary.ts, as kysely writes it),
// for the floor: the same aggregate run directly in SQLite.
import { addDays } from './generate.mjs';

/** [sql, params] pairs for a 28-day window ending `today`. */
export function summaryQueries(today) {
  const from = addDays(today, -28);
  const span = 28;
  const mid = addDays(from, Math.ceil((span + 1) / 2));
  return [
    [`select id, first_name, last_name, status from clients where status = 'active' order by id`, []],
    [`select client_id, current_stage, stage_name, sessions_per_week, start_date, stage_started_on from programs where status = 'active'`, []],
    [
      `select e.client_id,
         sum(case when e.attended = 1 and e.session_date >= case when p.start_date > ? then p.start_date else ? end then 1 else 0 end),
         max(e.session_date),
         avg(case when e.attended = 1 and e.session_date < ? then e.pain_after end), count(case when e.attended = 1 and e.session_date < ? then e.pain_after end),
         avg(case when e.attended = 1 and e.session_date >= ? then e.pain_after end), count(case when e.attended = 1 and e.session_date >= ? then e.pain_after end)
       from progress_entries e left join programs p on p.client_id = e.client_id and p.status = 'active'
       where e.session_date >= ? and e.session_date <= ? group by e.client_id`,
      [from, from, mid, mid, mid, mid, from, today],
    ],
    [`select p.client_id, p.decision, p.session_date from progress_entries p join (select client_id, max(id) as last_id from progress_entries group by client_id) l on l.last_id = p.id`, []],
    [`select r.client_id, o.n, r.reason from referrals r join (select client_id, count(*) as n, min(id) as first_id from referrals where status = 'open' group by client_id) o on o.first_id = r.id`, []],
    [
      `select client_id, code, value from measurements where code in ('nprs','lefs','odi','psfs','quickdash','tug_seconds','chair_stand_30s','six_minute_walk_m','single_leg_stance_s') and session_date <= ? order by client_id, code, session_date, id`,
      [today],
    ],
  ];
}
