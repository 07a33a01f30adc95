import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Restriction } from '../../src/domain/clearance.js';
import type { IntakeAnswers } from '../../src/domain/intake.js';
import { generateProgram, hrrForRpe } from '../../src/domain/program.js';
import { LEG_LOADS, type Exercise, type LegLoad, type Overlay } from '../../src/domain/template-schema.js';
import { fileNameOrder, loadTemplates, precompileTemplates, readPrecompiled, type Precompiled } from '../../src/templates/load.js';
import { tempDir } from '../helpers/tmp.js';
import { okVerdict as verdict } from '../helpers/verdict.js';

const set = loadTemplates();
const programs = [...set.programs.values()];

describe('the shipped templates', () => {
  it('all pass the schema and the cross-file checks', () => {
    expect(set.problems).toEqual([]);
  });

  it('hold at least 150 exercises, the ten programs and the six overlays the product promises', () => {
    expect(set.exercises.size).toBeGreaterThanOrEqual(150);
    expect([...set.programs.keys()].sort()).toEqual(
      expect.arrayContaining([
        'acl_reconstruction', 'ankle_sprain', 'cardiac_rehab', 'falls_prevention', 'general_reconditioning',
        'knee_hip_oa', 'knee_tka', 'low_back_pain', 'rotator_cuff_repair', 'shoulder_pain',
      ]),
    );
    expect([...set.overlays.keys()].sort()).toEqual(
      expect.arrayContaining(['cardiac', 'hypertension', 'osteoporosis', 'rate_limiting_medication', 'type1_diabetes', 'type2_diabetes']),
    );
  });

  it('each template states its sources and a version, and has 2–6 stages with exit criteria', () => {
    for (const p of programs) {
      expect(p.sources.length, p.id).toBeGreaterThan(0);
      expect(p.version, p.id).toMatch(/^\d+\.\d+\.\d+$/);
      for (const s of p.stages) expect(s.exitCriteria.length, `${p.id} ${s.name}`).toBeGreaterThan(0);
    }
  });
});

describe('the built-in templates precompiled at build time', () => {
  // As the build writes them (JSON) and the CLI reads them back.
  const roundTrip = (p: Precompiled) => JSON.parse(JSON.stringify(p)) as Precompiled;

  it('load exactly as parsing the YAML does, every file taken from the precompiled form', () => {
    const pre = precompileTemplates();
    expect(Object.keys(pre.files).length).toBe(new Set([...set.exercises.values(), ...set.programs.values(), ...set.overlays.values()].map((x) => x.origin.file)).size);
    expect(loadTemplates(undefined, { precompiled: roundTrip(pre) })).toStrictEqual(set);
  });

  it('are used only for a file whose text is unchanged since the build', () => {
    const pre = roundTrip(precompileTemplates());
    const knee = pre.files['programs/knee_tka.yaml']!;
    expect(knee.parsed.kind).toBe('program');
    // The precompiled form is what is read (a marked copy shows through)…
    (knee.parsed as { program: { name: string } }).program.name = 'from the precompiled form';
    expect(loadTemplates(undefined, { precompiled: pre }).programs.get('knee_tka')!.name).toBe('from the precompiled form');
    // …but not once the file's text differs from the text it was made from: the file is parsed.
    knee.sha256 = '0'.repeat(64);
    expect(loadTemplates(undefined, { precompiled: pre }).programs.get('knee_tka')!.name).toBe(set.programs.get('knee_tka')!.name);
  });

  it('are what the build wrote to dist/templates.json (npm test builds first)', () => {
    expect(readPrecompiled()).toStrictEqual(roundTrip(precompileTemplates()));
  });

  it('are ignored when the file is missing or is not what the build writes', () => {
    const dir = tempDir();
    expect(readPrecompiled(path.join(dir, 'missing.json'))).toBeUndefined();
    for (const [name, text] of [['truncated', '{"files": {"a'], ['null', 'null'], ['list', '[1]'], ['no-files', '{"x": 1}']] as const) {
      fs.writeFileSync(path.join(dir, name), text);
      expect(readPrecompiled(path.join(dir, name)), name).toBeUndefined();
    }
  });
});

// An independent reading of the restriction vocabulary, straight from the exercise tags.
const WB: Record<string, LegLoad> = { non: 'none', toe_touch: 'toe_touch', partial: 'partial', as_tolerated: 'full', full: 'full' };
/** A planned exercise: with one leg only it is read for that leg; a leg exercise done each side, with either leg working. */
function violatesPlanned(e: Exercise, r: Restriction, x: { side?: 'left' | 'right'; dose: { perSide: boolean } }): boolean {
  if (x.side) return violates(e, r, x.side);
  if (x.dose.perSide && e.tags.sided) return violates(e, r) || violates(e, r, 'left') || violates(e, r, 'right');
  return violates(e, r);
}

