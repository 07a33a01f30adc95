/**
 * Loading the template data: the built-in files in templates/ and a trainer's
 * own (in the data directory, or --templates <dir>). Every file is checked
 * against its schema, then across files (ids unique, every exercise named
 * exists). A trainer's file with a built-in's id overrides it, visibly.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { oneLine } from '../domain/errors.js';
import { INPUT_LIMITS, InputFileError, readBoundedFile } from '../store/read-file.js';
import { formatPath, issueMessage } from '../domain/intake.js';
import {
  exerciseFileSchema,
  overlaySchema,
  programTemplateSchema,
  type Exercise,
  type Overlay,
  type ProgramTemplate,
} from '../domain/template-schema.js';

export interface TemplateProblem {
  file: string;
  /** Path inside the file, e.g. "stages[1].exercises[0].dose.rpe". */
  path: string;
  message: string;
}

export interface Origin {
  file: string;
  builtIn: boolean;
  /** Shared with the whole clinic by an administrator (clinic mode); `file` is then `clinic:<name>`. */
  clinic?: boolean;
}

/** A template file an administrator shared with the clinic: its name and its text, from the database. */
export interface SharedTemplate {
  name: string;
  text: string;
}

export interface TemplateSet {
  exercises: Map<string, Exercise & { origin: Origin }>;
  programs: Map<string, ProgramTemplate & { origin: Origin }>;
  overlays: Map<string, Overlay & { origin: Origin }>;
  /** User items that replaced a built-in one with the same id. */
  overrides: { kind: 'exercise' | 'program' | 'overlay'; id: string; file: string }[];
  problems: TemplateProblem[];
}

/** The templates/ folder that ships with bridgefit, found from this module's place in src/ or dist/. */
export function builtInDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'templates', 'programs'))) return path.join(dir, 'templates');
    dir = path.dirname(dir);
  }
  throw new Error('the built-in templates folder is missing from this bridgefit installation');
}

/** localeCompare's order (ICU root: _ - . then digits, then letters) over lower-case names of these characters. */
const NAME_RANK = new Map([...'_-.0123456789abcdefghijklmnopqrstuvwxyz'].map((c, i) => [c, i]));
const PLAIN_NAME = /^[a-z0-9_.-]*$/;

/**
 * File names in localeCompare's order, without its cost for the plain
 * lower-case names templates have: its first call loads ICU's collation
 * data (6–24 ms here), more than the rest of reading the precompiled
 * library. Other names are left to localeCompare, so the order is the same.
 */
