/** `screen <client>`: the verdict today and every reason behind it, kept with its rule version. */
import { resolveClient } from '../../app/clients.js';
import { screenClient } from '../../app/screen-client.js';
import { command, examples } from '../command.js';
import { printVerdict } from '../print-verdict.js';

export const screen = command({
  define: (c) => c.argument('<client>', 'id or name fragment').addHelpText('after', examples('bridgefit screen zoe', 'bridgefit screen 12 --json | jq .gate')),
  async run(cli, _opts, [selector]) {
    const { client, verdict, intake } = await cli.withStore(async (store) => {
      const client = await resolveClient(store, selector);
      return { client, ...(await screenClient(store, client, cli.ctx())) };
    });
    if (cli.io.json) cli.io.printJson({ clientId: client.id, intakeId: intake.id, ...verdict });
    else printVerdict(cli, client, verdict);
  },
});
