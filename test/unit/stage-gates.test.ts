/**
 * The gates between a stage and the next (domain/stage.ts), one rule each,
 * with its source: FACTS §10 (issue 15, findings 2, 3 and 7).
 */
import { describe, expect, it } from 'vitest';
import type { CriterionResult } from '../../src/domain/criteria.js';
import { reachesVigorous } from '../../src/domain/intensity.js';
import type { PlannedStage } from '../../src/domain/program.js';
import type { ProgressEntry } from '../../src/domain/progress-types.js';
import { addDays } from '../../src/domain/dates.js';
import { checkSignoff, planAdvance, stageGates, startingStage, vigorousFacts, type Gate, type GateFacts } from '../../src/domain/stage.js';

const TODAY = '2026-12-02';

const stage = (n: number, extra: Partial<PlannedStage> = {}): PlannedStage => ({
  number: n,
  name: `Stage ${n}`,
  goals: ['g'],
  weeks: [3, 6],
  sessionsPerWeek: 3,
  plannedStart: '2026-11-01',
  plannedEnd: ['2026-11-21', '2026-12-12'],
  exercises: [{ exerciseId: 'walk', name: 'Walking', cues: [], dose: { sets: 1, minutes: 20, perSide: false, rpe: [3, 4], restSeconds: 0 }, heartRate: null, replaces: null, notes: [] }],
  exitCriteria: [{ measure: 'signoff', by: 'clinician' }],
  precautions: [],
  ...extra,
});

const metResult: CriterionResult = { criterion: { measure: 'signoff', by: 'clinician' }, met: true, evidence: [], detail: 'clinician sign-off on 2026-12-02: met' };

type GateEntry = ProgressEntry & { decision?: unknown };
const entry = (date: string, extra: Partial<GateEntry> = {}): GateEntry => ({ id: 1, clientId: 1, date, attended: true, vitals: {}, measures: [], symptoms: [], exercises: [], stage: 1, ...extra });

const noClearanceAsked = { clearanceAsked: null, clearance: null };

/** A client 60 days into stage 1 of 2, every criterion met, nothing held: each test changes one fact. */
function facts(over: Partial<GateFacts> = {}, stages: PlannedStage[] = [stage(1), stage(2)]): GateFacts {
  return {
    position: { program: { stages }, currentStage: 1, stageStartedOn: '2026-10-03' },
    today: TODAY,
    results: [metResult],
    openReferrals: [],
    entries: [],
    conditions: [{ code: 'rotator_cuff_repair', side: 'right', date: '2026-06-01' }],
    fits: ['rotator_cuff_repair'],
    signoffs: [{ by: 'clinician', date: TODAY, name: 'Dr A. Physio', profession: 'physiotherapist' }],
    vigorous: noClearanceAsked,
    ...over,
  };
}

const gate = (gates: Gate[], code: Gate['code']) => gates.find((g) => g.code === code);

