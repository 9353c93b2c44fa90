/**
 * `wirecheck init`: sets up the pre-commit check in the user's git repository.
 *
 * - A `package.json` at the top of the repository → husky 9 + lint-staged: `.husky/pre-commit`
 *   runs `npx lint-staged`, `"prepare": "husky"` activates it on `npm install`, and a lint-staged
 *   entry runs `wirecheck scan --staged` on staged TS/JS files. Missing devDependencies are
 *   installed (`--no-install` prints the command instead).
 * - No `package.json` (a Python or data-science repository) → a pre-commit framework
 *   `repo: local` hook when `.pre-commit-config.yaml` exists or `pre-commit` is on PATH, otherwise
 *   a plain `.git/hooks/pre-commit` script.
 *
 * Existing hooks and configs are merged, never replaced: a command is appended to a hook script
 * that lacks it, an entry is added to an existing lint-staged or pre-commit config. When a safe
 * merge is impossible (a JavaScript lint-staged config, a hook that is not a shell script or
 * exits early) nothing is written there and the exact line to add is printed. Running it again
 * changes nothing. `--dry-run` prints every file it would write, with its content, and writes
 * nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML, { isMap, isSeq, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { findRepo, gitConfig, hookPath } from './git';

/** child_process is loaded on first use: most runs (a scan answered from the cache) never start a process. */
const spawnSync = ((...args: unknown[]) => (require('node:child_process').spawnSync as (...a: unknown[]) => unknown)(...args)) as typeof import('node:child_process').spawnSync;

export type HookKind = 'husky' | 'pre-commit' | 'git';

