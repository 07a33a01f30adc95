/**
 * A clearance restriction on the side opposite to the condition (issue 16):
 * at a terminal it is asked about (no by default: nothing saved); from a
 * script it is saved as given and noted, on stderr and in the audit.
 */
import { describe, expect, it } from 'vitest';
import { day } from '../helpers/answers.js';
import { bfInTerminal } from '../helpers/cli.js';
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
