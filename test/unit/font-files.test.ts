import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILES, fontsFolder } from '../../src/render/fonts.js';

interface Source {
  file: string;
  package: string;
  version: string;
  path: string;
  bytes: number;
  sha256: string;
}

describe('the fonts bridgefit ships', () => {
  const dir = fontsFolder();
  const sources = JSON.parse(fs.readFileSync(path.join(dir, 'sources.json'), 'utf8')) as Source[];

  it('are the files sources.json names, byte for byte, with their licences, and nothing else', () => {
    expect(sources.map((s) => s.file).sort()).toEqual(Object.values(FILES).sort());
    for (const s of sources) {
      const buf = fs.readFileSync(path.join(dir, s.file));
      expect({ file: s.file, bytes: buf.length, sha256: crypto.createHash('sha256').update(buf).digest('hex') }).toEqual({ file: s.file, bytes: s.bytes, sha256: s.sha256 });
      expect(fs.existsSync(path.join(dir, `LICENSE-${s.package.split('/')[1]}.txt`))).toBe(true);
    }
    const fontsOnDisk = fs.readdirSync(dir).filter((n) => /\.(ttf|otf|woff2?)$/i.test(n));
    expect(fontsOnDisk.sort()).toEqual(Object.values(FILES).sort());
  });

  it('are in the published package and no longer come from the font packages', () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { files: string[]; dependencies: Record<string, string>; scripts: { build: string } };
    // Kept in src/render/fonts and copied into dist/fonts by the build: the package ships dist.
    expect(pkg.files).toContain('dist');
    expect(pkg.scripts.build).toContain("cpSync('src/render/fonts','dist/fonts'");
    expect(fs.existsSync(new URL(`../../dist/fonts/${FILES.sans}`, import.meta.url))).toBe(true);
    expect(Object.keys(pkg.dependencies).filter((d) => d.startsWith('@expo-google-fonts/'))).toEqual([]);
  });
});
