#!/usr/bin/env node
// Benchmarks (run with `npm run bench`; never part of `npm test`). Self-contained: it generates
// its own repositories under the system temp folder and removes them afterwards.
//
// commit: wall time of `git commit` with 5 staged files in a generated 2,000-file repository
// (mostly ordinary TypeScript, ~5% LLM wiring), without a hook and with a plain
// .git/hooks/pre-commit running `node <repo>/dist/cli.js scan --staged`; cold (the first run in
// the new repository, with the V8 code cache the build ships in dist/), warm (median of the next
// runs), and without any code cache (as on a Node version the shipped cache does not fit). Budget
// (DESIGN.md): the hook adds at most 0.7 s cold.
//
// Options: --files N (default 2000), --runs N (warm runs, default 5), --keep (keep the repository).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repo, 'dist', 'cli.js');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const FILES = opt('files', 2000);
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

const results = { commit: benchCommit() };
if (args.includes('--json')) console.log(JSON.stringify(results));
