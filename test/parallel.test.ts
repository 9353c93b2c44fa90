/**
 * Whole-project scans on two threads and the prefilter give exactly the findings (and notices) of
 * one session analysing every file, on the fixture corpus and the example app.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { createSession } from '../analyzers/engine/session';
import { discoverFiles } from '../analyzers/engine/discover';
import { scanProject, workerEntry } from '../analyzers/engine/parallel';
import { removeTmpDirs, tmpDir, write } from './git-fixture';

const repo = path.resolve(__dirname, '..');
const CORPORA = [path.join(repo, 'test', 'fixtures'), path.join(repo, 'examples', 'support-app')];

describe('parallel scans and the prefilter', function () {
  this.timeout(300_000);
  after(removeTmpDirs);

  it('finds the worker entry (worker.ts through tsx here, dist/worker.js next to the bundle)', () => {
    const entry = workerEntry();
    assert.ok(entry);
    assert.match(entry, /worker-tsx\.cjs$/);
  });

  for (const root of CORPORA) {
    const name = path.relative(repo, root);
    it(`${name}: two threads give the findings of one session, and the prefilter changes none`, async () => {
      const { files } = discoverFiles({ root, config: {}, paths: [] });
      const everything = createSession({ root, prefilter: false }).analyze(files);
      const single = createSession({ root }).analyze(files);
      assert.ok(everything.findings.length > 5);
      assert.deepEqual(single, everything);
      const par = await scanProject({ root, config: {}, files, engineVersion: 'test', threads: 2, minFilesForWorkers: 1 });
      assert.equal(par.stats.threads, 2, 'a worker analysed part of the groups');
      assert.ok(par.stats.groupsAnalyzed >= 2);
      assert.deepEqual(par.result, single);
    });
  }

  it('keeps files that connect a source helper to a sink helper, and does not parse files that cannot matter', async () => {
    const dir = tmpDir('wirecheck-plan-');
    // the route touches no model API itself: it passes a database row (from one helper) to another helper's instructions
    write(dir, 'src/db.ts', `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function policyFor(id: string): Promise<string> {\n  const { rows } = await pool.query('SELECT text FROM policies WHERE id = $1', [id]);\n  return rows[0].text;\n}\n`);
    write(dir, 'src/llm.ts', `import Anthropic from '@anthropic-ai/sdk';\nconst anthropic = new Anthropic();\nexport async function answer(rules: string, question: string) {\n  const msg = await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 500, system: rules, messages: [{ role: 'user', content: question }] });\n  return msg.content;\n}\n`);
    write(dir, 'src/service.ts', `import { policyFor } from './db';\nimport { answer } from './llm';\nexport async function handle(id: string, question: string) {\n  return answer(await policyFor(id), question);\n}\n`);
    // ordinary code: a formatter and a component, with no model API anywhere in what they import
    write(dir, 'src/format.ts', `export function title(s: string): string {\n  return s.charAt(0).toUpperCase() + s.slice(1);\n}\n`);
    write(dir, 'src/page.tsx', `import { title } from './format';\nexport function Page({ name }: { name: string }) {\n  return <h1>{title(name)}</h1>;\n}\n`);
    const { files } = discoverFiles({ root: dir, config: {}, paths: [] });
    const session = createSession({ root: dir });
    const plan = session.plan(files);
    const rel = (f: string) => path.relative(dir, f).split(path.sep).join('/');
    assert.deepEqual(plan.relevant.map(rel).sort(), ['src/db.ts', 'src/llm.ts', 'src/service.ts']);
    const r = session.analyze(files);
    assert.equal(session.stats.filesParsed, 3);
    assert.deepEqual(
      r.findings.map((f) => `${f.location.file} ${f.category}`),
      ['src/llm.ts rag-as-instructions'],
    );
    assert.deepEqual(r, createSession({ root: dir, prefilter: false }).analyze(files));
    assert.deepEqual(r.files, ['src/db.ts', 'src/format.ts', 'src/llm.ts', 'src/page.tsx', 'src/service.ts']);
  });

  it('analyses a helper once evaluation reaches into it (through a barrel), and never parses helpers nothing reaches', async () => {
    const dir = tmpDir('wirecheck-plan-lazy-');
    // a helper with a shell sink on its parameter, behind a barrel that re-exports other helpers too
    write(dir, 'src/lib/shell.ts', `import { execSync } from 'node:child_process';\nexport function runScript(script: string): string {\n  return execSync(script, { encoding: 'utf8' });\n}\n`);
    write(dir, 'src/lib/dates.ts', `export function isoDay(d: Date): string {\n  return d.toISOString().slice(0, 10);\n}\n`);
    write(dir, 'src/lib/strings.ts', `export function slug(s: string): string {\n  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-');\n}\n`);
    write(dir, 'src/lib/index.ts', `export * from './shell';\nexport { isoDay } from './dates';\nexport { slug } from './strings';\n`);
    // the agent runs the model's answer as a shell script through the helper
    write(
      dir,
      'src/agent.ts',
      `import OpenAI from 'openai';\nimport { runScript, slug } from './lib';\nconst openai = new OpenAI();\nexport async function fix(task: string) {\n  const completion = await openai.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: task }] });\n  const script = completion.choices[0]?.message.content ?? '';\n  return { id: slug(task), output: runScript(script) };\n}\n`,
    );
    const { files } = discoverFiles({ root: dir, config: {}, paths: [] });
    const session = createSession({ root: dir });
    const rel = (f: string) => path.relative(dir, f).split(path.sep).join('/');
    const plan = session.plan(files);
    assert.deepEqual(plan.relevant.map(rel).sort(), ['src/agent.ts', 'src/lib/dates.ts', 'src/lib/index.ts', 'src/lib/shell.ts', 'src/lib/strings.ts']);
    assert.deepEqual(plan.eager.map(rel), ['src/agent.ts']);
    const r = session.analyze(files);
    assert.deepEqual(
      r.findings.map((f) => `${f.location.file} ${f.category}`),
      ['src/agent.ts output-to-sink'],
    );
    // agent, barrel, shell and strings were reached; dates never was
    assert.equal(session.stats.filesParsed, 4);
    assert.deepEqual(r, createSession({ root: dir, prefilter: false }).analyze(files));
  });

  it('with a pack taint rule (any source, any sink) every modelled API counts', async () => {
    const dir = tmpDir('wirecheck-plan-taint-');
    write(dir, 'src/run.ts', `import { exec } from 'node:child_process';\nexport function run(cmd: string) {\n  exec(cmd);\n}\n`);
    write(dir, 'src/route.ts', `import express from 'express';\nimport { run } from './run';\nconst app = express();\napp.post('/x', (req, res) => {\n  run(req.body.cmd);\n  res.end();\n});\n`);
    const config = { taintRules: [{ id: 'acme/shell-from-request', category: 'overprivileged-tool' as const, message: '{{source}} reaches {{sink}}', sources: ['untrusted'], sinks: ['shell'] }] };
    const { files } = discoverFiles({ root: dir, config: {}, paths: [] });
    // no model API anywhere: without the rule nothing is parsed
    const plain = createSession({ root: dir });
    assert.deepEqual(plain.analyze(files).findings, []);
    assert.equal(plain.stats.filesParsed, 0);
    const withRule = createSession({ root: dir, config }).analyze(files);
    assert.deepEqual(withRule.findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.start.line}`), ['acme/shell-from-request src/route.ts:5']);
    assert.deepEqual(withRule, createSession({ root: dir, config, prefilter: false }).analyze(files));
    const par = await scanProject({ root: dir, config, files, engineVersion: 'test', threads: 2, minFilesForWorkers: 0 });
    assert.deepEqual(par.result, withRule);
  });
});
