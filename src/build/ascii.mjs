// Makes the launcher's bundles pure ASCII (npm run build runs it on dist/main.js and
// dist/help.js). Node reads a bundle as UTF-8 on every run, and one character outside
// Latin-1 makes V8 hold the whole source as a two-byte string: about 4 ms of every
// command (bench/README.md, "Per-client commands (issue 14)"). esbuild escapes strings,
// template literals and identifiers to ASCII itself, and --minify-whitespace drops the
// comments, but regular expression literals are left as written (`/[łøđßæœıþ]/g`,
// `/[-–]/`). In a regular expression `\uXXXX` (one per UTF-16 unit, so a surrogate
// pair for a character past U+FFFF) matches the same text with or without the u flag.
// The file is parsed (TypeScript's parser) to find its regular expression literals;
// a character outside ASCII anywhere else stops the build.
import fs from 'node:fs';
import ts from 'typescript';

for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const regexps = [];
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) regexps.push([node.getStart(source), node.end]);
    ts.forEachChild(node, visit);
  };
  visit(source);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/[^\x00-\x7f]+/g)) {
    if (!regexps.some(([from, to]) => from < m.index && m.index + m[0].length < to)) {
      throw new Error(`${file}: a character outside ASCII that is not in a regular expression literal: …${text.slice(Math.max(0, m.index - 40), m.index + 20)}…`);
    }
    const escaped = Array.from({ length: m[0].length }, (_, i) => `\\u${m[0].charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
    // `\é` (an identity escape) is `é`: its backslash goes, or `\\u00e9` would be a backslash and the letters u00e9.
    let before = m.index;
    while (before > last && text[before - 1] === '\\') before -= 1;
    const escapedBy = (m.index - before) % 2 === 1;
    out += text.slice(last, escapedBy ? m.index - 1 : m.index) + escaped;
    last = m.index + m[0].length;
  }
  fs.writeFileSync(file, out + text.slice(last));
}
