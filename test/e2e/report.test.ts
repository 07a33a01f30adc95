import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { execa } from 'execa';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, bf, bfInTerminal, cleanEnv } from '../helpers/cli.js';
import { readPdf, squash } from '../helpers/pdf.js';
import { tempDir } from '../helpers/tmp.js';
import { allNo } from '../helpers/answers.js';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { addDays, localToday } from '../../src/domain/dates.js';

/** The demo database (Zoë with weeks of sessions and a stage change, Łukasz with a referral, 李娜, عائشة) plus a Greek and a Russian client. */
let cwd: string;
let db: string;

beforeAll(async () => {
  // Shared by every test here, so not a tempDir() (those go after each test).
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'bridgefit-report-'));
  const demo = await bf(['demo', '--dir', 'demo'], { cwd });
  expect(demo.exitCode, demo.stderr).toBe(0);
  db = path.join(cwd, 'demo', 'demo.db');
  for (const [first, last] of [
    ['Αλέξανδρος', 'Παπαδόπουλος'],
    ['Ирина', 'Смирнова'],
  ]) {
    const r = await bf(['--db', db, 'client', 'add', '--first-name', first!, '--last-name', last!, '--dob', '1955-05-05'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
  }
  // Notes in several scripts, in Zoë's session log.
  const note = await bf(['--db', db, 'progress', 'add', 'zoe', '--pain-before', '1', '--pain-during', '2', '--pain-after', '1', '--rpe', '3', '--soreness', 'none', '--note', 'Ćwiczenia OK · Σπίτι · дома · 很好'], { cwd });
  expect(note.exitCode, note.stderr).toBe(0);
}, 120_000);

afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

const env = (extra: Record<string, string> = {}) => cleanEnv(cwd, extra);

