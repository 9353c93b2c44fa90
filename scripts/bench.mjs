#!/usr/bin/env node
// Benchmarks (run with `npm run bench`; never part of `npm test`). Self-contained: it generates its
// own repositories under the system temp folder and removes them afterwards.
//
// scan: `wirecheck scan` (the built dist/cli.js, no cache) over a generated TypeScript monorepo
// (scripts/bench-monorepo.mjs) of 500, 2,000 and 5,000 files, against (a) the parse floor: a
// script that parses the same files once with TypeScript's `createSourceFile` on one thread, Node
// start included, and (b) `tsc --noEmit -p` over the same tree (the repository's typescript). The
// commands alternate, each round; wall time is the median, peak RSS the largest (read from
// `process.resourceUsage().maxRSS` of each command through a preloaded module). Then the cached
// re-scan (an unchanged tree, after one scan filled .wirecheck/cache). Budgets (DESIGN.md): scan at
// most 1.0 × the parse floor and 0.15 × tsc, re-scan at most 0.2 × the scan, peak RSS under 1 GB at
// 5,000 files, time growing linearly.
//
// cold start: `wirecheck scan one-file.ts` (Node start included): without the cache, and answered
// from it. Budget: 400 ms.
//
// commit: wall time of `git commit` with 5 staged files in a generated 2,000-file repository
// (mostly ordinary TypeScript, ~5% LLM wiring), without a hook and with a plain
// .git/hooks/pre-commit running `node <repo>/dist/cli.js scan --staged`; cold (the first run in
// the new repository, with the V8 code cache the build ships in dist/), warm (median of the next
// runs), and without any code cache (as on a Node version the shipped cache does not fit). Budget
// (DESIGN.md): the hook adds at most 0.7 s cold.
//
// Options: --sizes 500,2000,5000  --rounds N (scan rounds, default 2)  --only scan|cold|commit
//          --files N (commit repository size, default 2000)  --runs N (warm commit runs, default 5)
//          --keep (keep the generated repositories)  --json (print the results as JSON too)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMonorepo } from './bench-monorepo.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repo, 'dist', 'cli.js');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const FILES = opt('files', 2000);
const ROUNDS = opt('rounds', 2);
const sizesArg = args.indexOf('--sizes');
const SIZES = sizesArg >= 0 ? args[sizesArg + 1].split(',').map(Number) : [500, 2000, 5000];
const onlyArg = args.indexOf('--only');
const ONLY = onlyArg >= 0 ? args[onlyArg + 1] : undefined;
const RUNS = opt('runs', 5);
const KEEP = args.includes('--keep');
const BUDGET_COLD = 0.7;

if (!fs.existsSync(cli)) {
  console.error(`bench: ${cli} is missing; run \`npm run build\` first (npm run bench does)`);
  process.exit(2);
}

// ───────────────────────────── the generated repository ─────────────────────────────

function ordinaryFile(mod, i, perMod) {
  const prev = i > 0 ? `./file${i - 1}` : null;
  const lines = [];
  if (prev) lines.push(`import { format${i - 1}, type Record${i - 1} } from '${prev}';`);
  lines.push(`import { readFileSync } from 'node:fs';`, '');
  lines.push(`export interface Record${i} {`, '  id: string;', '  count: number;', '  tags: string[];', `  parent?: ${prev ? `Record${i - 1}` : 'undefined'};`, '}', '');
  lines.push(`export function format${i}(r: Record${i}): string {`, "  const tags = r.tags.map((t) => t.trim()).filter(Boolean).join(', ');", `  return \`\${r.id} (\${r.count}) [\${tags}]\`${prev ? ` + (r.parent ? ' < ' + format${i - 1}(r.parent) : '')` : ''};`, '}', '');
  lines.push(`export class Store${i} {`, `  private readonly items = new Map<string, Record${i}>();`, '');
  lines.push(`  add(r: Record${i}): void {`, '    if (this.items.has(r.id)) throw new Error(`duplicate ${r.id}`);', '    this.items.set(r.id, r);', '  }', '');
  lines.push(`  total(): number {`, '    let n = 0;', '    for (const r of this.items.values()) n += r.count;', '    return n;', '  }', '');
  lines.push(`  load(file: string): number {`, "    const data = JSON.parse(readFileSync(file, 'utf8')) as Record" + i + '[];', '    data.forEach((r) => this.add(r));', '    return data.length;', '  }', '}', '');
  lines.push(`export const MODULE_${mod}_${i} = { index: ${i}, of: ${perMod} } as const;`, '');
  return lines.join('\n');
}

