/**
 * Rule packs: the format and its schema, `extends` (built-in packs, files, npm packages, cycles,
 * precedence), models for in-house code, data-only taint rules, rule settings, policy, SARIF and
 * `wirecheck rules`, `wirecheck pack validate | test | init`, and the safety limits (alias bombs,
 * deep nesting, huge files, regular expressions on RE2, cycles): a hostile pack ends with exit 2.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { main, type Io } from '../hooks/cli';
import { createSession, discoverFiles, type Finding } from '../analyzers';
import { parseConfig, type Config } from '../analyzers/engine/config';
import {
  ConfigError,
  FIX_BUILDERS,
  MAX_PACK_BYTES,
  globToPattern,
  linearRegExp,
  loadConfig,
  validatePackFile,
} from '../analyzers/engine/packs';
import { wildcardMatch, pathMatches } from '../analyzers/engine/models';
import { toSarif } from '../analyzers/report/sarif';
import { rulesForConfig } from '../analyzers/rules';
import modelSchema from '../analyzers/schema/model.schema.json';
import packSchema from '../analyzers/schema/pack.schema.json';
import configSchema from '../analyzers/schema/config.schema.json';
import sandboxSchema from '../analyzers/schema/sandbox.schema.json';
import { removeTmpDirs, tmpDir, write } from './git-fixture';

const ROOT = path.resolve(__dirname, '..');
const ACME = path.join(ROOT, 'test/packs/acme');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], cwd: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: Io = { cwd, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, env: {} };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

function scan(root: string, config: Config, files?: string[]): Finding[] {
  const list = files ?? discoverFiles({ root, config, paths: [] }).files;
  const s = createSession({ root, config });
  try {
    return s.analyze(list).findings;
  } finally {
    s.dispose();
  }
}

const at = (f: Finding) => `${f.ruleId}@${f.location.file}:${f.location.start.line}`;

/** A throwaway project with these files. */
function project(files: Record<string, string>): string {
  const dir = tmpDir('wirecheck-pack-');
  for (const [rel, text] of Object.entries(files)) write(dir, rel, text);
  return dir;
}

const CHAT_ROUTE = `import express from 'express';
import OpenAI from 'openai';

const openai = new OpenAI();
const app = express();

app.post('/chat', async (req, res) => {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: \`You are the assistant of \${req.body.company}.\` },
      { role: 'user', content: req.body.message },
    ],
  });
  res.json({ reply: completion.choices[0].message.content });
});
`;

