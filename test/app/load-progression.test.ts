/**
 * Load progression within a stage on a real database (issue 16): `progress
 * add`, the prompts' plan, `program status`, the clinician report's input and
 * what `progress import` lists after its transaction read the same suggestion
 * from the one rule (domain/load-progression.ts), capped by the clearance in force.
 */
import { expect, it } from 'vitest';
import { addClearance } from '../../src/app/clearances.js';
import { stageStatus } from '../../src/app/advance-stage.js';
import { sessionPlan } from '../../src/app/progress.js';
import { generateProgram } from '../../src/app/programs.js';
import { builtInTemplates, programFits } from '../../src/app/templates.js';
import { programLoadRules } from '../../src/app/fits.js';
import { importSessions } from '../../src/app/import-sessions.js';
import { clientsNextLoads } from '../../src/app/next-loads.js';
import { reportInput, reportSettings } from '../../src/app/report-input.js';
import { buildReport } from '../../src/domain/report.js';
import { predatesLoadRules } from '../../src/domain/program.js';
import { checkClearance } from '../../src/domain/clearance.js';
import { ago, allNo, cleared, client, ctx, intake, openFresh, session, TODAY } from '../helpers/app.js';
import { describeDialects, type Dialect } from '../helpers/postgres.js';

const fits = programFits(() => builtInTemplates());

/** Knee osteoarthritis, at stage 2 of knee_hip_oa (leg press 3×12, step 2.5 kg) since 10 days ago. */
async function atStage2(dialect: Dialect) {
  const { store } = await openFresh(dialect);
  const c = await client(store);
  const first = await intake(store, c, { parq: { ...allNo, q6: true, followUps: { arthritis: { has: false } } }, conditions: [{ code: 'knee_oa', side: 'left' }] });
  await cleared(store, c);
  const set = builtInTemplates();
  await generateProgram(store, c, { template: set.programs.get('knee_hip_oa')!, set, intake: first.saved, start: ago(10), startGiven: true, stage: 2 }, ctx);
  const legPress = (kg: number, reps = 12) => [{ exerciseId: 'leg_press', sets: 3, reps, loadKg: kg, completed: true }];
  const log = (daysAgo: number, kg: number, extra: Record<string, unknown> = {}) => session(store, c, { date: ago(daysAgo), painBefore: 2, painDuring: 3, painAfter: 3, nextDayPain: 2, exercises: legPress(kg), ...extra });
  return { store, c, log };
}