export interface InitOptions {
  cwd: string;
  dryRun: boolean;
  /** Run package installs and `pre-commit install` (false with --no-install: print the commands). */
  install: boolean;
  /** Force a setup instead of detecting one. */
  hook?: HookKind;
  /** Absolute path of the running CLI (used by hooks when `wirecheck` is not on PATH). */
  cliPath: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export class InitError extends Error {}

/** One step of the plan. */
interface Step {
  kind: 'create' | 'update' | 'unchanged' | 'run' | 'manual';
  /** File path relative to the repository top (create / update / unchanged / manual). */
  file?: string;
  /** Full new content (create / update). */
  content?: string;
  /** File mode for created files. */
  mode?: number;
  /** What changes, in a few words. */
  summary: string;
  /** A command to run (run). */
  command?: { cmd: string; args: string[]; display: string; optional?: boolean };
}

export const LINT_STAGED_GLOB = '*.{ts,tsx,js,jsx,mjs,cjs,mts,cts}';
export const LINT_STAGED_COMMAND = 'wirecheck scan --staged';
export const PRE_COMMIT_FILES = '\\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$';
const MARK_BEGIN = '# >>> wirecheck >>>';
const MARK_END = '# <<< wirecheck <<<';

export function init(opts: InitOptions): number {
  const repo = findRepo(opts.cwd);
  if (!repo) throw new InitError(`${opts.cwd} is not inside a git repository (run \`git init\` first)`);
  const top = repo.top;
  const hasPkg = fs.existsSync(path.join(top, 'package.json'));

  let kind: HookKind;
  let why: string;
  if (opts.hook) {
    kind = opts.hook;
    why = `--hook ${opts.hook}`;
  } else if (hasPkg) {
    kind = 'husky';
    why = 'package.json found: husky 9 + lint-staged';
  } else if (fs.existsSync(path.join(top, '.pre-commit-config.yaml'))) {
    kind = 'pre-commit';
    why = 'no package.json at the top of the repository; .pre-commit-config.yaml found: a pre-commit framework hook';
  } else if (isPreCommitFrameworkHook(safeHookPath(top))) {
    kind = 'pre-commit';
    why = 'no package.json at the top of the repository; the git hook is managed by the pre-commit framework';
  } else if (which('pre-commit')) {
    kind = 'pre-commit';
    why = 'no package.json at the top of the repository; `pre-commit` is installed: a pre-commit framework hook';
  } else {
    kind = 'git';
    why = 'no package.json at the top of the repository and no pre-commit framework: a plain git hook';
  }
  if (kind === 'husky' && !hasPkg) throw new InitError(`--hook husky needs a package.json at the top of the repository (${top})`);

  const steps = kind === 'husky' ? planHusky(top, opts) : kind === 'pre-commit' ? planPreCommit(top, opts) : planGitHook(top, opts);

  const out = opts.stdout;
  out(`wirecheck init: ${top}\n  setup: ${why}\n\n`);
  const width = Math.max(...steps.map((s) => (s.file ?? s.command?.display ?? '').length), 10);
  const changing = steps.filter((s) => s.kind === 'create' || s.kind === 'update' || s.kind === 'run');
  for (const s of steps) {
    const label = opts.dryRun && s.kind !== 'unchanged' && s.kind !== 'manual' ? `would ${s.kind}` : s.kind === 'manual' ? 'TODO' : s.kind;
    const target = s.kind === 'run' ? s.command!.display : s.file ?? '';
    out(`  ${label.padEnd(12)} ${target.padEnd(width)}  ${s.summary}\n`);
  }
  if (opts.dryRun) {
    for (const s of steps) {
      if ((s.kind === 'create' || s.kind === 'update') && s.content !== undefined) {
        out(`\n--- ${s.file} (${s.kind === 'create' ? 'new file' : 'after the change'}) ---\n${s.content}${s.content.endsWith('\n') ? '' : '\n'}`);
      }
    }
    out(`\nDry run: nothing was written${changing.length ? '' : ' (and nothing needs to change)'}.\n`);
    return 0;
  }

  let failed = false;
  for (const s of steps) {
    if ((s.kind === 'create' || s.kind === 'update') && s.file && s.content !== undefined) {
      const abs = path.join(top, s.file);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, s.content);
      if (s.mode !== undefined) fs.chmodSync(abs, s.mode);
    } else if (s.kind === 'run' && s.command) {
      out(`\n$ ${s.command.display}\n`);
      const r = spawnSync(s.command.cmd, s.command.args, { cwd: top, stdio: 'inherit', shell: process.platform === 'win32' });
      if (r.status !== 0) {
        opts.stderr(`wirecheck init: \`${s.command.display}\` failed${r.error ? `: ${r.error.message}` : ` (exit code ${r.status})`}\n`);
        if (!s.command.optional) failed = true;
      }
    }
  }

  const manual = steps.filter((s) => s.kind === 'manual');
  out('\n');
  if (failed) out('Some steps failed (see above); fix them and run `wirecheck init` again.\n');
  else if (!changing.length && !manual.length) out('Nothing to do: the pre-commit check is already set up.\n');
  else if (!changing.length) out('Nothing changed.\n');
  else out(`Done. ${describeEffect(kind)}\n`);
  if (manual.length) out(`${manual.length === 1 ? 'One step needs' : `${manual.length} steps need`} you: see TODO above.\n`);
  out('Bypass the check once with `git commit --no-verify`.\n');
  return failed ? 2 : 0;
}

function describeEffect(kind: HookKind): string {
  if (kind === 'husky') return 'On every commit, lint-staged runs `wirecheck scan --staged` on the staged TypeScript/JavaScript files (after `npm install` in a fresh clone).';
  if (kind === 'pre-commit') return 'On every commit, the pre-commit framework runs `wirecheck scan --staged` on the staged TypeScript/JavaScript files.';
  return 'On every commit, git runs `wirecheck scan --staged` on the staged TypeScript/JavaScript files. The hook is local to this clone (.git/hooks is not versioned).';
}

// ───────────────────────────── npm: husky + lint-staged ─────────────────────────────

