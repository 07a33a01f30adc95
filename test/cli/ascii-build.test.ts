/**
 * The build's ASCII pass (src/build/ascii.mjs; bench/README.md, issue 14):
 * regular expressions with characters outside ASCII are rewritten with
 * \uXXXX escapes and match exactly what they matched before; any other
 * character outside ASCII stops the build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';

const SCRIPT = path.resolve('src/build/ascii.mjs');
// Each regular expression is tried on the same inputs before and after the pass (the inputs written in ASCII escapes).
const SOURCE = String.raw`
const inputs = ['\u2013', 'u', 'x', '\u00e9', '\u00e9\u00e9', '\\\u00e9', '\ud83d\ude00', 'L\u0142', '\u0142'];
const res = [/[\u2013x]/, /[\–x]/, /é+/u, /\\é/, /[😀]/u, /😀/, /\é/, /[łøđ]/g, /^Ł?ł$/i, /[a-zł]+/];
console.log(JSON.stringify(res.map((r) => inputs.map((s) => { r.lastIndex = 0; return r.test(s); }))));
`;

async function run(file: string) {
  return (await execa(process.execPath, [file])).stdout;
}

describe('the ASCII pass of the build', () => {
  it('leaves a bundle pure ASCII with every regular expression matching as before', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'bundle.js');
    fs.writeFileSync(file, SOURCE);
    const before = await run(file);
    const r = await execa(process.execPath, [SCRIPT, file], { reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    const after = fs.readFileSync(file, 'utf8');
    expect(after).toMatch(/^[\x00-\x7f]*$/);
    expect(after).toContain(String.raw`/[\u2013x]/, /[\u2013x]/, /\u00e9+/u, /\\\u00e9/, /[\ud83d\ude00]/u`);
    expect(await run(file)).toBe(before);
  });

  it('stops on a character outside ASCII anywhere but a regular expression, naming the file, and leaves it as it was', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'bundle.js');
    fs.writeFileSync(file, "const s = 'café';\n");
    const r = await execa(process.execPath, [SCRIPT, file], { reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain(`${file}: a character outside ASCII that is not in a regular expression literal`);
    expect(fs.readFileSync(file, 'utf8')).toBe("const s = 'café';\n");
  });
});