function llmFile(mod, i) {
  // safe wiring (constant instructions, request text as the user message), with a helper import
  return `import OpenAI from 'openai';
import express from 'express';
import { format${i > 0 ? i - 1 : 0} } from './file${i > 0 ? i - 1 : 0}';

const openai = new OpenAI();
export const router${i} = express.Router();

const SYSTEM = 'You are a support assistant for module ${mod}. Answer briefly.';

router${i}.post('/ask', async (req, res) => {
  const question = String(req.body.question ?? '');
  const r = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: question },
    ],
  });
  res.json({ answer: r.choices[0].message.content, label: typeof format${i > 0 ? i - 1 : 0} });
});
`;
}

function git(dir, ...a) {
  const r = spawnSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...a], { cwd: dir, env: gitEnv(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${a.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function gitEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_') && !k.startsWith('HUSKY')) env[k] = v;
  return { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.invalid', ...extra };
}

function generate() {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wirecheck-bench-')));
  const perMod = 50;
  const mods = Math.ceil(FILES / perMod);
  let n = 0;
  const llm = [];
  const ordinary = [];
  for (let m = 0; m < mods && n < FILES; m++) {
    const d = path.join(dir, 'src', `mod${m}`);
    fs.mkdirSync(d, { recursive: true });
    for (let i = 0; i < perMod && n < FILES; i++, n++) {
      // 5% LLM wiring: every twentieth file
      const isLlm = n % 20 === 19;
      const rel = isLlm ? `src/mod${m}/route${i}.ts` : `src/mod${m}/file${i}.ts`;
      fs.writeFileSync(path.join(dir, rel), isLlm ? llmFile(m, i) : ordinaryFile(m, i, perMod));
      (isLlm ? llm : ordinary).push(rel);
    }
  }
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true }, include: ['src'] }, null, 2));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench-app', private: true }, null, 2));
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return { dir, llm, ordinary };
}

// ───────────────────────────── measurements ─────────────────────────────

