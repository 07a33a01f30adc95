import { describe, expect, it } from 'vitest';
import { programFits } from '../../src/app/fits.js';
import type { GeneratedProgram } from '../../src/domain/program.js';
import type { TemplateSet } from '../../src/app/templates.js';

const set = { programs: new Map([['knee_tka', { fits: ['knee_tka'] }]]) } as unknown as TemplateSet;

describe('programFits: the library is loaded only for a snapshot that does not say what it fits', () => {
  it('never loads the library when the snapshot keeps fits', async () => {
    let loads = 0;
    const fits = programFits(() => (loads++, set));
    expect(await fits({ templateId: 'knee_tka', fits: ['hip_tha'] } as GeneratedProgram)).toEqual(['hip_tha']);
    expect(await fits(undefined)).toEqual([]);
    expect(loads).toBe(0);
  });

  it('loads it once for older snapshots, however many ask', async () => {
    let loads = 0;
    const fits = programFits(async () => (loads++, set));
    const old = { templateId: 'knee_tka' } as GeneratedProgram;
    expect(await Promise.all([fits(old), fits(old)])).toEqual([['knee_tka'], ['knee_tka']]);
    expect(await fits({ templateId: 'gone' } as GeneratedProgram)).toEqual([]);
    expect(loads).toBe(1);
  });
});