describeDialects('load progression on a temporary database', (dialect) => {
  it('two sessions at 12 reps, pain acceptable: progress add, the prompts and program status all say 42.5 kg', async () => {
    const { store, c, log } = await atStage2(dialect);
    const one = await log(6, 40);
    expect(one.nextLoads.find((l) => l.exerciseId === 'leg_press')).toMatchObject({ suggestedKg: 40, change: 'same' });
    const two = await log(3, 40);
    const next = two.nextLoads.find((l) => l.exerciseId === 'leg_press');
    expect(next).toMatchObject({ name: 'Leg press machine', suggestedKg: 42.5, lastKg: 40, change: 'increase', reason: '+2.5 kg: two sessions at 12 reps, pain acceptable' });
    expect((await sessionPlan(store, c, fits, TODAY)).nextLoads.get('leg_press')).toEqual(next);
    expect((await stageStatus(store, c, fits, TODAY)).state.nextLoads.find((l) => l.exerciseId === 'leg_press')).toEqual(next);
    // Only loaded exercises dosed in reps have a rule: the bike and body-weight work have none.
    expect(two.nextLoads.map((l) => l.exerciseId)).toEqual(['leg_press']);
    await store.close();
  });

  it('worse the next morning: reduce; a clearance with max_load_kg caps the increase', async () => {
    const { store, c, log } = await atStage2(dialect);
    await log(6, 40);
    await log(4, 40);
    const worse = await log(2, 40, { nextDayPain: 4 });
    expect(worse.nextLoads[0]).toMatchObject({ suggestedKg: 37.5, change: 'reduce' });
    await log(1, 37.5);
    await addClearance(store, c, checkClearance({ clinician: 'J. Okafor', profession: 'physiotherapist', contact: null, issuedOn: ago(1), expiresOn: null, status: 'cleared-with-restrictions', restrictions: [{ code: 'max_load_kg', value: 38 }], note: null }, TODAY), ctx);
    const capped = await log(0, 37.5);
    expect(capped.nextLoads[0]).toMatchObject({ suggestedKg: 38, change: 'increase' });
    expect(capped.nextLoads[0]!.reason).toContain("capped at 38 kg (the clearance's max_load_kg=38)");
    await store.close();
  });

  it("a program generated before load rules were kept: its template's rule, the library read only then", async () => {
    const { store, c, log } = await atStage2(dialect);
    // As generation-1.2.0 stored it: no loadRule on any exercise.
    const row = (await store.db.selectFrom('programs').select(['id', 'snapshot']).where('client_id', '=', c.id).where('status', '=', 'active').executeTakeFirstOrThrow()) as { id: number; snapshot: string };
    const old = JSON.parse(row.snapshot);
    old.rulesVersion = 'generation-1.2.0';
    for (const stage of old.stages) for (const x of stage.exercises) delete x.loadRule;
    await store.db.updateTable('programs').set({ snapshot: JSON.stringify(old) }).where('id', '=', row.id).execute();
    expect(predatesLoadRules(old)).toBe(true);
    await log(6, 40);
    const withoutLibrary = await log(3, 40);
    expect(withoutLibrary.nextLoads).toEqual([]);
    let loaded = 0;
    const rulesOf = programLoadRules(() => {
      loaded++;
      return builtInTemplates();
    });
    const status = await stageStatus(store, c, fits, TODAY, undefined, rulesOf);
    expect(status.state.nextLoads).toEqual([expect.objectContaining({ exerciseId: 'leg_press', suggestedKg: 42.5, change: 'increase' })]);
    expect((await sessionPlan(store, c, fits, TODAY, rulesOf)).nextLoads.get('leg_press')?.suggestedKg).toBe(42.5);
    expect(loaded).toBe(1);
    // A program that keeps its rules never loads the library.
    let again = 0;
    const { store: fresh, log: logFresh } = await atStage2(dialect);
    const rec = await logFresh(1, 40);
    expect(rec.nextLoads.length).toBe(1);
    const current = (await fresh.db.selectFrom('programs').select('snapshot').executeTakeFirstOrThrow()) as { snapshot: string };
    const kept = JSON.parse(current.snapshot);
    const same = await programLoadRules(() => {
      again++;
      return builtInTemplates();
    })(kept);
    expect([same, again]).toEqual([kept, 0]);
    await store.close();
    await fresh.close();
  });

  it("the clinician report's input has program status's next loads, as of the report's day and under the clearance's cap", async () => {
    const { store, c, log } = await atStage2(dialect);
    await log(6, 40);
    await log(3, 40);
    const settings = await reportSettings(store);
    const report = (today: string) => reportInput(store, c, { today, since: ago(42), questions: [], settings, fits });
    const status = (await stageStatus(store, c, fits, TODAY)).state.nextLoads;
    const now = await report(TODAY);
    expect(now.nextLoads).toEqual(status);
    expect(buildReport(now).nextLoads).toEqual([{ name: 'Leg press machine', lastKg: 40, suggestedKg: 42.5, change: 'increase', reason: '+2.5 kg: two sessions at 12 reps, pain acceptable' }]);
    // A report dated before the second session (SOURCE_DATE_EPOCH) knows only the first.
    expect((await report(ago(4))).nextLoads[0]).toMatchObject({ suggestedKg: 40, change: 'same' });
    await addClearance(store, c, checkClearance({ clinician: 'J. Okafor', profession: 'physiotherapist', contact: null, issuedOn: ago(1), expiresOn: null, status: 'cleared-with-restrictions', restrictions: [{ code: 'max_load_kg', value: 41 }], note: null }, TODAY), ctx);
    expect((await report(TODAY)).nextLoads[0]).toMatchObject({ suggestedKg: 41, change: 'increase', reason: expect.stringContaining("capped at 41 kg (the clearance's max_load_kg=41)") });
    // No program: none, so the report has no such section.
    const other = await client(store, 'Ana', 'Lima');
    expect((await reportInput(store, other, { today: TODAY, since: ago(42), questions: [], settings, fits })).nextLoads).toEqual([]);
    await store.close();
  });

  it("after progress import, each imported client's next loads, read afresh: the import's own sessions count, clients without loaded exercises are left out", async () => {
    const { store, c, log } = await atStage2(dialect);
    await log(6, 40);
    await log(3, 40);
    const other = await client(store, 'Ana', 'Lima');
    // Paper records caught up, older than the sessions recorded: the run at 40 kg stands.
    const older = await importSessions(store, `client,date,pain_before,pain_during,pain_after\n${c.id},${ago(8)},1,2,2\n${other.id},${ago(2)},1,1,1\n`, 'sessions.csv', ctx);
    expect(older.imported.map((x) => x.id)).toEqual([c.id, other.id]);
    expect(await clientsNextLoads(store.db, older.imported, TODAY)).toEqual([{ clientId: c.id, client: c, loads: [expect.objectContaining({ exerciseId: 'leg_press', suggestedKg: 42.5, lastKg: 40, change: 'increase' })] }]);
    // A later session imported without a load (the plan taken as done): the rule says so, it does not count it at 40 kg.
    const later = await importSessions(store, `client,date,pain_before,pain_during,pain_after,next_day_pain\n${c.id},${ago(1)},1,2,2,1\n`, 'later.csv', ctx);
    const [after] = await clientsNextLoads(store.db, later.imported, TODAY);
    expect(after!.loads[0]).toMatchObject({ suggestedKg: 40, change: 'same', reason: `the latest session (${ago(1)}) recorded no load for it; last load 40 kg on ${ago(3)}` });
    expect(after!.loads).toEqual((await stageStatus(store, c, fits, TODAY)).state.nextLoads);
    await store.close();
  });
});
