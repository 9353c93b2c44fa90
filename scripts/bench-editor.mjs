#!/usr/bin/env node
// Editor benchmark (run with `npm run bench`; never part of `npm test`). Self-contained: it
// generates its workspace under the system temp folder and removes it afterwards.
//
// edit → diagnostics: the language server (extension/dist/server.js, built by extension/build.mjs)
// is driven over stdio with LSP messages, as VS Code drives it. The workspace is a generated
// 1,000-file TypeScript monorepo (scripts/bench-monorepo.mjs: 999 files) plus a 2,000-line route
// module that imports from it and calls a model in a few places. After the file is opened and
// analysed once, each edit inserts one character (an incremental didChange, as typing does) and
// the time until publishDiagnostics arrives for that document version is measured; the next edit
// follows once it arrived (typing that pauses). p50 and p95 over the edits. Also: the first
// analysis after opening (engine start included), and an edit to an imported module until the
// route module is published again (dependents).
//
// activation: the client bundle (extension/dist/client.js) required and activate() called, with a
// stub `vscode` module (every API a no-op), in a fresh Node process: the cost of loading the
// bundle and running activate, which VS Code waits for. Median of runs.
//
// Budgets (DESIGN.md): p95 edit → diagnostics ≤ 100 ms; activation ≤ 100 ms.
// Options: --edits N (default 60)  --runs N (activation runs, default 7)  --only edits|activation
//          --build (rebuild the extension first)  --keep  --json
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { generateMonorepo } from './bench-monorepo.mjs';

const require = createRequire(import.meta.url);
const { StreamMessageReader, StreamMessageWriter, createProtocolConnection } = require('vscode-languageserver-protocol/node');

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const EDITS = opt('edits', 60);
const RUNS = opt('runs', 7);
const KEEP = args.includes('--keep');
const BUDGET_EDIT_P95 = 100;
const BUDGET_ACTIVATION = 100;

