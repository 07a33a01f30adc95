import type { Client } from '../domain/client.js';
import { fullName } from '../domain/client.js';
import { describeRestriction } from '../domain/clearance.js';
import { SEVERITY_ORDER, screen as screenClient, type ScreeningVerdict, type Severity } from '../domain/screening.js';
import { resolveSettings } from '../domain/settings.js';
import { listClearances } from '../store/clearances.js';
import { intakeBefore, intakeInForce, type StoredIntake } from '../store/intakes.js';
import { getStoredSettings } from '../store/meta.js';
import { recordScreening } from '../store/screenings.js';
import { listReferrals, raiseReferral } from '../store/progress.js';
import { clinicianInForce } from './record-session.js';
import { referralFor } from '../domain/referrals.js';
import { stopsTraining } from '../domain/session.js';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { App } from './app.js';
import { resolveClient } from './resolve.js';
import { NotFoundError } from './errors.js';

/**
 * Screen a client on `today` from the intake in force, every clearance and the
 * settings, and keep the verdict. Runs inside the caller's transaction.
 */
export async function screenAndRecord(
  db: Kysely<Database>,
  client: Client,
  intake: StoredIntake,
  today: string,
  ctx: { command: string; now: string },
): Promise<{ verdict: ScreeningVerdict; screeningId: number }> {
  const settings = resolveSettings(await getStoredSettings(db));
  const clearances = await listClearances(db, client.id);
  const previous = (await intakeBefore(db, intake))?.answers;
  // Open red-flag referrals, but not those the intake itself raised (its red flags refer already).
  // (PAR-Q+ Q2 and Q3 are chest pain and dizziness to the screening, ticked or not.)
  const parq = intake.answers.parq;
  const atIntake = new Set<string>([...intake.answers.symptoms, ...(parq.q2 ? ['chest_pain'] : []), ...(parq.q3 ? ['dizziness_syncope'] : [])]);
  const stopReferrals = (await listReferrals(db, { clientId: client.id, openOnly: true })).filter((r) => stopsTraining(r.code) && r.raisedOn <= today && !(r.entryId === null && atIntake.has(r.code)));
  const verdict = screenClient({
    client,
    intake: intake.answers,
    clearances,
    settings,
    today,
    ...(previous ? { previous } : {}),
    stopReferrals: stopReferrals.map((r) => ({ id: r.id, reason: r.reason, raisedOn: r.raisedOn })),
  });
  const { id } = await recordScreening(db, client.id, intake.id, verdict, settings, ctx);
  return { verdict, screeningId: id };
}

/** `bridgefit screen <client>` */
export async function screen(app: App, _opts: unknown, args: string[]): Promise<void> {
  const today = app.today();
  const { client, verdict, intake } = await app.withStore(async (store) => {
    const client = await resolveClient(store, args[0]!);
    return store.write(async (tx) => {
      const intake = await intakeInForce(tx, client.id, today);
      if (!intake) throw new NotFoundError(`no intake for ${fullName(client)} yet; run "bridgefit intake ${client.id}" first`);
      const { verdict } = await screenAndRecord(tx, client, intake, today, app.writeContext());
      return { client, verdict, intake };
    });
  }, { create: false });
  if (app.io.json) {
    app.io.printJson({ clientId: client.id, intakeId: intake.id, ...verdict });
    return;
  }
  printVerdict(app, client, verdict);
}

/**
 * A red-flag symptom recorded at a new intake raises a referral, as one at a
 * session does (stop and refer, FACTS §3): it then holds every session until a
 * clinician has assessed the client and it is resolved. Not raised again while
 * one on the same flag is open. Call it only for a newly saved intake, not
 * when screening again (a resolved referral must not come back).
 */
