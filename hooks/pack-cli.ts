/**
 * `wirecheck pack validate FILE | pack test DIR | pack init [DIR]`: security teams check a rule pack,
 * run it against annotated example files like a test suite, and start a new one.
 *
 * Annotations in example files (`.ts`, `.tsx`, `.js` …):
 *   // wirecheck-expect: <rule-id>   the next line must be reported by that rule
 *   // wirecheck-ok: <rule-id>       the next line must not be
 * Findings of the pack's own rules on lines without an `expect` annotation fail too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { CliError } from './errors';
import type { Io } from './cli';
import type { Finding } from '../analyzers';
import type { Config } from '../analyzers/engine/config';

type Packs = typeof import('../analyzers/engine/packs');
function packs(): Packs {
  return require('../analyzers/engine/packs') as Packs;
}

const PACK_USAGE = `Usage:
  wirecheck pack validate FILE [--format json]   check a pack (schema, references, patterns, extends)
  wirecheck pack test DIR [--pack FILE] [--format json]
                                                 run the annotated example files in DIR against the
                                                 pack found in or above DIR (or FILE)
  wirecheck pack init [DIR] [--force]            scaffold a pack with one rule and its test`;

/** Pack files looked for by `pack test` in the folder and its parents (then a project configuration). */
const PACK_FILES = ['wirecheck-pack.yaml', 'wirecheck-pack.yml', 'wirecheck-pack.json', 'wirecheck.config.yaml', 'wirecheck.config.yml', 'wirecheck.config.json'];

export function packCommand(args: string[], io: Io): number {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'validate':
      return validate(rest, io);
    case 'test':
      return test(rest, io);
    case 'init':
      return init(rest, io);
    case undefined:
    case '-h':
    case '--help':
      io.stdout(PACK_USAGE + '\n');
      return sub === undefined ? 2 : 0;
    default:
      throw new CliError(`unknown pack command '${sub}'\n${PACK_USAGE}`);
  }
}

