/**
 * Templates shared clinic-wide (issue 18): an administrator shares a file,
 * every member's commands load it beside the built-in ones, a trainer cannot
 * share, a bad file is refused with nothing shared.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bf, cleanEnv } from '../helpers/cli.js';
import { asLogin, freshClinic, SERVER, type Clinic } from '../helpers/postgres.js';
import { tempDir } from '../helpers/tmp.js';

const builtIn = fileURLToPath(new URL('../../templates/programs/general_reconditioning.yaml', import.meta.url));
let clinic: Clinic;
let trainer: string;

describe.skipIf(!SERVER)(`templates shared with the clinic${SERVER ? '' : ' (skipped: BRIDGEFIT_TEST_POSTGRES is not set)'}`, () => {
  beforeAll(async () => {
    clinic = await freshClinic();
    trainer = await clinic.member('trainer', null, 'tpl');
  }, 30_000);

  it('an administrator shares a program template; every member loads it, and it can be unshared', async () => {
    const cwd = tempDir();
    const file = path.join(cwd, 'clinic_reconditioning.yaml');
    fs.writeFileSync(file, fs.readFileSync(builtIn, 'utf8').replace(/^id: general_reconditioning$/m, 'id: clinic_reconditioning').replace(/^name: .*$/m, 'name: Northside reconditioning'));
    const as = (login: string, args: string[]) => bf(['--db', clinic.url(login), ...args], { cwd, env: cleanEnv(cwd) });

    const shared = await as(clinic.admin, ['template', 'share', file]);
    expect(shared.stderr).toBe('Shared clinic_reconditioning.yaml with the clinic\n');
    expect(shared.exitCode).toBe(0);

    const listed = await as(trainer, ['template', 'list', '--kind', 'program', '--json']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toContainEqual(expect.objectContaining({ id: 'clinic_reconditioning', name: 'Northside reconditioning', source: 'clinic' }));
    const list = await as(trainer, ['template', 'shared', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'clinic_reconditioning.yaml', sharedBy: clinic.admin })]);

    // A trainer may use it, not share or remove one.
    const refused = await as(trainer, ['template', 'share', file]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe(`bridgefit: template share is for the clinic's administrators; ${trainer} is a trainer\n`);
    await expect(asLogin(trainer, clinic.database, "delete from clinic_templates")).rejects.toThrow(/permission denied/);

    const gone = await as(clinic.admin, ['template', 'unshare', 'clinic_reconditioning.yaml']);
    expect(gone.exitCode, gone.stderr).toBe(0);
    const after = await as(trainer, ['template', 'list', '--kind', 'program', '--json']);
    expect(JSON.parse(after.stdout).map((r: { id: string }) => r.id)).not.toContain('clinic_reconditioning');
  });

  it('a file that does not check is refused, naming the problem, and nothing is shared', async () => {
    const cwd = tempDir();
    const file = path.join(cwd, 'broken.yaml');
    fs.writeFileSync(file, fs.readFileSync(builtIn, 'utf8').replace(/^id: general_reconditioning$/m, 'id: broken_one').replace(/exercise: (\S+)/, 'exercise: no_such_exercise'));
    const r = await bf(['--db', clinic.url(clinic.admin), 'template', 'share', file], { cwd, env: cleanEnv(cwd) });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('template share: 1 problem in the files; nothing was shared:');
    expect(r.stderr).toContain('no exercise "no_such_exercise" in the library');
    expect(await asLogin(clinic.admin, clinic.database, 'select name from clinic_templates')).toEqual([]);
  });
});
