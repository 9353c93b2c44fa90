/**
 * The incremental scan cache (.wirecheck/cache): an unchanged re-scan is answered from it, and every
 * change that can alter a finding (the file, a file it imports, a caller, the configuration, a
 * pack's models, the engine version) gives exactly the report of a cold scan.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanProject, type ProjectScanOptions } from '../analyzers/engine/parallel';
import { discoverFiles } from '../analyzers/engine/discover';
import { CACHE_DIR } from '../analyzers/engine/cache';
import type { Config } from '../analyzers/engine/config';
import { main } from '../hooks/cli';
import { git, removeTmpDirs, tmpDir, tmpRepo, write } from './git-fixture';

const HELPER = `// Shared model helper: the caller decides the instructions.
import OpenAI from 'openai';

const client = new OpenAI();

export async function ask(instructions: string, question: string): Promise<string> {
  const r = await client.responses.create({ model: 'gpt-4.1-mini', instructions, input: question });
  return r.output_text;
}
`;

const PERSONA = `// Persona text for the assistant.
export function persona(name: string): string {
  return \`You are \${name}, the Acme support assistant. Answer briefly.\`;
}
`;

const ROUTE = `// POST /ask: answers a question with a fixed persona.
import { Router } from 'express';
import { ask } from '../lib/llm';
import { persona } from '../lib/persona';

export const askRouter = Router();

askRouter.post('/ask', async (req, res) => {
  const answer = await ask(persona('Ada'), String(req.body.question ?? ''));
  res.json({ answer });
});
`;

const CHAT = `// POST /chat: request text in the system message.
import OpenAI from 'openai';
import { Router } from 'express';

const openai = new OpenAI();
export const chatRouter = Router();

chatRouter.post('/chat', async (req, res) => {
  const r = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: \`Answer in the voice of \${req.body.persona}.\` },
      { role: 'user', content: String(req.body.message) },
    ],
  });
  res.json({ reply: r.choices[0]?.message.content });
});
`;

const UTIL = `// Formatting helpers.
export function money(cents: number): string {
  return (cents / 100).toFixed(2);
}
`;

function project(): string {
  const dir = tmpDir('wirecheck-cache-');
  write(dir, 'package.json', JSON.stringify({ name: 'cache-app', private: true }));
  write(dir, 'src/lib/llm.ts', HELPER);
  write(dir, 'src/lib/persona.ts', PERSONA);
  write(dir, 'src/routes/ask.ts', ROUTE);
  write(dir, 'src/routes/chat.ts', CHAT);
  write(dir, 'src/util/money.ts', UTIL);
  return dir;
}

async function scan(dir: string, extra: Partial<ProjectScanOptions> = {}, config: Config = {}) {
  const { files } = discoverFiles({ root: dir, config, paths: [] });
  return scanProject({ root: dir, config, files, cache: true, engineVersion: '1.0.0', threads: 1, ...extra });
}

async function cold(dir: string, extra: Partial<ProjectScanOptions> = {}, config: Config = {}) {
  const r = await scan(dir, { ...extra, cache: false }, config);
  assert.equal(r.stats.cacheOutcome, 'off');
  return r.result;
}

const where = (r: { findings: { location: { file: string; start: { line: number } }; ruleId: string }[] }) => r.findings.map((f) => `${f.location.file}:${f.location.start.line} ${f.ruleId}`);

describe('scan cache', function () {
  this.timeout(120_000);
  after(removeTmpDirs);

  it('answers an unchanged re-scan from the cache, with the same report and nothing parsed', async () => {
    const dir = project();
    const first = await scan(dir);
    assert.equal(first.stats.cacheOutcome, 'miss');
    assert.deepEqual(where(first.result), ['src/routes/chat.ts:12 prompt-injection/untrusted-input-in-instructions']);
    const again = await scan(dir);
    assert.equal(again.stats.cacheOutcome, 'hit');
    assert.equal(again.stats.filesParsed, 0);
    assert.deepEqual(again.result, first.result);
    assert.deepEqual(again.result, await cold(dir));
    // stored under the project, never committed
    assert.ok(fs.readdirSync(path.join(dir, CACHE_DIR)).some((n) => n.endsWith('.json')));
    assert.equal(fs.readFileSync(path.join(dir, '.wirecheck', '.gitignore'), 'utf8').trim(), '*');
  });

  it('keeps the hash of a file unchanged on disk since it was read, and reads again anything that may have changed', async () => {
    const dir = project();
    // files written a while before the scan reads them (past the margin for coarse timestamps); one edited just now
    await new Promise((r) => setTimeout(r, 2200));
    write(dir, 'src/util/money.ts', UTIL.replace('toFixed(2)', 'toFixed(3)'));
    await scan(dir);
    const manifest = () => {
      const file = fs.readdirSync(path.join(dir, CACHE_DIR)).find((n) => n.endsWith('.json'))!;
      return JSON.parse(fs.readFileSync(path.join(dir, CACHE_DIR, file), 'utf8')) as { stats: Record<string, number[]>; hashed: Record<string, string> };
    };
    const first = manifest();
    const again = await scan(dir);
    assert.equal(again.stats.cacheOutcome, 'hit');
    const second = manifest();
    // the old files were not read again (the time of their read is carried over); the fresh one was
    assert.equal(second.stats['src/lib/llm.ts'][4], first.stats['src/lib/llm.ts'][4]);
    assert.equal(second.stats['src/routes/chat.ts'][4], first.stats['src/routes/chat.ts'][4]);
    assert.ok(second.stats['src/util/money.ts'][4] > first.stats['src/util/money.ts'][4]);
    // content replaced with the same size and the old mtime put back: the change time gives it away
    const chat = path.join(dir, 'src/routes/chat.ts');
    const text = fs.readFileSync(chat, 'utf8');
    const safe = text.replace('`Answer in the voice of ${req.body.persona}.`', "'Answer politely.'".padEnd('`Answer in the voice of ${req.body.persona}.`'.length, ' '));
    assert.equal(safe.length, text.length);
    const before = fs.statSync(chat);
    execFileSync('cp', ['-p', chat, `${chat}.ref`]);
    fs.writeFileSync(chat, safe);
    execFileSync('touch', ['-r', `${chat}.ref`, chat]); // nanosecond timestamps put back
    fs.rmSync(`${chat}.ref`);
    assert.equal(fs.statSync(chat).mtimeMs, before.mtimeMs);
    assert.equal(fs.statSync(chat).size, before.size);
    const changed = await scan(dir);
    assert.equal(changed.stats.cacheOutcome, 'partial');
    assert.deepEqual(where(changed.result), []);
    assert.deepEqual(changed.result, await cold(dir));
  });

  it('re-analyses a changed file and reuses the groups it does not touch', async () => {
    const dir = project();
    await scan(dir);
    write(dir, 'src/routes/chat.ts', CHAT.replace('`Answer in the voice of ${req.body.persona}.`', "'Answer politely.'"));
    const r = await scan(dir);
    assert.equal(r.stats.cacheOutcome, 'partial');
    assert.ok(r.stats.groupsReused >= 1, 'the ask route group is reused');
    assert.deepEqual(where(r.result), []);
    assert.deepEqual(r.result, await cold(dir));
  });

  it('invalidates files when a file they import changes', async () => {
    const dir = project();
    // the route passes request text through the persona helper into the model helper's instructions
    write(dir, 'src/routes/ask.ts', ROUTE.replace("persona('Ada')", 'persona(String(req.body.name))'));
    const tainted = await scan(dir);
    const inAsk = (r: typeof tainted) => where(r.result).filter((w) => !w.startsWith('src/routes/chat.ts'));
    assert.equal(inAsk(tainted).length, 1, where(tainted.result).join('\n'));
    assert.deepEqual(tainted.result, await cold(dir));
    // only the imported persona helper changes (it ignores its argument now): the route and the
    // model helper are unchanged on disk, and the finding must go
    write(dir, 'src/lib/persona.ts', PERSONA.replace('return `You are ${name}, the Acme support assistant. Answer briefly.`;', "return 'You are the Acme support assistant. Answer briefly.';"));
    const changedImport = await scan(dir);
    assert.equal(changedImport.stats.cacheOutcome, 'partial');
    assert.deepEqual(inAsk(changedImport), []);
    assert.deepEqual(changedImport.result, await cold(dir));
    // and back: the finding returns
    write(dir, 'src/lib/persona.ts', PERSONA);
    assert.deepEqual((await scan(dir)).result, tainted.result);
  });

  it('invalidates a helper when its caller changes (a parameter sink reported in the helper)', async () => {
    const dir = project();
    // the helper builds the system message from its parameter: the finding is reported inside it
    write(dir, 'src/lib/llm.ts', HELPER.replace('instructions, input: question', 'instructions: `Follow the house style. ${instructions}`, input: question'));
    write(dir, 'src/routes/ask.ts', ROUTE.replace("persona('Ada')", "'Be brief.'"));
    const safe = await scan(dir);
    assert.deepEqual(where(safe.result).filter((w) => w.startsWith('src/lib/')), []);
    write(dir, 'src/routes/ask.ts', ROUTE.replace("persona('Ada')", 'String(req.body.style)'));
    const unsafe = await scan(dir);
    assert.ok(where(unsafe.result).some((w) => w.startsWith('src/lib/llm.ts')), where(unsafe.result).join('\n'));
    assert.deepEqual(unsafe.result, await cold(dir));
  });

  it('is not used across configurations, pack models or engine versions', async () => {
    const dir = project();
    await scan(dir);
    // configuration: the rule turned off
    const off: Config = { rules: { 'prompt-injection': 'off' } };
    const r1 = await scan(dir, {}, off);
    assert.equal(r1.stats.cacheOutcome, 'miss');
    assert.deepEqual(where(r1.result), []);
    assert.deepEqual(r1.result, await cold(dir, {}, off));
    // a pack's models (merged into the configuration as data): an in-house client is a model call
    const pack = (method: string): Config => ({
      models: [{ package: 'acme-llm', modules: ['@acme/llm'], sinks: [{ call: [`AcmeLLM().${method}`], arg: 0, fields: { system: 'instruction' } }] }],
    });
    write(dir, 'src/routes/house.ts', `import { AcmeLLM } from '@acme/llm';\nimport { Router } from 'express';\n\nconst llm = new AcmeLLM();\nexport const houseRouter = Router();\n\nhouseRouter.post('/house', async (req, res) => {\n  res.json(await llm.complete({ system: String(req.body.rules), prompt: 'hi' }));\n});\n`);
    const a = await scan(dir, {}, pack('complete'));
    assert.ok(where(a.result).some((w) => w.startsWith('src/routes/house.ts')), where(a.result).join('\n'));
    const b = await scan(dir, {}, pack('generate'));
    assert.notEqual(b.stats.cacheOutcome, 'hit');
    assert.ok(!where(b.result).some((w) => w.startsWith('src/routes/house.ts')));
    assert.deepEqual(b.result, await cold(dir, {}, pack('generate')));
    // engine version
    await scan(dir);
    const v = await scan(dir, { engineVersion: '2.0.0' });
    assert.equal(v.stats.cacheOutcome, 'miss');
  });

  it('ignores a corrupt or truncated cache file and rewrites it', async () => {
    const dir = project();
    const first = await scan(dir);
    const cacheDir = path.join(dir, CACHE_DIR);
    const file = path.join(cacheDir, fs.readdirSync(cacheDir).find((n) => n.endsWith('.json'))!);
    const text = fs.readFileSync(file, 'utf8');
    for (const broken of [text.slice(0, text.length / 2), '\u0000\u0001binary', JSON.stringify({ format: 1, global: 'x' }), 'null']) {
      fs.writeFileSync(file, broken);
      const r = await scan(dir);
      assert.notEqual(r.stats.cacheOutcome, 'hit');
      assert.deepEqual(r.result, first.result);
    }
    // a manifest with the right keys but malformed groups is not trusted either
    const good = JSON.parse(fs.readFileSync(file, 'utf8'));
    good.groups = { x: { findings: 'nope' } };
    good.files['src/routes/chat.ts'] = 'stale';
    fs.writeFileSync(file, JSON.stringify(good));
    assert.deepEqual((await scan(dir)).result, first.result);
    assert.equal((await scan(dir)).stats.cacheOutcome, 'hit');
  });

  it('CLI: --no-cache and `cache: false` write no cache; --staged neither reads nor writes it', async () => {
    const run = async (cwd: string, args: string[]) => {
      let out = '';
      let err = '';
      const code = await main(args, { cwd, stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, env: {} });
      return { code, out, err };
    };
    const dir = project();
    let r = await run(dir, ['scan', '--no-cache', '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    assert.ok(!fs.existsSync(path.join(dir, '.wirecheck')));
    write(dir, 'wirecheck.config.yaml', 'cache: false\n');
    r = await run(dir, ['scan', '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    assert.ok(!fs.existsSync(path.join(dir, '.wirecheck')));
    fs.rmSync(path.join(dir, 'wirecheck.config.yaml'));
    r = await run(dir, ['scan', '--format', 'json', '--performance']);
    assert.equal(r.code, 1, r.err);
    assert.ok(fs.existsSync(path.join(dir, CACHE_DIR)));
    assert.match(r.err, /performance/);
    assert.match(r.err, /cache .*miss/);
    r = await run(dir, ['scan', '--format', 'json', '--performance']);
    assert.match(r.err, /cache .*\(hit\)/);
    assert.equal(JSON.parse(r.out).findings.length, 1);

    const repo = tmpRepo({ 'src/routes/chat.ts': CHAT, 'package.json': JSON.stringify({ name: 'staged-app' }) });
    git(repo, 'add', '-A');
    r = await run(repo, ['scan', '--staged', '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    assert.ok(!fs.existsSync(path.join(repo, '.wirecheck')));
  });
});
