/** Doses and exit criteria in words, for screens, reports and handouts. */
import type { Dose, ExitCriterion } from './template-schema.js';
import { MEASURES } from './template-terms.js';

const TALK = { can_sing: 'can sing', can_talk: 'can talk, not sing', few_words: 'a few words only' } as const;

/** `side`: the planned exercise is done with that leg only (PlannedExercise.side). */
export function describeDose(d: Dose, side?: 'left' | 'right'): string {
  const amount = d.reps !== undefined ? `${d.reps} reps` : d.seconds !== undefined ? `${d.seconds} s` : `${d.minutes} min`;
  const parts = [`${d.sets} × ${amount}${side ? `, ${side} leg only` : d.perSide ? ' each side' : ''}`, `RPE ${d.rpe[0]}–${d.rpe[1]}/10`];
  if (d.hrr) parts.push(`${d.hrr[0]}–${d.hrr[1]}% HRR`);
  if (d.talkTest) parts.push(`talk test: ${TALK[d.talkTest]}`);
  if (d.tempo) parts.push(`tempo ${d.tempo}`);
  if (d.restSeconds > 0) parts.push(`rest ${d.restSeconds} s`);
  return parts.join(', ');
}

export function describeCriterion(c: ExitCriterion): string {
  if (c.measure === 'signoff') return `signed off by the ${c.by}${c.note ? ` (${c.note})` : ''}`;
  const m = MEASURES[c.measure];
  if (c.measure === 'effusion_grade') {
    // Stroke-test grades are stored 0–4 (FACTS §4, Sturgill 2009): none, trace, 1+, 2+, 3+.
    const grade = ['none', 'trace', '1+', '2+', '3+'][c.value!] ?? String(c.value);
    const words = { '>=': 'at least', '<=': 'at most', '>': 'above', '<': 'below', '==': 'exactly' }[c.op!];
    const over = c.visits ? ` on ${c.visits} visit${c.visits > 1 ? 's' : ''}` : c.days ? ` for ${c.days} days` : '';
    return `knee effusion${c.side ? ` (${c.side === 'affected' ? 'affected side' : c.side})` : ''} ${words} ${grade}${over}${c.note ? ` (${c.note})` : ''}`;
  }
  const side = c.side ? ` (${c.side === 'affected' ? 'affected side' : c.side})` : '';
  const over = c.visits ? ` on ${c.visits} visit${c.visits > 1 ? 's' : ''}` : c.days ? ` for ${c.days} days` : '';
  const op = { '>=': '≥', '<=': '≤', '>': '>', '<': '<', '==': '=' }[c.op!];
  return `${m.label}${side} ${op} ${c.value}${m.unit.startsWith('/') || m.unit === '°' || m.unit === '%' ? '' : ' '}${m.unit.startsWith('grade') ? '' : m.unit}${over}${c.note ? ` (${c.note})` : ''}`;
}