// A planned exercise done with one leg only (`working`) is read leg by leg: the restricted side's leg does what tags.sided says.
function violates(e: Exercise, r: Restriction, working?: 'left' | 'right'): boolean {
  const [head, joint, side] = r.code.split('.');
  const sidedSide = head === 'weight_bearing' ? joint : side;
  const leg = working && e.tags.sided ? (sidedSide === working ? e.tags.sided.working : e.tags.sided.other) : undefined;
  const t = leg ? { ...e.tags, legLoad: leg.legLoad, rom: leg.rom } : e.tags;
  switch (head) {
    case 'no_running':
      return t.running;
    case 'no_impact':
      return t.impact !== 'none' || t.running;
    case 'no_overhead_loading':
      return t.overhead;
    case 'no_loaded_spinal_flexion':
      return t.loadedSpinalFlexion;
    case 'weight_bearing':
      // Lying on the limited leg (side-lying, the bottom leg) is never allowed under a weight-bearing limit.
      return LEG_LOADS.indexOf(t.legLoad) > LEG_LOADS.indexOf(WB[String(r.value)]!) || (leg?.liesOn === true && WB[String(r.value)] !== 'full');
    case 'rom':
      // Range work (mobility, stretching) may stay, limited by an instruction (checked separately).
      return !['mobility', 'stretch'].includes(t.pattern) && (t.rom[joint as 'knee'] ?? 0) > Number(r.value);
    case 'max_load_kg':
      return Number(r.value) === 0 && t.externalLoad;
    case 'no_push_pull':
      return t.armPushPull;
    default:
      return false;
  }
}

function avoidedBy(e: Exercise, o: Overlay): boolean {
  const t = e.tags;
  const a = o.avoid;
  return (
    a.exercises.includes(e.id) ||
    a.patterns.includes(t.pattern) ||
    a.positions.includes(t.position) ||
    (a.running && t.running) ||
    (a.overhead && t.overhead) ||
    (a.loadedSpinalFlexion && t.loadedSpinalFlexion) ||
    (a.armPushPull && t.armPushPull) ||
    (a.fallRisk && t.fallRisk) ||
    (t.impact !== 'none' && (a.impact.includes(t.impact) || (t.impact === 'high' && a.impact.includes('low'))))
  );
}

describe('exercise tags are coherent (what the restrictions rely on)', () => {
  it('running is high impact; knee-bending loaded patterns say how much knee they need', () => {
    const problems: string[] = [];
    for (const e of set.exercises.values()) {
      const t = e.tags;
      if (t.running && t.impact !== 'high') problems.push(`${e.id}: running but impact ${t.impact}`);
      if (t.joints.includes('knee') && ['squat', 'lunge', 'step', 'gait'].includes(t.pattern) && t.rom.knee === undefined) problems.push(`${e.id}: ${t.pattern} with no knee rom`);
      if (t.overhead && (t.rom.shoulder ?? 0) < 90) problems.push(`${e.id}: overhead but shoulder rom ${t.rom.shoulder}`);
      // Sternal precautions (FACTS §10) rely on these: arm pushes and pulls, and weights held in the hands
      // (curls, rotations and raises with a dumbbell are lifts, capped by the hand load, not pushes or pulls).
      if (['push', 'pull'].includes(t.pattern) && t.joints.some((j) => j === 'shoulder' || j === 'elbow') && !t.armPushPull && !['biceps_curl', 'side_lying_external_rotation', 'dumbbell_scaption'].includes(e.id)) {
        problems.push(`${e.id}: an arm ${t.pattern} not tagged armPushPull`);
      }
      if (t.externalLoad && t.equipment.some((q) => ['dumbbell', 'kettlebell', 'barbell'].includes(q)) && !t.handLoad && e.id !== 'hip_thrust') problems.push(`${e.id}: a free weight not tagged handLoad`);
      if (t.impact === 'high' && !t.running && !t.fallRisk && t.pattern !== 'aerobic') problems.push(`${e.id}: a high-impact drill not tagged fallRisk`);
    }
    expect(problems).toEqual([]);
  });

  it('the overlays for sternal precautions, pregnancy and cancer are shipped, and a template may name only known placeholders', () => {
    expect([...set.overlays.keys()]).toEqual(
      expect.arrayContaining(['sternal_precautions', 'pregnancy', 'pregnancy_after_first_trimester', 'cancer', 'cancer_treatment', 'cancer_low_blood_counts', 'cancer_bone_metastases']),
    );
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'o.yaml'),
      'id: mine\nkind: overlay\nname: Mine\nversion: 1.0.0\nsources: [s]\nappliesTo: {conditions: [hypertension], weeks: {from: 8, until: 4}}\nprecautions: ["Hold at {bp_hold_typo}"]\nredFlags: [r]\n',
    );
    const mine = loadTemplates(dir).problems.map((p) => `${p.path}: ${p.message}`);
    expect(mine).toEqual(expect.arrayContaining(['precautions[0]: unknown placeholder {bp_hold_typo}; known: {bp_hold}', 'appliesTo.weeks: expected from < until']));
  });
});

