/**
 * program advance on a real database (app/advance-stage.ts): each gate of
 * issue 15 findings 2, 3 and 7 holds, a held advance stores nothing, and a
 * forced one keeps the gates it passed with the rule version.
 */
import { expect, it } from 'vitest';
import { advanceStage, stageStatus } from '../../src/app/advance-stage.js';
import { UsageError } from '../../src/app/errors.js';
import { generateProgram } from '../../src/app/programs.js';
import { builtInTemplates, programFits, programTiming } from '../../src/app/templates.js';
import { activeProgram } from '../../src/store/programs.js';
import { reachesVigorous } from '../../src/domain/intensity.js';
import { listSignoffs, listTransitions } from '../../src/store/progress.js';
import { ago, allNo, cleared, client, ctx, intake, openFresh, program, session, TODAY } from '../helpers/app.js';
import { describeDialects, type Dialect } from '../helpers/postgres.js';

const fits = programFits(() => builtInTemplates());
const physio = { by: 'clinician' as const, name: 'Dr A. Physio', profession: 'physiotherapist' };

/** A right rotator cuff repair `postOp` days ago, cleared, in the rotator cuff program since `inStage` days, stage 1's measures met. */
async function rotatorCuff(dialect: Dialect, postOp: number, inStage: number) {
  const fresh = await openFresh(dialect);
  const { store } = fresh;
  const c = await client(store);
  const first = await intake(store, c, { date: ago(Math.min(postOp, inStage)), conditions: [{ code: 'rotator_cuff_repair', side: 'right', date: ago(postOp) }] });
  await cleared(store, c);
  const p = await program(store, c, 'rotator_cuff_repair', first.saved, inStage);
  for (const d of [6, 4, 2, 0]) await session(store, c, { date: ago(d), painBefore: 1, painDuring: 1, painAfter: 1, nextDayPain: 1, measures: [{ code: 'shoulder_flexion', side: 'right', value: 125 }] });
  return { store, c, p, fresh };
}

describeDialects('program advance: time gates (FACTS §10; ASSET, Thigpen et al. 2016)', (dialect) => {
  it("rotator cuff repair 12 days post-op with the clinician's sign-off → held on the time since surgery and the stage minimum; nothing stored", async () => {
    const { store, c, p } = await rotatorCuff(dialect, 12, 10);
    const outcome = await advanceStage(store, c, { signOff: physio }, fits, ctx);
    expect(outcome.advanced).toBe(false);
    expect(outcome.held.map((g) => g.code)).toEqual(['stage_minimum', 'since_surgery']);
    expect(outcome.held[1]!.reason).toBe(`rotator cuff repair 12 days ago (${ago(12)}); stage 2 starts from week 6 after surgery, on ${ago(12 - 42)}`);
    expect(outcome.held[1]!.source).toContain('Thigpen');
    // The sign-off counted towards the criteria, but a held advance keeps nothing.
    expect(outcome.state.results.every((r) => r.met)).toBe(true);
    expect(await listSignoffs(store.db, p.id, 1)).toEqual([]);
    expect(await listTransitions(store.db, p.id)).toEqual([]);
    // program status shows the same gates, from the same function.
    const status = await stageStatus(store, c, fits, TODAY);
    expect(status.state.gates.filter((g) => g.code !== 'exit_criteria')).toEqual(outcome.state.gates.filter((g) => g.code !== 'exit_criteria'));
    await store.close();
  });

  it('advances once 6 weeks have passed and the stage minimum is up, recording who signed off', async () => {
    const { store, c, p } = await rotatorCuff(dialect, 50, 30);
    const outcome = await advanceStage(store, c, { signOff: { ...physio, on: ago(1) }, note: 'active range may start' }, fits, ctx);
    expect(outcome).toMatchObject({ advanced: true, forced: false, to: 2 });
    expect(await listSignoffs(store.db, p.id, 1)).toEqual([{ by: 'clinician', date: ago(1), name: 'Dr A. Physio', profession: 'physiotherapist', note: 'active range may start', recordedAt: ctx.now }]);
    const [t] = await listTransitions(store.db, p.id);
    expect(t!.evidence).toMatchObject({ ruleVersion: 'stage-1.0.0', forcedPast: [], signoffs: [{ by: 'clinician', name: 'Dr A. Physio', profession: 'physiotherapist', date: ago(1) }] });
    await store.close();
  });

  it('--force with a reason passes the time gates and is recorded with the gates it passed; --force without a reason is refused', async () => {
    const { store, c, p } = await rotatorCuff(dialect, 12, 10);
    await expect(advanceStage(store, c, { signOff: physio, force: true }, fits, ctx)).rejects.toThrow(UsageError);
    await expect(advanceStage(store, c, { signOff: physio, force: true, reason: '  ' }, fits, ctx)).rejects.toThrow('--force needs --reason');
    expect(await listTransitions(store.db, p.id)).toEqual([]);
    const outcome = await advanceStage(store, c, { signOff: physio, force: true, reason: 'surgeon allows active range early by letter' }, fits, ctx);
    expect(outcome).toMatchObject({ advanced: true, forced: true, to: 2 });
    const [t] = await listTransitions(store.db, p.id);
    expect(t).toMatchObject({ forced: true, reason: 'surgeon allows active range early by letter' });
    const evidence = t!.evidence as { ruleVersion: string; forcedPast: string[]; gates: { code: string; status: string }[] };
    expect(evidence.ruleVersion).toBe('stage-1.0.0');
    expect(evidence.forcedPast).toEqual(['stage_minimum', 'since_surgery']);
    expect(evidence.gates.find((g) => g.code === 'since_surgery')).toMatchObject({ status: 'held' });
    await store.close();
  });

  it('a program generated before stages kept their timing reads it from its template (same stage name), so an upgrade does not lose the gate', async () => {
    const { store, c, p, fresh } = await rotatorCuff(dialect, 12, 10);
    await store.close();
    await fresh.run(
      dialect === 'sqlite'
        ? "update programs set snapshot = json_remove(snapshot, '$.stages[0].afterSurgery', '$.stages[1].afterSurgery', '$.stages[2].afterSurgery', '$.stages[3].afterSurgery')"
        : "update programs set snapshot = (snapshot::jsonb #- '{stages,0,afterSurgery}' #- '{stages,1,afterSurgery}' #- '{stages,2,afterSurgery}' #- '{stages,3,afterSurgery}')::text",
    );
    const again = await fresh.again();
    const stored = await activeProgram(again.db, c.id);
    expect('afterSurgery' in stored!.program.stages[1]!).toBe(false);
    const outcome = await advanceStage(again, c, { signOff: physio }, fits, ctx, programTiming(() => builtInTemplates()));
    expect(outcome.advanced).toBe(false);
    const gate = outcome.held.find((g) => g.code === 'since_surgery')!;
    expect(gate.reason).toContain('stage 2 starts from week 6 after surgery');
    expect(gate.source).toContain('[read from template rotator_cuff_repair: this program was generated before stage timing was kept]');
    expect(p.id).toBe(stored!.id);
    await again.close();
  });
});

