/** The screening verdict as a person reads it (screen, intake). */
import { fullName, type Client } from '../domain/client.js';
import { describeRestriction } from '../domain/clearance.js';
import { SEVERITY_ORDER, type ScreeningVerdict, type Severity } from '../domain/screening.js';
import type { Cli } from './cli.js';

const GATE_TEXT = {
  ok: 'OK to start',
  'needs-clearance': 'NEEDS CLEARANCE before a program',
  refer: 'REFER to a clinician',
} as const;

const SEVERITY_LABEL: Record<Severity, string> = { refer: 'refer', clearance: 'clearance', hold: 'hold today', caution: 'caution', info: 'note' };

export function printVerdict(cli: Cli, client: Client, v: ScreeningVerdict): void {
  const { c } = cli.io;
  const gateColour = v.gate === 'ok' ? c.green : v.gate === 'refer' ? c.red : c.yellow;
  cli.io.out(`${c.bold(`Screening: ${fullName(client)}`)} ${c.dim(`(client ${client.id}; intake of ${v.intakeDate}; ${v.ruleVersion})`)}`);
  const clearance = v.clearance.inForce
    ? `${v.clearance.state} — ${v.clearance.inForce.clinician} (${v.clearance.inForce.profession}), ${v.clearance.inForce.issuedOn}, until ${v.clearance.inForce.validUntil}`
    : 'none on file';
  cli.io.fields([
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
  cli.io.out('');
  cli.io.out(c.bold('Why'));
  const sorted = [...v.reasons].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  for (const r of sorted) {
    const tag = SEVERITY_LABEL[r.severity].padEnd(10);
    const colour = r.severity === 'refer' ? c.red : r.severity === 'clearance' || r.severity === 'hold' ? c.yellow : (s: string) => s;
    cli.io.out(`  ${colour(tag)} ${r.text}`);
    cli.io.out(`  ${' '.repeat(10)} ${c.dim(r.source)}`);
  }
}