export async function referIntakeRedFlags(
  db: Kysely<Database>,
  client: Client,
  intake: StoredIntake,
  verdict: ScreeningVerdict,
  today: string,
  ctx: { command: string; now: string },
): Promise<{ id: number; code: string; reason: string; toWhom: string }[]> {
  const open = (await listReferrals(db, { clientId: client.id, openOnly: true })).map((r) => r.code);
  const clinician = await clinicianInForce(db, client.id, today);
  const raised: { id: number; code: string; reason: string; toWhom: string }[] = [];
  for (const f of verdict.redFlags) {
    if (!stopsTraining(f.code) || open.includes(f.code)) continue;
    // The screening's own words for it, so a report says it once.
    const reason = `Red flag: ${f.text}: stop and refer to a clinician`;
    const toWhom = referralFor(f.code, clinician);
    const id = await raiseReferral(db, { clientId: client.id, entryId: null, raisedOn: intake.date, code: f.code, reason, toWhom }, ctx);
    open.push(f.code);
    raised.push({ id, code: f.code, reason, toWhom });
  }
  return raised;
}

const GATE_TEXT = {
  ok: 'OK to start',
  'needs-clearance': 'NEEDS CLEARANCE before a program',
  refer: 'REFER to a clinician',
} as const;

const SEVERITY_LABEL: Record<Severity, string> = { refer: 'refer', clearance: 'clearance', hold: 'hold today', caution: 'caution', info: 'note' };

export function printVerdict(app: App, client: Client, v: ScreeningVerdict): void {
  const { c } = app.io;
  const gateColour = v.gate === 'ok' ? c.green : v.gate === 'refer' ? c.red : c.yellow;
  app.io.out(`${c.bold(`Screening: ${fullName(client)}`)} ${c.dim(`(client ${client.id}; intake of ${v.intakeDate}; ${v.ruleVersion})`)}`);
  const clearance = v.clearance.inForce
    ? `${v.clearance.state} — ${v.clearance.inForce.clinician} (${v.clearance.inForce.profession}), ${v.clearance.inForce.issuedOn}, until ${v.clearance.inForce.validUntil}`
    : 'none on file';
  app.io.fields([
    ['Gate', gateColour(GATE_TEXT[v.gate])],
    ['Today', v.sessionToday === 'go' ? 'a session may go ahead' : c.red(v.gate === 'ok' ? 'hold: no session today' : v.gate === 'refer' ? 'no session: refer first' : 'no session until the clearance is on file')],
    ['ACSM 2015', `${v.acsm.outcome}${v.acsm.rule === 'ada-2016' ? ' (ADA 2016 rule)' : ''}`],
    ['PAR-Q+', `${v.parq.outcome}${v.parq.yes.length ? ` (YES: ${v.parq.yes.join(', ')})` : ''}`],
    ['Red flags', v.redFlags.length ? c.red(v.redFlags.map((f) => f.text).join('; ')) : 'none'],
    ['Clearance', `${clearance}${v.clearance.needed ? (v.clearance.covers ? ' (covers what is needed)' : ' (needed)') : ''}`],
    ['Restrictions', v.clearance.restrictions.length ? v.clearance.restrictions.map(describeRestriction).join('; ') : 'none'],
    ['Start at', v.startingIntensity === 'none' ? 'not yet' : v.startingIntensity.replace('-', ' to ') + ' intensity'],
    ['Dosing', v.dosing === 'rpe-only' ? 'RPE or talk test only (no heart-rate targets)' : 'heart rate or RPE'],
    ['RPE target', v.targets.rpe ?? '—'],
    ['HR target', v.targets.heartRate ? `${v.targets.heartRate.low}–${v.targets.heartRate.high} bpm` : '—'],
  ]);
  app.io.out('');
  app.io.out(c.bold('Why'));
  const sorted = [...v.reasons].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  for (const r of sorted) {
    const tag = SEVERITY_LABEL[r.severity].padEnd(10);
    const colour = r.severity === 'refer' ? c.red : r.severity === 'clearance' || r.severity === 'hold' ? c.yellow : (s: string) => s;
    app.io.out(`  ${colour(tag)} ${r.text}`);
    app.io.out(`  ${' '.repeat(10)} ${c.dim(r.source)}`);
  }
}