function planHusky(top: string, opts: InitOptions): Step[] {
  const steps: Step[] = [];
  const pkgFile = path.join(top, 'package.json');
  const pkgText = fs.readFileSync(pkgFile, 'utf8');
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(pkgText);
  } catch (e) {
    throw new InitError(`package.json: not valid JSON (${(e as Error).message}); fix it and run \`wirecheck init\` again`);
  }
  if (!pkg || typeof pkg !== 'object' || Array.isArray(pkg)) throw new InitError('package.json: expected a JSON object');
  const pkgChanges: string[] = [];

  // 1. .husky/pre-commit runs lint-staged
  const hookRel = '.husky/pre-commit';
  const hookAbs = path.join(top, hookRel);
  if (!fs.existsSync(hookAbs)) {
    steps.push({ kind: 'create', file: hookRel, content: 'npx lint-staged\n', mode: 0o755, summary: 'runs `npx lint-staged` before each commit' });
  } else {
    const text = fs.readFileSync(hookAbs, 'utf8');
    if (/\blint-staged\b/.test(text) || /\bwirecheck\b/.test(text)) steps.push({ kind: 'unchanged', file: hookRel, summary: 'already runs lint-staged' });
    else if (exitsEarly(text))
      steps.push({ kind: 'manual', file: hookRel, summary: 'it exits or execs before its end: add the line `npx lint-staged` where it will run' });
    else steps.push({ kind: 'update', file: hookRel, content: appendLine(text, 'npx lint-staged'), summary: 'appends `npx lint-staged` (existing commands kept)' });
  }

  // 2. "prepare": "husky" so a fresh clone activates the hooks on npm install
  const scripts = (pkg.scripts && typeof pkg.scripts === 'object' ? pkg.scripts : undefined) as Record<string, string> | undefined;
  const prepare = scripts?.prepare;
  let newPrepare: string | undefined;
  if (typeof prepare !== 'string' || !prepare.trim()) newPrepare = 'husky';
  else if (!/\bhusky\b/.test(prepare)) newPrepare = `${prepare} && husky`;
  if (newPrepare !== undefined) {
    pkg.scripts = { ...(scripts ?? {}), prepare: newPrepare };
    pkgChanges.push(`scripts.prepare = "${newPrepare}"`);
  }

  // 3. the lint-staged entry
  const lsFiles = ['.lintstagedrc', '.lintstagedrc.json', '.lintstagedrc.yaml', '.lintstagedrc.yml', '.lintstagedrc.mjs', '.lintstagedrc.cjs', '.lintstagedrc.js', '.lintstagedrc.mts', '.lintstagedrc.cts', '.lintstagedrc.ts', 'lint-staged.config.js', 'lint-staged.config.mjs', 'lint-staged.config.cjs', 'lint-staged.config.ts', 'lint-staged.config.mts', 'lint-staged.config.cts'];
  const lsFile = lsFiles.find((f) => fs.existsSync(path.join(top, f)));
  const entrySnippet = `"${LINT_STAGED_GLOB}": "${LINT_STAGED_COMMAND}"`;
  if (pkg['lint-staged'] !== undefined) {
    const merged = mergeLintStaged(pkg['lint-staged']);
    if (merged === 'present') steps.push({ kind: 'unchanged', file: 'package.json', summary: 'its "lint-staged" config already runs wirecheck' });
    else if (merged === 'unsupported') steps.push({ kind: 'manual', file: 'package.json', summary: `its "lint-staged" value is not an object: add ${entrySnippet}` });
    else {
      pkg['lint-staged'] = merged;
      pkgChanges.push(`"lint-staged" += ${entrySnippet}`);
    }
  } else if (lsFile) {
    steps.push(planLintStagedFile(top, lsFile, entrySnippet));
  } else {
    pkg['lint-staged'] = { [LINT_STAGED_GLOB]: LINT_STAGED_COMMAND };
    pkgChanges.push(`"lint-staged": {${entrySnippet}}`);
  }

  if (pkgChanges.length) steps.push({ kind: 'update', file: 'package.json', content: stringifyLike(pkg, pkgText), summary: pkgChanges.join('; ') });
  else if (!steps.some((s) => s.file === 'package.json'))
    steps.push({ kind: 'unchanged', file: 'package.json', summary: 'already has "prepare": "husky"' + (pkg['lint-staged'] !== undefined ? ' and a lint-staged entry for wirecheck' : '') });
  else {
    const s = steps.find((x) => x.file === 'package.json' && x.kind === 'unchanged');
    if (s) s.summary = 'already has "prepare": "husky" and ' + s.summary.replace(/^its /, 'a ');
  }

  // 4. devDependencies
  const deps = { ...(pkg.dependencies as object | undefined), ...(pkg.devDependencies as object | undefined) } as Record<string, string>;
  const missing: string[] = [];
  if (!deps.husky) missing.push('husky@9');
  if (!deps['lint-staged']) missing.push('lint-staged');
  if (!deps.wirecheck && !isSelf(pkg)) missing.push('wirecheck');
  const pm = packageManager(top);
  const installArgs = [...pm.add, ...missing];
  const installDisplay = `${pm.cmd} ${installArgs.join(' ')}`;
  const huskyBin = path.join(top, 'node_modules', '.bin', process.platform === 'win32' ? 'husky.cmd' : 'husky');
  const huskyActive = gitConfig(top, 'core.hooksPath') === '.husky/_' && fs.existsSync(path.join(top, '.husky', '_', 'h'));
  if (missing.length) {
    if (opts.install) steps.push({ kind: 'run', command: { cmd: pm.cmd, args: installArgs, display: installDisplay }, summary: `installs ${missing.join(', ')}` });
    else steps.push({ kind: 'manual', summary: `--no-install: run \`${installDisplay}\`${huskyActive ? '' : ' and then `npx husky`'}` });
  }
  if (!huskyActive) {
    // activate the hooks (git config core.hooksPath .husky/_): after the install, or now when husky is installed
    if (fs.existsSync(huskyBin) || (opts.install && missing.includes('husky@9')))
      steps.push({ kind: 'run', command: { cmd: huskyBin, args: [], display: 'npx husky' }, summary: 'activates the hooks (git config core.hooksPath .husky/_)' });
    else if (!missing.includes('husky@9')) steps.push({ kind: 'manual', summary: 'husky is in package.json but not installed: run `npm install` to activate the hooks' });
  }
  return steps;
}