const restriction: fc.Arbitrary<Restriction> = fc.oneof(
  fc.constantFrom<Restriction>(
    { code: 'no_running' }, { code: 'no_impact' }, { code: 'no_overhead_loading' }, { code: 'no_loaded_spinal_flexion' }, { code: 'supervised_only' },
    { code: 'no_push_pull' }, { code: 'no_valsalva' },
  ),
  fc.record({ code: fc.constantFrom('weight_bearing.left', 'weight_bearing.right'), value: fc.constantFrom('non', 'toe_touch', 'partial', 'as_tolerated', 'full') }),
  fc.record({ code: fc.constant('max_hr'), value: fc.integer({ min: 60, max: 200 }) }),
  fc.record({ code: fc.constant('max_rpe'), value: fc.integer({ min: 1, max: 10 }) }),
  fc.record({ code: fc.constant('max_load_kg'), value: fc.integer({ min: 0, max: 40 }) }),
  fc.record({
    code: fc.tuple(fc.constantFrom('knee', 'hip', 'shoulder', 'ankle', 'elbow', 'wrist'), fc.constantFrom('left', 'right')).map(([j, s]) => `rom.${j}.${s}`),
    value: fc.integer({ min: 0, max: 180 }),
  }),
);

const intake: IntakeAnswers = {
  date: '2026-11-20',
  physicallyActive: true,
  conditions: [],
  medications: [],
  parq: { q1: false, q2: false, q3: false, q4: false, q5: false, q6: false, q7: false, followUps: {}, temporaryIllness: false, healthChanged: false },
  symptoms: [],
  desiredIntensity: 'moderate',
  vitals: { restingHr: 62 },
};