describe('stage gates: time (FACTS §10; ASSET, Thigpen et al. 2016; Brinlee 2021)', () => {
  it('passes every gate when criteria hold and the time is up', () => {
    const gates = stageGates(facts());
    expect(gates.every((g) => g.status === 'passed')).toBe(true);
    expect(planAdvance(gates, { force: false })).toMatchObject({ advance: true, forced: false, held: [] });
  });

  it("holds under the stage's planned minimum (weeks [3, 6] → 21 days): 12 of 21 days, whatever the sign-off", () => {
    const gates = stageGates(facts({ position: { program: { stages: [stage(1), stage(2)] }, currentStage: 1, stageStartedOn: '2026-11-20' } }));
    expect(gate(gates, 'stage_minimum')).toMatchObject({ status: 'held', reason: 'stage 1 planned minimum 3 weeks: 12 of 21 days (earliest 2026-12-11)' });
    expect(planAdvance(gates, { force: false })).toMatchObject({ advance: false });
    // At 21 days it passes.
    const at21 = stageGates(facts({ position: { program: { stages: [stage(1), stage(2)] }, currentStage: 1, stageStartedOn: '2026-11-11' } }));
    expect(gate(at21, 'stage_minimum')?.status).toBe('passed');
  });

  it("the reviewer's case: rotator cuff repair 12 days post-op, clinician sign-off given → held on weeks since surgery (Thigpen 2016: phase 2 from week 6)", () => {
    const source = 'ASSET consensus (Thigpen et al., JSES 2016)';
    const stages = [stage(1, { weeks: [1, 6] }), stage(2, { afterSurgery: { fromWeek: 6, source } })];
    const gates = stageGates(facts({ position: { program: { stages }, currentStage: 1, stageStartedOn: '2026-11-22' }, conditions: [{ code: 'rotator_cuff_repair', side: 'right', date: '2026-11-20' }] }, stages));
    expect(gate(gates, 'since_surgery')).toEqual({
      code: 'since_surgery',
      status: 'held',
      reason: 'rotator cuff repair 12 days ago (2026-11-20); stage 2 starts from week 6 after surgery, on 2027-01-01',
      source,
    });
    expect(gate(gates, 'exit_criteria')?.status).toBe('passed');
    expect(planAdvance(gates, { force: false }).advance).toBe(false);
  });

  it('passes from the day the weeks are up (6 weeks = 42 days), and reads months as calendar months (ACL return to sport ≥9 months)', () => {
    const at = (surgery: string, afterSurgery: PlannedStage['afterSurgery']) => {
      const stages = [stage(1), stage(2, { afterSurgery: afterSurgery! })];
      return gate(stageGates(facts({ conditions: [{ code: 'acl_reconstruction', side: 'left', date: surgery }], fits: ['acl_reconstruction'] }, stages)), 'since_surgery')!;
    };
    expect(at('2026-10-21', { fromWeek: 6, source: 's' }).status).toBe('passed'); // 42 days
    expect(at('2026-10-22', { fromWeek: 6, source: 's' }).status).toBe('held'); // 41 days
    expect(at('2026-03-02', { fromMonth: 9, source: 's' })).toMatchObject({ status: 'passed', reason: 'ACL reconstruction 275 days ago (2026-03-02); stage 2 starts from 9 months after surgery, on 2026-12-02' });
    expect(at('2026-03-03', { fromMonth: 9, source: 's' }).status).toBe('held');
  });

  it('a surgery date not recorded is unknown, not passed: it holds until a clinician signs the stage off (named) or --force', () => {
    const stages = [stage(1), stage(2, { afterSurgery: { fromWeek: 6, source: 's' } })];
    const noDate = [{ code: 'rotator_cuff_repair', side: 'right' }];
    const trainerOnly = stageGates(facts({ conditions: noDate, signoffs: [{ by: 'trainer', date: TODAY, name: 'Sam', profession: 'trainer' }] }, stages));
    expect(gate(trainerOnly, 'since_surgery')).toMatchObject({ status: 'unknown' });
    expect(gate(trainerOnly, 'since_surgery')!.reason).toContain('rotator cuff repair: surgery date not recorded');
    expect(planAdvance(trainerOnly, { force: false }).advance).toBe(false);
    const signed = stageGates(facts({ conditions: noDate }, stages));
    expect(gate(signed, 'since_surgery')).toMatchObject({ status: 'passed' });
    expect(gate(signed, 'since_surgery')!.reason).toContain('passed on the clinician sign-off by Dr A. Physio (physiotherapist) on 2026-12-02');
  });
});

