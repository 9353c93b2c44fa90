/**
 * Anything on disk: broken, huge, binary, oddly encoded, deeply nested or vanishing files, loops and
 * ignored folders. Each sits next to a file with a real finding, which must still be reported; the
 * odd file is named in a notice (or skipped by design); the scan never crashes or hangs, and exits 1
 * for the finding (2 is only for the tool's own failures).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverFiles } from '../analyzers/engine/discover';
import { scanProject } from '../analyzers/engine/parallel';
import { createSession } from '../analyzers/engine/session';
import type { Config } from '../analyzers/engine/config';
import type { AnalysisResult } from '../analyzers/engine/session';
import { main } from '../hooks/cli';
import { removeTmpDirs, tmpDir, write } from './git-fixture';

/** The file with the real finding: request text in the system message (line 11). */
const CHAT = `import OpenAI from 'openai';
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
const REAL = 'src/chat.ts:11 prompt-injection';

function project(files: Record<string, string | Buffer> = {}): string {
  const dir = tmpDir('wirecheck-robust-');
  write(dir, 'package.json', JSON.stringify({ name: 'robust-app', private: true }));
  write(dir, 'src/chat.ts', CHAT);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function scan(dir: string, config: Config = {}, extra: { fileBudgetMs?: number; maxFileBytes?: number } = {}): Promise<AnalysisResult> {
  const { files } = discoverFiles({ root: dir, config, paths: [] });
  const { result } = await scanProject({ root: dir, config, files, engineVersion: 'test', threads: 1, ...extra });
  return result;
}

const where = (r: AnalysisResult) => r.findings.map((f) => `${f.location.file}:${f.location.start.line} ${f.category}`);
const noticeFor = (r: AnalysisResult, file: string) => r.notices.find((n) => n.file === file);

async function cli(dir: string, args: string[]) {
  let out = '';
  let err = '';
  const code = await main(['scan', '--no-cache', '--format', 'json', ...args], { cwd: dir, stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, env: {} });
  return { code, out, err };
}

/** An LLM call inside `depth` nested arrays: parsed (it touches a model API), pathological for recursion. */
function deeplyNested(depth: number): string {
  return `import OpenAI from 'openai';\nconst openai = new OpenAI();\nexport const table = ${'['.repeat(depth)}1${']'.repeat(depth)};\nexport const reply = openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });\n`;
}

describe('robustness: odd files never stop a scan', function () {
  this.timeout(300_000);
  after(removeTmpDirs);

  it('a syntax error is reported in a notice naming the file, and what parses is still analysed', async () => {
    const broken = CHAT.replace("res.json({ reply: r.choices[0]?.message.content });", 'res.json({ reply: r.choices[0]?.message.content ;').replace('chatRouter', 'brokenRouter');
    const dir = project({ 'src/broken.ts': broken });
    const r = await scan(dir);
    assert.ok(where(r).includes(REAL), where(r).join('\n'));
    assert.match(noticeFor(r, 'src/broken.ts')?.message ?? '', /syntax error/);
    const c = await cli(dir, []);
    assert.equal(c.code, 1, c.err);
  });

  it('a 5 MB minified bundle and a 3 MB string literal: skipped by the size limit with a notice, or analysed within the budget when the limit allows them', async () => {
    const minified = `import OpenAI from 'openai';var o=new OpenAI();` + Array.from({ length: 60_000 }, (_, i) => `function f${i}(a,b){return a+b*${i}}`).join(';') + ';';
    assert.ok(minified.length > 2_000_000 && minified.length < 8_000_000);
    const bundle = minified.repeat(Math.ceil(5_000_000 / minified.length)).slice(0, 5_000_000 - 10) + ';o.x=1;';
    const literal = `import OpenAI from 'openai';\nexport const BLOB = '${'x'.repeat(3_000_000)}';\n`;
    const dir = project({ 'src/vendor/bundle.min.js': bundle, 'src/blob.ts': literal });
    const r = await scan(dir);
    assert.ok(where(r).includes(REAL));
    assert.match(noticeFor(r, 'src/vendor/bundle.min.js')?.message ?? '', /skipped, \d+ KB is over/);
    assert.match(noticeFor(r, 'src/blob.ts')?.message ?? '', /skipped, \d+ KB is over/);
    // with a larger limit they are parsed and analysed (a finding elsewhere still reported)
    const big = await scan(dir, {}, { maxFileBytes: 10_000_000 });
    assert.ok(where(big).includes(REAL));
    assert.ok(big.files.includes('src/blob.ts') && big.files.includes('src/vendor/bundle.min.js'));
  });

  it('a binary file named .js is skipped with a notice', async () => {
    const bin = Buffer.alloc(4096);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 37) % 256;
    const dir = project({ 'src/logo.js': bin });
    const r = await scan(dir);
    assert.ok(where(r).includes(REAL));
    assert.match(noticeFor(r, 'src/logo.js')?.message ?? '', /binary/);
  });

  it('Latin-1 and BOM files are read, with findings at the right lines', async () => {
    const latin1 = Buffer.from(`// Réponses en français: « ${'é'.repeat(3)} »\n` + CHAT.replace('chatRouter', 'frRouter'), 'latin1');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CHAT.replace('chatRouter', 'bomRouter'), 'utf8')]);
    const dir = project({ 'src/fr.ts': latin1, 'src/bom.ts': bom });
    const r = await scan(dir);
    assert.ok(where(r).includes(REAL));
    assert.ok(where(r).includes('src/fr.ts:12 prompt-injection'), where(r).join('\n'));
    assert.ok(where(r).includes('src/bom.ts:11 prompt-injection'), where(r).join('\n'));
  });

  it('10,000-deep nesting is reported or analysed, never a crash', async () => {
    const dir = project({ 'src/deep.ts': deeplyNested(10_000) });
    const r = await scan(dir);
    assert.ok(where(r).includes(REAL));
    // the parser's recursion gives up on it: a notice naming the file, not a crash
    assert.match(noticeFor(r, 'src/deep.ts')?.message ?? '', /src\/deep\.ts: cannot be parsed: nesting too deep/);
    const c = await cli(dir, []);
    assert.equal(c.code, 1, c.err);
    assert.doesNotMatch(c.err, /internal error/);
  });

  it('a symlink loop, empty files and declaration files', async () => {
    const dir = project({ 'src/empty.ts': '', 'src/empty2.js': '', 'types/api.d.ts': CHAT.replace(/^/gm, '// ') + '\nexport declare const x: string;\n' });
    fs.symlinkSync(path.join(dir, 'src'), path.join(dir, 'src', 'loop'), 'dir');
    fs.symlinkSync(path.join(dir, 'src', 'missing.ts'), path.join(dir, 'src', 'dangling.ts'));
    const r = await scan(dir);
    assert.deepEqual(where(r), [REAL]);
    assert.ok(r.files.includes('src/empty.ts'));
    assert.ok(!r.files.some((f) => f.includes('loop/') || f.endsWith('.d.ts')));
  });

  it('a file deleted during the scan is named in a notice', async () => {
    const dir = project({ 'src/gone.ts': CHAT.replace('chatRouter', 'goneRouter') });
    const { files } = discoverFiles({ root: dir, config: {}, paths: [] });
    fs.rmSync(path.join(dir, 'src', 'gone.ts'));
    const { result } = await scanProject({ root: dir, config: {}, files, engineVersion: 'test', threads: 1 });
    assert.deepEqual(where(result), [REAL]);
    assert.match(noticeFor(result, 'src/gone.ts')?.message ?? '', /cannot be read/);
    // a file that disappears between planning and parsing, in one session
    write(dir, 'src/gone.ts', CHAT.replace('chatRouter', 'goneRouter'));
    const session = createSession({ root: dir });
    session.plan(files);
    fs.rmSync(path.join(dir, 'src', 'gone.ts'));
    const again = session.analyze(files);
    assert.ok(where(again).includes(REAL));
  });

  it('node_modules, dist, build and .next are skipped by default (configurable), and .gitignore is honoured', async () => {
    const unsafe = (name: string) => CHAT.replace('chatRouter', `${name}Router`);
    const dir = project({
      'node_modules/pkg/index.js': unsafe('nm'),
      'dist/server.js': unsafe('dist'),
      'build/server.js': unsafe('build'),
      '.next/server/route.js': unsafe('next'),
      'generated/client.ts': unsafe('gen'),
      '.gitignore': 'generated/\n',
    });
    assert.deepEqual(where(await scan(dir)), [REAL]);
    const all = await scan(dir, { defaultIgnores: [] });
    for (const f of ['node_modules/pkg/index.js', 'dist/server.js', 'build/server.js', '.next/server/route.js']) assert.ok(all.files.includes(f), f);
    assert.ok(!all.files.includes('generated/client.ts'));
    assert.equal(all.findings.length, 5);
  });

  it('a file over the time budget is named in a notice; findings elsewhere are still reported', async () => {
    // thousands of model calls whose prompts build on each other: far more than a 300 ms budget
    const calls = Array.from({ length: 4000 }, (_, i) => `  const r${i} = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Step ${i}: ' + ${i ? `r${i - 1}.choices[0].message.content` : 'q'} }] });`).join('\n');
    const heavy = `import OpenAI from 'openai';\nconst openai = new OpenAI();\nexport async function pipeline(q: string) {\n${calls}\n  return r3999;\n}\n`;
    const dir = project({ 'src/heavy.ts': heavy });
    const started = Date.now();
    const r = await scan(dir, {}, { fileBudgetMs: 300 });
    assert.ok(where(r).includes(REAL), where(r).join('\n'));
    assert.match(noticeFor(r, 'src/heavy.ts')?.message ?? '', /budget/);
    assert.ok(Date.now() - started < 120_000);
  });

  it('the CLI exits 2 only for its own failures, with a clear message', async () => {
    const dir = project();
    write(dir, 'wirecheck.config.yaml', 'rules: [not, a, map]\n');
    const bad = await cli(dir, []);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /wirecheck: .*wirecheck\.config\.yaml/);
    assert.doesNotMatch(bad.err, /internal error|at .*\.ts:\d+/);
    fs.rmSync(path.join(dir, 'wirecheck.config.yaml'));
    const missing = await cli(dir, ['no-such-folder']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no such file or folder: no-such-folder/);
    const ok = await cli(dir, []);
    assert.equal(ok.code, 1);
    assert.deepEqual(JSON.parse(ok.out).findings.map((f: { location: { file: string } }) => f.location.file), ['src/chat.ts']);
  });
});
