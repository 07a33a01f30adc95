import fs from 'node:fs';
import path from 'node:path';
import { checkNewClient, type RawClientFields } from '../domain/client.js';
import { insertClient, setClientStatus } from '../store/clients.js';
import { StoreError } from '../store/errors.js';
import { getMeta, setMeta } from '../store/meta.js';
import { openSqlite } from '../store/sqlite.js';
import type { App } from './app.js';
import { list } from './client.js';
import { UserError } from './errors.js';

/** Sample clients: names in several scripts, the conditions bridgefit is for. */
const SAMPLE: (RawClientFields & { archived?: boolean })[] = [
  {
    firstName: 'Zoë',
    lastName: 'Moreau',
    dateOfBirth: '1961-04-12',
    sex: 'female',
    email: 'zoe.moreau@example.org',
    phone: '+33 1 23 45 67 89',
    goals: 'Walk to the market and back without knee pain after her total knee replacement',
    notes: 'Discharged from physiotherapy 3 weeks ago; right knee.',
  },
  {
    firstName: 'Łukasz',
    lastName: 'Nowak',
    dateOfBirth: '1978-11-02',
    sex: 'male',
    email: 'lukasz.nowak@example.org',
    phone: '+48 22 123 45 67',
    goals: 'Back to five-a-side football after ACL reconstruction',
  },
  {
    firstName: '娜',
    lastName: '李',
    dateOfBirth: '1955-06-30',
    sex: 'female',
    phone: '+86 10 5555 0101',
    goals: 'Keep blood glucose steady and climb stairs without stopping',
    notes: 'Type 2 diabetes; takes metformin.',
  },
  {
    firstName: 'عائشة',
    lastName: 'الحسن',
    dateOfBirth: '1969-01-20',
    sex: 'female',
    email: 'aisha@example.org',
    goals: 'Lift her grandchildren without back pain',
  },
  {
    firstName: 'Margaret',
    lastName: "O'Brien",
    dateOfBirth: '1942-08-08',
    sex: 'female',
    goals: 'Fewer falls; walk to church unaided',
    notes: 'Finished the falls-prevention block in spring.',
    archived: true,
  },
];

/**
 * A fresh sample database in its own folder, never the trainer's real one.
 * Run again, it replaces the earlier demo database, and only a demo one.
 */
export async function demo(app: App, opts: { dir: string }): Promise<void> {
  const dir = path.resolve(opts.dir);
  const file = path.join(dir, 'demo.db');
  if (fs.existsSync(file)) await removeEarlierDemo(file);

  const store = await openSqlite(file, { create: true });
  try {
    const ctx = app.writeContext();
    await store.write(async (tx) => {
      await setMeta(tx, 'demo', 'true');
      for (const sample of SAMPLE) {
        const client = await insertClient(tx, checkNewClient(sample, app.today()), { ...ctx, command: 'demo' });
        if (sample.archived) await setClientStatus(tx, client.id, 'archived', { ...ctx, command: 'demo' });
      }
    });
  } finally {
    await store.close();
  }

  app.io.info(`Demo database: ${file}`);
  const demoApp = app.withDatabase(file);
  await list(demoApp, { status: 'all' });
  if (!app.io.json) {
    const rel = path.relative(process.cwd(), file) || file;
    app.io.info('');
    app.io.info('Try it:');
    app.io.info(`  bridgefit --db ${rel} client show zoe`);
    app.io.info(`  bridgefit --db ${rel} client list --json`);
    app.io.info(`  bridgefit --db ${rel} client add --first-name Ana --last-name Silva --dob 1984-03-05`);
  }
}

async function removeEarlierDemo(file: string): Promise<void> {
  let isDemo = false;
  try {
    const earlier = await openSqlite(file, { create: false, readOnly: true });
    try {
      isDemo = (await getMeta(earlier.db, 'demo')) === 'true';
    } finally {
      await earlier.close();
    }
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
  }
  if (!isDemo) throw new UserError(`${file} exists and is not a bridgefit demo database; left untouched (choose another --dir)`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}