describe('stage gates: the latest advice (FACTS §4, §10; Thomeé 1997; Silbernagel 2007; Sturgill 2009)', () => {
  const advice = (a: string, text = 'why') => ({ advice: { advice: a, reasons: [{ code: 'x', text, source: 's' }] } });

  it('latest session advised reduce → held, with its reasons; an earlier reduce followed by repeat passes', () => {
    const held = stageGates(facts({ entries: [entry('2026-11-28', { decision: advice('progress') }), entry('2026-11-30', { decision: advice('reduce', 'Pain during 8/10, above 5/10') })] }));
    expect(gate(held, 'latest_advice')).toMatchObject({ status: 'held', reason: 'latest session (2026-11-30) advised reduce: Pain during 8/10, above 5/10' });
    const rest = stageGates(facts({ entries: [entry('2026-11-30', { decision: advice('rest') })] }));
    expect(gate(rest, 'latest_advice')?.status).toBe('held');
    const later = stageGates(facts({ entries: [entry('2026-11-28', { decision: advice('reduce') }), entry('2026-11-30', { decision: advice('repeat') })] }));
    expect(gate(later, 'latest_advice')?.status).toBe('passed');
  });

  it('a missed session after a reduce does not hide it: the latest attended session decides', () => {
    const gates = stageGates(facts({ entries: [entry('2026-11-28', { decision: advice('reduce') }), entry('2026-11-30', { attended: false, decision: advice('repeat') })] }));
    expect(gate(gates, 'latest_advice')?.status).toBe('held');
  });

  it('effusion trace → 1+ across the last two graded visits of the affected knee → held (Sturgill 2009)', () => {
    const eff = (date: string, value: number, side: 'left' | 'right' = 'right') => entry(date, { measures: [{ code: 'effusion_grade', side, value }] });
    const conditions = [{ code: 'knee_tka', side: 'right', date: '2026-06-01' }];
    const rising = stageGates(facts({ conditions, fits: ['knee_tka'], entries: [eff('2026-11-25', 1), eff('2026-11-30', 2)] }));
    expect(gate(rising, 'effusion')).toMatchObject({ status: 'held', reason: 'knee effusion (stroke test) right knee trace on 2026-11-25 → 1+ on 2026-11-30: rising' });
    const falling = stageGates(facts({ conditions, fits: ['knee_tka'], entries: [eff('2026-11-25', 2), eff('2026-11-30', 1)] }));
    expect(gate(falling, 'effusion')?.status).toBe('passed');
    // The other knee's rise is not the affected knee's.
    const otherKnee = stageGates(facts({ conditions, fits: ['knee_tka'], entries: [eff('2026-11-25', 1, 'left'), eff('2026-11-30', 2, 'left'), eff('2026-11-30', 1)] }));
    expect(gate(otherKnee, 'effusion')?.status).toBe('passed');
    const high = stageGates(facts({ conditions, fits: ['knee_tka'], entries: [eff('2026-11-30', 3)] }));
    expect(gate(high, 'effusion')).toMatchObject({ status: 'held' });
    // No effusion recorded in the stage: no gate.
    expect(gate(stageGates(facts()), 'effusion')).toBeUndefined();
  });

  it('an open referral holds, as before (FACTS §3)', () => {
    const gates = stageGates(facts({ openReferrals: [{ id: 4, reason: 'calf pain and swelling' }] }));
    expect(gate(gates, 'open_referrals')).toMatchObject({ status: 'held', reason: 'referral open: 4 (calf pain and swelling)' });
    expect(planAdvance(gates, { force: false })).toMatchObject({ advance: false, blockedByReferral: true });
  });
});

