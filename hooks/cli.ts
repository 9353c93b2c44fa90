#!/usr/bin/env node
/**
 * `wirecheck` command line: scan files for unsafe LLM wiring and list the rules.
 * Exit codes: 0 nothing blocking, 1 blocking findings, 2 usage, configuration or internal error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { discoverConfig, loadConfigFile, ConfigError, type Config, type FailOn } from '../analyzers/engine/config';
import type { AnalysisResult, Finding, Severity } from '../analyzers';
import { applyBaseline, BaselineError, BASELINE_NAME, entryFor, readBaseline, writeBaseline, type Baseline, type BaselineEntry } from './baseline';
import { formatBlockMessage } from './block-message';
import { findRepo, GitError, realpath, relativeTo } from './git';
import { init, InitError, type HookKind } from './init';
import { stagedSnapshot } from './staged';
import { CliError } from './errors';

/**
 * The engine (ts-morph, the SDK models, the rules) is loaded on first use, so that commands and
 * commits that analyse nothing (`--version`, `init`, a commit without staged TS/JS) stay fast.
 */
type Engine = typeof import('../analyzers');
let engineModule: Engine | undefined;
function engine(): Engine {
  engineModule ??= require('../analyzers') as Engine;
  return engineModule;
}

function reporters() {
  return {
    stylish: (require('../analyzers/report/stylish') as typeof import('../analyzers/report/stylish')).formatStylish,
    json: (require('../analyzers/report/json') as typeof import('../analyzers/report/json')).formatJson,
    sarif: (require('../analyzers/report/sarif') as typeof import('../analyzers/report/sarif')).formatSarif,
  };
}

/** The engine version, without loading the engine (kept equal to ENGINE_VERSION by a test). */
export const CLI_VERSION = '0.1.0';

class UsageError extends Error {}

const HELP = `wirecheck ${CLI_VERSION} — finds unsafe LLM wiring in TypeScript and JavaScript

Usage:
  wirecheck scan [paths…] [options]     scan files and folders (default: the current folder)
  wirecheck scan --staged [files…]      check what is staged for the next commit (the pre-commit hook)
  wirecheck baseline [paths…]           record the current findings in .wirecheck-baseline.json
  wirecheck init                        set up the pre-commit hook in this git repository
  wirecheck rules [--format json]       list the rules (built-in and those of the configuration's packs)
  wirecheck pack validate FILE          check a rule pack: schema, references, patterns, extends
  wirecheck pack test DIR [--pack FILE] run a pack against the annotated example files in DIR
  wirecheck pack init [DIR]             scaffold a rule pack with one rule and its test
  wirecheck sandbox [options] -- CMD    run an experiment isolated: no credentials, no network
                                        beyond an allow list, writes only in the workspace
  wirecheck sandbox --check             report what isolation is available (--help for options)
  wirecheck --version | --help

Scan options:
  --format stylish|json|sarif   output format (default: stylish)
  --output FILE                 write the report to FILE instead of stdout
  --config FILE                 configuration file (default: wirecheck.config.{yaml,yml,json}
                                or the "wirecheck" key of package.json, found upwards)
  --fail-on error|warning|note|never
                                lowest severity that exits 1 (default: error, or config failOn)
  --staged                      analyse the staged (index) version of the staged files, not the
                                working tree; other files are read from the index too. File
                                arguments (as lint-staged passes them) limit it to those files.
  --baseline FILE               block only findings not recorded in FILE (--staged uses
                                .wirecheck-baseline.json at the repository top when present)
  --fix                         apply the safe fixes (meaning-preserving edits) and report what remains
  --fix-suggestions             apply suggestions too (behaviour-changing: approval gates, allowlists)
  --no-cache                    analyse every file again (default: reuse the results of unchanged
                                files from .wirecheck/cache; config cache: false turns it off)
  --performance                 print where the time went (discovery, cache, parse, facts, flow,
                                rules, output) and the slowest files, on stderr
  --color / --no-color          force or disable colours (default: on a TTY only)

Baseline options (wirecheck baseline [paths…]):
  --baseline FILE               the baseline file (default: .wirecheck-baseline.json at the top
                                of the git repository, or in the current folder outside git)
  --prune                       only drop entries that no longer match a finding
  --config FILE                 as for scan

Init options (wirecheck init):
  --dry-run                     print what would be written and run; change nothing
  --no-install                  do not install packages or run installers; print the commands
  --hook husky|pre-commit|git   choose the setup instead of detecting it (default: husky +
                                lint-staged with a package.json, else the pre-commit framework
                                when configured or installed, else a plain .git/hooks/pre-commit)

Suppress a reviewed finding with a reason, on the line above it:
  // wirecheck-disable-next-line <rule-id> -- <reason>
Bypass the pre-commit hook once: git commit --no-verify

Exit codes: 0 nothing blocking, 1 blocking findings, 2 usage, configuration or internal error.
Docs: https://github.com/wirecheck/wirecheck#readme`;