/** Adds the wirecheck command to a lint-staged config object; 'present' when one already runs wirecheck. */
function mergeLintStaged(config: unknown): Record<string, unknown> | 'present' | 'unsupported' {
  if (!config || typeof config !== 'object' || Array.isArray(config)) return 'unsupported';
  const obj = config as Record<string, unknown>;
  const mentions = (v: unknown): boolean => (typeof v === 'string' ? /\bwirecheck\b/.test(v) : Array.isArray(v) ? v.some(mentions) : false);
  if (Object.values(obj).some(mentions)) return 'present';
  const existing = obj[LINT_STAGED_GLOB];
  if (existing === undefined) return { ...obj, [LINT_STAGED_GLOB]: LINT_STAGED_COMMAND };
  if (typeof existing === 'string') return { ...obj, [LINT_STAGED_GLOB]: [existing, LINT_STAGED_COMMAND] };
  if (Array.isArray(existing)) return { ...obj, [LINT_STAGED_GLOB]: [...existing, LINT_STAGED_COMMAND] };
  return 'unsupported';
}

function planLintStagedFile(top: string, rel: string, entrySnippet: string): Step {
  const abs = path.join(top, rel);
  const text = fs.readFileSync(abs, 'utf8');
  if (/\bwirecheck\b/.test(text)) return { kind: 'unchanged', file: rel, summary: 'already runs wirecheck' };
  if (/\.(m|c)?(j|t)s$/.test(rel)) return { kind: 'manual', file: rel, summary: `a JavaScript config is not edited automatically: add ${entrySnippet} to it` };
  const isJson = rel.endsWith('.json') || (rel === '.lintstagedrc' && /^\s*\{/.test(text));
  if (isJson) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return { kind: 'manual', file: rel, summary: `not valid JSON, left alone: add ${entrySnippet}` };
    }
    const merged = mergeLintStaged(data);
    if (merged === 'present') return { kind: 'unchanged', file: rel, summary: 'already runs wirecheck' };
    if (merged === 'unsupported') return { kind: 'manual', file: rel, summary: `not an object of globs, left alone: add ${entrySnippet}` };
    return { kind: 'update', file: rel, content: stringifyLike(merged, text), summary: `adds ${entrySnippet}` };
  }
  // YAML: edit the document so comments and layout are kept
  let doc: YAML.Document.Parsed;
  try {
    doc = YAML.parseDocument(text);
    if (doc.errors.length) throw doc.errors[0];
  } catch {
    return { kind: 'manual', file: rel, summary: `cannot be parsed, left alone: add ${entrySnippet}` };
  }
  const root = doc.contents as unknown;
  if (!isMap(root)) return { kind: 'manual', file: rel, summary: `not a map of globs, left alone: add ${entrySnippet}` };
  const existing = root.get(LINT_STAGED_GLOB, true) as unknown;
  if (existing === undefined) root.set(doc.createNode(LINT_STAGED_GLOB), doc.createNode(LINT_STAGED_COMMAND));
  else if (isSeq(existing)) existing.add(doc.createNode(LINT_STAGED_COMMAND));
  else root.set(doc.createNode(LINT_STAGED_GLOB), doc.createNode([String((existing as Scalar).value), LINT_STAGED_COMMAND]));
  return { kind: 'update', file: rel, content: doc.toString(), summary: `adds ${entrySnippet}` };
}

