import { PassThrough } from 'node:stream';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import type { HandoutModel } from '../../src/domain/handout.js';
import { handout } from '../../src/render/handout.js';
import { resolveTrainer, type TrainerProfile } from '../../src/domain/settings.js';
import { IO } from '../../src/cli/io.js';
import { chartHeight, lineChart, tickStep, xLabels, xRange, type ChartSpec } from '../../src/render/charts.js';
import { frame, MARGINS, signatureBlock } from '../../src/render/frame.js';
import { Pdf } from '../../src/render/pdf.js';
import { readPdf } from '../helpers/pdf.js';

const CREATED = new Date('2026-11-27T00:00:00Z');

async function bytes(pdf: Pdf): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => out.on('end', resolve));
  pdf.pipe(out);
  await done;
  return Buffer.concat(chunks);
}

/** The text items of a page with where they are: x from the left, top from the top of the page, in points. */
async function items(file: Buffer, page = 1): Promise<{ str: string; x: number; top: number; right: number; size: number }[]> {
  const doc = await getDocument({ data: new Uint8Array(file), verbosity: 0, useSystemFonts: false, isEvalSupported: false }).promise;
  try {
    const p = await doc.getPage(page);
    const height = p.view[3]!;
    const content = await p.getTextContent();
    return content.items
      .filter((i): i is typeof i & { str: string; transform: number[]; width: number } => 'str' in i && i.str.trim() !== '')
      .map((i) => ({ str: i.str, x: i.transform[4]!, top: height - i.transform[5]!, right: i.transform[4]! + i.width, size: Math.abs(i.transform[3]!) }));
  } finally {
    await doc.destroy();
  }
}

const LONG = ('Wolfeschlegelsteinhausenbergerdorff Rehabilitation ').repeat(5).slice(0, 200);

function framed(trainer: TrainerProfile, subject: string): Pdf {
  const pdf = new Pdf({ title: 't', author: 'a', subject: 's', created: CREATED, margins: MARGINS });
  pdf.para('Body text.');
  signatureBlock(pdf, trainer, 'Reviewed by the clinician');
  frame(pdf, trainer, '2026-11-27', subject);
  return pdf;
}