let round = 0;
/** Edits 5 files (4 ordinary, 1 with LLM wiring), stages them and times `git commit`. */
function timedCommit(ctx, env) {
  round++;
  const picks = [...ctx.ordinary.slice(round * 7 % (ctx.ordinary.length - 4), (round * 7 % (ctx.ordinary.length - 4)) + 4), ctx.llm[round % ctx.llm.length]];
  for (const rel of picks) fs.appendFileSync(path.join(ctx.dir, rel), `\nexport const touched${round} = ${round};\n`);
  git(ctx.dir, 'add', ...picks);
  const t0 = process.hrtime.bigint();
  const r = spawnSync('git', ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', `round ${round}`], { cwd: ctx.dir, env: gitEnv(env), encoding: 'utf8' });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`git commit failed (round ${round}):\n${r.stdout}${r.stderr}`);
  return s;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const fmt = (s) => `${s.toFixed(3)} s`;
const plus = (s) => `${s >= 0 ? '+' : ''}${s.toFixed(3)} s`;

function benchCommit() {
  const t0 = Date.now();
  const ctx = generate();
  console.log(`commit: generated ${ctx.llm.length + ctx.ordinary.length} files (${ctx.llm.length} with LLM wiring) in ${((Date.now() - t0) / 1000).toFixed(1)} s at ${ctx.dir}`);
  // a fresh V8 code cache folder makes the first hook run cold (the OS file cache is warm: the files were just written)
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirecheck-bench-v8cache-'));
  const env = { V8_COMPILE_CACHE_CACHE_DIR: cacheDir };
  try {
    timedCommit(ctx, env); // warm git itself up
    const plain = [];
    for (let i = 0; i < RUNS; i++) plain.push(timedCommit(ctx, env));

    const hook = path.join(ctx.dir, '.git', 'hooks', 'pre-commit');
    fs.writeFileSync(hook, `#!/bin/sh\nexec '${process.execPath.replace(/'/g, `'\\''`)}' '${cli.replace(/'/g, `'\\''`)}' scan --staged\n`, { mode: 0o755 });
    const cold = timedCommit(ctx, env);
    const warm = [];
    for (let i = 0; i < RUNS; i++) warm.push(timedCommit(ctx, env));
    const uncached = timedCommit(ctx, { ...env, WIRECHECK_NO_CODE_CACHE: '1' });

    // the hook alone (what it adds), for reference
    const direct = [];
    for (let i = 0; i < RUNS; i++) {
      const picks = ctx.ordinary.slice(i * 4, i * 4 + 4).concat(ctx.llm[i]);
      for (const rel of picks) fs.appendFileSync(path.join(ctx.dir, rel), `\n// staged ${i}\n`);
      git(ctx.dir, 'add', ...picks);
      const t = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [cli, 'scan', '--staged'], { cwd: ctx.dir, env: gitEnv(env), encoding: 'utf8' });
      direct.push(Number(process.hrtime.bigint() - t) / 1e9);
      if (r.status !== 0) throw new Error(`scan --staged failed:\n${r.stdout}${r.stderr}`);
      git(ctx.dir, 'reset', '-q');
      git(ctx.dir, 'checkout', '-q', '--', '.');
    }

    const base = median(plain);
    const added = cold - base;
    console.log('');
    console.log(`git commit, 5 staged files, ${ctx.llm.length + ctx.ordinary.length}-file repository`);
    console.log(`  without hook            ${fmt(base)}  (median of ${RUNS})`);
    console.log(`  with hook, cold         ${fmt(cold)}  (${plus(added)})  budget: +${BUDGET_COLD.toFixed(3)} s ${added <= BUDGET_COLD ? 'OK' : 'OVER'}`);
    console.log(`  with hook, warm         ${fmt(median(warm))}  (${plus(median(warm) - base)}, median of ${RUNS}; runs ${warm.map((w) => w.toFixed(3)).join(' ')})`);
    console.log(`  with hook, no code cache ${fmt(uncached)}  (${plus(uncached - base)})`);
    console.log(`  scan --staged alone     ${fmt(median(direct))}  (median of ${RUNS})`);
    return { base, cold, warm: median(warm), added, direct: median(direct) };
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
    if (!KEEP) fs.rmSync(ctx.dir, { recursive: true, force: true });
    else console.log(`(kept ${ctx.dir})`);
  }
}

// ───────────────────────────── whole-repository scans ─────────────────────────────

const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const ratioOk = (x, max) => (x <= max ? 'OK' : 'OVER');

/** Writes the helpers the measured commands use: the RSS reporter (preloaded) and the parse floor. */
function helpers(dir) {
  const rss = path.join(dir, 'rss.cjs');
  fs.writeFileSync(rss, `process.on('exit', () => { try { require('fs').writeFileSync(process.env.WIRECHECK_BENCH_RSS, String(process.resourceUsage().maxRSS)); } catch {} });\n`);
  const floor = path.join(dir, 'parse-floor.cjs');
  fs.writeFileSync(
    floor,
    `// Parses every file once with TypeScript's parser, one thread: the floor a scan is compared with.
const fs = require('fs');
const ts = require(${JSON.stringify(path.join(repo, 'node_modules', 'typescript'))});
const files = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
let nodes = 0;
for (const f of files) {
  const sf = ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, false, f.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  nodes += sf.statements.length;
}
process.stdout.write(files.length + ' files, ' + nodes + ' statements\\n');
`,
  );
  return { rss, floor };
}

