/**
 * Sides (issue 16). A clearance restriction on the side opposite to the
 * condition: at a terminal it is asked about (no by default: nothing saved);
 * from a script it is saved as given and noted, on stderr and in the audit.
 * A left knee replacement under a left-leg limit loads the right leg as
 * planned: the program, its status, its JSON and the handout name the leg.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPdf } from '../helpers/pdf.js';
import { day } from '../helpers/answers.js';
import { bfInTerminal, USUAL_SESSION_STEPS } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { tkaClient } from '../helpers/tka-client.js';

async function setup() {
  const { cwd, db, run } = await tkaClient();
  return { cwd, db, run };
}

const clearance = ['clearance', 'add', 'zoe', '--clinician', 'J. Okafor', '--profession', 'physiotherapist', '--date', day(19), '--status', 'cleared-with-restrictions', '--restrict', 'no_running'];

describe('a restriction on the other side', () => {
  it('from a script: saved as given, with a warning and an audit note', async () => {
    const { db, run } = await setup();
    const r = await run([...clearance, '--restrict', 'weight_bearing.right=partial']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: weight_bearing.right=partial limits the right side, but the total knee replacement is on the left; recorded as given, check the side with the clinician');
    expect(rows(db, 'select count(*) as n from clearances')).toEqual([{ n: 1 }]);
    const [note] = rows(db, "select detail from audit_log where action = 'clearance.opposite_side'") as { detail: string }[];
    expect(JSON.parse(note!.detail)).toEqual({ restrictions: ['weight_bearing.right=partial limits the right side, but the total knee replacement is on the left'], confirmed: false });
    // The same side as the condition: nothing to say.
    const same = await run([...clearance, '--restrict', 'weight_bearing.left=partial']);
    expect(same.stderr).not.toContain('limits the');
  });

  it('at a terminal: asked, and not saved unless confirmed', async () => {
    const { cwd, db } = await setup();
    const no = await bfInTerminal(['--db', db, ...clearance, '--restrict', 'rom.knee.right=90'], [{ waitFor: 'Save it as written?', send: '\r' }], { cwd });
    expect(no.exitCode).toBe(130);
    expect(no.screen).toContain('rom.knee.right=90 limits the right side, but the total knee replacement is on the left');
    expect(rows(db, 'select count(*) as n from clearances')).toEqual([{ n: 0 }]);
    const yes = await bfInTerminal(['--db', db, ...clearance, '--restrict', 'rom.knee.right=90'], [{ waitFor: 'Save it as written?', send: 'y\r' }], { cwd });
    expect(yes.exitCode, yes.screen).toBe(0);
    expect(rows(db, 'select restrictions from clearances')).toEqual([{ restrictions: expect.stringContaining('rom.knee.right') }]);
    const [note] = rows(db, "select detail from audit_log where action = 'clearance.opposite_side'") as { detail: string }[];
    expect(JSON.parse(note!.detail).confirmed).toBe(true);
  });
});

describe('the other leg trains as planned', () => {
  it('partial weight bearing on the left: single-leg stance with the right leg only, curls standing on the right, in program show, its JSON and the handout', async () => {
    const { cwd, db, run } = await setup();
    expect((await run([...clearance, '--restrict', 'weight_bearing.left=partial'])).exitCode).toBe(0);
    const gen = await run(['program', 'generate', 'zoe', '--stage', '3']);
    expect(gen.exitCode, gen.stderr).toBe(0);
    expect(gen.stdout).toContain(
      'Stage 3: Single-leg stance (with support nearby) with the right leg only — with the left leg working: clearance: left leg: partial weight bearing (the left leg takes full weight) — Standing weight shifts (supported) for the left leg instead',
    );
    const show = await run(['program', 'show', 'zoe', '--stage', '3']);
    expect(show.exitCode, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/- Single-leg stance \(with support nearby\): 3 × 20 s, right leg only, RPE[^\n]*\n {6}not with the left leg \(clearance: left leg: partial weight bearing \(the left leg takes full weight\)\): Standing weight shifts \(supported\) for the left leg instead\n/);
    expect(show.stdout).toMatch(/- Standing weight shifts \(supported\): 3 × 20 s each side, RPE[^\n]*\n {6}instead of Single-leg stance \(with support nearby\)\n {6}for the left leg; the right leg does Single-leg stance/);
    expect(show.stdout).toMatch(/- Standing knee bend with an ankle weight: 2 × 10 reps, left leg only, RPE/);
    // Exercises on both legs at once are not sided.
    expect(show.stdout).toMatch(/- Sit to stand from a raised seat, using the hands: \d+ × \d+ reps, RPE/);
    const json = JSON.parse((await run(['program', 'show', 'zoe', '--json'])).stdout);
    const stage = json.stages[2].exercises as { exerciseId: string; side?: string }[];
    expect(stage.find((x) => x.exerciseId === 'single_leg_stance')).toMatchObject({ side: 'right' });
    expect(stage.find((x) => x.exerciseId === 'weighted_standing_hamstring_curl')).toMatchObject({ side: 'left' });
    expect(stage.find((x) => x.exerciseId === 'standing_weight_shift')).toMatchObject({ replaces: { id: 'single_leg_stance' } });
    expect(stage.find((x) => x.exerciseId === 'standing_weight_shift')!.side).toBeUndefined();
    const out = path.join(cwd, 'handout.pdf');
    const r = await run(['report', 'zoe', '--handout', '--out', out]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(fs.existsSync(out)).toBe(true);
    const pdf = await readPdf(out);
    expect(pdf.text.replace(/\s+/g, ' ')).toMatch(/Single-leg stance \(with support nearby\) Do: 3 sets of 20 seconds, with your right leg only/);
    expect(rows(db, "select count(*) as n from programs where status = 'active'")).toEqual([{ n: 1 }]);
    // Logging at a terminal names the leg too; stopping there (Ctrl-C) writes nothing.
    const log = await bfInTerminal(
      ['--db', db, 'progress', 'add', 'zoe'],
      [
        ...USUAL_SESSION_STEPS,
        { waitFor: 'exercises of stage 3 done as planned?', send: 'n\r' },
        { waitFor: 'Stationary upright bike: planned', send: '\r' },
        { waitFor: 'Sit to stand from a raised seat, using the hands: planned', send: '\r' },
        { waitFor: 'Short-arc quads (knee straightening over a roll): planned', send: '\r' },
        { waitFor: 'Forward step down (slow lowering) (right leg only): planned 2×8', send: '\x03' },
      ],
      { cwd },
    );
    expect(log.exitCode, log.screen).toBe(130);
    expect(rows(db, 'select count(*) as n from progress_entries')).toEqual([{ n: 0 }]);
  }, 60_000);
});