describe('the page frame', () => {
  it('fits text to one line: as is when it fits, a little smaller, then cut short with …', () => {
    const pdf = new Pdf({ title: 't', author: 'a', subject: 's', created: CREATED, margins: MARGINS });
    expect(pdf.fit('Zoë Moreau', 200, { size: 8 })).toMatchObject({ text: 'Zoë Moreau', size: 8 });
    const w = pdf.lineWidth('Northside Rehab & Medical Fitness', { size: 10 });
    const shrunk = pdf.fit('Northside  Rehab &\nMedical Fitness', w * 0.95, { size: 10 });
    expect(shrunk.text).toBe('Northside Rehab & Medical Fitness');
    expect(shrunk.size).toBeLessThan(10);
    expect(shrunk.width).toBeLessThanOrEqual(w * 0.95);
    const cut = pdf.fit(LONG, 150, { size: 10 });
    expect(cut.text.endsWith('…')).toBe(true);
    expect(cut.size).toBe(8.5);
    expect(cut.width).toBeLessThanOrEqual(150);
    expect(pdf.fit('李娜 '.repeat(50), 80, { size: 10 }).width).toBeLessThanOrEqual(80);
  });

  for (const [name, trainer] of [
    ['ordinary settings', resolveTrainer({ 'trainer.name': 'Alexandra Montgomery-Whitfield', 'trainer.credentials': 'MSc, ACSM-CEP, CSCS', 'trainer.organisation': 'Northside Rehab & Medical Fitness', 'trainer.contact': 'alexandra.montgomery@northside-rehab.org · +44 20 7946 0000' })],
    ['200 characters each', resolveTrainer({ 'trainer.name': LONG, 'trainer.credentials': LONG, 'trainer.organisation': LONG, 'trainer.contact': LONG })],
  ] as const) {
    it(`draws each header and footer line on one line, the client apart from the trainer (${name})`, async () => {
      const file = await bytes(framed(trainer, 'Zoë Moreau · born 1961-04-12'));
      const all = await items(file);
      const header = all.filter((i) => i.top < MARGINS.top - 12);
      // Two lines on the left, the subject on the right of the first: three pieces of text, none wrapped.
      expect(header.length, JSON.stringify(header)).toBe(3);
      expect(header.filter((i) => i.x === MARGINS.left).map((i) => i.top)[1]).toBeGreaterThan(header[0]!.top + 8);
      const subject = header.find((i) => i.str.includes('Zoë Moreau'))!;
      expect(subject.str).toBe('Zoë Moreau · born 1961-04-12');
      for (const i of header.filter((i) => i !== subject && Math.abs(i.top - subject.top) < 6)) expect(i.right).toBeLessThan(subject.x - 4);
      const footer = all.filter((i) => i.top > 842 - MARGINS.bottom);
      expect(new Set(footer.map((i) => Math.round(i.top))).size).toBe(1);
      expect(footer.map((i) => i.str).join(' ')).toMatch(/Confidential health information.*Produced 2026-11-27.*Page 1 of 1/);
      const text = (await readPdf(file)).text;
      if (name === 'ordinary settings') {
        expect(text).toContain('Alexandra Montgomery-Whitfield, MSc, ACSM-CEP, CSCS');
        expect(text).toContain('Northside Rehab & Medical Fitness · alexandra.montgomery@northside-rehab.org · +44 20 7946 0000');
      } else expect(text).toContain('…');
    });
  }

  it('signs below the trainer’s name, not on it: the name one line above an empty signature line, then Date and contact', async () => {
    const trainer = resolveTrainer({ 'trainer.name': 'Alexandra Montgomery-Whitfield', 'trainer.credentials': 'MSc, ACSM-CEP, CSCS', 'trainer.contact': LONG });
    const all = await items(await bytes(framed(trainer, 'Zoë Moreau')));
    const body = all.filter((i) => i.top > MARGINS.top && i.top < 842 - MARGINS.bottom);
    const name = body.filter((i) => i.str.includes('Alexandra'));
    expect(name.map((i) => i.str).join('')).toBe('Alexandra Montgomery-Whitfield, MSc, ACSM-CEP, CSCS');
    const date = body.find((i) => i.str === 'Date' && i.x < 300)!;
    // Room to sign between the name and the Date label (the line is drawn 36 pt under the name).
    expect(date.top - name[0]!.top).toBeGreaterThan(36);
    const contact = body.filter((i) => i.top > date.top + 20 && i.x < 300);
    expect(contact.map((i) => i.str).join(' ')).toMatch(/^Contact Wolfeschlegel.*…$/);
  });
});

describe('the handout on the page', () => {
  it('keeps each exercise whole on one page, its name never alone at the bottom', async () => {
    const model: HandoutModel = {
      produced: '2026-11-27',
      trainer: resolveTrainer({ 'trainer.name': 'Sam Rivera' }),
      clientName: 'Zoë Moreau',
      programName: 'After total knee replacement',
      stage: 1,
      stages: 4,
      stageName: 'Early recovery',
      sessionsPerWeek: 3,
      referred: true,
      exercises: Array.from({ length: 14 }, (_, i) => ({
        name: `Exercise number ${i + 1}`,
        dose: '2 sets of 10 repetitions on each side; hold each one for 5 seconds; rest 30 seconds between sets',
        effort: 'effort 3 to 5 out of 10',
        cues: Array.from({ length: 2 + (i % 4) }, (_, j) => `Cue ${j + 1} of exercise ${i + 1}: keep the movement slow and smooth, and breathe out as you push`),
      })),
      painLimit: 5,
      stopSigns: { emergency: ['pain, pressure or tightness in your chest, neck, jaw or arms'], today: ['a painful, swollen calf'] },
      restrictions: [],
      limb: null,
      hypo: null,
      logSheet: { rows: 6, glucose: false },
    };
    const text = await readPdf(await bytes(handout(model, CREATED)));
    expect(text.pages.length).toBeGreaterThan(2);
    expect(text.pages[0]).toContain('Your trainer has asked your doctor or physiotherapist to review you');
    model.exercises.forEach((x, i) => {
      const page = text.pages.findIndex((p) => p.split('\n').some((l) => new RegExp(`^${i + 1}\\.? ${x.name}$`).test(l.trim())));
      expect(page, x.name).toBeGreaterThanOrEqual(0);
      const on = text.pages[page]!.replace(/\s+/g, ' ');
      expect(on, x.name).toContain(`Cue ${x.cues.length} of exercise ${i + 1}:`);
      expect(on, x.name).toContain(x.dose.slice(0, 30));
    });
  });
});

