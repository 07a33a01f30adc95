/** `referral list [client]` and `referral resolve <id> --note`: follow up what red flags raised. */
import { resolveClient } from '../../app/clients.js';
import { UsageError } from '../../app/errors.js';
import { listReferrals, resolveReferral } from '../../app/referrals.js';
import { READ } from '../cli.js';
import { command, examples } from '../command.js';
import { chosenFormat, formatOption, printDelimited } from '../format.js';
import { controlCharactersMessage, hasControlCharacters } from '../../domain/text.js';

/** The CSV and TSV columns of `referral list`, in order: the JSON fields (documented in the README). */
export const REFERRAL_COLUMNS = ['id', 'clientId', 'client', 'entryId', 'raisedOn', 'code', 'reason', 'toWhom', 'status', 'resolvedOn', 'resolutionNote', 'resolvedBy'] as const;

export const list = command({
  define: (c) =>
    c
      .argument('[client]', 'id or name fragment (default: every client)')
      .option('--all', 'resolved ones too')
      .addOption(formatOption())
      .addHelpText('after', examples('bridgefit referral list', 'bridgefit referral list zoe --all --json', 'bridgefit referral list --all --format csv > referrals.csv', 'bridgefit referral list --format tsv')),
  async run(cli, opts, [selector]) {
    const format = chosenFormat(cli, opts.format);
    const rows = await cli.withStore(async (store) => {
      const clientId = selector ? (await resolveClient(store, selector)).id : undefined;
      return listReferrals(store, { ...(clientId !== undefined ? { clientId } : {}), openOnly: !opts.all });
    }, READ);
    if (format === 'json') {
      cli.io.printJson(rows);
      return;
    }
    if (format === 'csv' || format === 'tsv') {
      await printDelimited(cli, format, REFERRAL_COLUMNS, rows.map((r) => REFERRAL_COLUMNS.map((c) => r[c])));
      return;
    }
    if (rows.length === 0) {
      cli.io.info(opts.all ? 'No referrals.' : 'No open referrals.');
      return;
    }
    cli.io.table(
      ['ID', 'RAISED', 'CLIENT', 'STATUS', 'TO', 'REASON'],
      rows.map((r) => [String(r.id), r.raisedOn, r.client, r.status === 'open' ? 'open' : `resolved ${r.resolvedOn}${r.resolvedBy ? ` by ${r.resolvedBy}` : ''}: ${r.resolutionNote}`, r.toWhom, r.reason]),
    );
  },
});

export const resolve = command({
  define: (c) =>
    c
      .argument('<id>', 'the referral id')
      .option('--note <text>', 'what the clinician said or what was done (asked at a terminal; required without one)')
      .option('--by <name>', 'who resolved it, as reports show it (default: trainer.name from settings)')
      .addHelpText('after', examples('bridgefit referral resolve 3 --note "GP reviewed: BP medication changed, may continue"', 'bridgefit referral resolve 4 --note "Knee reviewed, may continue" --by "Dr Ana Costa"')),
  async run(cli, opts, [given]) {
    const id = Number(given);
    if (!Number.isInteger(id) || id < 1) throw new UsageError(`expected a referral id, got "${given}"`);
    let note = opts.note?.trim();
    if (note === undefined && cli.prompt.available) {
      // At a terminal the note is asked for, not refused; without one, a missing --note stays an error (exit 2).
      note = (
        await cli.prompt.text({
          message: `Referral ${id}: what did the clinician say, or what was done?`,
          validate: (t) => (t.trim() === '' ? 'a note, please: what the clinician said or what was done' : hasControlCharacters(t.trim(), 'note') ? controlCharactersMessage('the note', 'note') : undefined),
        })
      ).trim();
    }
    if (!note) throw new UsageError('--note is required: what the clinician said or what was done');
    if (hasControlCharacters(note, 'note')) throw new UsageError(`--note: ${controlCharactersMessage('the note', 'note')}`);
    const by = opts.by?.trim();
    if (opts.by !== undefined && !by) throw new UsageError('--by: give the name of who resolved it');
    if (by && hasControlCharacters(by, 'line')) throw new UsageError(`--by: ${controlCharactersMessage('the name', 'line')}`);
    await cli.withStore((store) => resolveReferral(store, id, note, cli.ctx(), by));
    if (cli.io.json) cli.io.printJson({ id, status: 'resolved', note, ...(by ? { by } : {}) });
    else cli.io.info(`Resolved referral ${id}.`);
  },
});
