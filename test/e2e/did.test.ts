// Issue 16 (logging, part): --did records what was done of each exercise without a terminal;
// an exercise the library does not have is refused, naming the close ones.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { day } from '../helpers/answers.js';
import { bf } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { snapshot, tempDir } from '../helpers/tmp.js';

describe('progress add --did', () => {
  it('stores sets, reps, load, minutes and a skipped exercise; a typo is refused with its near ids and nothing saved', async () => {
    const cwd = tempDir();
    const db = path.join(cwd, 'c.db');
    const run = (args: string[]) => bf(['--db', db, ...args], { cwd });
    expect((await run(['client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12'])).exitCode).toBe(0);

    const before = snapshot(cwd);
    const typo = await run(['progress', 'add', 'zoe', '--pain-before', '1', '--did', 'sit_to_stnd=3x10']);
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toBe('bridgefit: --did: no exercise "sit_to_stnd" in the library; did you mean sit_to_stand? (see "bridgefit template list --kind exercise"); nothing was saved\n');
    expect(snapshot(cwd)).toEqual(before);
    const bad = await run(['progress', 'add', 'zoe', '--pain-before', '1', '--did', 'sit_to_stand=3x']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^bridgefit: --did: sit_to_stand: expected EXERCISE=SETSxREPS/);

    const ok = await run(['progress', 'add', 'zoe', '--date', day(1), '--pain-before', '1', '--did', 'sit_to_stand=3x10', '--did', 'leg_press=3x12@40kg', '--did', 'walking=20min', '--did', 'mini_squat=skipped']);
    expect(ok.exitCode, ok.stderr).toBe(0);
    const stored = JSON.parse((rows(db, 'select exercises from progress_entries')[0] as { exercises: string }).exercises);
    expect(stored).toEqual([
      { exerciseId: 'sit_to_stand', sets: 3, reps: 10, completed: true },
      { exerciseId: 'leg_press', sets: 3, reps: 12, loadKg: 40, completed: true },
      { exerciseId: 'walking', sets: 1, seconds: 1200, completed: true },
      { exerciseId: 'mini_squat', completed: false },
    ]);
  }, 60_000);

  it('an unknown id in a --from file is refused the same way, naming its place', async () => {
    const cwd = tempDir();
    const db = path.join(cwd, 'c.db');
    expect((await bf(['--db', db, 'client', 'add', '--first-name', 'Ana', '--last-name', 'Lima', '--dob', '1970-01-01'], { cwd })).exitCode).toBe(0);
    const r = await bf(['--db', db, 'progress', 'add', 'ana', '--from', '-'], { cwd, input: JSON.stringify({ painBefore: 1, exercises: [{ exerciseId: 'heel_raises', sets: 2, reps: 10 }] }) });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^bridgefit: stdin: exercises\[0\]\.exerciseId: no exercise "heel_raises" in the library; did you mean heel_raise\?/);
    expect(rows(db, 'select count(*) as n from progress_entries')).toEqual([{ n: 0 }]);
  }, 60_000);
});