describe('charts', () => {
  const spec = (points: { date: string; value: number }[], extra: Partial<ChartSpec> = {}): ChartSpec => ({
    title: 'Knee flexion',
    unit: '°',
    from: '2026-10-16',
    to: '2026-11-27',
    series: [{ label: 'right', points }],
    target: { value: 100, label: 'exit target ≥ 100°' },
    ...extra,
  });
  async function drawn(s: ChartSpec, h = 150): Promise<{ text: string; y: number }> {
    const pdf = new Pdf({ title: 't', author: 'a', subject: 's', created: CREATED, margins: MARGINS });
    const y = pdf.y;
    lineChart(pdf, pdf.left, y, pdf.width, h, s);
    const after = pdf.y - y;
    pdf.finish(() => {});
    return { text: (await readPdf(await bytes(pdf))).text, y: after };
  }

  it('shows each date on the x axis once, apart: a one-day or two-day period does not print them on top of each other', async () => {
    expect(xLabels('2026-11-27', '2026-11-27', 400, 40).map((l) => l.date)).toEqual(['2026-11-27']);
    expect(xLabels('2026-11-26', '2026-11-27', 400, 40).map((l) => l.date)).toEqual(['2026-11-26', '2026-11-27']);
    expect(xLabels('2026-10-16', '2026-11-27', 400, 40).map((l) => l.date)).toEqual(['2026-10-16', '2026-11-06', '2026-11-27']);
    // Too narrow for three: first and last only; for two: the first.
    expect(xLabels('2026-10-16', '2026-11-27', 100, 40).map((l) => l.date)).toEqual(['2026-10-16', '2026-11-27']);
    expect(xLabels('2026-10-16', '2026-11-27', 60, 40).map((l) => l.date)).toEqual(['2026-10-16']);
    const { text } = await drawn(spec([{ date: '2026-11-27', value: 95 }], { from: '2026-11-26' }));
    expect(text).not.toMatch(/2026-11-2026/);
    expect(text.match(/2026-11-27/g)).toHaveLength(1);
  });

  it('draws the clearance limit beside the exit target; no label overlaps the legend, the title or the other label', async () => {
    type Item = Awaited<ReturnType<typeof items>>[number];
    const overlap = (a: Item, b: Item) => a.x < b.right && b.x < a.right && a.top - a.size < b.top && b.top - b.size < a.top;
    // Lines at the top of the plot (the highest value), at one value, and apart; legends of one and three series.
    for (const [target, limit, series] of [
      [112, 112, 1],
      [100, 100, 3],
      [110, 95, 3],
    ] as const) {
      const pdf = new Pdf({ title: 't', author: 'a', subject: 's', created: CREATED, margins: MARGINS });
      const points = [{ date: '2026-11-01', value: 88 }, { date: '2026-11-20', value: 104 }];
      const labels = ['right', 'left knee, operated', 'next morning'].slice(0, series);
      lineChart(pdf, pdf.left, pdf.y, pdf.width / 2, 150, {
        ...spec(points),
        title: 'Knee flexion against the stage’s exit target and the clearance limit',
        series: labels.map((label) => ({ label, points })),
        target: { value: target, label: `exit target ${target}°` },
        limit: { value: limit, label: `clearance limit ${limit}°` },
      });
      pdf.finish(() => {});
      const all = await items(await bytes(pdf));
      const find = (re: RegExp) => all.filter((i) => re.test(i.str));
      const drawn = [...find(/^exit target/), ...find(/^clearance limit/), ...labels.flatMap((l) => find(new RegExp(`^${l}$`))), ...find(/^Knee flexion/)];
      expect(drawn.map((i) => i.str)).toEqual([`exit target ${target}°`, `clearance limit ${limit}°`, ...labels, expect.stringMatching(/^Knee flexion/)]);
      for (const [i, a] of drawn.entries()) for (const b of drawn.slice(i + 1)) expect(overlap(a, b), `${a.str} over ${b.str} (${target}/${limit}, ${series} series)`).toBe(false);
    }
  });

  it('draws no target line through an empty chart: the target in words, and the chart compact', async () => {
    const s = spec([]);
    expect(chartHeight(s, 150)).toBeLessThan(40);
    const { text, y } = await drawn(s);
    expect(y).toBe(chartHeight(s, 150));
    expect(text).toContain('Nothing recorded in this period · exit target ≥ 100°');
    expect(chartHeight(spec([{ date: '2026-11-20', value: 90 }]), 150)).toBe(150);
  });

  it('ticks whole numbers for whole-number data (LEFS, ODI, degrees)', async () => {
    expect(tickStep(12, 5)).toBe(2.5);
    expect(tickStep(12, 5, true)).toBe(5);
    expect(tickStep(3, 5, true)).toBe(1);
    const { text } = await drawn(spec([{ date: '2026-11-01', value: 31 }, { date: '2026-11-20', value: 42 }], { title: 'LEFS', unit: '', target: undefined }));
    expect(text).not.toMatch(/\d\.5/);
    expect(text).toMatch(/\b45\b/);
  });

  it('starts the axis at the first value when the period starts long before it, showing a week at least', () => {
    const points = [{ date: '2026-11-07', value: 88 }, { date: '2026-11-25', value: 112 }];
    expect(xRange(spec(points, { from: '2000-01-01' }))).toEqual({ from: '2026-11-07', to: '2026-11-27' });
    expect(xRange(spec([{ date: '2026-11-25', value: 1 }], { from: '2000-01-01' }))).toEqual({ from: '2026-11-20', to: '2026-11-27' });
    expect(xRange(spec([{ date: '2026-11-25', value: 1 }], { from: '2026-11-24' }))).toEqual({ from: '2026-11-24', to: '2026-11-27' });
    expect(xRange(spec(points, { from: '2026-11-07' }))).toEqual({ from: '2026-11-07', to: '2026-11-27' });
    expect(xRange(spec([], { from: '2000-01-01' }))).toEqual({ from: '2000-01-01', to: '2026-11-27' });
  });
});

