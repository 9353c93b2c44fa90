import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSession, loadModels, type Finding } from '../analyzers';
import { parseDirectives } from '../analyzers/engine/suppress';
import { validateModelFile } from '../analyzers/engine/models';
import { isTightRegex } from '../analyzers/flow/analyzer';

function tmpProject(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirecheck-engine-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return dir;
}

function scan(dir: string, files?: string[], config = {}): { findings: Finding[]; notices: { kind: string; message: string }[] } {
  const session = createSession({ root: dir, config });
  const list = files ?? fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.(ts|js|cjs|mjs)$/.test(f));
  const r = session.analyze(list.map((f) => path.join(dir, f)));
  session.dispose();
  return r;
}

const PERSONA_ROUTE = `import express from 'express';
import OpenAI from 'openai';

const app = express();
const openai = new OpenAI();

app.post('/chat', async (req, res) => {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4.1-mini',
    messages: [
      { role: 'system', content: \`You are \${req.body.persona}. Be concise.\` },
      { role: 'user', content: req.body.message },
    ],
  });
  res.json(completion.choices[0]?.message);
});
`;

describe('engine session', () => {
  it('reports untrusted input in a system message at the content line, with a source→sink path', () => {
    const dir = tmpProject({ 'route.ts': PERSONA_ROUTE });
    const { findings } = scan(dir);
    assert.equal(findings.length, 1);
    const f = findings[0];
    assert.equal(f.ruleId, 'prompt-injection/untrusted-input-in-instructions');
    assert.equal(f.category, 'prompt-injection');
    assert.equal(f.location.file, 'route.ts');
    assert.equal(f.location.start.line, 11);
    assert.ok(f.path.length >= 2, 'path has a source and a sink');
    assert.equal(f.path[0].location.start.line, 11);
    assert.match(f.message, /req\.body/);
  });

  it('analyses the overlay text (editor buffer / staged blob) instead of the file on disk', () => {
    const dir = tmpProject({ 'route.ts': PERSONA_ROUTE });
    const session = createSession({ root: dir });
    const safe = PERSONA_ROUTE.replace('`You are ${req.body.persona}. Be concise.`', "'You are a concise assistant.'");
    session.updateFile('route.ts', safe);
    assert.equal(session.analyze(['route.ts']).findings.length, 0);
    session.updateFile('route.ts', undefined); // back to disk
    assert.equal(session.analyze(['route.ts']).findings.length, 1);
    session.dispose();
  });

  it('re-parses edited buffers incrementally with the same findings as a fresh session', () => {
    const dir = tmpProject({ 'route.ts': PERSONA_ROUTE });
    const session = createSession({ root: dir });
    session.analyze(['route.ts']);
    // typing: insertions, a deletion that makes the system text constant, a broken line, then undo
    const versions = [
      PERSONA_ROUTE.replace('Be concise.', 'Be very concise.'),
      PERSONA_ROUTE.replace('`You are ${req.body.persona}. Be concise.`', "'You are a concise assistant.'"),
      PERSONA_ROUTE.replace("{ role: 'user', content: req.body.message },", "{ role: 'user', content: req.body.message "),
      PERSONA_ROUTE.replace("app.post('/chat'", "const tone = req0();\napp.post('/chat'").replace('Be concise.', '${tone}'),
      PERSONA_ROUTE,
    ];
    const strip = (fs: Finding[]) => fs.map((f) => ({ rule: f.ruleId, line: f.location.start.line, col: f.location.start.column, message: f.message, path: f.path.map((p) => p.location.start.line) }));
    for (const text of versions) {
      session.updateFile('route.ts', text);
      const incremental = session.analyze(['route.ts']);
      const fresh = createSession({ root: dir });
      fresh.updateFile('route.ts', text);
      const full = fresh.analyze(['route.ts']);
      fresh.dispose();
      assert.deepEqual(strip(incremental.findings), strip(full.findings));
      assert.deepEqual(incremental.notices, full.notices);
    }
    assert.equal(session.analyze(['route.ts']).findings.length, 1);
    session.dispose();
  });

  it('resolves imports again when an edited buffer creates or deletes the file they name', () => {
    const route = `import express from 'express';\nimport { ask } from './llm';\nconst app = express();\napp.post('/ask', async (req, res) => {\n  res.json(await ask(req.body.persona));\n});\n`;
    const llm = `import OpenAI from 'openai';\nconst openai = new OpenAI();\nexport async function ask(persona: string) {\n  const r = await openai.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'system', content: \`You are \${persona}.\` }] });\n  return r.choices[0]?.message.content;\n}\n`;
    const dir = tmpProject({ 'route.ts': route });
    const session = createSession({ root: dir });
    assert.equal(session.analyze(['route.ts', 'llm.ts']).findings.length, 0);
    session.updateFile('llm.ts', llm); // a new, unsaved file
    assert.deepEqual(
      session.analyze(['route.ts', 'llm.ts']).findings.map((f) => `${f.location.file} ${f.ruleId}`),
      ['llm.ts prompt-injection/untrusted-input-in-instructions'],
    );
    session.updateFile('route.ts', route.replace('req.body.persona', "'a helpful assistant'")); // an edit: same files
    assert.equal(session.analyze(['route.ts', 'llm.ts']).findings.length, 0);
    session.updateFile('route.ts', route);
    session.updateFile('llm.ts', null); // deleted again
    assert.equal(session.analyze(['route.ts']).findings.length, 0);
    session.dispose();
  });

  it('keeps fingerprints stable when lines move and unrelated code changes', () => {
    const dir = tmpProject({ 'route.ts': PERSONA_ROUTE });
    const before = scan(dir).findings[0].fingerprint;
    fs.writeFileSync(path.join(dir, 'route.ts'), `// a new header comment\nimport { z } from 'zod';\n\nconst unused = z.string();\n` + PERSONA_ROUTE.replace('res.json(', 'res.status(200).json('));
    const after = scan(dir).findings[0];
    assert.notEqual(after.location.start.line, 11);
    assert.equal(after.fingerprint, before);
  });

  it('follows flows into functions of imported project files (CommonJS and ESM)', () => {
    const dir = tmpProject({
      'llm.cjs': `const OpenAI = require('openai');
const client = new OpenAI();
async function ask(persona, question) {
  return client.chat.completions.create({
    model: 'gpt-4.1-mini',
    messages: [
      { role: 'system', content: 'You are ' + persona },
      { role: 'user', content: question },
    ],
  });
}
module.exports = { ask };
`,
      'server.js': `const express = require('express');
const { ask } = require('./llm.cjs');
const app = express();
app.post('/ask', async (req, res) => {
  const answer = await ask(req.body.persona, req.body.question);
  res.json(answer);
});
`,
    });
    const { findings } = scan(dir);
    assert.equal(findings.length, 1);
    assert.equal(findings[0].location.file, 'llm.cjs');
    assert.equal(findings[0].location.start.line, 7);
    assert.ok(findings[0].path.some((s) => s.location.file === 'server.js'), 'the path starts at the request in server.js');
  });

  it('treats an allowlist check, a zod enum and role separation as safe', () => {
    const dir = tmpProject({
      'safe.ts': `import express from 'express';
import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';

const app = express();
const anthropic = new Anthropic();
const TONES = ['formal', 'friendly'] as const;
const Body = z.object({ tone: z.enum(['formal', 'friendly']), text: z.string().max(2000) });

app.post('/a', async (req, res) => {
  const tone = req.body.tone;
  if (!TONES.includes(tone)) return res.status(400).end();
  await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 300, system: \`Reply in a \${tone} tone.\`, messages: [{ role: 'user', content: req.body.text }] });
  res.end();
});

app.post('/b', async (req, res) => {
  const { tone, text } = Body.parse(req.body);
  await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 300, system: \`Reply in a \${tone} tone.\`, messages: [{ role: 'user', content: \`<note>\${text}</note>\` }] });
  res.end();
});
`,
    });
    assert.deepEqual(scan(dir).findings, []);
  });

  it('still reports through fake guards (trim, toLowerCase, z.string().max())', () => {
    const dir = tmpProject({
      'fake.ts': `import express from 'express';
import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';

const app = express();
const anthropic = new Anthropic();
const Body = z.object({ tone: z.string().min(1).max(20) });

app.post('/a', async (req, res) => {
  const tone = String(req.body.tone).trim().toLowerCase();
  await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 300, system: \`Reply in a \${tone} tone.\`, messages: [] });
  const parsed = Body.parse(req.body);
  await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 300, system: parsed.tone, messages: [] });
  res.end();
});
`,
    });
    assert.deepEqual(scan(dir).findings.map((f) => f.location.start.line), [11, 13]);
  });

  it('never crashes on broken, binary or empty files and still reports the others', () => {
    const dir = tmpProject({
      'route.ts': PERSONA_ROUTE,
      // a broken file that uses a model API (files that touch none are not parsed at all)
      'broken.ts': "import OpenAI from 'openai';\nexport const x = {{{ ;; function (",
      'blob.js': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02, 0x00]),
      'empty.ts': '',
      'latin1.js': Buffer.from('const s = "caf\xe9";\n', 'latin1'),
    });
    const r = scan(dir);
    assert.equal(r.findings.length, 1);
    assert.ok(r.notices.some((n) => n.kind === 'parse-error' && n.message.includes('broken.ts')));
    assert.ok(r.notices.some((n) => n.kind === 'unreadable' && n.message.includes('blob.js')));
  });

  it('honours suppressions with reasons, rejects reasonless ones and reports unused ones', () => {
    const suppressed = PERSONA_ROUTE.replace(
      "      { role: 'system'",
      '      // wirecheck-disable-next-line prompt-injection/untrusted-input-in-instructions -- persona is picked from a fixed menu upstream\n      { role: \'system\'',
    );
    let r = scan(tmpProject({ 'route.ts': suppressed }));
    assert.equal(r.findings.length, 0);

    const noReason = PERSONA_ROUTE.replace("      { role: 'system'", "      // wirecheck-disable-next-line prompt-injection\n      { role: 'system'");
    r = scan(tmpProject({ 'route.ts': noReason }));
    assert.equal(r.findings.length, 1, 'a suppression without a reason does not suppress');
    assert.ok(r.notices.some((n) => n.kind === 'suppression-without-reason'));

    const unused = `// wirecheck-disable-next-line rag-as-instructions -- not needed\nexport const x = 1;\n`;
    r = scan(tmpProject({ 'a.ts': unused }));
    assert.ok(r.notices.some((n) => n.kind === 'unused-suppression'));
  });

  it('applies config severities and turns rules off', () => {
    const dir = tmpProject({ 'route.ts': PERSONA_ROUTE });
    assert.equal(scan(dir, undefined, { rules: { 'prompt-injection': 'warning' } }).findings[0].severity, 'warning');
    assert.equal(scan(dir, undefined, { rules: { 'prompt-injection/untrusted-input-in-instructions': 'off' } }).findings.length, 0);
  });
});