function isSelf(pkg: Record<string, unknown>): boolean {
  return pkg.name === 'wirecheck';
}

function packageManager(top: string): { cmd: string; add: string[] } {
  if (fs.existsSync(path.join(top, 'pnpm-lock.yaml'))) return { cmd: 'pnpm', add: ['add', '--save-dev'] };
  if (fs.existsSync(path.join(top, 'yarn.lock'))) return { cmd: 'yarn', add: ['add', '--dev'] };
  if (fs.existsSync(path.join(top, 'bun.lockb')) || fs.existsSync(path.join(top, 'bun.lock'))) return { cmd: 'bun', add: ['add', '--dev'] };
  return { cmd: 'npm', add: ['install', '--save-dev'] };
}

/** JSON with the original file's indentation and final newline. */
function stringifyLike(data: unknown, original: string): string {
  const m = /^([ \t]+)\S/m.exec(original);
  const indent = m ? m[1] : 2;
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  let s = JSON.stringify(data, null, indent);
  if (eol !== '\n') s = s.replace(/\n/g, eol);
  return original.endsWith('\n') || !original ? s + eol : s;
}

// ───────────────────────────── pre-commit framework ─────────────────────────────

function planPreCommit(top: string, opts: InitOptions): Step[] {
  const steps: Step[] = [];
  const rel = '.pre-commit-config.yaml';
  const abs = path.join(top, rel);
  const entry = hookCommand(top, opts.cliPath, 'pre-commit');
  const hook = {
    id: 'wirecheck',
    name: 'wirecheck: unsafe LLM wiring',
    entry: `${entry.command} scan --staged`,
    language: 'system',
    files: PRE_COMMIT_FILES,
    pass_filenames: true,
  };
  if (entry.note) steps.push({ kind: 'manual', summary: entry.note });

  if (!fs.existsSync(abs)) {
    const doc = new YAML.Document({ repos: [{ repo: 'local', hooks: [hook] }] });
    styleHook(doc);
    steps.push({ kind: 'create', file: rel, content: '# See https://pre-commit.com for more information\n' + doc.toString(), summary: 'a `repo: local` hook running `wirecheck scan --staged`' });
  } else {
    const text = fs.readFileSync(abs, 'utf8');
    let doc: YAML.Document.Parsed;
    try {
      doc = YAML.parseDocument(text);
      if (doc.errors.length) throw doc.errors[0];
    } catch (e) {
      throw new InitError(`${rel}: cannot be parsed (${(e as Error).message.split('\n')[0]}); nothing was changed`);
    }
    if (doc.contents === null || doc.contents === undefined) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
    const root = doc.contents as unknown;
    if (!isMap(root)) throw new InitError(`${rel}: expected a map with a \`repos:\` list; nothing was changed`);
    let repos = root.get('repos', true) as unknown;
    if (repos === undefined || repos === null || (repos instanceof Scalar && repos.value === null)) {
      root.set(doc.createNode('repos'), doc.createNode([]));
      repos = root.get('repos', true);
    }
    if (!isSeq(repos)) throw new InitError(`${rel}: \`repos\` is not a list; nothing was changed`);
    const already = repos.items.some((r) => isMap(r) && isSeq(r.get('hooks', true)) && (r.get('hooks', true) as unknown as YAMLSeq).items.some((h) => isMap(h) && h.get('id') === 'wirecheck'));
    if (already) steps.push({ kind: 'unchanged', file: rel, summary: 'already has a `wirecheck` hook' });
    else {
      const local = repos.items.find((r) => isMap(r) && r.get('repo') === 'local' && isSeq(r.get('hooks', true))) as YAMLMap | undefined;
      if (local) (local.get('hooks', true) as unknown as YAMLSeq).add(doc.createNode(hook));
      else repos.add(doc.createNode({ repo: 'local', hooks: [hook] }));
      styleHook(doc);
      steps.push({ kind: 'update', file: rel, content: doc.toString(), summary: `adds a \`wirecheck\` hook to ${local ? 'the existing `repo: local` entry' : 'a new `repo: local` entry'} (other hooks kept)` });
    }
  }

  // `pre-commit install` writes .git/hooks/pre-commit that runs the config
  const installed = isPreCommitFrameworkHook(safeHookPath(top));
  if (!installed) {
    const hooksPath = gitConfig(top, 'core.hooksPath');
    const exe = which('pre-commit');
    if (hooksPath) steps.push({ kind: 'manual', summary: `core.hooksPath is set (${hooksPath}); pre-commit will not install there: run \`git config --unset core.hooksPath && pre-commit install\` if that is what you want` });
    else if (!exe) steps.push({ kind: 'manual', summary: '`pre-commit` is not on PATH: `pip install pre-commit` (or `apt install pre-commit`), then `pre-commit install`' });
    else if (!opts.install) steps.push({ kind: 'manual', summary: '--no-install: run `pre-commit install`' });
    else steps.push({ kind: 'run', command: { cmd: exe, args: ['install'], display: 'pre-commit install' }, summary: 'writes .git/hooks/pre-commit for the framework' });
  }
  return steps;
}

