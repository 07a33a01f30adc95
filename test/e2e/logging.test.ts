/**
 * Logging a session as a trainer does it (issue 16): at a terminal, the
 * day's planned exercises one by one (as planned, changed, swapped, skipped),
 * second readings, and what was done checked against the clearance.
 */
import { describe, expect, it } from 'vitest';
import { day } from '../helpers/answers.js';
import { bfInTerminal } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { tkaClient } from '../helpers/tka-client.js';

/** A left knee replacement, cleared with no running and loads up to 5 kg, in a program started 14 days ago. */
async function setup() {
  const { cwd, db, run } = await tkaClient();
  await run(['clearance', 'add', 'zoe', '--clinician', 'J. Okafor', '--profession', 'physiotherapist', '--date', day(19), '--status', 'cleared-with-restrictions', '--restrict', 'no_running', '--restrict', 'max_load_kg=5', '--restrict', 'rom.knee.left=90']);
  expect((await run(['program', 'generate', 'zoe', '--start', day(14)])).exitCode).toBe(0);
  return { cwd, db, run };
}

const ENTER = '\r';
const down = (n: number) => '\x1b[B'.repeat(n);

describe('logging a session', () => {
  it('walks the planned exercises at a terminal: as planned, changed, skipped with a reason, swapped with a reason; breaches are flagged', async () => {
    const { cwd, db } = await setup();
    const r = await bfInTerminal(
      ['--db', db, 'progress', 'add', 'zoe'],
      [
        { waitFor: 'Did the session take place?', send: ENTER },
        { waitFor: 'Resting blood pressure', send: `166/98${ENTER}` },
        // At the re-check level: measured again after rest.
        { waitFor: 'rest 5 minutes and measure again', send: `136/84${ENTER}` },
        { waitFor: 'Resting heart rate', send: ENTER },
        { waitFor: 'Blood glucose', send: ENTER },
        { waitFor: 'feel unwell today?', send: ENTER },
        { waitFor: 'Pain before', send: `1${ENTER}` },
        { waitFor: 'Pain during', send: `2${ENTER}` },
        { waitFor: 'Pain after', send: `2${ENTER}` },
        { waitFor: 'Effort, RPE', send: ENTER },
        { waitFor: 'Duration', send: ENTER },
        { waitFor: 'Soreness', send: ENTER },
        { waitFor: 'exercises of stage 1 done as planned?', send: `n${ENTER}` },
        { waitFor: 'Ankle pumps: planned', send: ENTER }, // as planned
        { waitFor: 'Quadriceps sets (thigh squeeze): planned 2×10', send: `${down(1)}${ENTER}` }, // changed
        { waitFor: 'Sets', send: ENTER },
        { waitFor: 'Reps', send: ENTER },
        { waitFor: 'Load, kg', send: `8${ENTER}` },
        { waitFor: 'Heel prop (knee straightening stretch): planned 5 min', send: `${down(3)}${ENTER}` }, // skipped
        { waitFor: 'skipped?', send: `knee sore${ENTER}` },
        { waitFor: 'Heel slides: planned', send: `${down(2)}${ENTER}` }, // swapped
        { waitFor: 'Done instead of', send: `joging${ENTER}` },
        { waitFor: 'did you mean jogging', send: `\x7f\x7f\x7f\x7f\x7f\x7fjogging${ENTER}` },
        { waitFor: 'Why the swap?', send: `wanted to run${ENTER}` },
        { waitFor: 'Sets', send: ENTER },
        { waitFor: 'Reps', send: ENTER },
        { waitFor: 'Load, kg', send: ENTER },
        ...['Short-arc quads', 'Straight leg raise', 'Seated knee bend', 'Buttock squeezes', 'Sit to stand', 'Walking: planned 2×5 min'].map((name) => ({ waitFor: name, send: ENTER })),
        { waitFor: 'knee flexion: which side?', send: ENTER },
        { waitFor: 'knee flexion, left', send: `96${ENTER}` },
        { waitFor: 'knee extension deficit: which side?', send: ENTER },
        { waitFor: 'knee extension deficit, left', send: ENTER },
        { waitFor: 'knee effusion (stroke test): which side?', send: ENTER },
        { waitFor: 'knee effusion (stroke test), left', send: ENTER },
        // The template's outcome score, due as a baseline at the program's start.
        { waitFor: 'LEFS (every 4 weeks; baseline) is due: score 0–80', send: `38${ENTER}` },
        { waitFor: 'Any of these today?', send: ENTER },
        { waitFor: 'Notes', send: ENTER },
        { waitFor: 'Save this session?', send: ENTER },
      ],
      { cwd, timeoutMs: 40_000 },
    );
    expect(r.exitCode, r.screen).toBe(0);
    expect(rows(db, "select code, value from measurements where code = 'lefs'")).toEqual([{ code: 'lefs', value: 38 }]);
    expect(r.screen).not.toContain('Due: LEFS'); // taken: nothing left due
    expect(r.screen).toContain('Warning: Load above 5 kg');
    expect(r.screen).toMatch(/Warning: jogging was done, and the program's limits do not allow it \(clearance: no running/);
    expect(r.screen).toMatch(/Warning: knee flexion \(left\) 96° is beyond the clinician's limit of 90°/);
    const [stored] = rows(db, 'select exercises, bp_systolic, bp_recheck_systolic, decision from progress_entries') as { exercises: string; bp_systolic: number; bp_recheck_systolic: number; decision: string }[];
    expect([stored!.bp_systolic, stored!.bp_recheck_systolic]).toEqual([166, 136]);
    const done = JSON.parse(stored!.exercises) as { exerciseId: string; completed: boolean; loadKg?: number; reason?: string; swappedFrom?: string }[];
    expect(done).toHaveLength(10);
    expect(done[1]).toMatchObject({ exerciseId: 'quad_set', loadKg: 8, completed: true });
    expect(done[2]).toEqual({ exerciseId: 'heel_prop_knee_extension', completed: false, reason: 'knee sore' });
    expect(done[3]).toMatchObject({ exerciseId: 'jogging', swappedFrom: 'heel_slide', reason: 'wanted to run', completed: true });
    const decision = JSON.parse(stored!.decision) as { checks: { code: string }[]; warnings: { code: string }[] };
    expect(decision.checks.map((c) => c.code)).toEqual(['bp_rechecked']);
    expect(decision.warnings.map((w) => w.code).sort()).toEqual(['exercise_not_allowed', 'load_above_cap', 'rom_beyond_limit']);
  });

  it('the same without a terminal: --did with a swap, and --bp-recheck / --glucose-recheck', async () => {
    const { db, run } = await setup();
    const r = await run(['progress', 'add', 'zoe', '--date', day(2), '--pain-before', '1', '--bp', '168/100', '--bp-recheck', '164/100', '--did', 'heel_slide>jogging=1x10', '--did', 'quad_set=done', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.decision.flags.map((f: { code: string }) => f.code)).toEqual(['bp_repeated_high']);
    expect(out.decision.warnings.map((w: { code: string }) => w.code)).toContain('exercise_not_allowed');
    expect(out.referrals.map((x: { code: string }) => x.code)).toEqual(['bp_repeated_high']);
    const [stored] = rows(db, 'select exercises from progress_entries') as { exercises: string }[];
    expect(JSON.parse(stored!.exercises)).toEqual([
      { exerciseId: 'jogging', sets: 1, reps: 10, completed: true, swappedFrom: 'heel_slide' },
      expect.objectContaining({ exerciseId: 'quad_set', completed: true, sets: expect.any(Number) }), // "done": the plan's dose
    ]);
    const bad = await run(['progress', 'add', 'zoe', '--date', day(1), '--bp-recheck', '150/90']);
    expect([bad.exitCode, bad.stderr]).toEqual([2, 'bridgefit: --bp-recheck: a second reading goes with the first (bp); nothing was saved\n']);
    const swapUnknown = await run(['progress', 'add', 'zoe', '--date', day(1), '--did', 'heel_slyde>jogging=1x10']);
    expect(swapUnknown.stderr).toMatch(/no exercise "heel_slyde" in the library; did you mean heel_slide/);
  });
});

describe('outcome scores on the template schedule', () => {
  it('progress add says a due score and how to add it; program status shows it due, then next due once taken', async () => {
    const { run } = await setup();
    const first = await run(['progress', 'add', 'zoe', '--date', day(13), '--pain-before', '1']);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Due: LEFS (every 4 weeks; baseline): take it next session, or add it to this one: bridgefit progress amend 1 --entry 1 --score lefs=N`);
    const status = await run(['program', 'status', 'zoe']);
    expect(status.stdout).toMatch(new RegExp(`Outcome scores +LEFS \\(every 4 weeks; baseline\\): due since ${day(14)}`));
    expect((await run(['progress', 'amend', 'zoe', '--entry', '1', '--score', 'lefs=36'])).exitCode).toBe(0);
    const after = JSON.parse((await run(['program', 'status', 'zoe', '--json'])).stdout);
    expect(after.outcomes).toEqual([{ measure: 'lefs', everyWeeks: 4, last: { date: day(13), value: 36 }, dueOn: day(13 - 28), due: false, source: expect.stringContaining('Binkley') }]);
    const second = JSON.parse((await run(['progress', 'add', 'zoe', '--date', day(6), '--pain-before', '1', '--json'])).stdout);
    expect(second.outcomesDue).toEqual([]);
  });
});