describe('suppression comments', () => {
  it('reads directives from comments only, not from strings or templates', () => {
    const src = "const s = '// wirecheck-disable-next-line prompt-injection -- quoted';\nconst t = `${s} // wirecheck-disable-line rag-as-instructions`;\n// wirecheck-disable-next-line prompt-injection -- real\nfoo();\n";
    assert.deepEqual(parseDirectives(src).map((d) => [d.line, d.rules.join(',')]), [[3, 'prompt-injection']]);
  });

  it('parses rule ids and reasons', () => {
    const ds = parseDirectives('a\n// wirecheck-disable-next-line prompt-injection, rag-as-instructions -- fixed menu\nb\nc // wirecheck-disable-line rag-as-instructions\n');
    assert.equal(ds.length, 2);
    assert.deepEqual(ds[0].rules, ['prompt-injection', 'rag-as-instructions']);
    assert.equal(ds[0].reason, 'fixed menu');
    assert.equal(ds[0].target, 3);
    assert.equal(ds[1].kind, 'line');
    assert.equal(ds[1].target, 4);
    assert.equal(ds[1].reason, '');
  });
});

describe('SDK models', () => {
  it('load and validate', () => {
    const reg = loadModels();
    for (const id of ['openai', 'anthropic', 'google-genai', 'ai-sdk', 'langchain', 'llamaindex', 'ollama', 'mistral', 'cohere', 'openai-agents', 'openai-guardrails'])
      assert.ok(reg.models.has(id), `model ${id}`);
  });

  it('reject a model row with an unknown channel, naming the file and the path', () => {
    assert.throws(
      () => validateModelFile({ package: 'x', modules: ['x'], sinks: [{ call: ['Client.run'], fields: { prompt: 'shout' } }] }, 'x.yaml'),
      /x\.yaml: invalid model: \/sinks\/0\/fields\/prompt/,
    );
  });
});

describe('tight regular expressions', () => {
  it('accepts anchored narrow formats and rejects wildcards', () => {
    assert.ok(isTightRegex('/^[a-z]{2}-[A-Z]{2}$/'));
    assert.ok(isTightRegex('/^(formal|casual)$/'));
    assert.ok(!isTightRegex('/^.*$/'));
    assert.ok(!isTightRegex('/[a-z]+/'));
    assert.ok(!isTightRegex('/^[\\s\\S]{1,200}$/'));
    assert.ok(!isTightRegex('/^[^<>]+$/'));
    assert.ok(!isTightRegex('/^[a-z ]+$/'));
  });
});
