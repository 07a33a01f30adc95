/** progress amend (any field), progress void and history, through the built binary. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { day } from '../helpers/answers.js';
import { bfInTerminal } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { readPdf } from '../helpers/pdf.js';
import { tkaClient } from '../helpers/tka-client.js';

/** A client with a knee replacement (left), cleared, in a program started 14 days ago, with two sessions. */
async function setup() {
  const { cwd, db, run } = await tkaClient();
  await run(['clearance', 'add', 'zoe', '--clinician', 'J. Okafor', '--profession', 'physiotherapist', '--date', day(19), '--status', 'cleared']);
  expect((await run(['program', 'generate', 'zoe', '--start', day(14)])).exitCode).toBe(0);
  await run(['config', 'set', 'trainer.name', 'Sam Rivera']);
  for (const d of [6, 4]) expect((await run(['progress', 'add', 'zoe', '--date', day(d), '--pain-before', '1', '--pain-during', '2', '--pain-after', '2', '--rpe', '4', '--measure', 'knee_flexion.left=95'])).exitCode).toBe(0);
  return { cwd, db, run };
}

describe('progress amend, progress void and history', () => {
  it('amends any field by flag, says old → new, and keeps the earlier values with who', async () => {
    const { db, run } = await setup();
    const r = await run(['progress', 'amend', 'zoe', '--entry', '1', '--pain-during', '6', '--measure', 'knee_flexion.left=98', '--bp', '150/95', '--did', 'sit_to_stand=3x8']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('Amended entry 1 (');
    expect(r.stdout).toContain('pain during: 2 → 6');
    expect(r.stdout).toContain('blood pressure: - → 150/95');
    expect(r.stdout).toContain('measures: knee_flexion.left=95 → knee_flexion.left=98');
    expect(r.stdout).toMatch(/Next: reduce/);
    expect(rows(db, "select field, old_value, new_value, changed_by from entry_amendments where field = 'painDuring'")).toEqual([{ field: 'painDuring', old_value: '2', new_value: '6', changed_by: 'Sam Rivera' }]);
    expect(rows(db, 'select value from measurements where entry_id = 1')).toEqual([{ value: 98 }]);

    const h = await run(['history', 'zoe', '--json']);
    expect(h.exitCode).toBe(0);
    const amend = JSON.parse(h.stdout).find((i: { action: string }) => i.action === 'progress.amend');
    expect(amend).toMatchObject({ command: 'progress amend', entity: 'progress_entry', entityId: 1, by: 'Sam Rivera' });
    expect(amend.changes).toContainEqual({ field: 'painDuring', from: 2, to: 6 });
    const table = await run(['history', 'zoe']);
    expect(table.stdout).toMatch(/progress amend\s+amend entry 1\s+.*pain during: 2 → 6.*Sam Rivera/);
  });

  it('voids an entry: out of the figures, marked in the list, in the history; the day is free again', async () => {
    const { db, run } = await setup();
    const before = JSON.parse((await run(['summary', '--json'])).stdout)[0];
    const v = await run(['progress', 'void', 'zoe', '--entry', '2', '--reason', 'recorded for the wrong client']);
    expect(v.exitCode).toBe(0);
    expect(v.stderr).toContain('Voided entry 2 (');
    const after = JSON.parse((await run(['summary', '--json'])).stdout)[0];
    expect([before.sessionsAttended, after.sessionsAttended]).toEqual([2, 1]);
    expect(after.lastSession).toBe(day(6));
    expect((await run(['progress', 'list', 'zoe'])).stdout).toMatch(/^2\s+\S+\s+1\s+VOID: recorded for the wrong client/m);
    const csv = (await run(['progress', 'list', 'zoe', '--format', 'csv'])).stdout.trim().split('\n');
    expect(csv[0]).toContain(',voided.at,voided.reason,');
    expect(csv[2]).toMatch(/,recorded for the wrong client,/);
    expect(rows(db, 'select voided_by, void_reason from progress_entries where id = 2')).toEqual([{ voided_by: 'Sam Rivera', void_reason: 'recorded for the wrong client' }]);
    expect((await run(['history', 'zoe'])).stdout).toMatch(/progress void\s+void entry 2\s+date: \S+; reason: recorded for the wrong client\s+Sam Rivera/);
    // The report's session log keeps it, struck through, with when and why.
    const pdf = path.join(path.dirname(db), 'zoe.pdf');
    expect((await run(['report', 'zoe', '--out', pdf])).exitCode).toBe(0);
    const text = (await readPdf(pdf)).text;
    expect(text).toMatch(/Voided on \d{4}-\d{2}-\d{2} by Sam Rivera: recorded for the wrong client/);
    expect(text).toContain('voided');
    expect((await run(['progress', 'add', 'zoe', '--date', day(4), '--pain-before', '0'])).exitCode).toBe(0);
    // Voided once is voided: a second time is refused and changes nothing.
    const again = await run(['progress', 'void', 'zoe', '--entry', '2', '--reason', 'again']);
    expect([again.exitCode, again.stderr]).toEqual([2, expect.stringMatching(/^bridgefit: entry 2 was voided on .*nothing was changed\n$/)]);
  });

  it('refuses bad input in one line, with a non-zero exit, and writes nothing', async () => {
    const { db, run } = await setup();
    const snapshot = () => JSON.stringify([rows(db, 'select * from progress_entries'), rows(db, 'select * from entry_amendments'), rows(db, 'select * from measurements'), rows(db, 'select count(*) n from audit_log')]);
    const was = snapshot();
    const cases: [string[], number, RegExp][] = [
      [['progress', 'amend', 'zoe'], 2, /nothing to amend/],
      [['progress', 'amend', 'zoe', '--entry', 'x', '--note', 'n'], 2, /--entry: expected an entry id/],
      [['progress', 'amend', 'zoe', '--entry', '1', '--pain-during', '11'], 2, /--pain-during: .*10.*nothing was changed/],
      [['progress', 'amend', 'zoe', '--entry', '1', '--clear', 'pain'], 2, /--clear: no field "pain"/],
      [['progress', 'amend', 'zoe', '--entry', '1', '--date', day(4)], 2, /already has an entry on/],
      [['progress', 'amend', 'zoe', '--entry', '1', '--pain-during', '2'], 2, /nothing would change/],
      [['progress', 'amend', 'zoe', '--entry', '1', '--did', 'sit_to_stnd=3x8'], 2, /no exercise "sit_to_stnd".*did you mean sit_to_stand/],
      [['progress', 'amend', 'zoe', '--entry', '9', '--note', 'n'], 3, /no entry 9 for Zoë Moreau/],
      [['progress', 'void', 'zoe', '--entry', '1'], 2, /--reason/],
      [['progress', 'void', 'zoe', '--entry', '1', '--reason', ' '], 2, /--reason: say why/],
      [['progress', 'void', 'zoe', '--entry', '7', '--reason', 'x'], 3, /no entry 7/],
      [['history', 'zoe', '--since', 'soon'], 2, /--since/],
    ];
    for (const [args, code, message] of cases) {
      const r = await run(args);
      expect([r.exitCode, r.stdout], args.join(' ')).toEqual([code, '']);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(snapshot()).toBe(was);
  });

  it('at a terminal with no field flags, asks with the current values filled in, then saves what was changed', async () => {
    const { cwd, db } = await setup();
    const down = (n: number) => '\x1b[B'.repeat(n);
    const r = await bfInTerminal(['--db', db, 'progress', 'amend', 'zoe', '--entry', '1'], [
      // The list: done, date, pain before, pain during, …; pain during is three down.
      { waitFor: 'Which field?', send: `${down(3)}\r` },
      { waitFor: 'pain during (blank removes it)', send: '\x7f6\r' },
      { waitFor: 'Which field?', send: `${down(5)}\r` }, // from pain during to blood pressure
      { waitFor: 'blood pressure (blank removes it)', send: '150/95\r' },
      { waitFor: 'Which field?', send: `${'\x1b[A'.repeat(8)}\r` }, // back up to done
      { waitFor: 'Save these changes?', send: '\r' },
    ], { cwd });
    expect(r.exitCode, r.screen).toBe(0);
    expect(r.screen).toContain('pain during: 2');
    expect(r.screen).toContain('pain during: 2 → 6');
    expect(r.screen).toContain('blood pressure: - → 150/95');
    expect(rows(db, 'select pain_during, bp_systolic, bp_diastolic from progress_entries where id = 1')).toEqual([{ pain_during: 6, bp_systolic: 150, bp_diastolic: 95 }]);
    // Ctrl-C at a prompt changes nothing.
    const cancelled = await bfInTerminal(['--db', db, 'progress', 'amend', 'zoe', '--entry', '1'], [{ waitFor: 'Which field?', send: '\x03' }], { cwd });
    expect(cancelled.exitCode).not.toBe(0);
    expect(rows(db, 'select count(*) n from entry_amendments')).toEqual([{ n: 2 }]);
  });
});
