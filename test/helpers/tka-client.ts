/** The end-to-end tests' usual client: Zoë Moreau, a left knee replacement 40 days ago, her intake taken 20 days ago. */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { allNo, day } from './answers.js';
import { bf } from './cli.js';
import { tempDir } from './tmp.js';

/** Her intake's answers (an answers file's JSON). */
export const TKA_ANSWERS = { date: day(20), physicallyActive: false, conditions: [{ code: 'knee_tka', side: 'left', date: day(40) }], parq: { ...allNo, q6: true, followUps: { arthritis: { has: false } } }, desiredIntensity: 'moderate' };

export async function tkaClient(): Promise<{ cwd: string; db: string; run: (args: string[]) => ReturnType<typeof bf> }> {
  const cwd = tempDir();
  const db = path.join(cwd, 'clients.db');
  const run = (args: string[]) => bf(['--db', db, ...args], { cwd });
  expect((await run(['client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12'])).exitCode).toBe(0);
  fs.writeFileSync(path.join(cwd, 'a.json'), JSON.stringify(TKA_ANSWERS));
  expect((await run(['intake', 'zoe', '--answers', path.join(cwd, 'a.json')])).exitCode).toBe(0);
  return { cwd, db, run };
}