describe('stage gates: clearance before vigorous work (ACSM 2015, Riebe et al.; FACTS §1, §5, §10)', () => {
  const vigorousStage = stage(2, {
    exercises: [
      { exerciseId: 'shuttle_run', name: 'Shuttle run', cues: [], dose: { sets: 4, reps: 3, perSide: false, rpe: [6, 8], restSeconds: 90 }, heartRate: null, replaces: null, notes: [] },
    ],
  });
  const asked = 'screening: clearance recommended before vigorous work (physically active, known disease, no symptoms)';

  it('reaches vigorous at RPE 6/10 (CR10) or 60% HRR, not below', () => {
    expect(reachesVigorous({ rpe: [3, 5] })).toBe(false);
    expect(reachesVigorous({ rpe: [4, 6] })).toBe(true);
    expect(reachesVigorous({ rpe: [3, 5], hrr: [40, 59] })).toBe(false);
    expect(reachesVigorous({ rpe: [3, 5], hrr: [50, 60] })).toBe(true);
  });

  it('a vigorous stage without a clearance in force, when the screening asks for one → held; with one → passes', () => {
    const stages = [stage(1), vigorousStage];
    const held = stageGates(facts({ vigorous: { clearanceAsked: asked, clearance: null } }, stages));
    expect(gate(held, 'vigorous_clearance')).toMatchObject({ status: 'held' });
    expect(gate(held, 'vigorous_clearance')!.reason).toBe(`stage 2 reaches vigorous intensity (Shuttle run: RPE 6–8/10); ${asked}, and no clearance is in force`);
    const clearance = { clinician: 'Dr Costa', profession: 'cardiologist', issuedOn: '2026-11-01', validUntil: '2027-11-01' };
    const passed = stageGates(facts({ vigorous: { clearanceAsked: asked, clearance } }, stages));
    expect(gate(passed, 'vigorous_clearance')).toMatchObject({ status: 'passed' });
    expect(gate(passed, 'vigorous_clearance')!.reason).toContain('cleared by Dr Costa (cardiologist) on 2026-11-01');
    // The clinician's own effort ceiling below vigorous still holds it.
    const capped = stageGates(facts({ vigorous: { clearanceAsked: asked, clearance: { ...clearance, maxRpe: 5 } } }, stages));
    expect(gate(capped, 'vigorous_clearance')?.status).toBe('held');
    // A moderate next stage has no such gate.
    expect(gate(stageGates(facts({ vigorous: { clearanceAsked: asked, clearance: null } })), 'vigorous_clearance')).toBeUndefined();
  });

  it('reads the ask from the ACSM outcome, and only a valid clearance counts', () => {
    const base = { clearance: { needed: false, state: 'none' as const, covers: false, inForce: null, restrictions: [] } };
    const acsm = (outcome: string, rule = 'acsm-2015') => ({ outcome, rule, physicallyActive: true, knownDisease: [], symptoms: [], desiredIntensity: 'vigorous' }) as never;
    expect(vigorousFacts({ ...base, acsm: acsm('recommended-before-vigorous') }).clearanceAsked).toContain('before vigorous');
    expect(vigorousFacts({ ...base, acsm: acsm('not-necessary') }).clearanceAsked).toBeNull();
    expect(vigorousFacts({ ...base, acsm: acsm('not-necessary', 'ada-2016') }).clearanceAsked).toContain('ADA');
    const inForce = { id: 1, clinician: 'Dr C', profession: 'GP', issuedOn: '2025-01-01', validUntil: '2026-01-01', status: 'cleared' };
    expect(vigorousFacts({ acsm: acsm('recommended-before-vigorous'), clearance: { ...base.clearance, state: 'expired', inForce } }).clearance).toBeNull();
    expect(vigorousFacts({ acsm: acsm('recommended-before-vigorous'), clearance: { ...base.clearance, state: 'valid', inForce } }).clearance).toMatchObject({ clinician: 'Dr C' });
    // Where the screening needs a clearance, one that does not cover what is known now (given before a new diagnosis) does not count.
    expect(vigorousFacts({ acsm: acsm('recommended'), clearance: { ...base.clearance, needed: true, covers: false, state: 'valid', inForce } }).clearance).toBeNull();
    expect(vigorousFacts({ acsm: acsm('recommended'), clearance: { ...base.clearance, needed: true, covers: true, state: 'valid', inForce } }).clearance).toMatchObject({ clinician: 'Dr C' });
  });
});

describe('forcing past a gate and signing off', () => {
  it('only --force with a reason passes a held gate, and says which it passed', () => {
    const gates = stageGates(facts({ position: { program: { stages: [stage(1), stage(2)] }, currentStage: 1, stageStartedOn: '2026-11-20' } }));
    expect(planAdvance(gates, { force: true })).toMatchObject({ advance: false, forced: false });
    expect(planAdvance(gates, { force: true, reason: '   ' })).toMatchObject({ advance: false });
    const forced = planAdvance(gates, { force: true, reason: 'surgeon letter of 2026-11-30' });
    expect(forced).toMatchObject({ advance: true, forced: true });
    expect(forced.held.map((g) => g.code)).toEqual(['stage_minimum']);
  });

  it('a sign-off names who and when: a clinician needs a name and profession; no future day, none before the stage', () => {
    const ctx = { today: TODAY, stageStartedOn: '2026-11-01' };
    expect(() => checkSignoff({ by: 'clinician' }, ctx)).toThrow('--sign-off clinician needs --signed-by');
    expect(() => checkSignoff({ by: 'clinician', name: 'Dr A. Physio' }, ctx)).toThrow('needs --profession');
    expect(checkSignoff({ by: 'clinician', name: ' Dr A. Physio ', profession: 'physiotherapist' }, ctx)).toEqual({ by: 'clinician', name: 'Dr A. Physio', profession: 'physiotherapist', date: TODAY });
    expect(() => checkSignoff({ by: 'clinician', name: 'X', profession: 'GP', on: '2026-12-03' }, ctx)).toThrow('in the future');
    expect(() => checkSignoff({ by: 'clinician', name: 'X', profession: 'GP', on: '2026-10-31' }, ctx)).toThrow('before the stage began');
    expect(() => checkSignoff({ by: 'trainer' }, ctx)).toThrow('config set trainer.name');
    expect(checkSignoff({ by: 'trainer', on: '2026-11-30' }, { ...ctx, trainerName: 'Sam Rivera' })).toEqual({ by: 'trainer', name: 'Sam Rivera', profession: 'trainer', date: '2026-11-30' });
  });
});