/** A left knee replacement, cleared, in the knee program since 20 days, stage 1's measures met (FACTS §6). */
async function knee(dialect: Dialect, sessions: { pain?: number; effusion: string }[]) {
  const { store } = await openFresh(dialect);
  const c = await client(store);
  const first = await intake(store, c, { conditions: [{ code: 'knee_tka', side: 'left', date: ago(40) }] });
  await cleared(store, c);
  const p = await program(store, c, 'knee_tka', first.saved, 20);
  for (const [i, s] of sessions.entries()) {
    const pain = s.pain ?? 2;
    await session(store, c, {
      date: ago(8 - i * 3),
      painBefore: 1,
      painDuring: pain,
      painAfter: pain,
      nextDayPain: 1,
      measures: [
        { code: 'knee_flexion', side: 'left', value: 95 },
        { code: 'knee_extension', side: 'left', value: 5 },
        { code: 'effusion_grade', side: 'left', value: s.effusion },
      ],
    });
  }
  return { store, c, p };
}

const sam = { by: 'trainer' as const, name: 'Sam Rivera', profession: 'clinical exercise physiologist' };

describeDialects('program advance: the latest advice gates it (FACTS §4, §10; Silbernagel 2007; Sturgill 2009)', (dialect) => {
  it('latest session advised reduce (pain 8/10) → held, with the advice and its reasons', async () => {
    const { store, c, p } = await knee(dialect, [{ effusion: 'trace' }, { effusion: 'trace' }, { pain: 8, effusion: 'trace' }]);
    const outcome = await advanceStage(store, c, { signOff: sam }, fits, ctx);
    expect(outcome.advanced).toBe(false);
    expect(outcome.held.map((g) => g.code)).toEqual(['latest_advice']);
    expect(outcome.held[0]!.reason).toMatch(new RegExp(`^latest session \\(${ago(2)}\\) advised reduce: `));
    expect(await listTransitions(store.db, p.id)).toEqual([]);
    await store.close();
  });

  it('effusion trace → 1+ on the affected knee → held; the same visits without the rise advance', async () => {
    const rising = await knee(dialect, [{ effusion: 'trace' }, { effusion: 'trace' }, { effusion: '1+' }]);
    const held = await advanceStage(rising.store, rising.c, { signOff: sam }, fits, ctx);
    expect(held.advanced).toBe(false);
    expect(held.held.map((g) => g.code)).toEqual(['effusion']);
    expect(held.held[0]!.reason).toBe(`knee effusion (stroke test) left knee trace on ${ago(5)} → 1+ on ${ago(2)}: rising`);
    await rising.store.close();
    const steady = await knee(dialect, [{ effusion: '1+' }, { effusion: 'trace' }, { effusion: 'trace' }]);
    expect(await advanceStage(steady.store, steady.c, { signOff: sam }, fits, ctx)).toMatchObject({ advanced: true, forced: false });
    await steady.store.close();
  });
});