/** Runs a Node command with the RSS reporter preloaded: wall seconds, peak RSS in MB, exit code, output. */
function measure(h, cwd, nodeArgs, env = {}) {
  const rssFile = path.join(os.tmpdir(), `wirecheck-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', h.rss, ...nodeArgs], { cwd, env: { ...process.env, ...env, WIRECHECK_BENCH_RSS: rssFile }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  let kb = NaN;
  try {
    kb = Number(fs.readFileSync(rssFile, 'utf8'));
    fs.rmSync(rssFile);
  } catch {
    // the command did not exit normally
  }
  return { s, mb: kb / 1024, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function benchScanSize(h, n) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `wirecheck-bench-mono-${n}-`)));
  try {
    const rels = generateMonorepo(dir, n, { nodeModules: path.join(repo, 'node_modules') });
    const list = path.join(dir, '.bench-files.json');
    fs.writeFileSync(list, JSON.stringify(rels.map((r) => path.join(dir, r))));
    const bytes = rels.reduce((a, r) => a + fs.statSync(path.join(dir, r)).size, 0);
    const runs = { floor: [], scan: [], tsc: [] };
    let findings;
    for (let round = 0; round < ROUNDS; round++) {
      runs.floor.push(measure(h, dir, [h.floor, list]));
      const sc = measure(h, dir, [cli, 'scan', '--no-cache', '--format', 'json', '--fail-on', 'never']);
      if (sc.status !== 0) throw new Error(`scan failed (${sc.status}):\n${sc.stderr}`);
      findings = JSON.parse(sc.stdout).findings.length;
      runs.scan.push(sc);
      if (!args.includes('--no-tsc')) runs.tsc.push(measure(h, dir, [tsc, '--noEmit', '-p', 'tsconfig.json']));
    }
    // the cache: one scan fills it, the next (nothing changed) is answered from it
    const fill = measure(h, dir, [cli, 'scan', '--format', 'json', '--fail-on', 'never']);
    const cached = [];
    for (let round = 0; round < Math.max(ROUNDS, 3); round++) cached.push(measure(h, dir, [cli, 'scan', '--format', 'json', '--fail-on', 'never']));
    const perf = measure(h, dir, [cli, 'scan', '--no-cache', '--format', 'json', '--fail-on', 'never', '--performance']).stderr;
    const med = (k) => median(runs[k].map((r) => r.s));
    const peak = (k) => Math.max(...runs[k].map((r) => r.mb));
    return {
      files: rels.length,
      mb: bytes / 1024 / 1024,
      findings,
      floor: med('floor'),
      scan: med('scan'),
      tsc: runs.tsc.length ? med('tsc') : NaN,
      cached: median(cached.map((r) => r.s)),
      fill: fill.s,
      rss: { floor: peak('floor'), scan: peak('scan'), tsc: runs.tsc.length ? peak('tsc') : NaN, cached: Math.max(...cached.map((r) => r.mb)) },
      perf,
    };
  } finally {
    if (!KEEP) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`(kept ${dir})`);
  }
}

function benchScan(h) {
  const rows = [];
  for (const n of SIZES) {
    const t0 = Date.now();
    const r = benchScanSize(h, n);
    rows.push(r);
    console.log(`scan: ${r.files} files (${r.mb.toFixed(1)} MB, ${r.findings} findings) measured in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  const f = (s) => `${s.toFixed(2)} s`.padStart(8);
  const m = (mb) => (Number.isFinite(mb) ? `${Math.round(mb)} MB` : '-').padStart(8);
  console.log('');
  console.log(`whole-repository scan (median of ${ROUNDS} alternating rounds; peak RSS)`);
  console.log('   files   parse floor        scan (no cache)            tsc --noEmit       cached re-scan        scan/floor  scan/tsc  cached/scan');
  for (const r of rows) {
    const a = r.scan / r.floor;
    const b = r.scan / r.tsc;
    const c = r.cached / r.scan;
    console.log(
      `  ${String(r.files).padStart(6)}  ${f(r.floor)} ${m(r.rss.floor)}   ${f(r.scan)} ${m(r.rss.scan)}   ${f(r.tsc)} ${m(r.rss.tsc)}   ${f(r.cached)} ${m(r.rss.cached)}   ` +
        `${a.toFixed(2).padStart(5)} ${ratioOk(a, 1.0).padEnd(4)}  ${Number.isFinite(b) ? b.toFixed(3) : '-'} ${Number.isFinite(b) ? ratioOk(b, 0.15) : ''}  ${c.toFixed(2)} ${ratioOk(c, 0.2)}`,
    );
  }
  const last = rows[rows.length - 1];
  if (last) console.log(`  peak RSS of the scan at ${last.files} files: ${Math.round(last.rss.scan)} MB (budget 1024 MB) ${last.rss.scan <= 1024 ? 'OK' : 'OVER'}`);
  if (rows.length > 1) {
    console.log(`  ms per file (linear growth keeps this flat): ${rows.map((r) => `${r.files}: ${((r.scan * 1000) / r.files).toFixed(2)}`).join(', ')}`);
  }
  if (last) console.log(`\n--performance at ${last.files} files:\n${last.perf}`);
  return rows.map(({ perf, ...r }) => r);
}

function benchColdStart(h) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wirecheck-bench-one-')));
  try {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'one', private: true }));
    fs.writeFileSync(
      path.join(dir, 'chat.ts'),
      `import OpenAI from 'openai';\nimport express from 'express';\n\nconst openai = new OpenAI();\nexport const app = express();\n\napp.post('/chat', async (req, res) => {\n  const r = await openai.chat.completions.create({\n    model: 'gpt-4o-mini',\n    messages: [\n      { role: 'system', content: 'You are a support assistant.' },\n      { role: 'user', content: String(req.body.message) },\n    ],\n  });\n  res.json({ reply: r.choices[0]?.message.content });\n});\n`,
    );
    const node = measure(h, dir, ['-e', '0']).s;
    const run = (extra) => {
      const xs = [];
      for (let i = 0; i < 7; i++) {
        const r = measure(h, dir, [cli, 'scan', 'chat.ts', '--format', 'json', ...extra]);
        if (r.status !== 0) throw new Error(`one-file scan failed (${r.status}):\n${r.stderr}`);
        xs.push(r.s);
      }
      return median(xs);
    };
    const noCache = run(['--no-cache']);
    run([]); // fills the cache
    const cached = run([]);
    const uncompiled = (() => {
      const xs = [];
      for (let i = 0; i < 3; i++) xs.push(measure(h, dir, [cli, 'scan', 'chat.ts', '--no-cache', '--format', 'json'], { WIRECHECK_NO_CODE_CACHE: '1' }).s);
      return median(xs);
    })();
    console.log('');
    console.log('cold start: wirecheck scan one-file.ts (median of 7, Node start included)');
    console.log(`  node -e 0                    ${fmt(node)}`);
    console.log(`  scan, no cache               ${fmt(noCache)}  budget 0.400 s ${noCache <= 0.4 ? 'OK' : 'OVER'}`);
    console.log(`  scan, answered from cache    ${fmt(cached)}  budget 0.400 s ${cached <= 0.4 ? 'OK' : 'OVER'}`);
    console.log(`  scan, no cache, no V8 code cache ${fmt(uncompiled)}`);
    return { node, noCache, cached, uncompiled };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const results = {};
const h = helpers(fs.mkdtempSync(path.join(os.tmpdir(), 'wirecheck-bench-helpers-')));
if (!ONLY || ONLY === 'scan') results.scan = benchScan(h);
if (!ONLY || ONLY === 'cold') results.cold = benchColdStart(h);
if (!ONLY || ONLY === 'commit') results.commit = benchCommit();
fs.rmSync(path.dirname(h.rss), { recursive: true, force: true });
if (args.includes('--json')) console.log(JSON.stringify(results));