/** Quotes the hook name (a `: ` in a plain scalar breaks pre-commit's YAML) and the files regex. */
function styleHook(doc: YAML.Document): void {
  YAML.visit(doc, {
    Pair(_, pair) {
      const key = pair.key instanceof Scalar ? pair.key.value : pair.key;
      if (key === 'name' && pair.value instanceof Scalar && typeof pair.value.value === 'string' && pair.value.value.startsWith('wirecheck')) pair.value.type = 'QUOTE_DOUBLE';
      if (key === 'files' && pair.value instanceof Scalar && pair.value.value === PRE_COMMIT_FILES) pair.value.type = 'QUOTE_SINGLE';
    },
  });
}

// ───────────────────────────── plain git hook ─────────────────────────────

function planGitHook(top: string, opts: InitOptions): Step[] {
  const steps: Step[] = [];
  const abs = hookPath(top, 'pre-commit');
  const rel = path.relative(top, abs).split(path.sep).join('/');
  const entry = hookCommand(top, opts.cliPath, 'sh');
  if (entry.note) steps.push({ kind: 'manual', summary: entry.note });
  const block = [
    MARK_BEGIN,
    '# Blocks commits whose staged TypeScript/JavaScript adds unsafe LLM wiring (written by `wirecheck init`).',
    '# Bypass once with `git commit --no-verify`.',
    `${entry.command} scan --staged || exit $?`,
    MARK_END,
  ].join('\n');
  const hooksPath = gitConfig(top, 'core.hooksPath');
  if (!fs.existsSync(abs)) {
    steps.push({ kind: 'create', file: rel, content: `#!/bin/sh\n${block}\n`, mode: 0o755, summary: `runs \`wirecheck scan --staged\` before each commit${hooksPath ? ` (core.hooksPath is ${hooksPath})` : ''}` });
    return steps;
  }
  const text = fs.readFileSync(abs, 'utf8');
  if (text.includes(MARK_BEGIN) || /\bwirecheck\b/.test(text)) {
    steps.push({ kind: 'unchanged', file: rel, summary: 'already runs wirecheck' });
    return steps;
  }
  const line = `${entry.command} scan --staged || exit $?`;
  if (!/^#!\s*\S*\b(sh|bash|dash|zsh|ksh)\b/.test(text) && !/^#!\s*\/usr\/bin\/env\s+(sh|bash|dash|zsh|ksh)\b/.test(text))
    steps.push({ kind: 'manual', file: rel, summary: `an existing hook that is not a shell script is left alone: make it run \`${line}\`` });
  else if (exitsEarly(text)) steps.push({ kind: 'manual', file: rel, summary: `the existing hook exits or execs before its end; it is left alone: add \`${line}\` where it will run` });
  else steps.push({ kind: 'update', file: rel, content: appendLine(text, block), summary: 'appends the wirecheck check (existing commands kept)' });
  return steps;
}

/**
 * How a hook calls wirecheck: a `wirecheck` installed on PATH; else the one installed in the
 * repository's node_modules (through `npx --no-install`); else this CLI by absolute path. A
 * node_modules/.bin folder on PATH does not count: npm and npx add it only while they run.
 */
function hookCommand(top: string, cliPath: string, style: 'sh' | 'pre-commit'): { command: string; note?: string } {
  if (which('wirecheck', (dir) => !/[\\/]node_modules[\\/]\.bin[\\/]?$/.test(dir))) return { command: 'wirecheck' };
  if (fs.existsSync(path.join(top, 'node_modules', '.bin', 'wirecheck'))) return { command: 'npx --no-install wirecheck' };
  const fromNpxCache = /[\\/]_npx[\\/]/.test(cliPath);
  const quote = style === 'sh' ? shQuote : dqQuote;
  const command = `${quote(process.execPath)} ${quote(cliPath)}`;
  return {
    command,
    note: fromNpxCache
      ? `wirecheck runs from the npx cache (${cliPath}), which can be cleared: install it (\`npm install -g wirecheck\`) and run \`wirecheck init\` again`
      : undefined,
  };
}

function shQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function dqQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `"${s.replace(/(["\\$`])/g, '\\$1')}"`;
}

// ───────────────────────────── helpers ─────────────────────────────

function safeHookPath(top: string): string | undefined {
  try {
    return hookPath(top, 'pre-commit');
  } catch {
    return undefined;
  }
}

function isPreCommitFrameworkHook(file: string | undefined): boolean {
  if (!file) return false;
  try {
    return /File generated by pre-commit|pre_commit/.test(fs.readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

/** A shell script with a top-level `exit` or `exec` line: text appended after it would never run. */
function exitsEarly(text: string): boolean {
  return /^(exit|exec)\b/m.test(text);
}

function appendLine(text: string, line: string): string {
  return (text.length && !text.endsWith('\n') ? text + '\n' : text) + line + '\n';
}

/** The executable for `cmd` on PATH, or undefined. */
export function which(cmd: string, acceptDir: (dir: string) => boolean = () => true): string | undefined {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || !acceptDir(dir)) continue;
    for (const ext of exts) {
      const f = path.join(dir, cmd + ext);
      try {
        fs.accessSync(f, fs.constants.X_OK);
        if (fs.statSync(f).isFile()) return f;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}