describe('startingStage: where a new program starts (issue 16; FACTS §10, Thigpen 2016)', () => {
  const cuff = [stage(1), stage(2, { afterSurgery: { fromWeek: 6, source: 'ASSET phase 2' } }), stage(3, { afterSurgery: { fromWeek: 12, source: 'ASSET phase 3' } }), stage(4, { afterSurgery: { fromWeek: 20, source: 'ASSET phase 4' } })];
  const repaired = (weeksAgo: number) => [{ code: 'rotator_cuff_repair', date: addDays(TODAY, -7 * weeksAgo) }];
  const fits = ['rotator_cuff_repair'];

  it('by default, the latest stage whose time after surgery has come on the start day', () => {
    expect(startingStage(cuff, fits, repaired(3), TODAY)).toEqual({ ok: true, stage: 1 });
    expect(startingStage(cuff, fits, repaired(6), TODAY)).toMatchObject({ ok: true, stage: 2 });
    const late = startingStage(cuff, fits, repaired(14), TODAY);
    expect(late).toMatchObject({ ok: true, stage: 3 });
    expect(late.ok && late.why).toMatch(/98 days after surgery.*from week 12 \(ASSET phase 3\).*confirm them with the treating clinician/);
    expect(startingStage(cuff, fits, repaired(30), TODAY)).toMatchObject({ stage: 4 });
    // 6 weeks is 42 full days: the day before, stage 1 still.
    expect(startingStage(cuff, fits, [{ code: 'rotator_cuff_repair', date: addDays(TODAY, -41) }], TODAY)).toMatchObject({ stage: 1 });
  });

  it('criteria-based stages and an unknown surgery date start at stage 1: time alone never says criteria were met', () => {
    expect(startingStage([stage(1), stage(2), stage(3)], ['knee_tka'], [{ code: 'knee_tka', date: addDays(TODAY, -200) }], TODAY)).toEqual({ ok: true, stage: 1 });
    expect(startingStage(cuff, fits, [{ code: 'rotator_cuff_repair' }], TODAY)).toEqual({ ok: true, stage: 1 });
  });

  it('--stage N is taken when its time after surgery has come, and refused, with the day it comes, when not', () => {
    expect(startingStage(cuff, fits, repaired(14), TODAY, 1)).toEqual({ ok: true, stage: 1 });
    expect(startingStage(cuff, fits, repaired(14), TODAY, 2)).toMatchObject({ ok: true, stage: 2, why: expect.stringContaining('as asked (--stage 2)') });
    const early = startingStage(cuff, fits, repaired(14), TODAY, 4);
    expect(early).toEqual({ ok: false, reason: `stage 4 (Stage 4) starts from week 20 after surgery (ASSET phase 4); the surgery was on ${addDays(TODAY, -98)}, so from ${addDays(TODAY, -98 + 140)}` });
    expect(startingStage(cuff, fits, [{ code: 'rotator_cuff_repair' }], TODAY, 3)).toMatchObject({ ok: false, reason: expect.stringContaining('the intake records no surgery date') });
    expect(startingStage([stage(1), stage(2), stage(3)], ['knee_tka'], [], TODAY, 3)).toMatchObject({ ok: true, stage: 3 });
    expect(startingStage(cuff, fits, repaired(14), TODAY, 5)).toEqual({ ok: false, reason: '--stage 5: the program has stages 1–4' });
  });
});