describeDialects('program advance: clearance before vigorous work (ACSM 2015, Riebe et al.; FACTS §1, §10)', (dialect) => {
  /** Physically active with type 2 diabetes, no symptoms: no clearance for moderate, recommended before vigorous. ACL stage 2 reaches RPE 7. */
  async function activeWithDisease() {
    const { store } = await openFresh(dialect);
    const c = await client(store, 'Łukasz', 'Nowak');
    const first = await intake(store, c, {
      physicallyActive: true,
      desiredIntensity: 'vigorous',
      conditions: [{ code: 'acl_reconstruction', side: 'left', date: ago(60) }, { code: 'type2_diabetes' }],
      parq: { ...allNo, q6: true, followUps: { arthritis: { has: false }, other: { has: false }, metabolic: { has: true, a: false, b: false, c: false, d: false, e: false } } },
    });
    expect(first.verdict.acsm.outcome).toBe('recommended-before-vigorous');
    expect(first.verdict.gate).toBe('ok');
    const p = await program(store, c, 'acl_reconstruction', first.saved, 28);
    for (const d of [6, 2]) await session(store, c, { date: ago(d), painBefore: 1, painDuring: 2, painAfter: 2, nextDayPain: 1, measures: [{ code: 'knee_extension', side: 'left', value: 0 }, { code: 'knee_flexion', side: 'left', value: 120 }, { code: 'effusion_grade', side: 'left', value: 'trace' }] });
    return { store, c, p };
  }

  it('a vigorous stage without a clearance in force → held; with the clearance on file → advances', async () => {
    const { store, c, p } = await activeWithDisease();
    const held = await advanceStage(store, c, { signOff: physio }, fits, ctx);
    expect(held.advanced).toBe(false);
    expect(held.held.map((g) => g.code)).toEqual(['vigorous_clearance']);
    expect(held.held[0]!.reason).toContain('stage 2 reaches vigorous intensity');
    expect(held.held[0]!.reason).toContain('no clearance is in force');
    await cleared(store, c);
    const passed = await advanceStage(store, c, { signOff: physio }, fits, ctx);
    expect(passed).toMatchObject({ advanced: true, forced: false, to: 2 });
    const [t] = await listTransitions(store.db, p.id);
    expect((t!.evidence as { gates: { code: string; status: string; reason: string }[] }).gates.find((g) => g.code === 'vigorous_clearance')).toMatchObject({ status: 'passed' });
    await store.close();
  });
});

describeDialects('program generate --override without clearance: moderate only, no sport drills (FACTS §10; Riebe 2015)', (dialect) => {
  it('caps every stage of the ACL program at RPE 5/10 and leaves out plyometric and agility drills, and says so', async () => {
    const { store } = await openFresh(dialect);
    const c = await client(store, 'Łukasz', 'Nowak');
    const first = await intake(store, c, {
      physicallyActive: false,
      desiredIntensity: 'vigorous',
      conditions: [{ code: 'acl_reconstruction', side: 'left', date: ago(200) }, { code: 'type2_diabetes' }],
      parq: { ...allNo, q6: true, followUps: { arthritis: { has: false }, other: { has: false }, metabolic: { has: true, a: false, b: false, c: false, d: false, e: false } } },
    });
    expect(first.verdict.gate).toBe('needs-clearance');
    const set = builtInTemplates();
    const saved = await generateProgram(store, c, { template: set.programs.get('acl_reconstruction')!, set, intake: first.saved, start: TODAY, startGiven: true, override: 'cleared by phone; letter to follow' }, ctx);
    const drills = new Set([...set.exercises.values()].filter((e) => e.tags.drill !== 'none').map((e) => e.id));
    expect(drills).toContain('cutting_drill');
    expect(drills).toContain('pogo_hops');
    for (const s of saved.program.stages) {
      for (const x of s.exercises) {
        expect(reachesVigorous(x.dose), `${s.number} ${x.name}`).toBe(false);
        expect(drills.has(x.exerciseId), `${s.number} ${x.name}`).toBe(false);
      }
    }
    const why = saved.program.explanations.map((e) => e.text).join('\n');
    expect(why).toContain('leaves out plyometric, jumping and cutting drills');
    expect(why).toContain("Stage 5: Cutting drill (planned 45-degree cuts) dropped — no clearance on file (built with --override): no agility drills");
    await store.close();
  });
});
