// The layers of src/ and what each may import (see ARCHITECTURE.md, "Layers").
// `npm run lint:layers` (first step of `npm test`) fails on any of these, so a
// wrong import fails CI instead of waiting for a review.
//
//   cli        src/cli/ (main.ts, helpers) and src/cli/commands/ (one module per command or noun)
//   app        src/app/        use cases
//   domain     src/domain/     pure rules and types
//   store      src/store/      kysely repositories, migrations, SQLite
//   templates  src/templates/  loading YAML templates
//   render     src/render/     PDF drawing
//
// Type-only imports count (`tsPreCompilationDeps: true`): `import type { Kysely }`
// in a command couples it to the store as much as a value import does.
// test/cli/layers.test.ts runs these same rules on tiny trees it writes to a temp folder.

/** A package in node_modules, or the bare name when it is not installed (as in the test's fixtures). */
const pkg = (...names) => names.map((n) => `(^|/)node_modules/${n}/|^${n}($|/)`);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'cli-not-to-store',
      comment: 'cli reaches the database only through src/app (use cases own their transactions)',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'cli-not-to-templates',
      comment: 'cli gets templates through src/app, not by loading them itself',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/templates/' },
    },
    {
      name: 'cli-not-to-kysely',
      comment: 'kysely belongs to src/store; a command that sees a Kysely type is reaching past src/app',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: pkg('kysely') },
    },
    {
      name: 'cli-command-not-to-command',
      comment:
        'a command module never imports another command: share through src/app or a cli helper in src/cli/. ' +
        'A command (or noun) is one top-level entry of src/cli/commands/: a file, or a folder whose files may import each other',
      severity: 'error',
      from: { path: '^src/cli/commands/([^/]+)' },
      to: { path: '^src/cli/commands/', pathNot: '^src/cli/commands/$1($|/)' },
    },
    {
      name: 'app-not-to-cli-or-render',
      comment: 'use cases return results; printing is the cli, drawing PDFs is render',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/(cli|render)/' },
    },
    {
      name: 'demo-through-use-cases',
      comment:
        'the demo records what a trainer would, through the same use cases as the commands (so it can never skip a gate): ' +
        'of the store it may only open its file and mark it as the demo',
      severity: 'error',
      from: { path: '^src/app/demo\\.ts$' },
      to: { path: '^src/store/', pathNot: '^src/store/(sqlite|meta|errors|files|store)\\.ts$' },
    },
    {
      name: 'domain-only-domain-and-zod',
      comment: 'domain is pure: it imports only src/domain and zod (no node: builtins, kysely, pdfkit, chalk, inquirer, better-sqlite3, no I/O)',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', ...pkg('zod')] },
    },
    {
      name: 'store-not-to-upper-layers',
      comment: 'store imports domain types, kysely, better-sqlite3 and node:*; never app, cli, render or templates',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(app|cli|render|templates)/' },
    },
    {
      name: 'render-not-to-store-app-cli',
      comment: 'render draws a model it is given (domain types); it reads nothing from the store and knows no use case or command',
      severity: 'error',
      from: { path: '^src/render/' },
      to: { path: '^src/(store|app|cli)/' },
    },
    {
      name: 'templates-not-to-store-app-cli-render',
      comment: 'templates imports domain, yaml and node:* only among the layers (and the bounded file reader every named file goes through)',
      severity: 'error',
      from: { path: '^src/templates/' },
      to: { path: '^src/(store|app|cli|render)/', pathNot: '^src/store/read-file\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'no import cycle anywhere in src (type-only imports included)',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    // `import … from './x.js'` resolves to x.ts through the tsconfig (NodeNext).
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    moduleSystems: ['es6', 'cjs'],
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
