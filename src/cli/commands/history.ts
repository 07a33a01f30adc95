/** `history`: what changed in a client's records, when, and old → new. */
import { resolveClient } from '../../app/clients.js';
import { clientHistory, type HistoryItem } from '../../app/history.js';
import { describeValue, fieldLabel } from '../../domain/entry-edit.js';
import { READ } from '../cli.js';
import { command, examples } from '../command.js';
import { sinceFlag } from '../since.js';

const WHAT: Record<string, string> = { client: 'client', progress_entry: 'entry', program: 'program', referral: 'referral', intake: 'intake', clearance: 'clearance', screening: 'screening' };

/** One change as a person reads it: "pain during: 3 → 7". */
function changeText(item: HistoryItem): string {
  const entry = item.entity === 'progress_entry';
  const parts = item.changes.map((c) => `${entry ? fieldLabel(c.field) : c.field}: ${entry ? describeValue(c.field, c.from) : plain(c.from)} → ${entry ? describeValue(c.field, c.to) : plain(c.to)}`);
  for (const [k, v] of Object.entries(item.detail)) if (item.action !== 'client.create') parts.push(`${k}: ${plain(v)}`);
  return parts.join('; ');
}

const plain = (v: unknown) => (v === null || v === undefined || v === '' ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export const history = command({
  define: (c) =>
    c
      .argument('<client>', 'id or name fragment')
      .option('--since <when>', 'a date (YYYY-MM-DD) or a span: 7d, 4w, 3m')
      .addHelpText(
        'after',
        '\nEvery change to the client\'s records, oldest first: what, when (UTC), by which command, old → new, and who where known (the trainer\'s name, "config set trainer.name").' +
          examples('bridgefit history zoe', 'bridgefit history 12 --since 4w', 'bridgefit history 12 --json'),
      ),
  async run(cli, opts, [selector]) {
    const since = opts.since === undefined ? undefined : sinceFlag(opts.since, cli.today());
    const items = await cli.withStore(async (store) => clientHistory(store, await resolveClient(store, selector), since), READ);
    if (cli.io.json) {
      cli.io.printJson(items);
      return;
    }
    if (items.length === 0) {
      cli.io.info('Nothing recorded in that time.');
      return;
    }
    cli.io.table(
      ['WHEN (UTC)', 'COMMAND', 'WHAT', 'CHANGE', 'BY'],
      items.map((i) => [i.at.slice(0, 16).replace('T', ' '), i.command, `${i.action.split('.')[1] ?? i.action} ${WHAT[i.entity] ?? i.entity}${i.entityId !== null ? ` ${i.entityId}` : ''}`, changeText(i) || '-', who(i)]),
    );
  },
});

/** Who made the change: the name where one is known, else the clinic login that made it (clinic mode). */
function who(i: { by: string | null; login: string | null }): string {
  return i.by ?? i.login ?? '-';
}
