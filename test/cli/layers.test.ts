// The layer rules (.dependency-cruiser.cjs, run by `npm run lint:layers`) catch
// the imports they are there to catch. Each case is a tiny tree written to a
// temporary folder, so neither `depcruise src` nor `tsc --noEmit` sees it, and
// cruised with the repo's own config and tsconfig, as the lint does.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

/** Write `files` (path → source) under a fresh folder with a tsconfig that extends the repo's; cruise its src/. */
async function cruiseTree(files: Record<string, string>): Promise<ICruiseResult> {
  const dir = tempDir();
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const tsconfig = path.join(dir, 'tsconfig.json');
  fs.writeFileSync(tsconfig, JSON.stringify({ extends: path.join(ROOT, 'tsconfig.json'), include: ['src'] }));
  const options = await extractDepcruiseOptions(CONFIG);
  const result = await cruise(['src'], { ...options, baseDir: dir, validate: true }, {}, { tsConfig: extractTSConfig(tsconfig) });
  if (typeof result.output === 'string') throw new Error('expected a cruise result, got formatted output');
  return result.output;
}

const found = (r: ICruiseResult) => r.summary.violations.map((v: IViolation) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();

/** Every relative import resolved to a file of the tree: a rule cannot miss an import it never saw. */
function expectAllResolved(r: ICruiseResult, modules: number) {
  expect(r.modules.filter((m) => m.source.startsWith('src/'))).toHaveLength(modules);
  const unresolved = r.modules.flatMap((m) => m.dependencies.filter((d) => d.couldNotResolve && d.module.startsWith('.')).map((d) => `${m.source} → ${d.module}`));
  expect(unresolved).toEqual([]);
}

describe('the layer rules', () => {
  it('name the rule each wrong import breaks, and only that one', async () => {
    const r = await cruiseTree({
      'src/cli/commands/a.ts': "import { x } from '../../store/x.js';\nimport { b } from './b.js';\nexport const a = () => x + b;\n",
      'src/cli/commands/b.ts': 'export const b = 1;\n',
      // Type-only imports count too: this one is erased at compile time and still couples cli to the store.
      'src/cli/commands/c.ts': "import type { X } from '../../store/x.js';\nexport const c = (v: X) => v;\n",
      'src/cli/io.ts': 'export const io = { out: (s: string) => s };\n',
      'src/store/x.ts': 'export type X = number;\nexport const x = 1;\n',
      'src/domain/d.ts': "import fs from 'node:fs';\nexport const d = () => fs.existsSync('x');\n",
      'src/app/u.ts': "import { io } from '../cli/io.js';\nexport const u = () => io.out('done');\n",
    });
    expectAllResolved(r, 7);
    expect(found(r)).toEqual(
      [
        'cli-not-to-store: src/cli/commands/a.ts → src/store/x.ts',
        'cli-command-not-to-command: src/cli/commands/a.ts → src/cli/commands/b.ts',
        'cli-not-to-store: src/cli/commands/c.ts → src/store/x.ts',
        // dependency-cruiser names a builtin without its node: prefix.
        'domain-only-domain-and-zod: src/domain/d.ts → fs',
        'app-not-to-cli-or-render: src/app/u.ts → src/cli/io.ts',
      ].sort(),
    );
    expect(r.summary.error).toBe(5);
  });

  it('find nothing in a tree that keeps to the layers', async () => {
    const r = await cruiseTree({
      // main registers commands and loads each lazily; a command uses app, cli helpers, domain and render.
      'src/cli/main.ts': "export const commands = { a: () => import('./commands/a.js') };\n",
      'src/cli/commands/a.ts':
        "import { u } from '../../app/u.js';\nimport { io } from '../io.js';\nimport type { D } from '../../domain/d.js';\nimport { r } from '../../render/r.js';\nexport const a = (v: D) => io.out(String(u(v) + r(v)));\n",
      'src/cli/io.ts': 'export const io = { out: (s: string) => s };\n',
      // A noun's folder: its files may import each other.
      'src/cli/commands/client/index.ts': "import { show } from './show.js';\nexport const client = show;\n",
      'src/cli/commands/client/show.ts': "import { u } from '../../../app/u.js';\nexport const show = () => u(1);\n",
      'src/app/u.ts': "import { x } from '../store/x.js';\nimport { t } from '../templates/t.js';\nimport { d, type D } from '../domain/d.js';\nexport const u = (v: D) => x(v) + t() + d;\n",
      'src/store/x.ts': "import fs from 'node:fs';\nimport type { D } from '../domain/d.js';\nexport const x = (v: D) => (fs.existsSync('db') ? v : 0);\n",
      'src/templates/t.ts': "import path from 'node:path';\nimport { d } from '../domain/d.js';\nexport const t = () => path.sep.length + d;\n",
      'src/render/r.ts': "import os from 'node:os';\nimport type { D } from '../domain/d.js';\nexport const r = (v: D) => os.EOL.length + v;\n",
      'src/domain/d.ts': "import { z } from 'zod';\nimport { e } from './e.js';\nexport type D = number;\nexport const d = z.number().parse(e);\n",
      'src/domain/e.ts': 'export const e = 1;\n',
    });
    expectAllResolved(r, 11);
    expect(found(r)).toEqual([]);
  });

  it('catch an import cycle, a type-only one included', async () => {
    const r = await cruiseTree({
      'src/domain/p.ts': "import type { Q } from './q.js';\nexport type P = { q?: Q };\n",
      'src/domain/q.ts': "import type { P } from './p.js';\nexport type Q = { p?: P };\n",
    });
    expectAllResolved(r, 2);
    // One violation per cycle, reported at the first module of it.
    expect(found(r)).toEqual(['no-circular: src/domain/p.ts → src/domain/q.ts']);
  });
});