describe('rule packs', function () {
  this.timeout(120_000);
  after(removeTmpDirs);

  describe('format and schema', () => {
    it('publishes stable schema ids, and the config schema holds everything a pack can', () => {
      assert.equal(packSchema.$id, 'https://wirecheck.dev/schema/pack.schema.json');
      assert.equal(configSchema.$id, 'https://wirecheck.dev/schema/config.schema.json');
      assert.deepEqual(packSchema.required, ['wirecheck']);
      const packKeys = Object.keys(packSchema.properties).filter((k) => !['wirecheck', 'version', 'description'].includes(k));
      for (const k of packKeys) assert.ok(k in configSchema.properties, `config schema lacks '${k}'`);
      // the sandbox section is the sandbox launcher's own schema
      assert.equal(packSchema.definitions.sandbox.$ref, 'sandbox.schema.json');
    });

    it('compiles standalone in a JSON Schema validator (as an editor would load it)', () => {
      const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
      ajv.addSchema(modelSchema).addSchema(sandboxSchema).addSchema(packSchema);
      const validate = ajv.getSchema(packSchema.$id)!;
      const data = loadYamlFile(path.join(ACME, 'wirecheck-pack.yaml'));
      assert.ok(validate(data), JSON.stringify(validate.errors));
      assert.ok(!validate({ wirecheck: 2 }));
    });

    it('lists the fix builders the engine offers, the same in the schema and the code', () => {
      assert.deepEqual(packSchema.definitions.taintRule.properties.fix.enum, [...FIX_BUILDERS]);
    });

    it('keeps existing configurations valid', () => {
      const c = parseConfig('rules:\n  prompt-injection: warning\n  unpinned-model/unpinned-model-download: off\nignores: ["legacy/**"]\nfailOn: warning\nrequireSuppressionReason: false\n', 'wirecheck.config.yaml');
      assert.deepEqual(c.rules, { 'prompt-injection': 'warning', 'unpinned-model/unpinned-model-download': 'off' });
      assert.equal(c.failOn, 'warning');
      assert.deepEqual(c.ignores, ['legacy/**']);
    });

    it('lets a configuration carry models, taint rules, policy and sandbox like a pack', () => {
      const dir = project({
        'wirecheck.config.yaml': `models:
  - package: acme-llm
    modules: ['@acme/llm']
    sinks:
      - id: acme-system
        call: [acmeLLM.complete]
        fields: { system: instruction }
taintRules:
  - id: acme/request-in-system
    category: prompt-injection
    message: '{{source}} reaches {{sink}}.'
    sources: [untrusted]
    sinks: [acme-system]
modelPolicy: { revision: tag }
sandbox:
  network: { allowHosts: [huggingface.co] }
ignores: [vendor/**]
`,
      });
      const c = loadConfig(path.join(dir, 'wirecheck.config.yaml'));
      assert.equal(c.models?.[0].package, 'acme-llm');
      assert.equal(c.taintRules?.[0].id, 'acme/request-in-system');
      assert.deepEqual(c.sandbox, { network: { allowHosts: ['huggingface.co'] } });
    });

    it('requires the format field in a pack file and rejects an unknown format version', () => {
      const dir = project({ 'old.yaml': 'rules: {}\n', 'future.yaml': 'wirecheck: 2\n' });
      assert.match(validatePackFile(path.join(dir, 'old.yaml')).issues[0].message, /add `wirecheck: 1`/);
      assert.match(validatePackFile(path.join(dir, 'future.yaml')).issues[0].message, /unsupported pack format 2/);
    });
  });

  describe('extends', () => {
    it('ships wirecheck:recommended and wirecheck:strict as data, strict raising the bar', () => {
      const dir = project({ 'wirecheck.config.yaml': 'extends: wirecheck:strict\n' });
      const c = loadConfig(path.join(dir, 'wirecheck.config.yaml'));
      assert.equal(c.failOn, 'warning');
      assert.equal(c.requireSuppressionReason, true);
      assert.equal(c.rules?.['unpinned-model/unpinned-model-download'], 'error');
      assert.equal(c.rules?.['prompt-injection/untrusted-input-in-instructions'], 'error');
      for (const name of ['recommended', 'strict']) assert.ok(fs.existsSync(path.join(ROOT, 'analyzers/packs', `${name}.yaml`)));
    });

    it('applies extends in order, the file itself last, and CLI flags over all', async () => {
      const dir = project({
        'a.yaml': 'wirecheck: 1\nfailOn: note\nrules: { prompt-injection: note }\n',
        'b.yaml': 'wirecheck: 1\nfailOn: warning\nrules: { prompt-injection: warning, rag-as-instructions: note }\n',
        'wirecheck.config.yaml': 'extends: [./a.yaml, ./b.yaml]\nrules: { rag-as-instructions: error }\n',
        'src/chat.ts': CHAT_ROUTE,
      });
      const c = loadConfig(path.join(dir, 'wirecheck.config.yaml'));
      assert.equal(c.failOn, 'warning'); // b after a
      assert.equal(c.rules?.['prompt-injection'], 'warning');
      assert.equal(c.rules?.['rag-as-instructions'], 'error'); // the file over what it extends
      const findings = scan(dir, c);
      assert.deepEqual(findings.map((f) => [f.ruleId, f.severity]), [['prompt-injection/untrusted-input-in-instructions', 'warning']]);
      // failOn warning from the packs blocks; --fail-on error on the command line wins
      assert.equal((await run(['scan', '--format', 'json'], dir)).code, 1);
      assert.equal((await run(['scan', '--format', 'json', '--fail-on', 'error'], dir)).code, 0);
    });

    it('resolves npm packages that expose a pack, from the project node_modules, as data', () => {
      const dir = project({
        'node_modules/@acme/wirecheck-pack/package.json': JSON.stringify({ name: '@acme/wirecheck-pack', version: '1.0.0', main: 'index.js', wirecheck: 'packs/acme.yaml' }),
        // never required: a pack package's code does not run
        'node_modules/@acme/wirecheck-pack/index.js': "throw new Error('a pack package must not be executed');\n",
        'node_modules/@acme/wirecheck-pack/packs/acme.yaml': 'wirecheck: 1\nname: acme\nfailOn: note\n',
        'node_modules/plain-pack/package.json': JSON.stringify({ name: 'plain-pack', version: '2.0.0' }),
        'node_modules/plain-pack/wirecheck-pack.yaml': 'wirecheck: 1\nrequireSuppressionReason: false\n',
        'apps/web/wirecheck.config.yaml': 'extends: ["@acme/wirecheck-pack", plain-pack]\n',
      });
      const c = loadConfig(path.join(dir, 'apps/web/wirecheck.config.yaml'));
      assert.equal(c.failOn, 'note');
      assert.equal(c.requireSuppressionReason, false);
    });

    it('refuses a package whose pack path leaves the package, and names what cannot be resolved', () => {
      const dir = project({
        'node_modules/sneaky/package.json': JSON.stringify({ name: 'sneaky', wirecheck: '../../secrets.yaml' }),
        'a.yaml': 'wirecheck: 1\nextends:\n  - sneaky\n',
        'b.yaml': 'wirecheck: 1\nextends:\n  - "@acme/missing-pack"\n',
        'c.yaml': 'wirecheck: 1\nextends: wirecheck:paranoid\n',
      });
      const a = validatePackFile(path.join(dir, 'a.yaml'), dir).issues;
      assert.equal(a.length, 1);
      assert.equal(a[0].line, 3);
      assert.equal(a[0].path, 'extends[0]');
      assert.match(a[0].message, /points outside the package/);
      assert.match(validatePackFile(path.join(dir, 'b.yaml'), dir).issues[0].message, /package @acme\/missing-pack is not installed/);
      assert.match(validatePackFile(path.join(dir, 'c.yaml'), dir).issues[0].message, /unknown built-in pack 'wirecheck:paranoid'/);
    });

    it('detects cycles and prints the chain', async () => {
      const dir = project({
        'wirecheck.config.yaml': 'extends: ./team.yaml\n',
        'team.yaml': 'wirecheck: 1\nextends: ./org.yaml\n',
        'org.yaml': 'wirecheck: 1\nextends: [wirecheck:recommended, ./team.yaml]\n',
        'src/chat.ts': CHAT_ROUTE,
      });
      assert.throws(() => loadConfig(path.join(dir, 'wirecheck.config.yaml'), undefined, dir), (e: ConfigError) => {
        assert.match(e.message, /org\.yaml:2:\d+: extends\[1\]: extends cycle: team\.yaml → org\.yaml → team\.yaml/);
        return true;
      });
      const r = await run(['scan'], dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /extends cycle/);
    });

    it('resolves extends of a configuration given as data (a language client, a test) from the root', () => {
      const dir = project({ 'src/chat.ts': CHAT_ROUTE });
      const findings = scan(dir, { extends: 'wirecheck:strict', rules: { 'prompt-injection': 'warning' } });
      assert.deepEqual(findings.map((f) => f.severity), ['warning']);
    });
  });

  describe('models and taint rules (the Acme example pack)', () => {
    const config = () => loadConfig(path.join(ACME, 'wirecheck-pack.yaml'));

    it('reports flows through an in-house client, a relative-path wrapper and a knowledge-base service under the pack rule ids', () => {
      const findings = scan(path.join(ACME, 'examples'), config());
      assert.deepEqual(findings.map(at), [
        'acme/kb-html-in-email@src/jobs/digest.ts:10',
        'acme/llm-output-to-raw-sql@src/routes/reports.ts:14',
        'acme/kb-text-in-gateway-system@src/routes/support.ts:18',
        'acme/request-text-in-gateway-system@src/routes/support.ts:39',
        'acme/kb-text-in-gateway-system@src/routes/support.ts:60',
      ]);
      const kb = findings.find((f) => f.ruleId === 'acme/kb-text-in-gateway-system')!;
      assert.equal(kb.category, 'rag-as-instructions');
      assert.equal(kb.severity, 'error');
      assert.match(kb.message, /^Knowledge-base articles from `searchKnowledgeBase\(question\)` reaches the `system` of `acmeLLM\.complete\(\)`\. Acme policy/);
      assert.equal(kb.path[0].message, 'source: knowledge-base articles');
      assert.equal(findings.find((f) => f.ruleId === 'acme/kb-html-in-email')!.severity, 'warning');
    });

    it('matches nothing without the pack: the in-house APIs are unknown to the built-in models', () => {
      const findings = scan(path.join(ACME, 'examples'), {});
      assert.ok(!findings.some((f) => /support\.ts:(18|39|60)|reports\.ts:14|digest\.ts:10/.test(`${f.location.file}:${f.location.start.line}`)), findings.map(at).join(', '));
    });

    it('lets a pack rule claim a flow a built-in rule would report, and the built-in rule report it when the pack rule is off', () => {
      const base = config();
      const off: Config = { ...base, rules: { ...base.rules, 'acme/request-text-in-gateway-system': 'off' } };
      const findings = scan(path.join(ACME, 'examples'), off);
      assert.ok(!findings.some((f) => f.ruleId === 'acme/request-text-in-gateway-system'));
      assert.ok(findings.some((f) => at(f) === 'prompt-injection/untrusted-input-in-instructions@src/routes/support.ts:39'), findings.map(at).join(', '));
    });

    it('sets pack and built-in rule severities from rules, by id or by category', () => {
      const base = config();
      const findings = scan(path.join(ACME, 'examples'), { ...base, rules: { ...base.rules, 'acme/kb-html-in-email': 'error', 'rag-as-instructions': 'note' } });
      assert.equal(findings.find((f) => f.ruleId === 'acme/kb-html-in-email')!.severity, 'error');
      assert.ok(findings.filter((f) => f.category === 'rag-as-instructions').every((f) => f.severity === 'note'));
    });

    it('treats asserting validators, sanitizers named by a rule and allowlists as clean', () => {
      const findings = scan(path.join(ACME, 'examples'), config()).map(at);
      assert.ok(!findings.some((f) => /support\.ts:50|reports\.ts:23|digest\.ts:17/.test(f)), findings.join(', '));
    });

    it('knows in-house validators: predicates, instruction-safe results, clean-everywhere results, rule-only sanitizers', () => {
      const dir = project({
        'src/routes/assistant.ts': `import express from 'express';
import Anthropic from '@anthropic-ai/sdk';
import { isSafePersona, redactForPrompt, normalizeTopic, markReviewed } from '@acme/guard';

const anthropic = new Anthropic();
export const app = express();

app.post('/a', async (req, res) => {
  const persona = String(req.body.persona);
  if (!isSafePersona(persona)) return res.status(400).end();
  await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 300, system: \`You are \${persona}.\`, messages: [] });
  await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 300, system: \`Notes: \${redactForPrompt(req.body.notes)}\`, messages: [] });
  await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 300, system: \`Topic: \${normalizeTopic(req.body.topic)}\`, messages: [] });
  await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 300, system: \`Reviewed: \${markReviewed(req.body.text)}\`, messages: [] });
  await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 300, system: \`Raw: \${req.body.text}\`, messages: [] });
  res.end();
});
`,
      });
      const guard = {
        package: 'acme-guard',
        modules: ['@acme/guard'],
        sanitizers: [
          { call: ['isSafePersona'], mode: 'predicate' as const },
          { call: ['redactForPrompt'], for: ['instructions' as const] },
          { call: ['normalizeTopic'], for: ['all' as const] },
          { id: 'acme-reviewed', call: ['markReviewed'] },
        ],
      };
      const lines = (c: Config) => scan(dir, c).map((f) => `${f.ruleId}:${f.location.start.line}`);
      // without the models every call is a finding
      assert.deepEqual(lines({}).map((l) => l.split(':')[1]), ['11', '12', '13', '14', '15']);
      // `markReviewed` is clean only for the rule that names it
      assert.deepEqual(lines({ models: [guard] }), ['prompt-injection/untrusted-input-in-instructions:14', 'prompt-injection/untrusted-input-in-instructions:15']);
      const rule = { id: 'acme/request-in-system', category: 'prompt-injection' as const, message: '{{source}} reaches {{sink}}.', sources: ['untrusted'], sinks: ['instructions'], sanitizers: ['acme-reviewed'] };
      assert.deepEqual(lines({ models: [guard], taintRules: [rule] }), ['acme/request-in-system:15']);
    });

    it('names workspace files with globs matched in linear time', () => {
      const re = (g: string) => linearRegExp(globToPattern(g));
      assert.ok(re('**/lib/llm.ts').test('apps/web/src/lib/llm.ts'));
      assert.ok(re('**/lib/llm.ts').test('lib/llm.ts'));
      assert.ok(!re('src/lib/llm.ts').test('apps/src/lib/llm.ts'));
      assert.ok(re('llm.ts').test('deep/down/llm.ts'));
      assert.ok(re('src/lib/llm').test('src/lib/llm.tsx') && re('src/lib/llm').test('src/lib/llm/index.ts'));
      assert.ok(re('packages/*/src/{llm,ai}.ts').test('packages/web/src/ai.ts'));
      assert.ok(!re('packages/*/src/{llm,ai}.ts').test('packages/web/x/src/ai.ts'));
      assert.throws(() => globToPattern('../outside/llm.ts'), /inside it/);
    });

    it('reports a flow no built-in rule covers only when a taint rule selects it', () => {
      const dir = project({
        'src/jobs/render.ts': `import { searchKnowledgeBase } from '@acme/kb';
import { sendHtmlEmail } from '@acme/mailer';

export async function mailArticle(to: string, q: string): Promise<void> {
  const [a] = await searchKnowledgeBase(q);
  await sendHtmlEmail({ to, subject: a.title, html: a.body });
}
`,
      });
      const models = config().models!.filter((m) => m.package === 'acme-knowledge-base' || m.package === 'acme-platform');
      assert.deepEqual(scan(dir, { models }), []);
      const withRule = scan(dir, {
        models,
        taintRules: [{ id: 'acme/kb-html', category: 'output-to-sink', message: '{{source}} reaches {{sink}}.', sources: ['retrieved'], sinks: ['html'] }],
      });
      assert.deepEqual(withRule.map(at), ['acme/kb-html@src/jobs/render.ts:6']);
    });

    it('runs rule options: mixing off, a capability subset', () => {
      const dir = project({
        'src/summarize.ts': `import OpenAI from 'openai';
import express from 'express';
import { exec } from 'node:child_process';
import { writeFile } from 'node:fs/promises';

const openai = new OpenAI();
export const app = express();

app.post('/summarize', async (req, res) => {
  const r = await openai.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Summarize the following text in three short bullet points: ' + req.body.text });
  const out = r.choices[0].text;
  exec(out);
  await writeFile(out, 'x');
  res.json({ ok: true });
});
`,
      });
      const all = scan(dir, {}).map((f) => f.ruleId);
      assert.ok(all.includes('prompt-injection/untrusted-input-in-instructions'));
      assert.equal(all.filter((r) => r === 'output-to-sink/model-output-to-dangerous-sink').length, 2);
      const tuned = scan(dir, {
        rules: {
          'prompt-injection/untrusted-input-in-instructions': { options: { mixing: false } },
          'output-to-sink/model-output-to-dangerous-sink': { severity: 'warning', options: { capabilities: ['shell'] } },
        },
      });
      assert.deepEqual(tuned.map((f) => [f.ruleId, f.severity, f.location.start.line]), [['output-to-sink/model-output-to-dangerous-sink', 'warning', 12]]);
    });
  });

  describe('policy', () => {
    const DOWNLOADS = `import { pipeline } from '@huggingface/transformers';
import { Ollama } from 'ollama';

const ollama = new Ollama();

export async function load() {
  const tagged = await pipeline('sentiment-analysis', 'Xenova/distilbert-base-uncased', { revision: 'v1.2.0' });
  const branch = await pipeline('sentiment-analysis', 'Xenova/distilbert-base-uncased', { revision: 'main' });
  const nightly = await pipeline('sentiment-analysis', 'Xenova/distilbert-base-uncased', { revision: 'release-2024' });
  await ollama.pull({ model: 'registry.example.net/library/llama3.1:8b' });
  await ollama.pull({ model: 'models.acme.example/llama3.1:8b' });
  return { tagged, branch, nightly };
}
`;
    it('pins by commit by default; `revision: tag` accepts release tags matching the tag pattern (RE2)', () => {
      const dir = project({ 'src/models.ts': DOWNLOADS });
      const lines = (c: Config) => scan(dir, c).filter((f) => f.category === 'unpinned-model').map((f) => f.location.start.line);
      assert.deepEqual(lines({}), [7, 8, 9]);
      assert.deepEqual(lines({ modelPolicy: { revision: 'tag' } }), [8]);
      assert.deepEqual(lines({ modelPolicy: { revision: 'tag', tagPattern: '^v[0-9]+(\\.[0-9]+)*$' } }), [8, 9]);
    });

    it('reports downloads from hosts the policy does not allow, pinned or not', () => {
      const dir = project({ 'src/models.ts': DOWNLOADS });
      const findings = scan(dir, { modelPolicy: { allowedHosts: ['*.acme.example', 'huggingface.co'] } }).filter((f) => f.category === 'unpinned-model');
      assert.deepEqual(findings.map((f) => f.location.start.line), [7, 8, 9, 10]);
      assert.match(findings[3].message, /downloaded from registry\.example\.net, which the model policy does not allow/);
      const strict = scan(dir, { modelPolicy: { allowedHosts: ['models.acme.example'] } }).filter((f) => f.category === 'unpinned-model');
      assert.match(strict[0].message, /huggingface\.co/);
    });

    it('carries fail-on, suppression reasons and sandbox policy from packs', async () => {
      const dir = project({
        'wirecheck.config.yaml': 'extends: ./org.yaml\nsandbox: { network: { allowHosts: [api.openai.com] } }\n',
        'org.yaml': 'wirecheck: 1\nfailOn: note\nrequireSuppressionReason: true\nsandbox: { network: { allowHosts: [huggingface.co] }, env: { allow: [HF_TOKEN] } }\n',
        'src/chat.ts': CHAT_ROUTE.replace('      { role: \'system\'', "      // wirecheck-disable-next-line prompt-injection\n      { role: 'system'"),
      });
      const c = loadConfig(path.join(dir, 'wirecheck.config.yaml'));
      assert.deepEqual(c.sandbox, { network: { allowHosts: ['api.openai.com'] }, env: { allow: ['HF_TOKEN'] } });
      const r = await run(['scan', '--format', 'json'], dir);
      assert.equal(r.code, 1, r.stdout + r.stderr); // the suppression has no reason, so it does not count
      assert.match(r.stdout, /suppression needs a reason/);
    });
  });

  describe('reports and listing', () => {
    it('lists pack rules in SARIF tool.driver.rules with their metadata, results under the pack rule id', () => {
      const config = loadConfig(path.join(ACME, 'wirecheck-pack.yaml'));
      const root = path.join(ACME, 'examples');
      const s = createSession({ root, config });
      const result = s.analyze(discoverFiles({ root, config, paths: [] }).files);
      s.dispose();
      const sarif = toSarif(result, { version: '0.1.0', root, rules: rulesForConfig(config) });
      const rules = sarif.runs[0].tool.driver.rules;
      const kb = rules.find((r) => r.id === 'acme/kb-text-in-gateway-system')!;
      assert.equal(kb.helpUri, 'https://security.acme.example/llm/kb-text-in-system');
      assert.equal(kb.defaultConfiguration?.level, 'error');
      assert.equal(kb.properties?.category, 'rag-as-instructions');
      assert.equal(kb.properties?.pack, 'acme-llm-policy');
      assert.deepEqual(kb.properties?.tags, ['security', 'external/cwe/cwe-1427', 'owasp-llm01', 'owasp-llm08']);
      const sql = rules.find((r) => r.id === 'acme/llm-output-to-raw-sql')!;
      assert.equal(sql.helpUri, undefined); // no documentation page was given
      assert.equal(sql.shortDescription?.text, 'Model output is run as raw SQL through db.rawQuery()');
      for (const res of sarif.runs[0].results) assert.equal(rules[res.ruleIndex].id, res.ruleId);
      assert.ok(sarif.runs[0].results.some((r) => r.ruleId === 'acme/kb-html-in-email' && r.level === 'warning'));
    });

    it('lists pack rules in `wirecheck rules`', async () => {
      const r = await run(['rules', '--format', 'json', '--config', 'wirecheck-pack.yaml'], ACME);
      assert.equal(r.code, 0, r.stderr);
      const rules = JSON.parse(r.stdout) as { id: string; severity: string; pack?: string; fix?: string }[];
      assert.equal(rules.length, 9);
      const kb = rules.find((x) => x.id === 'acme/kb-text-in-gateway-system')!;
      assert.deepEqual([kb.pack, kb.fix], ['acme-llm-policy', 'move-to-user-message']);
      assert.equal(rules.find((x) => x.id === 'unpinned-model/unpinned-model-download')!.severity, 'error');
      const table = await run(['rules', '--config', 'wirecheck-pack.yaml'], ACME);
      assert.match(table.stdout, /acme\/llm-output-to-raw-sql +output-to-sink +error/);
    });
  });

  describe('wirecheck pack validate', () => {
    it('accepts the example pack and the built-in packs', async () => {
      const r = await run(['pack', 'validate', 'wirecheck-pack.yaml'], ACME);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /wirecheck-pack\.yaml: valid — 5 models \(\d+ rows\), 4 taint rules/);
      for (const name of ['recommended', 'strict']) assert.equal((await run(['pack', 'validate', `analyzers/packs/${name}.yaml`], ROOT)).code, 0);
    });

    it('names file, line and path for schema and semantic problems', async () => {
      const dir = project({
        'pack.yaml': `wirecheck: 1
extends: wirecheck:recommended
rules:
  acme/unknwn: error
models:
  - package: acme-llm
    modules: [./lib/llm]
    types:
      Client: [createClient()]
    sources:
      - id: kb
        call: [searchKb]
        kind: retrieved
    sinks:
      - id: kb
        call: [Clinet.complete]
        fields: { system: instruction }
    downloads:
      - call: [fetchWeights]
        kind: url
        model: url
taintRules:
  - id: acme/a
    category: prompt-injection
    message: '{{source}} reaches {{sink}}'
    sources: [untrustd]
    sinks: [kb]
  - id: acme/a
    category: prompt-injection
    message: '{{source}} reaches {{sink}}'
    sources: [kb]
    sinks: [instructions]
`,
        'ext.yaml': `wirecheck: 1
description: extends what is not there
extends: [wirecheck:recommended, ./missing.yaml]
`,
        'bad-kind.yaml': `wirecheck: 1
taintRules:
  - id: acme/b
    category: prompt-injection
    message: hi
    fix: rewrite-it
    sources: [untrusted]
    sinks: [shell]
models:
  - package: acme-kb
    modules: ['@acme/kb']
    sources:
      - call: [search]
        kind: retreived
`,
      });
      const r = await run(['pack', 'validate', 'pack.yaml', '--format', 'json'], dir);
      assert.equal(r.code, 2);
      const issues = (JSON.parse(r.stdout) as { issues: { line: number; path: string; message: string }[] }).issues;
      const find = (p: string) => issues.find((i) => i.path === p);
      assert.match(find('rules["acme/unknwn"]')!.message, /unknown rule/);
      assert.match(find('models[0].modules[0]')!.message, /relative path.*cannot match.*files/);
      assert.equal(find('models[0].modules[0]')!.line, 7);
      assert.match(find('models[0].sinks[0].id')!.message, /duplicate row id 'kb'/);
      assert.match(find('models[0].sinks[0].call[0]')!.message, /did you mean 'Client'/);
      assert.equal(find('models[0].sinks[0].call[0]')!.line, 16);
      assert.match(find('models[0].downloads[0].model')!.message, /cannot match/);
      assert.match(find('taintRules[1].id')!.message, /duplicate rule id 'acme\/a'/);
      assert.equal(find('taintRules[1].id')!.line, 28);

      const e = await run(['pack', 'validate', 'ext.yaml'], dir);
      assert.equal(e.code, 2);
      assert.match(e.stderr, /^ext\.yaml:3:\d+: extends\[1\]: cannot resolve '\.\/missing\.yaml': no such file missing\.yaml$/m);

      const k = await run(['pack', 'validate', 'bad-kind.yaml'], dir);
      assert.equal(k.code, 2);
      assert.match(k.stderr, /bad-kind\.yaml:6:\d+: taintRules\[0\]\.fix: must be one of: move-to-user-message, .* \(got "rewrite-it"\)/);
      assert.match(k.stderr, /bad-kind\.yaml:14:\d+: models\[0\]\.sources\[0\]\.kind: must be one of: untrusted, retrieved, llm-output \(got "retreived"\)/);
    });

    it('a broken configuration stops a scan with exit 2, the message naming file, line and path', async () => {
      const dir = project({ 'wirecheck.config.yaml': 'rules:\n  prompt-injection: critical\n', 'src/chat.ts': CHAT_ROUTE });
      const r = await run(['scan'], dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /wirecheck\.config\.yaml:2:\d+: rules\["prompt-injection"\]: must be one of: error, warning, note, off \(got "critical"\)/);
    });
  });

  describe('wirecheck pack test', () => {
    it('runs the annotated example app against the pack found above the folder', async () => {
      const r = await run(['pack', 'test', 'test/packs/acme/examples'], ROOT);
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /✓ expect acme\/kb-text-in-gateway-system \(line 18\)/);
      assert.match(r.stdout, /✓ ok acme\/request-text-in-gateway-system \(line 50\)/);
      assert.match(r.stdout, /^10 passed, 0 failed$/m);
    });

    it('fails, with a non-zero exit, when an expectation is not met or a pack rule reports an unannotated line', async () => {
      const dir = tmpDir('wirecheck-pack-test-');
      fs.cpSync(ACME, dir, { recursive: true });
      const support = path.join(dir, 'examples/src/routes/support.ts');
      let text = fs.readFileSync(support, 'utf8');
      // the safe route becomes unsafe under its `ok` annotation; one `expect` is removed
      text = text.replace('    system: SUPPORT_INSTRUCTIONS,', '    system: SUPPORT_INSTRUCTIONS + articles.map((a) => a.body).join(),');
      text = text.replace('    // wirecheck-expect: acme/request-text-in-gateway-system\n', '');
      fs.writeFileSync(support, text);
      const reports = path.join(dir, 'examples/src/routes/reports.ts');
      fs.writeFileSync(reports, fs.readFileSync(reports, 'utf8').replace('// wirecheck-expect: acme/llm-output-to-raw-sql', '// wirecheck-expect: acme/llm-output-to-raw-sq1'));
      const r = await run(['pack', 'test', 'examples', '--format', 'json'], dir);
      assert.equal(r.code, 1);
      const out = JSON.parse(r.stdout) as { passed: number; failed: number; cases: { file: string; line: number; kind: string; rule: string; passed: boolean; detail?: string }[] };
      const failed = out.cases.filter((c) => !c.passed).map((c) => `${c.kind} ${c.rule} ${c.file}:${c.line}`);
      assert.deepEqual(failed.sort(), [
        'expect acme/llm-output-to-raw-sq1 src/routes/reports.ts:14',
        'ok acme/kb-text-in-gateway-system src/routes/support.ts:29',
        'unexpected acme/llm-output-to-raw-sql src/routes/reports.ts:14',
        'unexpected acme/request-text-in-gateway-system src/routes/support.ts:38',
      ]);
      assert.equal(out.failed, 4);
      const text2 = await run(['pack', 'test', 'examples'], dir);
      assert.match(text2.stdout, /✗ ok acme\/kb-text-in-gateway-system \(line 29\)\n {6}line 29 was reported: /);
      assert.match(text2.stdout, /unknown rule 'acme\/llm-output-to-raw-sq1'/);
      assert.match(text2.stdout, /^\d+ passed, 4 failed$/m);
    });

    it('takes the pack from --pack, and refuses a folder without annotations', async () => {
      const dir = project({ 'cases/a.ts': CHAT_ROUTE, 'policy/pack.yaml': 'wirecheck: 1\n' });
      const none = await run(['pack', 'test', 'cases', '--pack', 'policy/pack.yaml'], dir);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /no annotated example files/);
      write(dir, 'cases/a.ts', CHAT_ROUTE.replace("      { role: 'system'", "      // wirecheck-expect: prompt-injection/untrusted-input-in-instructions\n      { role: 'system'"));
      const r = await run(['pack', 'test', 'cases', '--pack', 'policy/pack.yaml'], dir);
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /1 passed, 0 failed/);
    });
  });

  describe('wirecheck pack init', () => {
    it('scaffolds a pack whose own test passes out of the box', async () => {
      const dir = tmpDir('wirecheck-pack-init-');
      const r = await run(['pack', 'init', 'security/llm-pack'], dir);
      assert.equal(r.code, 0, r.stderr);
      const packFile = path.join(dir, 'security/llm-pack/wirecheck-pack.yaml');
      assert.match(fs.readFileSync(packFile, 'utf8'), /^# yaml-language-server: \$schema=\S*analyzers\/schema\/pack\.schema\.json\n(#.*\n)*wirecheck: 1\n/);
      assert.equal((await run(['pack', 'validate', 'security/llm-pack/wirecheck-pack.yaml'], dir)).code, 0);
      const t = await run(['pack', 'test', 'security/llm-pack'], dir);
      assert.equal(t.code, 0, t.stdout + t.stderr);
      assert.match(t.stdout, /✓ expect my-org\/request-text-in-system/);
      assert.match(t.stdout, /2 passed, 0 failed/);
      const again = await run(['pack', 'init', 'security/llm-pack'], dir);
      assert.equal(again.code, 2);
      assert.match(again.stderr, /already exists/);
    });
  });

  describe('safety: a hostile or broken pack ends with exit 2, never a hang', () => {
    const hostile = async (name: string, text: string, expected: RegExp) => {
      const dir = project({ [name]: text, 'wirecheck.config.yaml': `extends: ./${name}\n`, 'src/chat.ts': CHAT_ROUTE });
      const started = Date.now();
      const v = await run(['pack', 'validate', name], dir);
      assert.equal(v.code, 2, v.stdout);
      assert.match(v.stderr, expected);
      const s = await run(['scan'], dir);
      assert.equal(s.code, 2, s.stdout);
      assert.match(s.stderr, expected);
      assert.ok(Date.now() - started < 60_000);
    };

    it('a YAML alias bomb ("billion laughs")', async () => {
      let text = 'wirecheck: 1\ndescription: x\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
      for (let i = 1; i < 10; i++) text += `x${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
      await hostile('laughs.yaml', text, /laughs\.yaml: uses more than 50 aliases/);
    });

    it('deep nesting, in flow and block style and in JSON', async () => {
      await hostile('flow.yaml', `wirecheck: 1\ndescription: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`, /flow\.yaml:2:1: nests deeper than 64 levels/);
      let block = 'wirecheck: 1\nsandbox:\n';
      for (let i = 1; i < 100; i++) block += `${'  '.repeat(i)}k:\n`;
      await hostile('block.yaml', block, /block\.yaml:\d+:1: nests deeper than 64 levels/);
      await hostile('deep.json', `{"wirecheck": 1, "sandbox": ${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`, /deep\.json(:\d+:\d+)?: nests deeper than 64 levels/);
    });

    it('a file over the size limit', async () => {
      await hostile('huge.yaml', `wirecheck: 1\ndescription: "${'x'.repeat(MAX_PACK_BYTES + 10)}"\n`, /huge\.yaml: is \d+ bytes, over the limit of 1000000 bytes/);
    });

    it('a regular expression the linear engine cannot run (backreference, lookaround)', async () => {
      await hostile('backref.yaml', "wirecheck: 1\nmodelPolicy:\n  revision: tag\n  tagPattern: '^(v)\\1$'\n", /backref\.yaml:4:\d+: modelPolicy\.tagPattern: not a pattern that runs in linear time/);
      await hostile('lookahead.yaml', "wirecheck: 1\nmodelPolicy:\n  revision: tag\n  tagPattern: '^(?=v)v[0-9]+$'\n", /not a pattern that runs in linear time/);
    });

    it('an extends cycle', async () => {
      const dir = project({ 'a.yaml': 'wirecheck: 1\nextends: ./b.yaml\n', 'b.yaml': 'wirecheck: 1\nextends: ./a.yaml\n' });
      const r = await run(['pack', 'validate', 'a.yaml'], dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /extends cycle: a\.yaml → b\.yaml → a\.yaml/);
    });

    it('runs catastrophic-backtracking patterns on RE2, in linear time', () => {
      const re = linearRegExp('^(a+)+$');
      assert.ok(!(re instanceof RegExp));
      const evil = 'a'.repeat(200_000) + '!';
      const t = Date.now();
      assert.equal(re.test(evil), false);
      assert.ok(Date.now() - t < 10_000);
      // access-path wildcards are matched without regular expressions
      const pattern = '*a*a*a*a*a*a*a*a*a*a*a*a*b';
      assert.equal(wildcardMatch(pattern, 'a'.repeat(5_000)), false);
      assert.equal(wildcardMatch('create*', 'createChatCompletion'), true);
      assert.equal(pathMatches(['Client', 'chat', '*'], ['Client', 'chat', 'completions']), true);
    });

    it('never requires a package that exposes a pack', () => {
      const dir = project({
        'node_modules/evil-pack/package.json': JSON.stringify({ name: 'evil-pack', main: 'index.js' }),
        'node_modules/evil-pack/index.js': "require('fs').writeFileSync(require('path').join(__dirname, 'ran'), 'yes');\n",
        'node_modules/evil-pack/wirecheck-pack.yaml': 'wirecheck: 1\n',
        'wirecheck.config.yaml': 'extends: evil-pack\n',
      });
      loadConfig(path.join(dir, 'wirecheck.config.yaml'));
      assert.ok(!fs.existsSync(path.join(dir, 'node_modules/evil-pack/ran')));
    });
  });
});

function loadYamlFile(file: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml') as typeof import('yaml');
  return YAML.parse(fs.readFileSync(file, 'utf8'));
}

describe('rule packs: fixes for pack rules', () => {
  const root = path.resolve(__dirname, 'packs/acme');

  it("offers the rule's named fix first, using the data channel the pack models declare, and it clears the finding", () => {
    const config = parseConfig(fs.readFileSync(path.join(root, 'wirecheck-pack.yaml'), 'utf8'), path.join(root, 'wirecheck-pack.yaml'));
    const session = createSession({ root, config });
    const rel = 'examples/src/routes/support.ts';
    const findings = session.analyze([rel]).findings.filter((f) => f.ruleId === 'acme/request-text-in-gateway-system');
    assert.equal(findings.length, 1);
    const [fix] = findings[0].fixes;
    assert.ok(fix, 'no fix for the pack rule');
    assert.match(fix.description, /^Move the untrusted text out of the instructions into the `question`/);
    const { applyEdits } = require('../analyzers/fixes/apply') as typeof import('../analyzers/fixes/apply');
    const text = applyEdits(fs.readFileSync(path.join(root, rel), 'utf8'), fix.edits);
    assert.match(text, /instructions: `You answer in the voice of <persona>\. Keep answers under 100 words\.`,\n\s+question: `<persona>\\n\$\{persona\}\\n<\/persona>\\n\\n\$\{String\(req\.body\.question\)\}`/);
    session.updateFile(rel, text);
    assert.deepEqual(session.analyze([rel]).findings.filter((f) => f.ruleId === 'acme/request-text-in-gateway-system'), []);
  });
});
