/**
 * The current stage as every reader sees it (domain/stage.ts): the affected
 * side from the program's `fits`, `both` respected, and the exit criteria on
 * the stage's own sessions. `program status`, `program advance`, the report
 * and the session prompts must never disagree.
 */
import { expect, it } from 'vitest';
import { advanceStage, stageStatus } from '../../src/app/advance-stage.js';
import { sessionPlan } from '../../src/app/progress.js';
import { reportInput, reportSettings } from '../../src/app/report-input.js';
import { builtInTemplates, programFits } from '../../src/app/templates.js';
import { describeCriterion } from '../../src/domain/program-text.js';
import { buildReport } from '../../src/domain/report.js';
import { ago, allNo, cleared, client, ctx, intake, openFresh, program, session, TODAY } from '../helpers/app.js';
import { describeDialects, type Dialect } from '../helpers/postgres.js';

const fits = programFits(() => builtInTemplates());

/** A client with a left shoulder complaint and a right knee replacement, in the knee program, with range measured on both sides. */
async function twoSidedConditions(dialect: Dialect, kneeSide: 'right' | 'both') {
  const { store } = await openFresh(dialect);
  const c = await client(store);
  const first = await intake(store, c, { parq: { ...allNo, q6: true, followUps: { arthritis: { has: false }, other: { has: false } } }, conditions: [{ code: 'shoulder_pain', side: 'left', date: ago(90) }, { code: 'knee_tka', side: kneeSide, date: ago(60) }] });
  await cleared(store, c);
  await program(store, c, 'knee_tka', first.saved, 20);
  for (const [i, d] of [12, 8, 4].entries()) {
    await session(store, c, { date: ago(d), painBefore: 1, painAfter: 2, nextDayPain: 1, measures: [{ code: 'knee_flexion', side: 'right', value: 80 + i * 2 }, { code: 'knee_flexion', side: 'left', value: 120 }] });
  }
  return { store, c };
}

async function everyReading(dialect: Dialect, kneeSide: 'right' | 'both') {
  const { store, c } = await twoSidedConditions(dialect, kneeSide);
  const plan = await sessionPlan(store, c, fits, TODAY);
  const status = await stageStatus(store, c, fits, TODAY);
  const advance = await advanceStage(store, c, {}, fits, ctx);
  const report = buildReport(await reportInput(store, c, { today: TODAY, since: ago(42), questions: [], settings: await reportSettings(store), fits }));
  await store.close();
  return { plan, status, advance, report };
}

describeDialects('the current stage reads the same from every command', (dialect) => {
  it("the affected side is the program's condition's, not the first sided condition on file", async () => {
    const { plan, status, report } = await everyReading(dialect, 'right');
    expect(plan.side).toBe('right');
    const flexion = status.state.results.find((r) => r.criterion.measure === 'knee_flexion')!;
    // The left knee's 120° is not the affected knee's: the right one's 80–84° are read.
    expect(flexion.detail).toContain('affected, right');
    expect(flexion.met).toBe(false);
    expect(report.criteria.find((r) => r.text === describeCriterion(flexion.criterion))?.detail).toBe(flexion.detail);
  });

  it('both knees: both are read, by status, advance and the report alike', async () => {
    const { plan, status, advance, report } = await everyReading(dialect, 'both');
    expect(plan.side).toBe('both');
    const flexion = status.state.results.find((r) => r.criterion.measure === 'knee_flexion')!;
    // The right knee's range is below the criterion: with both sides affected, it does not hold.
    expect(flexion.met).toBe(false);
    expect(advance.state.results.map((r) => [r.met, r.detail])).toEqual(status.state.results.map((r) => [r.met, r.detail]));
    expect(report.criteria.map((r) => [r.text, r.met])).toEqual(status.state.results.map((r) => [describeCriterion(r.criterion), r.met]));
  });

  it('program advance refuses on the same criteria program status shows, and changes nothing', async () => {
    const { status, advance } = await everyReading(dialect, 'right');
    expect(advance.advanced).toBe(false);
    expect(advance.state.results.map((r) => [describeCriterion(r.criterion), r.met, r.detail])).toEqual(status.state.results.map((r) => [describeCriterion(r.criterion), r.met, r.detail]));
  });
});