function parse(args: string[], options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n${PACK_USAGE}`);
  }
}

function shown(cwd: string, p: string): string {
  const rel = path.relative(cwd, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

// ───────────────────────────── validate ─────────────────────────────

function validate(args: string[], io: Io): number {
  const { values, positionals } = parse(args, { format: { type: 'string' } });
  if (positionals.length !== 1) throw new CliError(`pack validate takes one file\n${PACK_USAGE}`);
  const format = (values.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new CliError(`--format must be text or json (got '${format}')`);
  const file = path.resolve(io.cwd, positionals[0]);
  if (!fs.existsSync(file)) throw new CliError(`${positionals[0]}: no such file`);
  const { issues, config } = packs().validatePackFile(file, io.cwd);
  if (format === 'json') {
    io.stdout(JSON.stringify({ file: shown(io.cwd, file), valid: issues.length === 0, issues, rules: (config?.taintRules ?? []).map((r) => r.id) }, null, 2) + '\n');
    return issues.length ? 2 : 0;
  }
  if (issues.length) {
    for (const i of issues) io.stderr(packs().formatIssue(i) + '\n');
    io.stderr(`wirecheck: ${shown(io.cwd, file)} has ${issues.length} problem${issues.length === 1 ? '' : 's'}\n`);
    return 2;
  }
  const c = config ?? {};
  const rows = (c.models ?? []).reduce((n, m) => n + ['sinks', 'sources', 'sanitizers', 'summaries', 'dangerous', 'tools', 'downloads', 'callbacks', 'guards'].reduce((k, key) => k + ((m as unknown as Record<string, unknown[] | undefined>)[key]?.length ?? 0), 0), 0);
  io.stdout(
    `${shown(io.cwd, file)}: valid — ${plural(c.models?.length ?? 0, 'model')} (${plural(rows, 'row')}), ${plural(c.taintRules?.length ?? 0, 'taint rule')}, ${plural(Object.keys(c.rules ?? {}).length, 'rule setting')}\n`,
  );
  return 0;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// ───────────────────────────── test ─────────────────────────────

interface Annotation {
  file: string;
  /** 1-based line of the annotation comment. */
  line: number;
  /** 1-based line it is about (the next line that is not an annotation). */
  target: number;
  kind: 'expect' | 'ok';
  rule: string;
}

interface CaseResult {
  file: string;
  /** The line the case is about (the annotated line, or the unexpected finding's line). */
  line: number;
  kind: 'expect' | 'ok' | 'unexpected';
  rule: string;
  passed: boolean;
  detail?: string;
}

const ANNOTATION = /^\s*\/\/\s*wirecheck-(expect|ok):\s*(.*?)\s*$/;

export function parseAnnotations(rel: string, text: string): Annotation[] {
  const lines = text.split(/\r?\n/);
  const out: Annotation[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = ANNOTATION.exec(lines[i]);
    if (!m) continue;
    let target = i + 1;
    while (target < lines.length && ANNOTATION.test(lines[target])) target++;
    for (const rule of m[2].split(/[\s,]+/).filter(Boolean)) out.push({ file: rel, line: i + 1, target: target + 1, kind: m[1] as 'expect' | 'ok', rule });
  }
  return out;
}

function findPack(dir: string): string | undefined {
  for (let d = dir; ; ) {
    for (const n of PACK_FILES) if (fs.existsSync(path.join(d, n))) return path.join(d, n);
    const pkg = path.join(d, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ('wirecheck' in (JSON.parse(fs.readFileSync(pkg, 'utf8')) as object)) return pkg;
      } catch {
        // not a configuration
      }
    }
    if (fs.existsSync(path.join(d, '.git'))) return undefined;
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

function test(args: string[], io: Io): number {
  const { values, positionals } = parse(args, { pack: { type: 'string' }, format: { type: 'string' } });
  if (positionals.length > 1) throw new CliError(`pack test takes one folder\n${PACK_USAGE}`);
  const format = (values.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new CliError(`--format must be text or json (got '${format}')`);
  const dir = path.resolve(io.cwd, positionals[0] ?? '.');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CliError(`${positionals[0] ?? '.'}: no such folder`);
  const packFile = values.pack !== undefined ? path.resolve(io.cwd, values.pack as string) : findPack(dir);
  if (!packFile) throw new CliError(`no pack found in ${shown(io.cwd, dir) || '.'} or above it (looked for ${PACK_FILES.slice(0, 3).join(', ')} and wirecheck.config.*); name one with --pack FILE`);
  if (!fs.existsSync(packFile)) throw new CliError(`${values.pack as string}: no such file`);
  const config: Config = packs().loadConfig(packFile, undefined, io.cwd);

  const { createSession, discoverFiles } = require('../analyzers') as typeof import('../analyzers');
  const { rulesForConfig } = require('../analyzers/rules') as typeof import('../analyzers/rules');
  const { files } = discoverFiles({ root: dir, config: { ...config, ignores: [] }, paths: [] });
  const annotations: Annotation[] = [];
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    if (text.includes('wirecheck-expect:') || text.includes('wirecheck-ok:')) annotations.push(...parseAnnotations(path.relative(dir, f).split(path.sep).join('/'), text));
  }
  if (!annotations.length) throw new CliError(`no annotated example files in ${shown(io.cwd, dir) || '.'}: mark lines with \`// wirecheck-expect: <rule-id>\` (must be reported) or \`// wirecheck-ok: <rule-id>\` (must stay clean)`);

  const session = createSession({ root: dir, config });
  const result = session.analyze(files);
  session.dispose();

  const rules = rulesForConfig(config);
  const packRuleIds = new Set((config.taintRules ?? []).map((r) => r.id));
  const byKey = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const k = `${f.location.file}:${f.location.start.line}:${f.ruleId}`;
    byKey.set(k, [...(byKey.get(k) ?? []), f]);
  }
  const cases: CaseResult[] = [];
  const expected = new Set<string>();
  for (const a of annotations) {
    const known = rules.some((r) => r.id === a.rule);
    const hits = byKey.get(`${a.file}:${a.target}:${a.rule}`) ?? [];
    if (!known) cases.push({ file: a.file, line: a.target, kind: a.kind, rule: a.rule, passed: false, detail: `unknown rule '${a.rule}' (not a built-in rule or a rule of the pack)` });
    else if (a.kind === 'expect') {
      expected.add(`${a.file}:${a.target}:${a.rule}`);
      cases.push({ file: a.file, line: a.target, kind: 'expect', rule: a.rule, passed: hits.length > 0, detail: hits.length ? undefined : `line ${a.target} was not reported${nearby(result.findings, a)}` });
    } else {
      expected.add(`${a.file}:${a.target}:${a.rule}`); // a finding there already fails this case
      cases.push({ file: a.file, line: a.target, kind: 'ok', rule: a.rule, passed: hits.length === 0, detail: hits.length ? `line ${a.target} was reported: ${hits[0].message}` : undefined });
    }
  }
  // the pack's own rules must not report lines nobody expects
  for (const f of result.findings) {
    const k = `${f.location.file}:${f.location.start.line}:${f.ruleId}`;
    if (!packRuleIds.has(f.ruleId) || expected.has(k)) continue;
    expected.add(k);
    cases.push({ file: f.location.file, line: f.location.start.line, kind: 'unexpected', rule: f.ruleId, passed: false, detail: `unexpected finding: ${f.message}` });
  }
  cases.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const passed = cases.filter((c) => c.passed).length;
  const failed = cases.length - passed;
  const problems = result.notices.filter((n) => n.kind === 'parse-error' || n.kind === 'unreadable' || n.kind === 'time-budget');

  if (format === 'json') {
    io.stdout(JSON.stringify({ pack: shown(io.cwd, packFile), folder: shown(io.cwd, dir), passed, failed, cases, notices: problems.map((n) => n.message) }, null, 2) + '\n');
    return failed ? 1 : 0;
  }
  const out: string[] = [`pack ${shown(io.cwd, packFile)} — examples in ${shown(io.cwd, dir) || '.'}`, ''];
  let current = '';
  for (const c of cases) {
    if (c.file !== current) {
      if (current) out.push('');
      out.push(c.file);
      current = c.file;
    }
    const what = c.kind === 'unexpected' ? `${c.rule} (line ${c.line}): reported without an expect annotation` : `${c.kind} ${c.rule} (line ${c.line})`;
    out.push(`  ${c.passed ? '✓' : '✗'} ${what}`);
    if (!c.passed && c.detail) out.push(`      ${c.detail}`);
  }
  for (const n of problems) out.push('', `note: ${n.message}`);
  out.push('', `${passed} passed, ${failed} failed`);
  io.stdout(out.join('\n') + '\n');
  return failed ? 1 : 0;
}