describe('bridgefit report', () => {
  it('the demo writes a sample clinician report and handout that read back', async () => {
    const report = await readPdf(path.join(cwd, 'demo', '0001-zoe-moreau-report.pdf'));
    expect(report.text).toContain('Zoë Moreau');
    const handout = await readPdf(path.join(cwd, 'demo', '0001-zoe-moreau-handout.pdf'));
    expect(handout.text).toContain('Your exercises');
  }, 60_000);

  it('page 1 says what was cleared, what is done, how the client responds; the detail and every page frame follow', async () => {
    const out = path.join(cwd, 'zoe.pdf');
    const r = await bf(['--db', db, 'report', 'zoe', '--out', out, '--question', 'May she start stairs without the rail?'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Wrote the report for Zoë Moreau to .*zoe\.pdf \(\d+ pages\)/);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const pdf = await readPdf(out);
    const [page1] = pdf.pages.map((p) => p.replace(/\s+/g, ' '));
    // Who, and the clearance with its restrictions, on page 1.
    expect(page1).toContain('Zoë Moreau');
    expect(page1).toMatch(/Born 1961-04-12 \(age \d+\)/);
    expect(page1).toContain('total knee replacement (right, surgery');
    expect(page1).toContain('bisoprolol (beta-blocker): heart-rate response blunted');
    expect(page1).toContain('Dr Ana Costa');
    expect(page1).toContain('right knee range of motion at most 100°');
    expect(page1).toContain('in force');
    // What is done and how the client responds.
    expect(page1).toMatch(/2 of 4: Range to 100-110° and early strengthening, since \d{4}-\d\d-\d\d/);
    expect(page1).toMatch(/Adherence \d+ (of \d+ planned sessions since|sessions attended since \d{4}-\d\d-\d\d, more than the \d+ planned)/);
    expect(page1).toContain('LEFS (0–80) 31');
    expect(page1).toContain('yes, MCID reached');
    // The demo's clearance limits the knee to 100°, and she has gone past it: the clinician is asked.
    expect(page1).toContain('For your review');
    expect(page1).toMatch(/Right knee flexion 1\d\d° on \d{4}-\d\d-\d\d is beyond the clearance's limit \(right knee range of motion at most 100°\)/);
    expect(page1).toMatch(/1\. Right knee flexion is now 1\d\d° .* may the limit be raised or lifted\?/);
    expect(pdf.text).toContain('2. May she start stairs without the rail?');
    // The detail pages.
    expect(pdf.text).toContain('Pain (0–10) at each session');
    expect(pdf.text).toContain('Knee flexion against the stage');
    expect(pdf.text).toContain('Exit criteria for this stage');
    expect(pdf.text).toContain('Session log');
    expect(pdf.text).toContain('Ćwiczenia OK · Σπίτι · дома');
    expect(squash(pdf.text)).toContain('很好');
    expect(pdf.text).toMatch(/stage 1 \(Early recovery[^)]*\) → stage 2 \(Range to 100-110° and early strengthening\)/);
    expect(pdf.pages.at(-1)!.replace(/\s+/g, ' ')).toMatch(/Your reply to the trainer .*Continue.*Modify.*Stop.*See me.*Next review date.*Signature/);
    // Every page: the trainer, confidentiality, page n of m.
    pdf.pages.forEach((p, i) => {
      expect(p).toContain('Sam Rivera, ACSM-CEP, BSc Exercise Science');
      expect(p).toContain('Confidential health information');
      expect(p).toContain(`Page ${i + 1} of ${pdf.pages.length}`);
    });
    expect(pdf.info.Title).toBe('Exercise progress report: Zoë Moreau');
    expect(pdf.info.Author).toBe('Sam Rivera');
    expect(String(pdf.info.Subject)).toContain('for the treating clinician');
  }, 60_000);

  it('puts an open referral, a missing clearance and rising pain first, and asks the clinician', async () => {
    const out = path.join(cwd, 'lukasz.pdf');
    const r = await bf(['--db', db, 'report', 'nowak', '--out', out, '--no-log'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const pdf = await readPdf(out);
    const page1 = pdf.pages[0]!.replace(/\s+/g, ' ');
    expect(page1).toContain('Łukasz Nowak');
    expect(page1).toContain('Needs your attention');
    expect(page1).toMatch(/Open referral \(\d{4}-\d\d-\d\d\): Next-morning pain 2 or more points above the baseline/);
    expect(page1).toContain('NONE ON FILE');
    expect(page1).toContain('trend worsening');
    expect(page1).toMatch(/1\. Referral of .*please assess/);
    expect(pdf.text).not.toContain('Session log');
    expect(pdf.text).toContain('OPEN');
  }, 60_000);

  it('prints names in Latin with diacritics, Greek, Cyrillic, Chinese and Arabic', async () => {
    const names: [string, string][] = [
      ['zoe', 'Zoë Moreau'],
      ['nowak', 'Łukasz Nowak'],
      ['Παπαδόπουλος', 'Αλέξανδρος Παπαδόπουλος'],
      ['Смирнова', 'Ирина Смирнова'],
      ['李', '李娜'],
      ['عائشة', 'عائشة'],
    ];
    for (const [selector, name] of names) {
      const out = path.join(cwd, 'names.pdf');
      const r = await bf(['--db', db, 'report', selector, '--out', out, '--force'], { cwd }); // one file, replaced for each name
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('show as boxes');
      const pdf = await readPdf(out);
      // pdf.js splits and spaces right-to-left and CJK runs its own way: compare without spaces.
      expect(squash(pdf.pages[0]!), name).toContain(squash(name));
    }
  }, 60_000);

  it('puts a screening that refers first, in red words: REFER', async () => {
    const out = path.join(cwd, 'refer.pdf');
    const r = await bf(['--db', db, 'report', '4', '--out', out], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const page1 = (await readPdf(out)).pages[0]!.replace(/\s+/g, ' ');
    // The red flag at intake raised a referral: first in the box, said once, and one question on it.
    expect(page1).toMatch(/Needs your attention • Open referral \(\d{4}-\d\d-\d\d\): Red flag: new pain at night or at rest: stop and refer to a clinician • No medical clearance/);
    expect(page1).toContain('REFER to a clinician');
    expect(page1).toMatch(/1\. Referral of \d{4}-\d\d-\d\d \(Red flag: new pain at night or at rest: stop and refer to a clinician\): please assess/);
    expect(page1).not.toMatch(/2\. The screening of/);
  }, 60_000);

  it('writes the handout in plain words: exercises with dose, effort and cues, the pain rule and when to stop, whom to call', async () => {
    const out = path.join(cwd, 'handout.pdf');
    const r = await bf(['--db', db, 'report', 'zoe', '--handout', '--out', out], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const pdf = await readPdf(out);
    expect(pdf.text).toContain('Your exercises');
    expect(pdf.text).toMatch(/stage 2 of 4/);
    expect(pdf.text).toMatch(/1\. \S/);
    expect(pdf.text).toMatch(/Do: \d+ sets? of \d+/);
    expect(pdf.text).toMatch(/How hard: (easy|moderate), you can [^(]+ \(\d to \d out of 10\)/);
    expect(pdf.text).toContain('up to 5 out of 10 during the exercises and after them');
    expect(pdf.text).toContain('Stop and call emergency services if you have');
    expect(pdf.text).toContain('pain, pressure or tightness in your chest, neck, jaw or arms');
    expect(pdf.text).toContain('Stop, and tell your trainer and your doctor today, if you have');
    // After surgery, the calf sign; no back-pain sign for a knee.
    expect(pdf.text).toContain('a painful, swollen calf');
    expect(pdf.text).not.toContain('bladder');
    // The clinician's limits in plain words, the operated limb named; no scale names or consensus phases.
    expect(pdf.text).toContain('Bend your right knee no further than 100°');
    expect(pdf.text).toContain('These exercises are for your right knee, after your total knee replacement.');
    expect(pdf.text).not.toMatch(/CR10|ASSET|\bRPE\b|range of motion/);
    // Zoë takes metformin, not insulin or a sulfonylurea: no hypoglycaemia advice.
    expect(pdf.text).not.toMatch(/blood sugar/i);
    expect(pdf.pages.at(-1)).toContain('Your home exercise log');
    // Nothing for the trainer or the clinician: no generation notes, no goals with citations, no clinical terms, no tempo codes.
    expect(pdf.text).not.toMatch(/adjust it to suit|dose as planned|The aim|Ebert|DVT|cardiac|tempo|\b\d-\d-\d\b/);
    expect(pdf.text).not.toMatch(/\b(1[2-9]\d|[2-9]\d\d) seconds/);
    // Zoë has no open referral.
    expect(pdf.text).not.toContain('asked your doctor or physiotherapist to review you');
    expect(pdf.info.Title).toBe('Your exercises: Zoë Moreau');
  }, 60_000);

  it('tells a client with an open referral, at the top of the handout, to check with the trainer first', async () => {
    const out = path.join(cwd, 'handout-nowak.pdf');
    const r = await bf(['--db', db, 'report', 'nowak', '--handout', '--out', out], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const pdf = await readPdf(out);
    expect(pdf.pages[0]).toContain('Your trainer has asked your doctor or physiotherapist to review you');
    expect(pdf.text).toContain('check with your trainer before you do more than you have agreed together');
  }, 60_000);

  it('is byte-identical for the same data with SOURCE_DATE_EPOCH, and writes to standard output with --out -', async () => {
    const run = () =>
      execa(process.execPath, [BIN, '--db', db, 'report', 'zoe', '--out', '-'], { cwd, env: env({ SOURCE_DATE_EPOCH: '1796256000' }), extendEnv: false, encoding: 'buffer', reject: false });
    const a = await run();
    const b = await run();
    expect(a.exitCode, String(a.stderr)).toBe(0);
    const bytes = Buffer.from(a.stdout as Uint8Array);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(Buffer.compare(bytes, Buffer.from(b.stdout as Uint8Array))).toBe(0);
    const pdf = await readPdf(bytes);
    // 1796256000 is 2026-12-03 00:00 UTC: the date produced, on every page.
    expect(pdf.pages[0]).toContain('Produced 2026-12-03');
  }, 60_000);

  it('rejects bad input with one line and a non-zero exit, writing nothing', async () => {
    const dir = tempDir();
    const target = path.join(tempDir(), 'elsewhere.pdf');
    fs.writeFileSync(target, 'keep me');
    fs.symlinkSync(target, path.join(dir, 'link.pdf'));
    const cases: [string[], Record<string, string>, number, RegExp][] = [
      [['report'], {}, 2, /which client\?/],
      [['report', 'zoe', '--all', '--out-dir', dir], {}, 2, /a client or --all, not both/],
      [['report', '--all'], {}, 2, /--all needs --out-dir/],
      [['report', 'zoe', '--flagged'], {}, 2, /--flagged goes with --all/],
      [['report', 'zoe', '--since', 'last tuesday'], {}, 2, /--since: expected a date/],
      [['report', 'zoe', '--out', path.join(dir, 'missing', 'r.pdf')], {}, 2, /the folder .* does not exist/],
      // Node's recursive mkdir never returns under /proc: bridgefit makes folders one at a time.
      [['report', '--all', '--out-dir', '/proc/bridgefit-test/reports'], {}, 2, /cannot make the folder \/proc\/bridgefit-test\/reports: a folder on the way cannot be made there/],
      [['report', 'zoe', '--out', path.join(dir, 'r.pdf')], { SOURCE_DATE_EPOCH: 'yesterday' }, 2, /SOURCE_DATE_EPOCH must be a whole number/],
      [['report', 'nobody-at-all'], {}, 3, /no client matches "nobody-at-all"/],
      [['report', 'zoe', '--handout', '--no-log'], {}, 2, /--no-log goes with the clinician report/],
      [['report', 'zoe', '--question', ' '], {}, 2, /--question is empty/],
      [['--json', 'report', 'zoe', '--out', '-'], {}, 2, /--json and --out - both write to standard output/],
      [['report', '--all', '--out-dir', '-'], {}, 2, /--out-dir needs a folder name/],
      // Renaming over these would replace them, not write into them.
      [['report', 'zoe', '--out', '/dev/null'], {}, 2, /\/dev\/null is not a regular file \(a device or a pipe\); not writing over it/],
      [['report', 'zoe', '--out', path.join(dir, 'link.pdf')], {}, 2, /link\.pdf is a symbolic link; give the path of the file itself/],
      [['report', 'zoe', '--out', db], {}, 2, /demo\.db exists and is not a PDF; not replacing it/],
      // 李娜's screening needs a clearance she does not have yet: no exercise sheet.
      [['report', '3', '--handout', '--out', path.join(dir, 'h.pdf')], {}, 1, /no exercise sheet for 李娜: the screening of \d{4}-\d\d-\d\d needs medical clearance, not yet given/],
      [['report', 'Παπαδόπουλος', '--handout', '--out', path.join(dir, 'h.pdf')], {}, 3, /no program for Αλέξανδρος Παπαδόπουλος yet/],
    ];
    for (const [args, extra, code, message] of cases) {
      const r = await bf(['--db', db, ...args], { cwd: dir, env: cleanEnv(dir, extra) });
      expect(r.exitCode, args.join(' ')).toBe(code);
      const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('warning:'));
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(fs.readdirSync(dir).filter((f) => f !== '.local')).toEqual(['link.pdf']);
    expect(fs.readFileSync(target, 'utf8')).toBe('keep me');
  }, 60_000);
});

describe('bridgefit report --all', () => {
  it('writes one valid PDF per active client with a safe file name, keeps going past a failure, and lists it', async () => {
    const copy = path.join(tempDir(), 'copy.db');
    fs.copyFileSync(db, copy);
    // A damaged record: Łukasz's program snapshot is no longer JSON.
    const raw = new SqliteDatabase(copy);
    raw.prepare("update programs set snapshot = '{broken' where client_id = 2").run();
    const active = (raw.prepare("select count(*) as n from clients where status = 'active'").get() as { n: number }).n;
    raw.close();
    const outDir = path.join(path.dirname(copy), 'reports');
    const r = await bf(['--db', copy, 'report', '--all', '--out-dir', outDir], { cwd });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/bridgefit: 1 report could not be made:\n {2}client 2 \(Łukasz Nowak\): /);
    expect(r.stderr).toContain(`Wrote ${active - 1} reports to ${outDir}`);
    // Piped: no progress bar.
    expect(r.stderr).not.toMatch(/\r|\[#|Reports \[/);
    const files = fs.readdirSync(outDir).sort();
    expect(files).toHaveLength(active - 1);
    for (const f of files) {
      expect(f).toMatch(/^\d{4}-[a-z0-9-]+\.pdf$/);
      expect(fs.statSync(path.join(outDir, f)).mode & 0o777).toBe(0o600);
      const pdf = await readPdf(path.join(outDir, f));
      expect(pdf.pages.length).toBeGreaterThan(0);
      expect(pdf.text).toContain('Confidential health information');
    }
    expect(files).toContain('0001-zoe-moreau.pdf');
    // Every name in Latin letters, whatever its script (issue 17): no "client" in place of a name.
    expect(files).toContain('0003-li-na.pdf');
    expect(files).toContain('0006-alexandros-papadopoulos.pdf');
    expect(files).toContain('0007-irina-smirnova.pdf');
    expect(files.filter((f) => f.includes('client'))).toEqual([]);
    expect(files).not.toContain('0002-lukasz-nowak.pdf');
  }, 60_000);

  it('says on page 1, once, when a referral was resolved and by whom (referral resolve --by, else trainer.name)', async () => {
    const copy = path.join(tempDir(), 'copy.db');
    fs.copyFileSync(db, copy);
    const list = JSON.parse((await bf(['--db', copy, 'referral', 'list', 'nowak', '--json'], { cwd })).stdout) as { id: number; raisedOn: string }[];
    expect(list).toHaveLength(1);
    const resolved = await bf(['--db', copy, 'referral', 'resolve', String(list[0]!.id), '--note', 'Knee reviewed: may continue', '--by', 'Dr Ana Costa'], { cwd });
    expect(resolved.exitCode, resolved.stderr).toBe(0);
    const out = path.join(path.dirname(copy), 'resolved.pdf');
    expect((await bf(['--db', copy, 'report', 'nowak', '--out', out], { cwd })).exitCode).toBe(0);
    const pdf = await readPdf(out);
    const page1 = pdf.pages[0]!.replace(/\s+/g, ' ');
    expect(page1).toMatch(new RegExp(`Resolved on \\d{4}-\\d\\d-\\d\\d by Dr Ana Costa: referral of ${list[0]!.raisedOn}, Next-morning pain`));
    expect(page1.split('Next-morning pain 2 or more points').length - 1).toBe(1);
    expect(page1).not.toContain('Open referral');
    expect(pdf.text).toMatch(/resolved \d{4}-\d\d-\d\d by Dr Ana Costa: Knee reviewed: may continue/);
  }, 60_000);

  it('gives a client on a sulfonylurea the low-blood-sugar advice on the handout, with the left knee named and a log sheet', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'g.db');
    const run = (args: string[]) => bf(['--db', file, ...args], { cwd: dir });
    expect((await run(['client', 'add', '--first-name', 'Wei', '--last-name', 'Chen', '--dob', '1958-03-03'])).exitCode).toBe(0);
    const answers = {
      date: '2026-11-20',
      physicallyActive: false,
      conditions: [{ code: 'knee_tka', side: 'left', date: '2026-09-01' }, { code: 'type2_diabetes', date: '2010-01-01' }],
      medications: [{ name: 'gliclazide', class: 'insulin_or_sulfonylurea' }],
      parq: { ...allNo, q6: true, followUps: { arthritis: { has: false }, other: { has: false }, metabolic: { has: true, a: false, b: false, c: false, d: false, e: false } } },
      symptoms: [],
      desiredIntensity: 'moderate',
      vitals: { restingHr: 70, bp: '130/80' },
    };
    fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(answers));
    for (const args of [
      ['intake', 'chen', '--answers', path.join(dir, 'a.json')],
      ['clearance', 'add', 'chen', '--clinician', 'J. Okafor', '--profession', 'physician', '--date', '2026-11-21', '--status', 'cleared-with-restrictions', '--restrict', 'rom.knee.left=95', '--restrict', 'max_rpe=4'],
      ['program', 'generate', 'chen', '--start', '2026-11-23'],
      ['report', 'chen', '--handout'],
    ]) {
      const r = await run(args);
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const pdf = await readPdf(path.join(dir, '0001-wei-chen-handout.pdf'));
    const text = pdf.text;
    expect(text).toContain('These exercises are for your left knee, after your total knee replacement.');
    expect(text).toContain('Bend your left knee no further than 95°');
    expect(text).toContain('Effort: no harder than 4 out of 10 (moderate, you can still talk, but not sing)');
    expect(text).toContain('Low blood sugar (a hypo): bring to every session');
    expect(text).toContain('Below 4.0 mmol/L (72 mg/dL), do not start.');
    expect(text).toContain('Take 15 g of fast sugar, wait 15 minutes and check again.');
    expect(text).not.toMatch(/CR10|ASSET|\bRPE\b|range of motion/);
    expect(pdf.pages.at(-1)!.replace(/\s+/g, ' ')).toMatch(/Your home exercise log .*Blood sugar before/);
  }, 60_000);

  it('a rotator cuff repair handout: the right shoulder named, its limit drawn, no ASSET phase or scale name', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'c.db');
    const run = (args: string[]) => bf(['--db', file, ...args], { cwd: dir });
    expect((await run(['client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12'])).exitCode).toBe(0);
    const answers = {
      date: '2026-11-20',
      physicallyActive: false,
      conditions: [{ code: 'rotator_cuff_repair', side: 'right', date: '2026-10-01' }],
      medications: [],
      parq: allNo,
      symptoms: [],
      desiredIntensity: 'light',
      vitals: { restingHr: 70, bp: '124/80' },
    };
    fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(answers));
    for (const args of [
      ['intake', 'zoe', '--answers', path.join(dir, 'a.json')],
      ['clearance', 'add', 'zoe', '--clinician', 'J. Okafor', '--profession', 'orthopaedic surgeon', '--date', '2026-11-21', '--status', 'cleared-with-restrictions', '--restrict', 'rom.shoulder.right=90', '--restrict', 'no_overhead_loading'],
      ['program', 'generate', 'zoe', '--start', '2026-11-23'],
      ['report', 'zoe', '--handout', '--out', path.join(dir, 'h.pdf')],
    ]) {
      const r = await run(args);
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const text = (await readPdf(path.join(dir, 'h.pdf'))).text;
    expect(text).toContain('These exercises are for your right shoulder, after your rotator cuff repair.');
    expect(text).toContain('Raise your right arm no higher than 90°');
    expect(text).toContain('0° = arm by your side');
    expect(text).toContain('Do not lift or hold anything above your shoulders');
    expect(text).not.toMatch(/CR10|ASSET|\bRPE\b|Thigpen|range of motion/);
    // Zoë takes nothing that lowers blood sugar.
    expect(text).not.toMatch(/blood sugar/i);
  }, 60_000);

  it('names a report file in Latin letters by default: 李娜 → 0003-li-na-report.pdf, Łukasz → lukasz', async () => {
    const dir = tempDir();
    for (const [selector, file] of [
      ['李', '0003-li-na-report.pdf'],
      ['nowak', '0002-lukasz-nowak-report.pdf'],
    ] as const) {
      const r = await bf(['--db', db, 'report', selector], { cwd: dir });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toContain(file);
      expect(fs.existsSync(path.join(dir, file)), file).toBe(true);
    }
    const h = await bf(['--db', db, 'report', 'zoe', '--handout'], { cwd: dir });
    expect(h.exitCode, h.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, '0001-zoe-moreau-handout.pdf'))).toBe(true);
  }, 60_000);

  it('shows a progress bar on a terminal', async () => {
    const outDir = path.join(tempDir(), 'tty');
    const r = await bfInTerminal(['--db', db, 'report', '--all', '--out-dir', outDir], [], { cwd, timeoutMs: 60_000 });
    expect(r.exitCode, r.screen).toBe(0);
    const active = fs.readdirSync(outDir).length;
    expect(r.screen).toMatch(new RegExp(`Reports \\[#+\\] ${active}/${active}`));
    expect(r.screen).toContain(`Wrote ${active} reports to ${outDir}`);
  }, 60_000);

  it('--flagged writes exactly the clients whose page 1 has a red or amber box, and --json lists what was written', async () => {
    const dir = tempDir();
    const copy = path.join(dir, 'flag.db');
    fs.copyFileSync(db, copy);
    // A client with nothing for the clinician: Zoë's copy, cleared again today with no limit she has gone past.
    const cleared = await bf(['--db', copy, 'clearance', 'add', 'zoe', '--clinician', 'Dr Ana Costa', '--profession', 'physician', '--status', 'cleared'], { cwd: dir });
    expect(cleared.exitCode, cleared.stderr).toBe(0);
    const all = path.join(dir, 'all');
    expect((await bf(['--db', copy, 'report', '--all', '--since', '4w', '--out-dir', all], { cwd: dir })).exitCode).toBe(0);
    const flaggedIds: number[] = [];
    for (const f of fs.readdirSync(all)) {
      const page1 = (await readPdf(path.join(all, f))).pages[0]!;
      if (!page1.includes('Nothing needs your attention')) flaggedIds.push(Number(f.slice(0, 4)));
    }
    const outDir = path.join(dir, 'flagged');
    const r = await bf(['--db', copy, '--json', 'report', '--all', '--flagged', '--since', '4w', '--out-dir', outDir], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { written: { clientId: number; file: string }[]; failed: unknown[] };
    expect(result.failed).toEqual([]);
    expect(result.written.map((w) => w.clientId).sort()).toEqual(flaggedIds.sort());
    expect(result.written.map((w) => w.clientId)).not.toContain(1);
    expect(fs.readdirSync(outDir)).toHaveLength(flaggedIds.length);
  }, 90_000);

  it('no handout for a client the clinician did not clear', async () => {
    const dir = tempDir();
    const copy = path.join(dir, 'nc.db');
    fs.copyFileSync(db, copy);
    expect((await bf(['--db', copy, 'clearance', 'add', 'zoe', '--clinician', 'Dr Ana Costa', '--profession', 'physician', '--status', 'not-cleared'], { cwd: dir })).exitCode).toBe(0);
    const r = await bf(['--db', copy, 'report', 'zoe', '--handout', '--out', path.join(dir, 'h.pdf')], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim()).toMatch(/^bridgefit: no exercise sheet for Zoë Moreau: Dr Ana Costa did not clear them for exercise \(\d{4}-\d\d-\d\d\); exercises wait until the clinician has seen them$/);
    expect(fs.existsSync(path.join(dir, 'h.pdf'))).toBe(false);
    // The clinician report says it in red.
    const report = await bf(['--db', copy, 'report', 'zoe', '--out', path.join(dir, 'r.pdf')], { cwd: dir });
    expect(report.exitCode, report.stderr).toBe(0);
    expect((await readPdf(path.join(dir, 'r.pdf'))).pages[0]!.replace(/\s+/g, ' ')).toMatch(/Needs your attention • Dr Ana Costa did not clear exercise/);
  }, 60_000);
});

/** Every row of every table, to compare a database before and after. */
function dump(raw: SqliteDatabase.Database): string {
  const names = (raw.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((t) => t.name);
  return names.map((t) => JSON.stringify(raw.prepare(`select * from "${t}"`).all())).join('\n');
}

describe('report --all under faults', () => {
  it('killed at any moment, leaves only whole PDFs (or hidden .partial files the next run removes) and the database as it was', async () => {
    const dir = tempDir();
    const copy = path.join(dir, 'many.db');
    fs.copyFileSync(db, copy);
    const raw = new SqliteDatabase(copy);
    const insert = raw.prepare("insert into clients (first_name, last_name, date_of_birth, status, created_at, updated_at) values (?, 'Batch', '1950-01-01', 'active', '', '')");
    raw.transaction(() => {
      for (let i = 0; i < 150; i++) insert.run(`Client${i}`);
    })();
    const before = dump(raw);
    const active = (raw.prepare("select count(*) as n from clients where status = 'active'").get() as { n: number }).n;
    raw.close();
    const outDir = path.join(dir, 'reports');
    let killed = 0;
    for (const delay of [400, 900, 1600, 2500, 3500]) {
      const child = spawn(process.execPath, [BIN, '--db', copy, 'report', '--all', '--out-dir', outDir], { cwd: dir, env: cleanEnv(dir), stdio: 'ignore' });
      // Listened for from the start: a run that ends before the kill must not be waited for forever.
      const exited = new Promise((r) => child.once('exit', r).once('error', r));
      await new Promise((r) => setTimeout(r, delay));
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        killed++;
      }
      await exited;
      if (!fs.existsSync(outDir)) continue;
      for (const f of fs.readdirSync(outDir)) {
        if (f.startsWith('.')) {
          expect(f).toMatch(/\.partial$/);
          continue;
        }
        // Every report under its own name is whole: it ends as a PDF ends, and reads back.
        const bytes = fs.readFileSync(path.join(outDir, f));
        expect(bytes.subarray(-6).toString()).toMatch(/%%EOF\s*$/);
        expect((await readPdf(bytes)).pages.length).toBeGreaterThan(0);
      }
    }
    expect(killed).toBeGreaterThan(0);
    const doctor = await bf(['--db', copy, 'doctor'], { cwd: dir });
    expect(doctor.exitCode, doctor.stdout + doctor.stderr).toBe(0);
    const again = new SqliteDatabase(copy, { readonly: true });
    const after = dump(again);
    again.close();
    expect(after).toBe(before);
    // A run to the end removes what killed runs left, and writes every report.
    const r = await bf(['--db', copy, 'report', '--all', '--out-dir', outDir], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const files = fs.readdirSync(outDir);
    expect(files.filter((f) => f.startsWith('.'))).toEqual([]);
    expect(files).toHaveLength(active);
  }, 180_000);
});

/**
 * A client with diabetes on insulin whose sessions were held, five times for a
 * red flag: six referrals open, glucose recorded at every session. The report
 * a trial user found hard to read.
 */
describe('the report of a client with many open referrals and held sessions', () => {
  let dir: string;
  let pdf: Awaited<ReturnType<typeof readPdf>>;
  let pdfFile: string;
  const ago = (n: number) => addDays(localToday(), -n);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridgefit-referrals-'));
    const copy = path.join(dir, 'referrals.db');
    fs.copyFileSync(db, copy);
    const run = async (args: string[], ok = true) => {
      const r = await bf(['--db', copy, ...args], { cwd: dir });
      if (ok) expect(r.exitCode, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    };
    const answers = path.join(dir, 'intake.json');
    const noPage = { has: false };
    fs.writeFileSync(
      answers,
      JSON.stringify({
        date: ago(45),
        physicallyActive: false,
        conditions: [
          { code: 'knee_oa', side: 'right', date: '2020-05-01' },
          { code: 'type2_diabetes', date: '2012-01-01' },
        ],
        medications: [
          { name: 'insulin glargine', class: 'insulin_or_sulfonylurea' },
          { name: 'metformin', class: 'other' },
        ],
        parq: {
          q1: false, q2: false, q3: false, q4: true, q5: false, q6: true, q7: false,
          followUps: { arthritis: { has: true, a: false, b: false, c: false }, cancer: noPage, heart: noPage, blood_pressure: noPage, metabolic: { has: true, a: false, b: false, c: false, d: false, e: false }, mental_health: noPage, respiratory: noPage, spinal_cord: noPage, stroke: noPage, other: noPage },
        },
        symptoms: [],
        desiredIntensity: 'moderate',
        vitals: { restingHr: 72, bp: '134/84', glucose: '7.9 mmol/L' },
      }),
    );
    await run(['client', 'add', '--first-name', 'Henrik', '--last-name', 'Larsen', '--dob', '1958-03-14', '--sex', 'male']);
    await run(['intake', 'larsen', '--answers', answers]);
    await run(['clearance', 'add', 'larsen', '--clinician', 'Dr Mette Holm', '--profession', 'physician', '--date', ago(43), '--status', 'cleared-with-restrictions', '--restrict', 'no_impact']);
    await run(['program', 'generate', 'larsen', '--start', ago(38)]);
    const session = (n: number, pain: string, bp: string, glucose: string, ...more: string[]) =>
      ['progress', 'add', 'larsen', '--date', ago(n), '--pain-before', '2', '--pain-during', pain, '--pain-after', pain, '--rpe', '5', '--bp', bp, '--glucose', glucose, ...more];
    await run(session(36, '3', '136/84', '7.4mmol/L', '--measure', 'knee_flexion.right=115', '--score', 'lefs=38', '--score', 'chair_stand_30s=9'));
    await run(session(34, '3', '134/82', '6.8mmol/L'));
    await run(session(31, '3', '132/82', '6.1mmol/L', '--note', 'Walked 20 minutes with the dog at the weekend'));
    // Held at the checks: a hypo before the session, then a resting blood pressure that refers.
    await run(session(29, '2', '138/86', '3.5mmol/L'), false);
    await run(session(24, '3', '185/112', '8.2mmol/L'), false);
    // Five red flags on five days, each referred; every later session held while they are open.
    for (const [n, symptom] of [[22, 'chest_pain'], [17, 'palpitations'], [15, 'dizziness_syncope'], [10, 'breathless'], [8, 'calf_pain_swelling']] as const) {
      await run(session(n, '4', '140/88', '7.0mmol/L', '--symptom', symptom), false);
    }
    await run(session(3, '5', '134/84', '131mg/dL', '--measure', 'knee_flexion.right=112', '--score', 'lefs=49', '--score', 'chair_stand_30s=12'), false);
    pdfFile = path.join(dir, 'larsen.pdf');
    await run(['report', 'larsen', '--since', ago(42), '--out', pdfFile, '--question', 'May he use the stationary bike at home?']);
    pdf = await readPdf(pdfFile);
  }, 180_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives the reason a session was held room: whole words on a few lines, never one word a line', async () => {
    const reason = 'Glucose 3.5 mmol/L (63 mg/dL) is below 4.0 mmol/L: do not start; take 15 g of fast carbohydrate, re-check after 15 min';
    const lines = await drawnLines(pdfFile, reason);
    expect(lines, 'the reason for the hold of the hypo day, in the session log').not.toBeNull();
    // Each drawn line of it starts where a word starts: after a space, or after a hyphen or slash.
    for (const { text, startsAt } of lines!) {
      expect(startsAt === 0 || /[\s/-]/.test(reason[startsAt - 1]!), `a line starts inside a word: "${text}"`).toBe(true);
    }
    expect(lines!.length, lines!.map((l) => l.text).join(' | ')).toBeLessThanOrEqual(3);
  });

  it('shows the glucose of each session in the log, as recorded, for a client on insulin', () => {
    const log = pdf.text.slice(pdf.text.indexOf('Session log'), pdf.text.indexOf('Stage changes'));
    expect(log).toContain('Glucose');
    // Values no hold reason repeats: only a glucose column shows them.
    for (const value of ['7.4 mmol/L', '6.8 mmol/L', '8.2 mmol/L', '131 mg/dL']) expect(log).toContain(value);
  });

  it('keeps page 1 to one page with six open referrals: program, outcomes and every question on it; the referrals it folds are named with their page', () => {
    expect(pdf.pages[0]).toContain('Needs your attention');
    const page1 = pdf.pages[0]!.replace(/\s+/g, ' ');
    for (const part of ['Medical history and clearance', 'Program and response', 'Outcome measures against baseline', 'LEFS (0–80) 38', 'Questions for you', 'May he use the stationary bike at home?']) {
      expect(page1, part).toContain(part);
    }
    // Every referral is on page 1, in the box, or counted in the line that says where the whole list is (page 2).
    const folded = /and (\d+) more(?: \((\d+) open[^)]*\))?: see the full list on page (\d+)/.exec(page1);
    const shown = page1.match(/Open referral \(\d{4}-\d\d-\d\d\)/g) ?? [];
    if (folded) {
      expect(folded[3]).toBe('2');
      const page2 = pdf.pages[1]!.replace(/\s+/g, ' ');
      expect(page2).toContain('Everything for your attention');
      expect(page2.match(/Open referral \(\d{4}-\d\d-\d\d\)/g) ?? []).toHaveLength(6);
      expect(page2).toContain('Red flag: calf pain with swelling');
    } else expect(shown.length).toBe(6);
  });

  it('says each thing once: a held day is not "missed: held:", a red flag not "RED FLAG: Red flag:"', () => {
    expect(pdf.text).toContain('Session log');
    expect(pdf.text.match(/missed: held/i)).toBeNull();
    expect(pdf.text.match(/red flag: red flag/i)).toBeNull();
    expect(pdf.text).toContain('RED FLAG: palpitations, racing or irregular heartbeat');
  });
});

/**
 * The lines of the PDF that draw `text` (spaces aside), in drawing order: for
 * each, what it shows of `text` and where in `text` it starts. null when the
 * PDF does not have `text` in one piece.
 */
async function drawnLines(file: string, text: string): Promise<{ text: string; startsAt: number }[] | null> {
  const doc = await getDocument({ data: new Uint8Array(fs.readFileSync(file)), verbosity: 0, useSystemFonts: false, isEvalSupported: false }).promise;
  const items: { str: string; line: string }[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      for (const i of content.items) if ('str' in i && i.str.trim() !== '') items.push({ str: i.str, line: `${n}:${Math.round(i.transform[5]!)}` });
    }
  } finally {
    await doc.destroy();
  }
  const squashed = items.map((i) => squash(i.str));
  const all = squashed.join('');
  const wanted = squash(text);
  const at = all.indexOf(wanted);
  if (at === -1) return null;
  // Where each non-space character of `text` is in `text`.
  const index = [...text].flatMap((c, i) => (/\s/.test(c) ? [] : [i]));
  const lines: { text: string; startsAt: number; line: string }[] = [];
  let offset = 0;
  for (const [k, s] of squashed.entries()) {
    const from = Math.max(offset, at);
    const to = Math.min(offset + s.length, at + wanted.length);
    offset += s.length;
    if (from >= to) continue;
    const startsAt = index[from - at]!;
    const last = lines.at(-1);
    if (last?.line === items[k]!.line) last.text += items[k]!.str;
    else lines.push({ text: items[k]!.str, startsAt, line: items[k]!.line });
  }
  return lines.map(({ text: t, startsAt }) => ({ text: t, startsAt }));
}
