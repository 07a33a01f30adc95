import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bf, bfInTerminal } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';
import { allNo } from '../helpers/answers.js';


const tka = {
  date: '2026-11-20',
  physicallyActive: false,
  conditions: [{ code: 'knee_tka', side: 'left', date: '2026-09-01' }],
  medications: [{ name: 'bisoprolol', class: 'beta_blocker' }],
  parq: { ...allNo, q6: true, followUps: { arthritis: { has: false } } },
  symptoms: [],
  desiredIntensity: 'moderate',
  vitals: { restingHr: 64, bp: '132/84' },
};

async function setup(answers: unknown = tka) {
  const cwd = tempDir();
  const db = path.join(cwd, 'clients.db');
  const run = (args: string[]) => bf(['--db', db, ...args], { cwd });
  await run(['client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12']);
  fs.writeFileSync(path.join(cwd, 'a.json'), JSON.stringify(answers));
  await run(['intake', 'zoe', '--answers', path.join(cwd, 'a.json')]);
  return { cwd, db, run };
}

describe('program generate and show', () => {
  it('builds the program for the condition, applies the clearance restrictions, and stores it', async () => {
    const { db, run } = await setup();
    await run(['clearance', 'add', 'zoe', '--clinician', 'J. Okafor', '--profession', 'physiotherapist', '--date', '2026-11-21', '--status', 'cleared-with-restrictions', '--restrict', 'weight_bearing.left=partial', '--restrict', 'rom.knee.left=90', '--restrict', 'no_impact']);
    const r = await run(['program', 'generate', 'zoe', '--start', '2026-12-01', '--json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p).toMatchObject({ id: 1, status: 'active', templateId: 'knee_tka', startDate: '2026-12-01', dosing: 'rpe-only', override: null });
    expect(p.overlays.map((o: { id: string }) => o.id)).toContain('rate_limiting_medication');
    expect(p.stages[0].plannedStart).toBe('2026-12-01');
    for (const stage of p.stages) {
      for (const x of stage.exercises) {
        expect(x.heartRate).toBeNull();
        expect(x.dose.hrr).toBeUndefined();
      }
    }
    const texts = p.explanations.map((e: { text: string }) => e.text).join('\n');
    expect(texts).toContain('Restriction applied: left leg: partial weight bearing');
    expect(rows(db, 'select template_id, status, intake_id, clearance_id from programs')).toEqual([{ template_id: 'knee_tka', status: 'active', intake_id: 1, clearance_id: 1 }]);

    const shown = await run(['program', 'show', 'zoe']);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toContain('Stage 1:');
    expect(shown.stdout).toMatch(/Exit criteria:/);
    expect(shown.stdout).toContain('RPE and talk test only');
    const stage2 = JSON.parse((await run(['program', 'show', 'zoe', '--stage', '2', '--json'])).stdout);
    expect(stage2.stages.map((s: { number: number }) => s.number)).toEqual([2]);
  });

  it('is deterministic, and regenerating supersedes the old program without losing it', async () => {
    const { db, run } = await setup();
    await run(['clearance', 'add', 'zoe', '--clinician', 'Dr A', '--profession', 'GP', '--date', '2026-11-21', '--status', 'cleared']);
    const a = JSON.parse((await run(['program', 'generate', 'zoe', '--start', '2026-12-01', '--json'])).stdout);
    const b = JSON.parse((await run(['program', 'generate', 'zoe', '--start', '2026-12-01', '--json'])).stdout);
    const strip = (p: Record<string, unknown>) => ({ ...p, id: 0, generatedAt: '' });
    expect(strip(b)).toEqual(strip(a));
    expect(rows(db, 'select id, status from programs order by id')).toEqual([
      { id: 1, status: 'superseded' },
      { id: 2, status: 'active' },
    ]);
    const list = await run(['program', 'list', 'zoe']);
    expect(list.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[4])).toEqual(['superseded', 'active']);
  });

  it('refuses while clearance is needed, and builds with --override, recording the reason', async () => {
    const { db, run } = await setup({ ...tka, conditions: [...tka.conditions, { code: 'type2_diabetes' }], parq: { ...allNo, q6: true, followUps: { arthritis: { has: false }, metabolic: { has: false }, other: { has: false } } } });
    const r = await run(['program', 'generate', 'zoe']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('bridgefit: cannot build the program: the screening needs a medical clearance first (see "bridgefit screen"; --override "reason" builds it anyway, recorded)');
    expect(r.stderr).toContain('  ACSM: not physically active, known metabolic disease');
    expect(rows(db, 'select * from programs')).toEqual([]);
    const o = await run(['program', 'generate', 'zoe', '--override', 'cleared by phone by Dr Costa; letter to follow', '--json']);
    expect(o.exitCode).toBe(0);
    expect(JSON.parse(o.stdout).override).toBe('cleared by phone by Dr Costa; letter to follow');
    expect(rows(db, 'select override_reason from programs')).toEqual([{ override_reason: 'cleared by phone by Dr Costa; letter to follow' }]);
    expect((await run(['program', 'show', 'zoe'])).stdout).toContain('Built despite the screening gate: cleared by phone');
  });

  it('several conditions: one program, the surgical template leading with the other\'s exercises; a terminal may choose one alone', async () => {
    const { cwd, db, run } = await setup({ ...tka, conditions: [{ code: 'knee_tka', side: 'left' }, { code: 'knee_oa', side: 'right' }], parq: { ...allNo, q6: true, followUps: { arthritis: { has: false }, other: { has: false } } } });
    const r = await run(['program', 'generate', 'zoe', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p).toMatchObject({ templateId: 'knee_tka', fits: ['knee_tka', 'knee_oa', 'hip_oa'], mergedFrom: [{ id: 'knee_hip_oa' }] });
    expect(p.name).toMatch(/^After total knee replacement, with Knee and hip osteoarthritis/);
    // Joined exercises say where they come from; the lead's exit criteria stay; the limits apply to them too.
    const joined = p.stages[0].exercises.filter((x: { notes: string[] }) => x.notes.some((n) => n.includes('Knee and hip osteoarthritis')));
    expect(joined.length).toBeGreaterThan(0);
    expect(joined.length).toBeLessThanOrEqual(4);
    expect(p.stages[0].exitCriteria.map((c: { measure: string }) => c.measure)).toEqual(['knee_flexion', 'knee_extension', 'effusion_grade', 'signoff']);
    expect(p.explanations.filter((e: { code: string }) => e.code === 'merged').map((e: { text: string }) => e.text)[0]).toMatch(/^Stage 1: from Knee and hip osteoarthritis .* \(knee_hip_oa\) stage 1: /);
    const ids = p.stages[0].exercises.map((x: { exerciseId: string }) => x.exerciseId);
    expect(new Set(ids).size).toBe(ids.length);
    // At a terminal: the merged program is the first choice; the third is knee_hip_oa alone.
    const t = await bfInTerminal(['--db', db, 'program', 'generate', 'zoe'], [{ waitFor: 'One program: After total knee replacement, with', send: '\x1b[B\x1b[B\r' }], { cwd });
    expect(t.exitCode, t.screen).toBe(0);
    expect(rows(db, 'select template_id from programs order by id')).toEqual([{ template_id: 'knee_tka' }, { template_id: 'knee_hip_oa' }]);
    const alone = JSON.parse((await run(['program', 'generate', 'zoe', '--template', 'knee_tka', '--json'])).stdout);
    expect(alone.mergedFrom).toBeUndefined();
  });

  it('bad arguments fail with exit 2 and write nothing', async () => {
    const { db, run } = await setup();
    for (const [args, message] of [
      [['--start', '1 Dec'], '--start: expected a date as YYYY-MM-DD, got "1 Dec"'],
      [['--sessions-per-week', '9'], '--sessions-per-week: expected a whole number 1–7, got "9"'],
      [['--override', ' '], '--override needs the reason'],
    ] as const) {
      const r = await run(['program', 'generate', 'zoe', ...args]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(message);
    }
    const unknown = await run(['program', 'generate', 'zoe', '--template', 'nope']);
    expect(unknown.exitCode).toBe(3);
    expect(unknown.stderr).toMatch(/^bridgefit: no program template "nope"; known: /);
    expect(rows(db, 'select * from programs')).toEqual([]);
  });
});

describe('templates', () => {
  it('lists, shows and validates the built-in templates', async () => {
    const { run } = await setup();
    const list = JSON.parse((await run(['template', 'list', '--json'])).stdout) as { kind: string; id: string; source: string }[];
    expect(list.filter((x) => x.kind === 'program').length).toBeGreaterThanOrEqual(10);
    expect(list.every((x) => x.source === 'built-in')).toBe(true);
    const show = await run(['template', 'show', 'knee_tka']);
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toContain('Stage 1:');
    expect(show.stdout).toContain('Sources:');
    const v = await run(['template', 'validate']);
    expect(v.exitCode).toBe(0);
    expect(v.stderr).toMatch(/template file\(s\) OK/);
  });

  it('reports every mistake in a user template with the file and the path, and a user template overrides a built-in visibly', async () => {
    const { cwd, run } = await setup();
    const dir = path.join(cwd, 'my-templates');
    fs.mkdirSync(dir);
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      bad,
      ['id: my_knee', 'kind: program', 'name: My knee', 'version: 1.0', 'description: mine', 'sources: []', 'fits: [knee_tka]', 'stages:', '  - name: One', '    goals: [g]', '    weeks: [4, 2]', '    sessionsPerWeek: 3', '    exercises:', '      - exercise: moonwalk', '        dose: {sets: 2, reps: 10, rpe: [3, 4], restSeconds: 30}', '    exitCriteria: [{measure: knee_flexion, op: ">=", value: 100}]'].join('\n'),
    );
    const v = await run(['--templates', dir, 'template', 'validate']);
    expect(v.exitCode).toBe(1);
    const lines = v.stdout.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        `${bad}: version: expected string, got 1`,
        `${bad}: sources: every template states its sources`,
        `${bad}: stages[0].weeks: expected [low, high] with low ≤ high`,
        `${bad}: stages: Too small: expected array to have >=2 items`,
        `${bad}: stages[0].exercises[0].exercise: no exercise "moonwalk" in the library`,
      ]),
    );
    const single = await run(['template', 'validate', bad]);
    expect(single.exitCode).toBe(1);

    fs.rmSync(bad);
    const builtIn = JSON.parse((await run(['template', 'show', 'knee_tka', '--json'])).stdout);
    fs.writeFileSync(path.join(dir, 'knee.json.yaml'), JSON.stringify({ ...builtIn, file: undefined, builtIn: undefined, name: 'Our clinic knee program', version: '2.0.0' }));
    const shown = await run(['--templates', dir, 'template', 'list', '--kind', 'program']);
    expect(shown.stdout).toMatch(/knee_tka\tOur clinic knee program\t2\.0\.0\tknee_tka\tyours \(overrides built-in\)/);
    expect(shown.stderr).toContain('Using your program "knee_tka"');
  });
});