function nearby(findings: readonly Finding[], a: Annotation): string {
  const near = findings.filter((f) => f.ruleId === a.rule && f.location.file === a.file && Math.abs(f.location.start.line - a.target) <= 3);
  if (near.length) return ` (it reports line ${near[0].location.start.line}: move the annotation to the line before it)`;
  const other = findings.filter((f) => f.location.file === a.file && f.location.start.line === a.target);
  if (other.length) return ` (${other.map((f) => f.ruleId).join(', ')} reported it instead)`;
  return '';
}

// ───────────────────────────── init ─────────────────────────────

function init(args: string[], io: Io): number {
  const { values, positionals } = parse(args, { force: { type: 'boolean' } });
  if (positionals.length > 1) throw new CliError(`pack init takes at most one folder\n${PACK_USAGE}`);
  const dir = path.resolve(io.cwd, positionals[0] ?? '.');
  const packFile = path.join(dir, 'wirecheck-pack.yaml');
  const testFile = path.join(dir, 'tests', 'chat-route.ts');
  if (!values.force) for (const f of [packFile, testFile]) if (fs.existsSync(f)) throw new CliError(`${shown(io.cwd, f)} already exists (use --force to overwrite it)`);
  fs.mkdirSync(path.dirname(testFile), { recursive: true });
  fs.writeFileSync(packFile, scaffoldPack(schemaRef(dir)));
  fs.writeFileSync(testFile, SCAFFOLD_TEST);
  const rel = shown(io.cwd, dir) || '.';
  io.stdout(
    [
      `created ${shown(io.cwd, packFile)}  (a model for an in-house LLM client and one taint rule)`,
      `created ${shown(io.cwd, testFile)}  (its annotated test)`,
      '',
      'Next:',
      `  wirecheck pack validate ${path.join(rel, 'wirecheck-pack.yaml')}`,
      `  wirecheck pack test ${rel}`,
      '  then use it: `extends: ./path/to/wirecheck-pack.yaml` in wirecheck.config.yaml (or publish it as an npm package)',
    ].join('\n') + '\n',
  );
  return 0;
}

/** The pack schema for the editor's YAML language server: the installed package's copy, relative to the pack. */
function schemaRef(dir: string): string {
  for (let d = dir; ; ) {
    const f = path.join(d, 'node_modules', 'wirecheck', 'analyzers', 'schema', 'pack.schema.json');
    if (fs.existsSync(f)) return path.relative(dir, f).split(path.sep).join('/');
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const f of [path.resolve(__dirname, '../analyzers/schema/pack.schema.json'), path.resolve(__dirname, '../schema/pack.schema.json')])
    if (fs.existsSync(f)) return path.relative(dir, f).split(path.sep).join('/');
  return 'https://wirecheck.dev/schema/pack.schema.json';
}

function scaffoldPack(schema: string): string {
  return `# yaml-language-server: $schema=${schema}
# A Wirecheck rule pack: data only, nothing here is executed. Reference: docs/packs.md.
wirecheck: 1
name: my-org-llm-policy
version: 0.1.0
description: Teaches Wirecheck about our in-house LLM client.
extends: wirecheck:recommended

models:
  # our LLM client: llm.complete({ system, input }) sends \`system\` as the model's instructions
  - package: my-org-llm
    modules: ['@my-org/llm']
    types:
      Client: [llm, createClient()]
    sinks:
      - id: my-org-llm-system
        call: [Client.complete]
        fields: { system: instruction, input: prompt }
    sources:
      - call: [Client.complete]
        kind: llm-output
        what: model output

taintRules:
  - id: my-org/request-text-in-system
    category: prompt-injection
    severity: error
    message: '{{source}} reaches {{sink}}. Send user text as \`input\`, never in \`system\`.'
    cwe: [CWE-1427]
    owasp: [LLM01]
    fix: move-to-user-message
    sources: [untrusted]
    sinks: [my-org-llm-system]
`;
}

const SCAFFOLD_TEST = `import express from 'express';
import { llm } from '@my-org/llm';

const app = express();
app.use(express.json());

app.post('/chat', async (req, res) => {
  const completion = await llm.complete({
    // wirecheck-expect: my-org/request-text-in-system
    system: \`You are the assistant of \${req.body.company}. Answer briefly.\`,
    input: req.body.message,
  });
  res.json({ reply: completion.text });
});

app.post('/chat/v2', async (req, res) => {
  const completion = await llm.complete({
    // wirecheck-ok: my-org/request-text-in-system
    system: 'You are our support assistant. Answer briefly.',
    input: req.body.message,
  });
  res.json({ reply: completion.text });
});

export default app;
`;