const server = path.join(repo, 'extension', 'dist', 'server.js');
const client = path.join(repo, 'extension', 'dist', 'client.js');
if (!fs.existsSync(server) || !fs.existsSync(client) || args.includes('--build')) {
  execFileSync(process.execPath, [path.join(repo, 'extension', 'build.mjs')], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const median = (xs) => percentile(xs, 50);
const ms = (x) => `${x.toFixed(1)} ms`;

// ───────────────────────────── the 2,000-line module ─────────────────────────────

const WORDS = ['ticket', 'customer', 'order', 'refund', 'shipment', 'invoice', 'agent', 'macro'];
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function section(k) {
  const w = WORDS[k % WORDS.length];
  const W = cap(w);
  const u = k % 10;
  let s = `
// ── ${w}s (${k}) ──────────────────────────────────────────────────────────

export interface ${W}View${k} {
  id: string;
  title: string;
  amountCents: number;
  tags: string[];
  updatedAt: string;
}

const ${w.toUpperCase()}_STATUSES_${k} = ['open', 'pending', 'solved', 'closed'] as const;
type ${W}Status${k} = (typeof ${w.toUpperCase()}_STATUSES_${k})[number];

export function parse${W}Status${k}(value: unknown): ${W}Status${k} {
  if (typeof value === 'string' && (${w.toUpperCase()}_STATUSES_${k} as readonly string[]).includes(value)) return value as ${W}Status${k};
  throw new Error(\`invalid ${w} status: \${String(value)}\`);
}

export function to${W}View${k}(row: { id: string; title: string; amount_cents: number; tags: string | null; updated_at: Date }): ${W}View${k} {
  return {
    id: row.id,
    title: row.title.trim(),
    amountCents: row.amount_cents,
    tags: (row.tags ?? '').split(',').map((t) => slugify${u}(t)).filter(Boolean),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function summarize${W}s${k}(items: ${W}View${k}[]): { count: number; total: string; pages: number } {
  const total = items.reduce((sum, i) => sum + i.amountCents, 0);
  return { count: items.length, total: formatCents${u}(total), pages: chunk${u}(items, 25).length };
}

deskRouter.get('/${w}s/${k}', async (req: Request, res: Response) => {
  const status = parse${W}Status${k}(req.query.status ?? 'open');
  const rows = await retry${u}(() => db.list('${w}s', { status, limit: 200 }));
  const views = rows.map(to${W}View${k});
  log.info('listed ${w}s', { status, count: views.length });
  res.json({ items: views, summary: summarize${W}s${k}(views) });
});
`;
  if (k % 9 === 4) {
    // a model call that keeps the request text in a user message (not a finding)
    s += `
deskRouter.post('/${w}s/${k}/reply', async (req: Request, res: Response) => {
  const { question } = req.body as { question: string };
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You draft short, polite replies for the ${w} desk.' },
      { role: 'user', content: question },
    ],
  });
  res.json({ draft: completion.choices[0]?.message.content ?? '' });
});
`;
  }
  if (k === 13) {
    // the unsafe one: request text in the system prompt
    s += `
deskRouter.post('/${w}s/${k}/persona', async (req: Request, res: Response) => {
  const { persona, question } = req.body as { persona: string; question: string };
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: \`You are \${persona}, answering for the ${w} desk.\` },
      { role: 'user', content: question },
    ],
  });
  res.json({ answer: completion.choices[0]?.message.content ?? '' });
});
`;
  }
  return s;
}

function bigModule() {
  let s = `// The support desk API: listing, summaries and drafted replies for every queue.
import { Router, type Request, type Response } from 'express';
import OpenAI from 'openai';
import { createLogger } from '@acme/shared/logger';
${Array.from({ length: 10 }, (_, u) => `import { chunk${u}, formatCents${u}, retry${u}, slugify${u} } from '@acme/shared/utils/util${u}';`).join('\n')}

interface Db {
  list(table: string, query: { status: string; limit: number }): Promise<{ id: string; title: string; amount_cents: number; tags: string | null; updated_at: Date }[]>;
}
declare const db: Db;

const openai = new OpenAI();
const log = createLogger('api.support-desk');
export const deskRouter = Router();

deskRouter.get('/health', (_req: Request, res: Response) => {
  const note = 'ok';
  res.json({ status: note });
});
`;
  for (let k = 0; s.split('\n').length < 2000; k++) s += section(k);
  return s;
}

// ───────────────────────────── edit → diagnostics ─────────────────────────────

async function benchEdits() {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'wirecheck-bench-editor-'));
  try {
    const t0 = Date.now();
    generateMonorepo(dir, 999);
    const rel = 'packages/api/src/routes/support-desk.ts';
    const text = bigModule();
    fs.writeFileSync(path.join(dir, rel), text);
    const count = (d) => fs.readdirSync(d, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? count(path.join(d, e.name)) : /\.(ts|tsx)$/.test(e.name) ? 1 : 0), 0);
    const files = count(path.join(dir, 'packages'));
    console.log(`edit → diagnostics: ${files} TypeScript files, ${rel} has ${text.split('\n').length} lines (generated in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);

    const proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    const waiters = new Map();
    const published = new Map();
    conn.onNotification('textDocument/publishDiagnostics', (p) => {
      const key = `${p.uri}#${p.version}`;
      published.set(key, { at: performance.now(), count: p.diagnostics.length });
      waiters.get(key)?.();
    });
    conn.onNotification('window/logMessage', () => undefined);
    conn.onNotification('wirecheck/status', () => undefined);
    conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
    const rootUri = pathToFileURL(dir).href;
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'acme' }],
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true } } },
      initializationOptions: { trusted: true },
    });
    await conn.sendNotification('initialized', {});
    const published$ = (uri, version, timeoutMs = 120_000) =>
      new Promise((resolve, reject) => {
        const key = `${uri}#${version}`;
        if (published.has(key)) return resolve(published.get(key));
        const t = setTimeout(() => reject(new Error(`no diagnostics for ${key} within ${timeoutMs} ms`)), timeoutMs);
        waiters.set(key, () => {
          clearTimeout(t);
          waiters.delete(key);
          resolve(published.get(key));
        });
      });

    const uri = pathToFileURL(path.join(dir, rel)).href;
    const tOpen = performance.now();
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
    const first = await published$(uri, 1);
    const openMs = first.at - tOpen;

    // typing in the middle of the file: one character per edit
    const lines = text.split('\n');
    const line = lines.findIndex((l, i) => i > lines.length / 2 && l.includes("log.info('listed"));
    const col = lines[line].indexOf("'listed") + 1;
    const times = [];
    let version = 1;
    for (let i = 0; i < EDITS + 5; i++) {
      version++;
      const t = performance.now();
      conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character: col + i }, end: { line, character: col + i } }, text: 'abcdefghij'[i % 10] }],
      });
      const p = await published$(uri, version);
      if (i >= 5) times.push(p.at - t); // the first edits warm up the JIT
    }

    // an imported module's buffer changes: the open route module is analysed again
    const util = path.join(dir, 'packages/shared/src/utils/util3.ts');
    const utilUri = pathToFileURL(util).href;
    const utilText = fs.readFileSync(util, 'utf8');
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri: utilUri, languageId: 'typescript', version: 1, text: utilText } });
    await published$(utilUri, 1);
    const depTimes = [];
    for (let i = 0; i < 5; i++) {
      const before = [...published.keys()].filter((k) => k.startsWith(`${uri}#`)).length;
      const t = performance.now();
      conn.sendNotification('textDocument/didChange', { textDocument: { uri: utilUri, version: i + 2 }, contentChanges: [{ text: `${utilText}\n// edit ${i}\n` }] });
      await new Promise((resolve) => {
        const check = setInterval(() => {
          // the route module is republished at its current version: count arrivals
          const again = [...published.entries()].filter(([k, v]) => k === `${uri}#${version}` && v.at > t).length || (published.get(`${uri}#${version}`)?.at ?? 0) > t;
          if (again) {
            clearInterval(check);
            depTimes.push(published.get(`${uri}#${version}`).at - t);
            resolve();
          }
        }, 1);
      });
      void before;
    }
    await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000))]);
    conn.sendNotification('exit');
    await new Promise((r) => setTimeout(r, 200));
    proc.kill();
    conn.dispose();

    // the same edits analysed by the engine alone, in this process: what the server adds on top
    const { createSession } = require(path.join(repo, 'extension', 'dist', 'engine.js'));
    const session = createSession({ root: dir });
    const abs = path.join(dir, rel);
    const engineTimes = [];
    let current = text;
    const lineStart = text.split('\n').slice(0, line).reduce((n, l) => n + l.length + 1, 0);
    for (let i = 0; i < EDITS + 5; i++) {
      const at = lineStart + col + i;
      current = current.slice(0, at) + 'abcdefghij'[i % 10] + current.slice(at);
      const t = performance.now();
      session.updateFile(abs, current);
      session.analyze([abs]);
      if (i >= 5) engineTimes.push(performance.now() - t);
    }
    session.dispose();

    const p50 = median(times);
    const p95 = percentile(times, 95);
    console.log(`  first analysis after open (engine start included)  ${ms(openMs)}  (${first.count} diagnostics)`);
    console.log(`  edit → diagnostics, ${times.length} one-character edits   p50 ${ms(p50)}   p95 ${ms(p95)}   max ${ms(Math.max(...times))}   budget p95 ≤ ${BUDGET_EDIT_P95} ms ${p95 <= BUDGET_EDIT_P95 ? 'OK' : 'OVER'}`);
    console.log(`  the same edits, engine alone (in process)          p50 ${ms(median(engineTimes))}   p95 ${ms(percentile(engineTimes, 95))}   (the server adds ${ms(p50 - median(engineTimes))} at p50)`);
    console.log(`  imported module edited → route module re-published   median ${ms(median(depTimes))} (${depTimes.length} edits)`);
    console.log(`  (load average while measuring: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores)`);
    return { files, lines: text.split('\n').length, openMs, p50, p95, max: Math.max(...times), engineP50: median(engineTimes), engineP95: percentile(engineTimes, 95), dependentsMedian: median(depTimes) };
  } finally {
    if (KEEP) console.log(`(kept ${dir})`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ───────────────────────────── activation ─────────────────────────────

const ACTIVATE = `
const Module = require('node:module');
const path = require('node:path');
// a stub of the editor API: every property exists, every call returns a stub, nothing happens
const stub = () => {
  const target = function () {};
  return new Proxy(target, {
    get(_t, key) {
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => '';
      if (key === Symbol.iterator) return function* () {};
      return stub();
    },
    set() { return true; },
    apply() { return stub(); },
    construct() { return stub(); },
  });
};
// the names the real module exports (read from its type declarations), each a stub
const vscode = {};
for (const name of JSON.parse(process.argv[2])) vscode[name] = stub();
vscode.version = '1.100.3'; // vscode-languageclient checks it
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return vscode;
  return load.apply(this, arguments);
};
process.on('unhandledRejection', () => {});
const file = process.argv[1];
const t0 = process.hrtime.bigint();
const ext = require(file);
const t1 = process.hrtime.bigint();
const context = { subscriptions: [], asAbsolutePath: (p) => path.join(path.dirname(path.dirname(file)), p), extensionPath: path.dirname(path.dirname(file)) };
ext.activate(context);
const t2 = process.hrtime.bigint();
process.stdout.write(JSON.stringify({ requireMs: Number(t1 - t0) / 1e6, activateMs: Number(t2 - t1) / 1e6 }));
process.exit(0);
`;

function benchActivation() {
  const dts = fs.readFileSync(path.join(repo, 'node_modules/@types/vscode/index.d.ts'), 'utf8');
  const names = [...new Set([...dts.matchAll(/^\texport (?:namespace|class|enum|const|function|let) (\w+)/gm)].map((m) => m[1]))];
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, ['-e', ACTIVATE, client, JSON.stringify(names)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`activation run failed:\n${r.stderr}`);
    runs.push(JSON.parse(r.stdout));
  }
  const total = runs.map((r) => r.requireMs + r.activateMs);
  const kb = Math.round(fs.statSync(client).size / 1024);
  const med = median(total);
  console.log('');
  console.log(`activation: extension/dist/client.js (${kb} KB) required and activated with a stub vscode module (median of ${RUNS})`);
  console.log(`  require ${ms(median(runs.map((r) => r.requireMs)))} + activate ${ms(median(runs.map((r) => r.activateMs)))} = ${ms(med)}   budget ≤ ${BUDGET_ACTIVATION} ms ${med <= BUDGET_ACTIVATION ? 'OK' : 'OVER'}`);
  return { clientKb: kb, requireMs: median(runs.map((r) => r.requireMs)), activateMs: median(runs.map((r) => r.activateMs)), totalMs: med };
}

const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const edits = only && only !== 'edits' ? undefined : await benchEdits();
const activation = only && only !== 'activation' ? undefined : benchActivation();
if (args.includes('--json')) console.log(JSON.stringify({ edits, activation }, null, 2));