export function fileNameOrder(a: string, b: string): number {
  if (!PLAIN_NAME.test(a) || !PLAIN_NAME.test(b)) return a.localeCompare(b);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = NAME_RANK.get(a[i]!)! - NAME_RANK.get(b[i]!)!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Every .yaml/.yml file under `dir`, sorted, so loading is deterministic; a folder that cannot be read is a problem. */
function yamlFiles(dir: string, problems: TemplateProblem[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch (err) {
      problems.push({ file: d, path: '(folder)', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    for (const entry of entries.sort((a, b) => fileNameOrder(a.name, b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/i.test(entry.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

type Parsed =
  | { kind: 'exercises'; exercises: Exercise[] }
  | { kind: 'program'; program: ProgramTemplate }
  | { kind: 'overlay'; overlay: Overlay }
  /** A program that failed its schema: only what it names is kept, to check against the library. */
  | { kind: 'invalid-program'; references: { path: string; id: string }[] };

/** The exercises a program file names, wherever they can be read. */
function exerciseReferences(record: Record<string, unknown>): { path: string; id: string }[] {
  const out: { path: string; id: string }[] = [];
  const stages = Array.isArray(record.stages) ? record.stages : [];
  stages.forEach((stage, si) => {
    const exercises = stage && typeof stage === 'object' && Array.isArray((stage as { exercises?: unknown }).exercises) ? (stage as { exercises: unknown[] }).exercises : [];
    exercises.forEach((x, xi) => {
      const id = x && typeof x === 'object' ? (x as { exercise?: unknown }).exercise : undefined;
      if (typeof id === 'string') out.push({ path: `stages[${si}].exercises[${xi}].exercise`, id });
    });
  });
  return out;
}

/** Read and check one file on its own; problems name the file and the path inside it. */
export function parseTemplateFile(file: string, problems: TemplateProblem[]): Parsed | undefined {
  const text = readTemplateFile(file, problems);
  return text === undefined ? undefined : parseTemplateText(text, file, problems);
}

/** Check a template's text that came from elsewhere (stdin); problems name it `name`. */
export function parseTemplateSource(text: string, name: string, problems: TemplateProblem[]): Parsed | undefined {
  return parseTemplateText(text, name, problems);
}

/** A template file's text (a regular file, within the size limit), or undefined with the problem noted. */
export function readTemplateFile(file: string, problems: TemplateProblem[]): string | undefined {
  try {
    // Only a regular file, at most INPUT_LIMITS.template bytes: a FIFO named x.yaml or a link to /dev/zero is a problem, not a hang.
    return readBoundedFile(file, INPUT_LIMITS.template);
  } catch (err) {
    if (!(err instanceof InputFileError)) throw err;
    problems.push({ file, path: '(file)', message: err.reason });
    return undefined;
  }
}

/** Check one file's text; problems name `file` and the path inside it. */
function parseTemplateText(text: string, file: string, problems: TemplateProblem[]): Parsed | undefined {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const at = e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(file)';
      problems.push({ file, path: at, message: `not valid YAML: ${e.message.split('\n')[0]}` });
    }
    return undefined;
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (err) {
    // An alias to no anchor, or aliases expanding without end (the yaml library's guard).
    problems.push({ file, path: '(file)', message: `not valid YAML: ${oneLine((err as Error).message.split('\n')[0]!)}` });
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    problems.push({ file, path: '(top level)', message: 'expected a mapping with "exercises:" or "kind: program" / "kind: overlay"' });
    return undefined;
  }
  const record = data as Record<string, unknown>;
  const report = (issues: Parameters<typeof issueMessage>[0][]) => {
    for (const i of issues) problems.push({ file, path: formatPath(i.path), message: issueMessage(i) });
  };
  if ('exercises' in record) {
    const r = exerciseFileSchema.safeParse(record, { reportInput: true });
    if (!r.success) return void report(r.error.issues);
    return { kind: 'exercises', exercises: r.data.exercises };
  }
  if (record.kind === 'program') {
    const r = programTemplateSchema.safeParse(record, { reportInput: true });
    if (!r.success) {
      report(r.error.issues);
      // So every mistake is reported in one go, the exercises it names are still checked.
      return { kind: 'invalid-program', references: exerciseReferences(record) };
    }
    return { kind: 'program', program: r.data };
  }
  if (record.kind === 'overlay') {
    const r = overlaySchema.safeParse(record, { reportInput: true });
    if (!r.success) return void report(r.error.issues);
    return { kind: 'overlay', overlay: r.data };
  }
  problems.push({ file, path: 'kind', message: 'expected "exercises:" (an exercise list), or kind: program or kind: overlay' });
  return undefined;
}

/**
 * The built-in templates parsed and checked when bridgefit is built (`npm run
 * build` writes dist/templates.json): reading them then takes milliseconds,
 * where the YAML parser takes half a second, which every command that reads
 * templates paid. Each file's entry keeps the SHA-256 of the text it was made
 * from, so a built-in file edited since is parsed afresh.
 */
export interface Precompiled {
  /** By path relative to the built-in folder, with "/" separators. */
  files: Record<string, { sha256: string; parsed: Parsed }>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const relativeName = (dir: string, file: string) => path.relative(dir, file).split(path.sep).join('/');

/** Parse and check every built-in file; only files without a problem are kept (the others are parsed at use, to report them). */
export function precompileTemplates(dir = builtInDir()): Precompiled {
  const files: Precompiled['files'] = {};
  for (const file of yamlFiles(dir, [])) {
    const problems: TemplateProblem[] = [];
    const text = readTemplateFile(file, problems);
    const parsed = text === undefined ? undefined : parseTemplateText(text, file, problems);
    if (text !== undefined && parsed && parsed.kind !== 'invalid-program' && problems.length === 0) files[relativeName(dir, file)] = { sha256: sha256(text), parsed };
  }
  return { files };
}

/** Where the build puts the precompiled templates: dist/, beside the built-in folder. */
export function precompiledFile(dir = builtInDir()): string {
  return path.join(path.dirname(dir), 'dist', 'templates.json');
}

/** The precompiled built-in templates, or undefined when there are none or the file cannot be read as such. */
export function readPrecompiled(file = precompiledFile()): Precompiled | undefined {
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Precompiled;
    return data && typeof data.files === 'object' && data.files !== null ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Load the built-in templates and, when given, a trainer's folder on top.
 * Cross-file problems (a missing exercise, a duplicate id) are reported
 * against the file that makes them. With `precompiled`, a built-in file whose
 * text is unchanged since the build is taken from it instead of parsed.
 */
export function loadTemplates(userDir?: string, options: { precompiled?: Precompiled; shared?: readonly SharedTemplate[] } = {}): TemplateSet {
  const set: TemplateSet = { exercises: new Map(), programs: new Map(), overlays: new Map(), overrides: [], problems: [] };
  // In order, each over the one before: built-in, the clinic's shared ones, the trainer's own.
  type Source = { builtIn: boolean; clinic: boolean; files: () => { file: string; text: () => string | undefined; dir?: string }[] };
  const fromDir = (dir: string) => () => yamlFiles(dir, set.problems).map((file) => ({ file, dir, text: () => readTemplateFile(file, set.problems) }));
  const sources: Source[] = [{ builtIn: true, clinic: false, files: fromDir(builtInDir()) }];
  if (options.shared?.length) sources.push({ builtIn: false, clinic: true, files: () => options.shared!.map((t) => ({ file: `clinic:${t.name}`, text: () => t.text })) });
  if (userDir && fs.existsSync(userDir)) sources.push({ builtIn: false, clinic: false, files: fromDir(userDir) });
  const read = (file: string, text: string | undefined, dir: string | undefined, builtIn: boolean): Parsed | undefined => {
    if (text === undefined) return undefined;
    const known = builtIn && dir ? options.precompiled?.files[relativeName(dir, file)] : undefined;
    return known && known.sha256 === sha256(text) ? known.parsed : parseTemplateText(text, file, set.problems);
  };

  const invalid: { file: string; references: { path: string; id: string }[] }[] = [];
  for (const { builtIn, clinic, files } of sources) {
    const seen = { exercise: new Map<string, string>(), program: new Map<string, string>(), overlay: new Map<string, string>() };
    for (const { file, text, dir } of files()) {
      const parsed = read(file, text(), dir, builtIn);
      if (!parsed) continue;
      const origin: Origin = clinic ? { file, builtIn, clinic } : { file, builtIn };
      const place = <T extends { id: string }>(kind: 'exercise' | 'program' | 'overlay', map: Map<string, T & { origin: Origin }>, item: T, where: string) => {
        const dup = seen[kind].get(item.id);
        if (dup) {
          set.problems.push({ file, path: where, message: `${kind} id "${item.id}" is also defined in ${dup}` });
          return;
        }
        seen[kind].set(item.id, file);
        const existing = map.get(item.id);
        if (existing && !builtIn) set.overrides.push({ kind, id: item.id, file });
        map.set(item.id, { ...item, origin });
      };
      if (parsed.kind === 'exercises') parsed.exercises.forEach((e, i) => place('exercise', set.exercises, e, `exercises[${i}]`));
      else if (parsed.kind === 'program') place('program', set.programs, parsed.program, 'id');
      else if (parsed.kind === 'overlay') place('overlay', set.overlays, parsed.overlay, 'id');
      else invalid.push({ file, references: parsed.references });
    }
  }
  crossCheck(set);
  for (const { file, references } of invalid) {
    for (const r of references) if (!set.exercises.has(r.id)) set.problems.push({ file, path: r.path, message: `no exercise "${r.id}" in the library` });
  }
  return set;
}

function crossCheck(set: TemplateSet): void {
  const known = (id: string | null) => id === null || set.exercises.has(id);
  for (const e of set.exercises.values()) {
    if (!known(e.easier)) set.problems.push({ file: e.origin.file, path: `${e.id}.easier`, message: `no exercise "${e.easier}" in the library` });
    if (!known(e.harder)) set.problems.push({ file: e.origin.file, path: `${e.id}.harder`, message: `no exercise "${e.harder}" in the library` });
    if (e.easier === e.id || e.harder === e.id) set.problems.push({ file: e.origin.file, path: e.id, message: 'an exercise cannot be its own variant' });
  }
  for (const p of set.programs.values()) {
    p.stages.forEach((s, si) =>
      s.exercises.forEach((x, xi) => {
        if (!set.exercises.has(x.exercise)) {
          set.problems.push({ file: p.origin.file, path: `stages[${si}].exercises[${xi}].exercise`, message: `no exercise "${x.exercise}" in the library` });
        }
      }),
    );
  }
  for (const o of set.overlays.values()) {
    o.avoid.exercises.forEach((x, i) => {
      if (!set.exercises.has(x)) set.problems.push({ file: o.origin.file, path: `avoid.exercises[${i}]`, message: `no exercise "${x}" in the library` });
    });
  }
}
