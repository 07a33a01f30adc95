/** `config list/get/set/unset`: the screening settings and the trainer's details for reports. */
import fs from 'node:fs';
import { checkSettingValue, getSetting, listSettings, requireKey, setSetting, unsetSetting } from '../../app/settings.js';
import { CREATE, READ } from '../cli.js';
import { command, examples } from '../command.js';

export const list = command({
  define: (c) => c.addHelpText('after', examples('bridgefit config list', 'bridgefit config list --json')),
  async run(cli) {
    const rows = await cli.withStore(listSettings, READ);
    if (cli.io.json) {
      cli.io.printJson(rows);
      return;
    }
    cli.io.table(
      ['KEY', 'VALUE', 'MEANING'],
      rows.map((r) => [r.key, r.value === '' ? '(not set)' : `${r.value}${r.isDefault ? ' (default)' : ''}`, r.help]),
    );
  },
});

export const get = command({
  define: (c) => c.argument('<key>').addHelpText('after', examples('bridgefit config get screening.diabetesRule', 'bridgefit config get trainer.name --json')),
  async run(cli, _opts, [key]) {
    requireKey(key);
    const setting = await cli.withStore((store) => getSetting(store, key), READ);
    if (cli.io.json) cli.io.printJson(setting);
    else cli.io.out(setting.value);
  },
});

export const set = command({
  define: (c) =>
    c
      .argument('<key>')
      .argument('<value>')
      .addHelpText('after', examples('bridgefit config set screening.diabetesRule ada', 'bridgefit config set trainer.name "Sam Rivera"', 'bridgefit config set trainer.credentials "ACSM-CEP"')),
  async run(cli, _opts, [key, value]) {
    // Without a database yet, the other settings in force are the defaults: check before creating one.
    checkSettingValue(key, value, fs.existsSync(cli.location().file) ? undefined : {});
    const text = await cli.withStore((store) => setSetting(store, key, value), CREATE);
    if (cli.io.json) cli.io.printJson({ key, value: text, isDefault: false });
    else cli.io.info(`${key} = ${text}`);
  },
});

export const unset = command({
  define: (c) => c.argument('<key>').addHelpText('after', examples('bridgefit config unset screening.bpHold')),
  async run(cli, _opts, [key]) {
    requireKey(key);
    const value = await cli.withStore((store) => unsetSetting(store, key));
    if (cli.io.json) cli.io.printJson({ key, value, isDefault: true });
    else cli.io.info(value === '' ? `${key} removed` : `${key} = ${value} (default)`);
  },
});