describe('the report --all progress bar', () => {
  function bar(columns: number | undefined, opts: { isTTY?: boolean; quiet?: boolean; json?: boolean } = {}): string {
    let written = '';
    const stderr = Object.assign(new PassThrough(), { isTTY: opts.isTTY ?? true, columns, write: (chunk: string) => ((written += chunk), true) });
    const io = new IO({ stdout: new PassThrough(), stderr: stderr as unknown as NodeJS.WritableStream, stdin: new PassThrough(), env: {} });
    io.configure({ json: opts.json ?? false, color: false, input: false, quiet: opts.quiet ?? false, debug: false });
    const b = io.progressBar(1000, 'Reports');
    for (let i = 1; i <= 1000; i++) b.update(i);
    return written;
  }
  // What each redraw leaves on the line.
  const lines = (out: string) => out.split('\r').map((l) => l.replace('\x1b[2K', '')).filter(Boolean);

  it('fits the terminal: every redraw narrower than the screen, on the same line', () => {
    for (const columns of [120, 80, 40]) {
      const out = lines(bar(columns));
      expect(out.at(-1)).toMatch(/^Reports \[#+\] 1000\/1000$/);
      for (const l of out) expect(l.length, `${columns}: ${l}`).toBeLessThan(columns);
      expect(out.join('')).not.toContain('\n');
    }
  });

  it('shows just the count below 40 columns', () => {
    const out = lines(bar(30));
    expect(out[0]).toBe('Reports 0/1000');
    expect(out.at(-1)).toBe('Reports 1000/1000');
    for (const l of out) expect(l.length).toBeLessThan(30);
  });

  it('prints nothing piped, with --quiet or with --json', () => {
    expect(bar(80, { isTTY: false })).toBe('');
    expect(bar(80, { quiet: true })).toBe('');
    expect(bar(80, { json: true })).toBe('');
  });
});
