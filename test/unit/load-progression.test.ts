/**
 * Load progression within a stage (issue 16): ACSM 2009 position stand
 * (2–10% after two consecutive sessions over the target reps) and the
 * pain-monitoring model (FACTS §4: pain during and next morning acceptable;
 * a worse 24-hour response → reduce).
 */
import { describe, expect, it } from 'vitest';
import { loadSessions, stageLoadSuggestions, suggestLoad, type LoadSession } from '../../src/domain/load-progression.js';
import type { ProgressEntry } from '../../src/domain/progress-types.js';
import { checkSetting, loadDefaultsOf, resolveSettings } from '../../src/domain/settings.js';
import { programTemplateSchema } from '../../src/domain/template-schema.js';

const defaults = loadDefaultsOf(resolveSettings({}));
const legPress = { exerciseId: 'leg_press', name: 'Leg press', dose: { sets: 3, reps: 12 }, rule: { stepKg: 2.5 } };
/** A session of 3×`reps` at `kg`, pain 2 during and 2 the next morning against 2 before. */
const at = (date: string, kg: number, reps = 12, pain: Partial<LoadSession> = {}): LoadSession => ({
  date,
  done: { exerciseId: 'leg_press', sets: 3, reps, loadKg: kg, completed: true },
  painDuring: 2,
  nextDayPain: 2,
  baseline: 2,
  ...pain,
});