const SEVERITY_RANK: Record<Severity, number> = { note: 1, warning: 2, error: 3 };

export function isBlocking(f: Finding, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn];
}

export interface Io {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  /** Environment (colour variables); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(HELP + '\n');
        return cmd === undefined ? 2 : 0;
      case '-v':
      case '--version':
        io.stdout(CLI_VERSION + '\n');
        return 0;
      case 'scan':
        return await scan(rest, io);
      case 'baseline':
        return baseline(rest, io);
      case 'init':
        return initCommand(rest, io);
      case 'rules':
        return rules(rest, io);
      case 'pack':
        return (require('./pack-cli') as typeof import('./pack-cli')).packCommand(rest, io);
      case 'sandbox':
        return await (require('./sandbox-cli') as typeof import('./sandbox-cli')).sandboxCommand(rest, io);
      default:
        throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`wirecheck: ${e.message}\nRun 'wirecheck --help' for usage.\n`);
      return 2;
    }
    if (e instanceof CliError || e instanceof ConfigError || e instanceof BaselineError || e instanceof GitError || e instanceof InitError || (e as Error)?.name === 'ConfigError' || (e as Error)?.constructor?.name === 'ConfigError') {
      io.stderr(`wirecheck: ${(e as Error).message}\n`);
      return 2;
    }
    io.stderr(`wirecheck: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

type ArgOptions = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

function parse(args: string[], options: ArgOptions) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function loadConfig(configArg: string | undefined, cwd: string): Config {
  if (configArg) {
    const file = path.resolve(cwd, configArg);
    if (!fs.existsSync(file)) throw new ConfigError(`${configArg}: configuration file not found`);
    return loadConfigFile(file);
  }
  return discoverConfig(cwd).config;
}

function checkFailOn(v: string | undefined): FailOn | undefined {
  if (v !== undefined && !['error', 'warning', 'note', 'never'].includes(v)) throw new UsageError(`--fail-on must be error, warning, note or never (got '${v}')`);
  return v as FailOn | undefined;
}

/** `dir` contains `p` (or is it). */
function within(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** An absolute path with symlinks in its existing part resolved (so it compares with git's top folder). */
function resolveArg(cwd: string, p: string): string {
  const abs = path.resolve(cwd, p);
  if (fs.existsSync(abs)) return realpath(abs);
  return path.join(realpath(path.dirname(abs)), path.basename(abs));
}

function colorFor(values: Record<string, unknown>, io: Io, allowForce: boolean): boolean {
  const env = io.env ?? process.env;
  if (values['no-color']) return false;
  if (values.color) return true;
  if (values.output) return false;
  if (env.NO_COLOR) return false;
  // lint-staged runs tasks without a terminal and sets FORCE_COLOR when its own output is one
  if (allowForce && env.FORCE_COLOR && !['0', 'false'].includes(env.FORCE_COLOR)) return true;
  return io.isTTY;
}

async function scan(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    fix: { type: 'boolean' },
    'fix-suggestions': { type: 'boolean' },
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
    config: { type: 'string', short: 'c' },
    'fail-on': { type: 'string' },
    staged: { type: 'boolean' },
    baseline: { type: 'string' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
    cache: { type: 'boolean' },
    'no-cache': { type: 'boolean' },
    performance: { type: 'boolean' },
  });
  const started = performance.now();
  const format = (values.format as string | undefined) ?? 'stylish';
  if (!['stylish', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be stylish, json or sarif (got '${format}')`);
  const failOnArg = checkFailOn(values['fail-on'] as string | undefined);
  const config = loadConfig(values.config as string | undefined, io.cwd);
  const failOn: FailOn = failOnArg ?? config.failOn ?? 'error';
  const fixing = !!(values.fix || values['fix-suggestions']);
  if (fixing && values.staged) throw new UsageError('--fix cannot be combined with --staged (fixes edit the working tree, not the index)');
  if (values.staged) return scanStaged(values, positionals, format, failOn, config, io);

  let root = io.cwd;
  let base: { file: string; data: Baseline } | undefined;
  if (values.baseline !== undefined) {
    const file = path.resolve(io.cwd, values.baseline as string);
    base = { file, data: readBaseline(file) };
    // fingerprints are relative to the baseline's folder: scan from there when we are inside it
    if (within(path.dirname(file), io.cwd)) root = path.dirname(file);
  }
  const targets = root === io.cwd ? positionals : positionals.length ? positionals.map((p) => path.resolve(io.cwd, p)) : [io.cwd];
  // discovery and the cache do not load the engine (TypeScript): an unchanged re-scan never does
  const { discoverFiles } = require('../analyzers/engine/discover') as typeof import('../analyzers/engine/discover');
  let t = performance.now();
  const { files, missing } = discoverFiles({ root, config, paths: targets });
  const discoveryMs = performance.now() - t;
  if (missing.length) throw new UsageError(`no such file or folder: ${missing.map((m) => (path.isAbsolute(m) ? path.relative(io.cwd, m) || m : m)).join(', ')}`);
  let scanStats: import('../analyzers/engine/parallel').ProjectScanStats | undefined;

  let result: AnalysisResult;
  if (fixing) {
    const { fixFiles } = require('./fix') as typeof import('./fix');
    const outcome = await fixFiles({ root, config, files, suggestions: !!values['fix-suggestions'], resolve: fixResolver(io), log: (l) => io.stderr(`wirecheck: ${l}\n`) });
    result = outcome.result;
    const total = [...outcome.applied.values()].reduce((a, b) => a + b, 0);
    io.stderr(`wirecheck: applied ${total} fix${total === 1 ? '' : 'es'} in ${outcome.applied.size} file${outcome.applied.size === 1 ? '' : 's'}\n`);
  } else {
    const { scanProject } = require('../analyzers/engine/parallel') as typeof import('../analyzers/engine/parallel');
    const useCache = !values['no-cache'] && (!!values.cache || config.cache !== false);
    const scanned = await scanProject({ root, config, files, targets, cache: useCache, engineVersion: CLI_VERSION });
    result = scanned.result;
    scanStats = scanned.stats;
  }
  let baselined = 0;
  if (base) {
    const { fresh, known } = applyBaseline(result.findings, base.data);
    baselined = known.length;
    result = { ...result, findings: fresh };
  }

  t = performance.now();
  const out = render(format, result, root, colorFor(values, io, false), config);
  const blocking = result.findings.filter((f) => isBlocking(f, failOn)).length;
  if (values.output) {
    const dest = path.resolve(io.cwd, values.output as string);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, out);
    io.stderr(`wirecheck: wrote ${format} report to ${path.relative(io.cwd, dest) || dest} (${result.findings.length} findings, ${blocking} blocking)\n`);
  } else io.stdout(out.endsWith('\n') ? out : out + '\n');
  if (base && baselined) io.stderr(`wirecheck: ${baselined} known finding${baselined === 1 ? '' : 's'} recorded in ${path.relative(io.cwd, base.file) || base.file} not reported\n`);
  if (values.performance) io.stderr(formatPerformance({ total: performance.now() - started, discovery: discoveryMs, output: performance.now() - t, files: files.length, stats: scanStats }));

  return blocking ? 1 : 0;
}

/** `--performance`: where the time of a scan went (stderr). */
function formatPerformance(p: { total: number; discovery: number; output: number; files: number; stats?: import('../analyzers/engine/parallel').ProjectScanStats }): string {
  const ms = (n: number) => `${Math.round(n)} ms`.padStart(9);
  const s = p.stats;
  const lines = [`wirecheck: performance (${p.files} files, ${ms(p.total).trim()} in all)`, `  discovery ${ms(p.discovery)}`];
  if (s) {
    lines.push(
      `  cache     ${ms(s.cache)}  (${s.cacheOutcome}${s.cacheOutcome === 'partial' || s.cacheOutcome === 'miss' ? `: ${s.groupsReused} group${s.groupsReused === 1 ? '' : 's'} reused, ${s.groupsAnalyzed} analysed` : ''})`,
      `  plan      ${ms(s.plan)}  (read files, prefilter, import graph)`,
      `  parse     ${ms(s.parse)}  (${s.filesParsed} file${s.filesParsed === 1 ? '' : 's'} parsed; the others cannot matter)`,
      `  facts     ${ms(s.facts)}`,
      `  flow      ${ms(s.flow)}  (${s.filesAnalyzed} file${s.filesAnalyzed === 1 ? '' : 's'} analysed)`,
      `  rules     ${ms(s.rules)}`,
    );
  }
  lines.push(`  output    ${ms(p.output)}`);
  if (s) {
    lines.push(`  analysis  ${ms(s.analysis)}  wall, ${s.threads} thread${s.threads === 1 ? '' : 's'} (parse, facts, flow and rules add up the threads' time)`);
    if (s.slowest.length) lines.push('  slowest files:', ...s.slowest.map(([f, n]) => `  ${ms(n)}  ${f}`));
  }
  return lines.join('\n') + '\n';
}

/**
 * Resolves fixes that need outside data (a Hugging Face revision's commit sha, through
 * `HF_ENDPOINT`); one request per model and ref. A fix that cannot be resolved is dropped (its
 * finding stays) and the reason and how to find the value are printed once.
 */
function fixResolver(io: Io): (fix: import('../analyzers').Fix) => Promise<import('../analyzers').Fix | undefined> {
  const { resolveFix } = require('../analyzers/fixes/resolve') as typeof import('../analyzers/fixes/resolve');
  const cache = new Map<string, Promise<string>>();
  const told = new Set<string>();
  return async (fix) => {
    const r = await resolveFix(fix, { env: io.env ?? process.env, cache });
    if (r.ok) return r.fix;
    const key = `${fix.resolve!.model}@${fix.resolve!.ref}`;
    if (!told.has(key)) {
      told.add(key);
      io.stderr(`wirecheck: cannot pin ${key}: ${r.error}. ${r.help}\n`);
    }
    return undefined;
  };
}

function render(format: string, result: AnalysisResult, root: string, color: boolean, config?: Config): string {
  const r = reporters();
  const version = CLI_VERSION;
  if (format === 'json') return r.json(result, { version, root });
  if (format === 'sarif') return r.sarif(result, { version, root, rules: packRules().rulesForConfig(config) });
  return r.stylish(result, { color, cwd: root });
}

/**
 * `scan --staged`: analyses the index version of the staged files (or of the given files, as
 * lint-staged passes them), with every other file also read from the index.
 */
function scanStaged(values: Record<string, unknown>, positionals: string[], format: string, failOn: FailOn, config: Config, io: Io): number {
  const repo = findRepo(io.cwd);
  if (!repo) throw new UsageError(`--staged needs a git repository, and ${io.cwd} is not inside one`);
  const cwd = realpath(io.cwd);

  let baselineFile: string | undefined;
  if (values.baseline !== undefined) baselineFile = path.resolve(io.cwd, values.baseline as string);
  else if (fs.existsSync(path.join(repo.top, BASELINE_NAME))) baselineFile = path.join(repo.top, BASELINE_NAME);
  const base = baselineFile ? readBaseline(baselineFile) : undefined;
  // finding paths (and so fingerprints) are relative to the baseline's folder, else to the top
  const root = baselineFile && within(repo.top, realpath(path.dirname(baselineFile))) ? realpath(path.dirname(baselineFile)) : repo.top;

  const snap = stagedSnapshot({ repo, config, paths: positionals.map((p) => resolveArg(cwd, p)) });
  const notes = [...snap.notes];
  if (repo.operation) notes.push(`a ${repo.operation} is in progress: checked the staged result`);
  const color = colorFor(values, io, true);
  const shownBaseline = baselineFile ? path.relative(cwd, baselineFile) || baselineFile : undefined;

  let result: AnalysisResult = { findings: [], notices: [], files: [] };
  if (snap.files.length) {
    const session = engine().createSession({ root, config, source: snap.source });
    result = session.analyze(snap.files);
    session.dispose();
  }
  let baselined = 0;
  if (base) {
    const { fresh, known } = applyBaseline(result.findings, base);
    baselined = known.length;
    result = { ...result, findings: fresh };
  }
  const blocking = result.findings.filter((f) => isBlocking(f, failOn));

  let out: string;
  if (format === 'stylish')
    out = formatBlockMessage(
      { blocking, other: result.findings.filter((f) => !isBlocking(f, failOn)), notices: result.notices, notes, files: snap.files.length, baselined, baselineFile: shownBaseline, failOn },
      { color, root, cwd },
    );
  else {
    out = render(format, result, root, false, config);
    for (const n of notes) io.stderr(`wirecheck: ${n}\n`);
  }
  if (values.output) {
    const dest = path.resolve(io.cwd, values.output as string);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, out);
    io.stderr(`wirecheck: wrote ${format} report to ${path.relative(io.cwd, dest) || dest} (${result.findings.length} findings, ${blocking.length} blocking)\n`);
  } else io.stdout(out.endsWith('\n') ? out : out + '\n');
  return blocking.length ? 1 : 0;
}

/** `wirecheck baseline [paths…] [--prune]`: records the current findings as accepted. */
function baseline(args: string[], io: Io): number {
  const { values, positionals } = parse(args, {
    baseline: { type: 'string' },
    prune: { type: 'boolean' },
    config: { type: 'string', short: 'c' },
  });
  const cwd = realpath(io.cwd);
  const repo = findRepo(io.cwd);
  const file = values.baseline !== undefined ? resolveArg(cwd, values.baseline as string) : path.join(repo?.top ?? cwd, BASELINE_NAME);
  const root = path.dirname(file);
  const shown = path.relative(cwd, file) || file;
  const config = loadConfig(values.config as string | undefined, io.cwd);

  const targets = positionals.map((p) => resolveArg(cwd, p));
  for (const t of targets) if (!within(root, t)) throw new UsageError(`${path.relative(cwd, t) || t} is outside ${root}, the folder of the baseline file`);
  const scopes = targets.map((t) => relativeTo(root, t)!);
  const inScope = (rel: string) => scopes.length === 0 || scopes.some((s) => s === '' || rel === s || rel.startsWith(s + '/'));

  // the old baseline: needed to prune or to update part of it; a full rewrite does not need it
  let old: Baseline | undefined;
  if (values.prune || scopes.length) {
    if (fs.existsSync(file) || values.prune) old = readBaseline(file);
  } else if (fs.existsSync(file)) {
    try {
      old = readBaseline(file);
    } catch {
      old = undefined; // replaced as a whole: a corrupt file is simply regenerated
    }
  }

  const { discoverFiles, createSession } = engine();
  const { files, missing } = discoverFiles({ root, config, paths: targets });
  if (missing.length && !values.prune) throw new UsageError(`no such file or folder: ${missing.map((m) => path.relative(cwd, m) || m).join(', ')}`);
  const session = createSession({ root, config });
  const result = session.analyze(files);
  session.dispose();
  for (const n of result.notices.filter((x) => x.kind === 'parse-error' || x.kind === 'unreadable' || x.kind === 'time-budget')) io.stderr(`wirecheck: note: ${n.message}\n`);

  const current = new Set(result.findings.map((f) => `${f.location.file}\0${f.fingerprint}`));
  const key = (e: BaselineEntry) => `${e.file}\0${e.fingerprint}`;
  let entries: BaselineEntry[];
  if (values.prune) {
    entries = old!.entries.filter((e) => !inScope(e.file) || current.has(key(e)));
    const dropped = old!.entries.length - entries.length;
    writeBaseline(file, entries);
    io.stdout(`wirecheck: pruned ${shown}: dropped ${dropped} entr${dropped === 1 ? 'y' : 'ies'} that no longer match a finding, ${entries.length} remain\n`);
    return 0;
  }
  const texts = new Map<string, string | undefined>();
  const textOf = (rel: string) => {
    if (!texts.has(rel)) {
      try {
        texts.set(rel, fs.readFileSync(path.join(root, rel), 'utf8'));
      } catch {
        texts.set(rel, undefined);
      }
    }
    return texts.get(rel);
  };
  const fresh = result.findings.map((f) => entryFor(f, textOf(f.location.file)));
  const kept = scopes.length && old ? old.entries.filter((e) => !inScope(e.file)) : [];
  entries = [...kept, ...fresh];
  const before = new Set((old?.entries ?? []).map(key));
  const after = new Set(entries.map(key));
  const added = [...after].filter((k) => !before.has(k)).length;
  const removed = [...before].filter((k) => !after.has(k)).length;
  writeBaseline(file, entries);
  io.stdout(
    `wirecheck: wrote ${shown}: ${after.size} finding${after.size === 1 ? '' : 's'} accepted (${added} added, ${removed} removed). ` +
      `Commit it; \`wirecheck scan --staged\` and \`wirecheck scan --baseline ${shown}\` then block only new findings.\n`,
  );
  return 0;
}

function initCommand(args: string[], io: Io): number {
  const { values, positionals } = parse(args, {
    'dry-run': { type: 'boolean' },
    'no-install': { type: 'boolean' },
    hook: { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`init takes no arguments (got '${positionals[0]}')`);
  const hook = values.hook as string | undefined;
  if (hook !== undefined && !['husky', 'pre-commit', 'git'].includes(hook)) throw new UsageError(`--hook must be husky, pre-commit or git (got '${hook}')`);
  const argv1 = process.argv[1];
  const cliPath = argv1 && fs.existsSync(argv1) ? realpath(argv1) : path.resolve(__dirname, 'cli.js');
  return init({ cwd: io.cwd, dryRun: !!values['dry-run'], install: !values['no-install'], hook: hook as HookKind | undefined, cliPath, stdout: io.stdout, stderr: io.stderr });
}

/** The rules registry with the configuration's pack rules (engine code, loaded on first use). */
function packRules(): typeof import('../analyzers/rules') {
  return require('../analyzers/rules') as typeof import('../analyzers/rules');
}

function rules(args: string[], io: Io): number {
  const { values } = parse(args, { format: { type: 'string' }, config: { type: 'string', short: 'c' } });
  const format = (values.format as string | undefined) ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json (got '${format}')`);
  const { rulesForConfig, docsUrl } = packRules();
  const config = loadConfig(values.config as string | undefined, io.cwd);
  const RULES = rulesForConfig(config);
  // the severity the configuration gives a rule (by id, then by category), else its default
  const severityOf = (r: (typeof RULES)[number]) => {
    const s = config.rules?.[r.id] ?? config.rules?.[r.category];
    const v = typeof s === 'object' ? s.severity : s;
    return v ?? r.severity;
  };
  if (format === 'json') {
    io.stdout(
      JSON.stringify(
        RULES.map((r) => ({
          id: r.id,
          category: r.category,
          severity: severityOf(r),
          cwe: r.cwe,
          owasp: r.owasp,
          precision: r.precision,
          description: r.description,
          docs: r.pack && !r.helpUri ? undefined : docsUrl(r),
          ...(r.pack ? { pack: r.pack } : {}),
          ...(r.fix ? { fix: r.fix } : {}),
        })),
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  const rows = RULES.map((r) => [r.id, r.category, severityOf(r), r.cwe.join(','), r.owasp.join(','), r.pack ? `${r.description} [pack: ${r.pack}]` : r.description]);
  const head = ['rule', 'category', 'severity', 'cwe', 'owasp', 'description'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  io.stdout([line(head), ...rows.map(line)].join('\n') + '\n');
  return 0;
}

/** Entry point of the bundled CLI: dist/cli.js loads this module and calls it (or run directly from sources). */
export function run(): void {
  // `wirecheck … | head` closes the pipe early: that is not an error
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  main(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: !!process.stdout.isTTY,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`wirecheck: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) run();
