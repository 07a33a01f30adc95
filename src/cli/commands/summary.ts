/** `summary`: one row per client over a window: table, JSON, CSV or TSV. */
import { Option } from '@commander-js/extra-typings';
import { resolveClient } from '../../app/clients.js';
import { UsageError } from '../../app/errors.js';
import { summarise } from '../../app/summary.js';
import { READ } from '../cli.js';
import { command, examples, repeat } from '../command.js';
import { chosenFormat, formatOption } from '../format.js';
import { printSummary } from '../print-summary.js';
import { sinceFlag } from '../since.js';

export const summary = command({
  define: (c) =>
    c
      .option('--since <when>', 'a date (YYYY-MM-DD) or a span: 7d, 4w, 3m', '28d')
      .option('--client <client>', 'only this client (repeatable)', repeat)
      .option('--flagged', 'only clients with an open referral, a screening that refers, a hold, rising pain or low adherence')
      .addOption(new Option('--status <status>', 'which clients').choices(['active', 'archived', 'all'] as const).default('active' as const))
      .addOption(formatOption())
      .addHelpText('after', examples('bridgefit summary', 'bridgefit summary --since 7d --format csv > week.csv', 'bridgefit summary --format tsv | cut -f2,8', 'bridgefit summary --flagged --format json')),
  async run(cli, opts) {
    const format = chosenFormat(cli, opts.format);
    const today = cli.today();
    const from = sinceFlag(opts.since, today);
    if (from > today) throw new UsageError(`--since ${opts.since} is in the future`);
    const rows = await cli.withStore(async (store) => {
      const clientIds = opts.client ? await Promise.all(opts.client.map(async (s) => (await resolveClient(store, s)).id)) : undefined;
      return summarise(store, { from, to: today, status: opts.status, ...(clientIds ? { clientIds } : {}), flaggedOnly: Boolean(opts.flagged) });
    }, READ);
    await printSummary(cli, rows, { format, flagged: Boolean(opts.flagged), from, today });
  },
});