describe('generation under restrictions (property)', () => {
  it('never prescribes an exercise a restriction forbids, nor a dose above a cap, for every template and any one or two restrictions', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...programs.map((p) => p.id)),
        fc.uniqueArray(restriction, { minLength: 1, maxLength: 2, selector: (r) => r.code }),
        fc.subarray(['hypertension', 'osteoporosis', 'type2_diabetes', 'coronary_artery_disease'] as const),
        fc.boolean(),
        (templateId, restrictions, conditions, betaBlocker) => {
          const template = set.programs.get(templateId)!;
          const client: IntakeAnswers = {
            ...intake,
            conditions: conditions.map((code) => ({ code })),
            medications: betaBlocker ? [{ name: 'bisoprolol', class: 'beta_blocker' }] : [],
          };
          const applied = [...set.overlays.values()].filter(
            (o) => o.appliesTo.conditions.some((c) => conditions.includes(c as never)) || (betaBlocker && o.appliesTo.medicationClasses.includes('beta_blocker')),
          );
          const r = generateProgram({
            template,
            overlays: [...set.overlays.values()],
            exercises: set.exercises,
            intake: client,
            verdict: { ...verdict(restrictions), dosing: betaBlocker ? 'rpe-only' : 'heart-rate' },
            age: 55,
            hrMaxFormula: 'tanaka',
            startDate: '2026-12-01',
          });
          if (!r.ok) {
            // Refusing is allowed only when a stage really has no safe exercise.
            expect(r.reason).toMatch(/would have no safe exercise/);
            return;
          }
          for (const stage of r.program.stages) {
            expect(stage.exercises.length).toBeGreaterThan(0);
            for (const x of stage.exercises) {
              const e = set.exercises.get(x.exerciseId)!;
              for (const res of restrictions) {
                expect(violatesPlanned(e, res, x), `${templateId}: ${e.id} under ${res.code}=${res.value}`).toBe(false);
                const [head, joint, side] = res.code.split('.');
                // Range work done one side at a time names the side limited ("only to 90° at the left knee");
                // an exercise planned for one leg only keeps the limited leg within the limit (violates, above).
                if (head === 'rom' && !x.side && (e.tags.rom[joint as 'knee'] ?? 0) > Number(res.value)) expect(x.notes.join(' ')).toMatch(new RegExp(`only to ${res.value}° at the (${side} )?${joint}`));
              }
              for (const o of applied) expect(avoidedBy(e, o), `${templateId}: ${e.id} under overlay ${o.id}`).toBe(false);
              const rpeCaps = [...restrictions.filter((q) => q.code === 'max_rpe').map((q) => Number(q.value)), ...applied.map((o) => o.caps.rpe ?? 10)];
              const rpeCap = Math.min(10, ...rpeCaps);
              expect(x.dose.rpe[1]).toBeLessThanOrEqual(rpeCap);
              if (x.dose.hrr) {
                expect(betaBlocker).toBe(false);
                expect(x.dose.hrr[1]).toBeLessThanOrEqual(Math.min(90, ...applied.map((o) => o.caps.hrrPercent ?? 90), hrrForRpe(rpeCap)));
              }
              const maxHr = restrictions.find((q) => q.code === 'max_hr');
              if (maxHr && x.heartRate) expect(x.heartRate.high).toBeLessThanOrEqual(Number(maxHr.value));
              if (betaBlocker) expect(x.heartRate).toBeNull();
            }
          }
        },
      ),
      { numRuns: 600, seed: 20261126 },
    );
  });

  it('holds for every template under every single restriction, exhaustively', () => {
    const singles: Restriction[] = [
      { code: 'no_running' }, { code: 'no_impact' }, { code: 'no_overhead_loading' }, { code: 'no_loaded_spinal_flexion' }, { code: 'supervised_only' },
      { code: 'no_push_pull' }, { code: 'no_valsalva' },
      ...['left', 'right'].flatMap((leg) => ['non', 'toe_touch', 'partial', 'as_tolerated', 'full'].map((v) => ({ code: `weight_bearing.${leg}`, value: v }))),
      ...[60, 100, 140].map((v) => ({ code: 'max_hr', value: v })),
      ...[1, 3, 5, 8].map((v) => ({ code: 'max_rpe', value: v })),
      { code: 'max_load_kg', value: 0 },
      ...['knee', 'hip', 'shoulder', 'ankle', 'elbow', 'wrist'].flatMap((j) => [0, 30, 60, 90, 120].map((v) => ({ code: `rom.${j}.left`, value: v }))),
    ];
    let built = 0;
    for (const template of programs) {
      for (const res of singles) {
        const r = generateProgram({ template, overlays: [...set.overlays.values()], exercises: set.exercises, intake, verdict: verdict([res]), age: 55, hrMaxFormula: 'tanaka', startDate: '2026-12-01' });
        if (!r.ok) {
          expect(r.reason, `${template.id} under ${res.code}=${res.value}`).toMatch(/would have no safe exercise/);
          continue;
        }
        built++;
        for (const stage of r.program.stages) {
          for (const x of stage.exercises) {
            expect(violatesPlanned(set.exercises.get(x.exerciseId)!, res, x), `${template.id}: ${x.exerciseId} under ${res.code}=${res.value}`).toBe(false);
            if (res.code === 'max_rpe') expect(x.dose.rpe[1]).toBeLessThanOrEqual(Number(res.value));
            if (res.code === 'max_hr' && x.heartRate) expect(x.heartRate.high).toBeLessThanOrEqual(Number(res.value));
          }
        }
      }
    }
    // Most combinations must still give a program: the variant chains reach gentle options.
    expect(built / (programs.length * singles.length)).toBeGreaterThan(0.7);
  });

  it('every template builds with no restriction at all', () => {
    for (const template of programs) {
      const r = generateProgram({ template, overlays: [...set.overlays.values()], exercises: set.exercises, intake, verdict: verdict([]), age: 55, hrMaxFormula: 'tanaka', startDate: '2026-12-01' });
      expect(r.ok, template.id).toBe(true);
    }
  });
});

describe('the order template files load in', () => {
  it("is localeCompare's, for plain lower-case names and any other (fileNameOrder skips ICU's start-up cost)", () => {
    const plain = fc.stringMatching(/^[a-z0-9_.-]{0,8}$/);
    const any = fc.oneof(plain, fc.string({ maxLength: 8 }));
    fc.assert(fc.property(any, any, (a, b) => Math.sign(fileNameOrder(a, b)) === Math.sign(a.localeCompare(b))), { numRuns: 5000 });
    expect(['knee_tka.yaml', 'cancer_bone_metastases.yaml', 'cancer.yaml', 'ankle-sprain.yml'].sort(fileNameOrder)).toEqual(['ankle-sprain.yml', 'cancer_bone_metastases.yaml', 'cancer.yaml', 'knee_tka.yaml']);
  });
});