describe('programs for sternal precautions and pregnancy (issue 15; FACTS §10)', () => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const today = day(0);
  const clear = ['clearance', 'add', 'zoe', '--clinician', 'Dr Ana Costa', '--profession', 'cardiologist', '--date', today, '--status', 'cleared'];
  type Json = { overlays: { id: string }[]; stages: { number: number; precautions: string[]; exercises: { exerciseId: string; notes: string[] }[] }[]; redFlags: string[]; precautions: string[] };
  const ids = (p: Json, n: number) => p.stages[n - 1]!.exercises.map((x) => x.exerciseId);

  it('3 weeks after a sternotomy: no arm pushing or pulling, 4.5 kg in the hands, 180/110, stored and in the clinician report', async () => {
    const { cwd, db, run } = await setup({
      date: today,
      physicallyActive: false,
      conditions: [{ code: 'sternotomy', date: day(-21) }],
      medications: [],
      parq: { ...allNo, q1: true, followUps: { heart: { has: true, a: false, b: false, c: false, d: false }, blood_pressure: { has: false } } },
      symptoms: [],
      desiredIntensity: 'moderate',
      vitals: { restingHr: 70, bp: '128/80' },
    });
    await run(clear);
    const r = await run(['program', 'generate', 'zoe', '--start', today]);
    expect(r.stderr).toBe('Generated program 1 for Zoë Moreau: Cardiac rehabilitation - community phase III/IV.\n');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Sternal precautions after cardiac surgery (sternotomy)');
    expect(r.stdout).toContain('Keep your move in the tube');
    expect(r.stdout).toContain('Resting BP 180/110 or higher before the session');
    expect(r.stdout).not.toContain('200/110');
    expect(r.stdout).toContain('Seated band row replaced by Shoulder blade setting — overlay sternal_precautions (pushes or pulls with the arms)');

    const p = JSON.parse((await run(['program', 'show', 'zoe', '--json'])).stdout) as Json & { rulesVersion: string; templateId: string };
    expect(p).toMatchObject({ templateId: 'cardiac_rehab', rulesVersion: 'generation-1.4.0' });
    expect(p.overlays.map((o) => o.id)).toEqual(['cardiac', 'sternal_precautions']);
    for (const id of ['seated_band_row', 'wall_push_up', 'band_biceps_curl']) expect(ids(p, 1)).not.toContain(id);
    expect(ids(p, 3)).toContain('incline_push_up');
    const scaption = p.stages[1]!.exercises.find((x) => x.exerciseId === 'dumbbell_scaption')!;
    expect(scaption.notes).toContain('at most 4.5 kg in the hands, both hands together (overlay sternal_precautions)');
    expect(rows(db, 'select template_id, status from programs')).toEqual([{ template_id: 'cardiac_rehab', status: 'active' }]);

    const out = path.join(cwd, 'report.pdf');
    const report = await run(['report', 'zoe', '--out', out]);
    expect(report.exitCode).toBe(0);
    const { readPdf } = await import('../helpers/pdf.js');
    const text = (await readPdf(out)).text;
    expect(text).toContain('180/110');
    expect(text).not.toContain('200/110');
  });

  it('a pregnancy in the second trimester: no supine work, effort at most 5/10, its warning signs on the program and the handout', async () => {
    const { cwd, run } = await setup({
      date: today,
      physicallyActive: true,
      conditions: [{ code: 'pregnancy', dueDate: day(20 * 7) }],
      medications: [],
      parq: allNo,
      symptoms: [],
      desiredIntensity: 'moderate',
      vitals: { restingHr: 72, bp: '112/70' },
    });
    await run(['clearance', 'add', 'zoe', '--clinician', 'M. Okafor', '--profession', 'midwife', '--date', today, '--status', 'cleared']);
    const r = await run(['program', 'generate', 'zoe', '--start', today, '--json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const p = JSON.parse(r.stdout) as Json & { stages: { exercises: { exerciseId: string; dose: { rpe: [number, number] } }[] }[] };
    expect(p.overlays.map((o) => o.id)).toEqual(['pregnancy', 'pregnancy_after_first_trimester']);
    for (const s of p.stages) {
      expect(s.exercises.map((x) => x.exerciseId)).not.toContain('glute_bridge');
      expect(s.exercises.map((x) => x.exerciseId)).not.toContain('dead_bug_legs');
      for (const x of s.exercises) expect(x.dose.rpe[1]).toBeLessThanOrEqual(5);
    }
    expect(p.redFlags).toEqual(expect.arrayContaining(['Vaginal bleeding (ACOG 804)', 'Regular painful contractions (ACOG 804)', 'Amniotic fluid leaking (ACOG 804)']));

    const shown = await run(['program', 'show', 'zoe']);
    expect(shown.stdout).toContain('Bridge dropped — overlay pregnancy_after_first_trimester (supine)');

    const out = path.join(cwd, 'handout.pdf');
    expect((await run(['report', 'zoe', '--handout', '--out', out])).exitCode).toBe(0);
    const { readPdf } = await import('../helpers/pdf.js');
    const text = (await readPdf(out)).text;
    expect(text).toContain('any bleeding from the vagina (call your midwife or maternity unit)');

    // At a session, bleeding stops it and the referral goes to the midwife or obstetrician.
    const s = await run(['progress', 'add', 'zoe', '--date', today, '--symptom', 'vaginal_bleeding', '--json']);
    const session = JSON.parse(s.stdout) as { referrals?: { toWhom: string }[] };
    expect(JSON.stringify(session)).toContain("the client's midwife or obstetrician, today");
  });
});