describe('suggestLoad', () => {
  it('two sessions in a row at the top of the reps with pain acceptable: +5–10%, rounded to the step (40 kg → 42.5 kg)', () => {
    const s = suggestLoad(legPress, [at('2026-11-24', 40), at('2026-11-26', 40)], [], defaults);
    expect(s).toMatchObject({ suggestedKg: 42.5, lastKg: 40, change: 'increase', reason: '+2.5 kg: two sessions at 12 reps, pain acceptable' });
  });

  it('one session at the top: the same load', () => {
    const s = suggestLoad(legPress, [at('2026-11-24', 40, 10), at('2026-11-26', 40)], [], defaults);
    expect(s).toMatchObject({ suggestedKg: 40, change: 'same' });
    expect(s.reason).toMatch(/^one session at 3×12 @ 40 kg; two sessions in a row needed/);
    expect(suggestLoad(legPress, [at('2026-11-26', 40)], [], defaults)).toMatchObject({ suggestedKg: 40, change: 'same' });
  });

  it('the latest session recorded no load (done as planned, no weight): the same, saying so', () => {
    const noLoad: LoadSession = { ...at('2026-11-28', 0), done: { exerciseId: 'leg_press', sets: 3, reps: 12, completed: true } };
    expect(suggestLoad(legPress, [at('2026-11-24', 40), at('2026-11-26', 40), noLoad], [], defaults)).toMatchObject({ suggestedKg: 40, change: 'same', reason: 'the latest session (2026-11-28) recorded no load for it; last load 40 kg on 2026-11-26' });
  });

  it('a new load: the sessions at the old one do not count', () => {
    expect(suggestLoad(legPress, [at('2026-11-24', 40), at('2026-11-26', 40), at('2026-11-28', 42.5)], [], defaults)).toMatchObject({ suggestedKg: 42.5, change: 'same' });
  });

  it('pain during above 5/10 on the earlier session: no increase', () => {
    const s = suggestLoad(legPress, [at('2026-11-24', 40, 12, { painDuring: 6 }), at('2026-11-26', 40)], [], defaults);
    expect(s).toMatchObject({ suggestedKg: 40, change: 'same', reason: 'no increase: pain during 6/10 above 5/10 on 2026-11-24' });
  });

  it('pain during above 5/10 at the latest session: reduce (as the session rules say)', () => {
    expect(suggestLoad(legPress, [at('2026-11-24', 40), at('2026-11-26', 40, 12, { painDuring: 6 })], [], defaults)).toMatchObject({ suggestedKg: 37.5, change: 'reduce' });
  });

  it('worse the next morning than before: reduce by the same step', () => {
    const s = suggestLoad(legPress, [at('2026-11-24', 40), at('2026-11-26', 40, 12, { nextDayPain: 4 })], [], defaults);
    expect(s).toMatchObject({ suggestedKg: 37.5, change: 'reduce', reason: '−2.5 kg: next-morning pain 4/10 worse than before (2/10) after 2026-11-26' });
  });

  it('next-morning pain not yet recorded: no increase until it is', () => {
    const s = suggestLoad(legPress, [at('2026-11-24', 40), at('2026-11-26', 40, 12, { nextDayPain: undefined })], [], defaults);
    expect(s).toMatchObject({ suggestedKg: 40, change: 'same', reason: 'no increase: next-morning pain not recorded yet for 2026-11-26' });
  });

  it('a hold, referral or "drop a level" in the decision stops the increase, or reduces', () => {
    const referred = at('2026-11-26', 40);
    referred.decision = { flags: [{ code: 'effusion_2plus' }], advice: { advice: 'repeat', reasons: [] } };
    expect(suggestLoad(legPress, [at('2026-11-24', 40), referred], [], defaults)).toMatchObject({ change: 'same', suggestedKg: 40 });
    const rest = at('2026-11-26', 40);
    rest.decision = { advice: { advice: 'rest', reasons: [{ code: 'soreness_warmup_continuing', text: '', source: '' }] } };
    expect(suggestLoad(legPress, [at('2026-11-24', 40), rest], [], defaults)).toMatchObject({ change: 'reduce', suggestedKg: 37.5 });
    const sore = at('2026-11-26', 40);
    sore.decision = { advice: { advice: 'repeat', reasons: [{ code: 'soreness_after_next_day', text: '', source: '' }] } };
    expect(suggestLoad(legPress, [at('2026-11-24', 40), sore], [], defaults)).toMatchObject({ change: 'same' });
  });

  it("never above the clearance's max_load_kg or the program's cap", () => {
    const capped = suggestLoad(legPress, [at('2026-11-24', 40), at('2026-11-26', 40)], [{ value: 41, by: "the clearance's max_load_kg=41" }], defaults);
    expect(capped).toMatchObject({ suggestedKg: 41, change: 'increase' });
    expect(capped.reason).toMatch(/capped at 41 kg \(the clearance's max_load_kg=41\)/);
    expect(suggestLoad(legPress, [at('2026-11-24', 40), at('2026-11-26', 40)], [{ value: 40, by: 'c' }], defaults)).toMatchObject({ suggestedKg: 40, change: 'same', reason: 'at the cap of 40 kg (c)' });
    // Above the cap already (a clearance tightened since): down to it.
    expect(suggestLoad({ ...legPress, rule: { stepKg: 2.5, maxKg: 30, maxBy: "the program's cap" } }, [at('2026-11-26', 40)], [], defaults)).toMatchObject({ suggestedKg: 30, change: 'reduce' });
  });

  it('rounds to the step, at least one step: 5 kg dumbbell +0.5 kg, 8 kg with a 1 kg step +1 kg, 60 kg with 2.5 kg +5 kg', () => {
    const rule = (stepKg: number) => ({ ...legPress, rule: { stepKg } });
    expect(suggestLoad(rule(0.5), [at('a', 5), at('b', 5)], [], defaults).suggestedKg).toBe(5.5);
    expect(suggestLoad(rule(1), [at('a', 8), at('b', 8)], [], defaults).suggestedKg).toBe(9);
    expect(suggestLoad(rule(2.5), [at('a', 60), at('b', 60)], [], defaults).suggestedKg).toBe(65);
    // 5% of 3 kg is 0.15 kg: one whole step, never less.
    expect(suggestLoad(rule(1), [at('a', 3), at('b', 3)], [], defaults).suggestedKg).toBe(4);
  });

  it("the rule's own sessions and percent win over the defaults", () => {
    const three = { ...legPress, rule: { stepKg: 2.5, sessionsAtTop: 3 } };
    expect(suggestLoad(three, [at('a', 40), at('b', 40)], [], defaults).change).toBe('same');
    expect(suggestLoad(three, [at('a', 40), at('b', 40), at('c', 40)], [], defaults).change).toBe('increase');
    expect(suggestLoad({ ...legPress, rule: { stepKg: 1, increasePercent: [10, 10] } }, [at('a', 40), at('b', 40)], [], defaults).suggestedKg).toBe(44);
  });

  it('no rule, a timed dose, or no load recorded: nothing suggested', () => {
    expect(suggestLoad({ ...legPress, rule: undefined }, [at('a', 40)], [], defaults)).toMatchObject({ suggestedKg: null, change: 'none' });
    expect(suggestLoad({ ...legPress, dose: { sets: 1 } }, [at('a', 40)], [], defaults)).toMatchObject({ suggestedKg: null, change: 'none' });
    expect(suggestLoad(legPress, [], [], defaults)).toMatchObject({ suggestedKg: null, change: 'none', reason: 'no load recorded in this stage yet' });
  });
});

describe('from entries', () => {
  const entry = (date: string, kg: number, extra: Partial<ProgressEntry> = {}): ProgressEntry => ({
    id: 0,
    clientId: 1,
    date,
    attended: true,
    painBefore: 2,
    painDuring: 3,
    nextDayPain: 2,
    vitals: {},
    measures: [],
    symptoms: [],
    exercises: [{ exerciseId: 'leg_press', sets: 3, reps: 12, loadKg: kg, completed: true }],
    ...extra,
  });

  it('reads the pain baseline and skips missed sessions', () => {
    const entries = [entry('2026-11-24', 40), { ...entry('2026-11-25', 0), attended: false, exercises: [] }, entry('2026-11-26', 40)];
    expect(loadSessions(entries, 'leg_press').map((s) => s.date)).toEqual(['2026-11-24', '2026-11-26']);
    const [s] = stageLoadSuggestions([{ exerciseId: 'leg_press', name: 'Leg press', dose: { sets: 3, reps: 12 }, loadRule: { stepKg: 2.5 } }], entries, [{ code: 'max_load_kg', value: 45 }], defaults);
    expect(s).toMatchObject({ suggestedKg: 42.5, change: 'increase' });
  });
});

describe('settings and the template schema', () => {
  it('the increase is a setting [unconfirmed default], 5-10% by default', () => {
    expect(defaults).toEqual({ stepKg: 1, increasePercent: [5, 10], sessionsAtTop: 2 });
    expect(checkSetting('progression.loadIncreasePercent', '2-10')).toBe('2-10');
    expect(() => checkSetting('progression.loadIncreasePercent', '10-5')).toThrow(/low not above high/);
    expect(() => checkSetting('progression.loadSessionsAtTop', '0')).toThrow(/1–6/);
  });

  it('a load rule on a timed exercise is refused, with its path', () => {
    const stage = (x: Record<string, unknown>) => ({ name: 'S', goals: ['g'], weeks: [1, 2], sessionsPerWeek: 2, exercises: [x], exitCriteria: [{ measure: 'signoff', by: 'trainer' }] });
    const t = {
      id: 't',
      kind: 'program',
      name: 'T',
      version: '1.0.0',
      description: 'd',
      sources: ['s'],
      fits: [],
      loadProgression: { stepKg: 0.1 },
      stages: [stage({ exercise: 'walking', dose: { sets: 1, minutes: 10, rpe: [2, 3], restSeconds: 0 }, loadProgression: { stepKg: 1 } }), stage({ exercise: 'leg_press', dose: { sets: 3, reps: 10, rpe: [4, 5], restSeconds: 60 } })],
    };
    const r = programTemplateSchema.safeParse(t);
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('loadProgression.stepKg');
    expect(paths).toContain('stages.0.exercises.0.loadProgression');
  });
});
