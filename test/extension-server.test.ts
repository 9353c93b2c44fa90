/**
 * The VS Code extension's language server, driven over LSP (stdio) the way the editor drives it:
 * diagnostics, hovers, code actions pinned to document versions, dependents, settings, workspace
 * trust, configuration errors, the time budget and the workspace scan.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, Hover, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { copyWorkspace, ensureExtensionBuilt } from './editor/build';
import { LspClient } from './editor/lsp';

const PI = 'prompt-injection/untrusted-input-in-instructions';
const UNPINNED = 'unpinned-model/unpinned-model-download';

function read(root: string, rel: string): string {
  return fs.readFileSync(path.join(root, rel), 'utf8');
}

/** The 0-based range of `needle` in `text` (its first occurrence). */
function rangeOf(text: string, needle: string): { start: { line: number; character: number }; end: { line: number; character: number } } {
  const doc = TextDocument.create('file:///x.ts', 'typescript', 1, text);
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `${needle} not in text`);
  return { start: doc.positionAt(i), end: doc.positionAt(i + needle.length) };
}

function applyAction(text: string, action: CodeAction): string {
  const change = action.edit!.documentChanges![0] as TextDocumentEdit;
  return TextDocument.applyEdits(TextDocument.create('file:///x.ts', 'typescript', 1, text), change.edits);
}

function codes(ds: Diagnostic[]): string[] {
  return ds.map((d) => String(d.code));
}

/** A generated route file large enough to take far longer than a tiny time budget. */
function largeRouteFile(lines: number): string {
  let s = `import express from 'express';\nimport OpenAI from 'openai';\n\nconst openai = new OpenAI();\nexport const app = express();\n`;
  for (let i = 0; s.split('\n').length < lines; i++)
    s += `
app.post('/topics/${i}', async (req, res) => {
  const topic = String(req.body.topic ?? '').trim();
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You explain topic ${i} of the help center in two sentences.' },
      { role: 'user', content: topic },
    ],
  });
  res.json({ reply: completion.choices[0]?.message.content ?? '' });
});
`;
  return s;
}

describe('VS Code extension: language server over LSP', function () {
  this.timeout(120_000);
  let root: string;
  let client: LspClient | undefined;

  before(() => ensureExtensionBuilt());
  beforeEach(() => {
    root = copyWorkspace();
  });
  afterEach(async () => {
    await client?.dispose();
    client = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function start(settings: Record<string, unknown> = {}, trusted = true): Promise<LspClient> {
    client = new LspClient({ root, settings, trusted });
    await client.initialize();
    return client;
  }

  it('publishes a finding at the sink with its rule, docs page, severity and taint path', async () => {
    const c = await start();
    const text = read(root, 'src/routes/chat.ts');
    c.open('src/routes/chat.ts', text);
    const [d, ...rest] = await c.diagnostics('src/routes/chat.ts', 1);
    assert.equal(rest.length, 0);
    assert.equal(d.source, 'Wirecheck');
    assert.equal(d.code, PI);
    assert.equal(d.severity, 1);
    assert.equal(d.codeDescription?.href, `https://github.com/wirecheck/wirecheck/blob/main/analyzers/docs/rules/${PI}.md`);
    assert.deepEqual(d.range, rangeOf(text, '`You are ${persona}, a support agent for Acme. Answer briefly.`'));
    assert.match(d.message, /req\.body/);
    // the path runs from the request body to the system message
    const steps = d.relatedInformation!;
    assert.equal(steps.length, 2);
    assert.equal(steps[0].location.uri, c.uri('src/routes/chat.ts'));
    assert.equal(steps[0].location.range.start.line, rangeOf(text, 'req.body as').start.line);
    assert.match(steps[0].message, /^1\/2 source: request data/);
    assert.deepEqual(steps[1].location.range, d.range);
    assert.match(steps[1].message, /^2\/2 reaches the instruction channel/);

    const hover = (await c.connection.sendRequest('textDocument/hover', { textDocument: { uri: c.uri('src/routes/chat.ts') }, position: d.range.start })) as Hover;
    const md = (hover.contents as { value: string }).value;
    assert.match(md, /Untrusted input reaches the instruction channel of a model call/);
    assert.match(md, /CWE-1427/);
    assert.match(md, /\[Rule documentation\]\(https:\/\/github\.com\/wirecheck\/wirecheck\/blob\/main\/analyzers\/docs\/rules\/prompt-injection\/untrusted-input-in-instructions\.md\)/);
  });

  it('offers the engine fix (preferred, pinned to the version), suppression and docs; the fix removes the finding', async () => {
    const c = await start();
    const text = read(root, 'src/routes/chat.ts');
    const uri = c.open('src/routes/chat.ts', text);
    const diags = await c.diagnostics('src/routes/chat.ts', 1);
    const actions = (await c.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diags[0].range, context: { diagnostics: diags } })) as CodeAction[];
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1, 'exactly one preferred fix');
    const fix = preferred[0];
    assert.equal(fix.kind, 'quickfix');
    assert.match(fix.title, /user message/);
    assert.deepEqual((fix.edit!.documentChanges![0] as TextDocumentEdit).textDocument, { uri, version: 1 });
    const suppress = actions.find((a) => a.command?.command === 'wirecheck.suppressWithReason');
    assert.ok(suppress, 'a suppress action');
    assert.deepEqual(suppress.command!.arguments, [{ uri, version: 1, line: diags[0].range.start.line, ruleId: PI }]);
    const docs = actions.find((a) => a.command?.command === 'wirecheck.showRuleDocs');
    assert.deepEqual(docs?.command?.arguments, [PI, `https://github.com/wirecheck/wirecheck/blob/main/analyzers/docs/rules/${PI}.md`]);

    const fixed = applyAction(text, fix);
    assert.match(fixed, /role: 'user'/);
    const v2 = c.change('src/routes/chat.ts', fixed);
    assert.deepEqual(codes(await c.diagnostics('src/routes/chat.ts', v2)), []);
  });

  it('never offers a fix recorded for an older version of the document', async () => {
    const c = await start();
    const text = read(root, 'src/routes/chat.ts');
    const uri = c.open('src/routes/chat.ts', text);
    const v1 = await c.diagnostics('src/routes/chat.ts', 1);
    const edited = `// Reviewed in SEC-2291.\n${text}`;
    const v2 = c.change('src/routes/chat.ts', edited);
    // asked before version 2 is analysed: the version 1 fixes are stale
    const stale = (await c.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: v1[0].range, context: { diagnostics: v1 } })) as CodeAction[];
    assert.deepEqual(stale, []);
    const fresh = await c.diagnostics('src/routes/chat.ts', v2);
    assert.equal(fresh[0].range.start.line, v1[0].range.start.line + 1);
    const actions = (await c.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: fresh[0].range, context: { diagnostics: fresh } })) as CodeAction[];
    const fix = actions.find((a) => a.isPreferred)!;
    assert.equal((fix.edit!.documentChanges![0] as TextDocumentEdit).textDocument.version, v2);
    assert.match(applyAction(edited, fix), /^\/\/ Reviewed in SEC-2291\./);
  });

  it('fix-all (source.fixAll.wirecheck) applies the safe fixes only', async () => {
    const c = await start();
    const text = read(root, 'src/routes/chat.ts');
    const uri = c.open('src/routes/chat.ts', text);
    await c.diagnostics('src/routes/chat.ts', 1);
    const actions = (await c.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.wirecheck');
    assert.equal((actions[0].edit!.documentChanges![0] as TextDocumentEdit).textDocument.version, 1);
    const fixed = applyAction(text, actions[0]);
    assert.doesNotMatch(fixed, /ALLOWED_PERSONA/, 'the allowlist suggestion is not applied');
    const v2 = c.change('src/routes/chat.ts', fixed);
    assert.deepEqual(codes(await c.diagnostics('src/routes/chat.ts', v2)), []);
    // nothing left to fix
    const again = (await c.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    assert.deepEqual(again, []);
    // on save right after typing: computed on the newest text, before that version is analysed
    const v3 = c.change('src/routes/chat.ts', text.replace('Answer briefly.', 'Answer in two sentences.'));
    const onSave = (await c.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.wirecheck'] },
    })) as CodeAction[];
    assert.equal(onSave.length, 1);
    assert.equal((onSave[0].edit!.documentChanges![0] as TextDocumentEdit).textDocument.version, v3);
    assert.match(applyAction(text.replace('Answer briefly.', 'Answer in two sentences.'), onSave[0]), /Answer in two sentences\.` \},\n {6}\{ role: 'user', content: `<persona>/);
  });

  it('re-analyses open files that import a changed buffer, and again when it is closed unsaved', async () => {
    const c = await start();
    c.open('src/routes/escalate.ts', read(root, 'src/routes/escalate.ts'));
    assert.deepEqual(codes(await c.diagnostics('src/routes/escalate.ts', 1)), [PI]);
    const prompts = read(root, 'src/lib/prompts.ts');
    c.open('src/lib/prompts.ts', prompts);
    await c.diagnostics('src/lib/prompts.ts', 1);
    const escalate = c.uri('src/routes/escalate.ts');
    const before = c.published.get(escalate);
    c.change(
      'src/lib/prompts.ts',
      prompts.replace(
        'export function escalationPrompt(team: string): string {\n',
        "const TEAMS = ['billing', 'shipping', 'security'];\n\nexport function escalationPrompt(team: string): string {\n  if (!TEAMS.includes(team)) throw new Error(`unknown team: ${team}`);\n",
      ),
    );
    // the helper now checks its argument against an allowlist: the route is clean, without being edited
    await c.until('escalate.ts re-published clean', () => {
      const p = c.published.get(escalate);
      return p !== before && p?.diagnostics.length === 0;
    });
    const clean = c.published.get(escalate);
    c.close('src/lib/prompts.ts');
    await c.until('escalate.ts back to the disk version of the helper', () => {
      const p = c.published.get(escalate);
      return p !== clean && p?.diagnostics.length === 1;
    });
  });

  it('applies severity overrides and turns off with wirecheck.enable; onSave waits for the save', async () => {
    const c = await start({ rules: { 'prompt-injection': 'warning' } });
    const text = read(root, 'src/routes/chat.ts');
    const uri = c.open('src/routes/chat.ts', text);
    const [d] = await c.diagnostics('src/routes/chat.ts', 1);
    assert.equal(d.severity, 2);

    c.settings = { run: 'onSave' };
    const published = c.published.get(uri);
    void c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await c.until('re-published after the settings change', () => c.published.get(uri) !== published && c.published.get(uri));
    assert.equal(c.published.get(uri)!.diagnostics[0].severity, 1);
    const afterSettings = c.published.get(uri);
    const v2 = c.change('src/routes/chat.ts', text.replace("{ role: 'user', content: message }", "{ role: 'system', content: message }"));
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(c.published.get(uri), afterSettings, 'nothing published before the save');
    void c.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    assert.equal((await c.diagnostics('src/routes/chat.ts', v2)).length, 2);

    c.settings = { enable: false };
    void c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await c.until('cleared when disabled', () => c.published.get(uri)?.diagnostics.length === 0);
    await c.until('status disabled', () => c.statuses.at(-1)?.state === 'disabled');
  });

  it('loads the workspace configuration only in a trusted workspace', async () => {
    const c = await start({}, false);
    c.open('src/models/embedder.ts', read(root, 'src/models/embedder.ts'));
    const [restricted] = await c.diagnostics('src/models/embedder.ts', 1);
    assert.equal(restricted.code, UNPINNED);
    assert.equal(restricted.severity, 2, 'built-in severity (warning): wirecheck.config.yaml is not read');
    assert.equal(c.statuses.at(-1)?.state, 'restricted');
    const uri = c.uri('src/models/embedder.ts');
    void c.connection.sendNotification('wirecheck/trust', { trusted: true });
    await c.until('the configuration applies once trusted', () => c.published.get(uri)?.diagnostics[0]?.severity === 1);
    await c.until('status ready', () => c.statuses.at(-1)?.state === 'ready');
  });

  it('shows an invalid configuration on the file, keeps the built-in rules, and recovers when fixed', async () => {
    const configPath = path.join(root, 'wirecheck.config.yaml');
    fs.writeFileSync(configPath, 'rules:\n  unpinned-model: loud\n');
    const c = await start();
    c.open('src/models/embedder.ts', read(root, 'src/models/embedder.ts'));
    const [d] = await c.diagnostics('src/models/embedder.ts', 1);
    assert.equal(d.severity, 2);
    const configUri = pathToFileURL(configPath).href;
    const [problem] = await c.until('config diagnostic', () => (c.published.get(configUri)?.diagnostics.length ? c.published.get(configUri)!.diagnostics : undefined));
    assert.equal(problem.code, 'config');
    // on the offending value, with what is wrong
    assert.deepEqual(problem.range.start, { line: 1, character: 18 });
    assert.match(problem.message, /^rules\["unpinned-model"\]: must be one of: error, warning, note, off \(got "loud"\)/);
    await c.until('status error', () => c.statuses.at(-1)?.state === 'error');

    fs.writeFileSync(configPath, 'rules:\n  unpinned-model: error\n');
    void c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    await c.until('config diagnostic cleared', () => c.published.get(configUri)?.diagnostics.length === 0);
    await c.until('configuration applied', () => c.published.get(c.uri('src/models/embedder.ts'))?.diagnostics[0]?.severity === 1);
  });

  it("reports a rule pack's own rules with the pack's documentation link and description", async () => {
    fs.mkdirSync(path.join(root, 'policy'));
    fs.writeFileSync(
      path.join(root, 'policy', 'helpdesk.wirecheck.yaml'),
      `wirecheck: 1
name: helpdesk-policy
description: The helpdesk's LLM gateway and the security team's rule for it.
models:
  - package: helpdesk-gateway
    description: The helpdesk's LLM gateway client.
    modules: ['@helpdesk/llm']
    types:
      Gateway: [gateway]
    sinks:
      - id: helpdesk-gateway-system
        call: [Gateway.complete]
        fields: { system: instruction, input: prompt }
taintRules:
  - id: helpdesk/request-text-in-gateway-system
    category: prompt-injection
    severity: warning
    message: '{{source}} reaches {{sink}}. Pass it as \`input\` instead.'
    description: Request data is placed in the system prompt of the helpdesk gateway
    cwe: [CWE-1427]
    owasp: [LLM01]
    helpUri: https://security.helpdesk.example/llm/request-text-in-system
    sources: [untrusted]
    sinks: [helpdesk-gateway-system]
`,
    );
    fs.writeFileSync(path.join(root, 'wirecheck.config.yaml'), 'extends: ./policy/helpdesk.wirecheck.yaml\nrules:\n  unpinned-model: error\n');
    const text = `import express from 'express';
import { gateway } from '@helpdesk/llm';

export const briefRouter = express.Router();

briefRouter.post('/brief', async (req, res) => {
  const out = await gateway.complete({ system: \`Write in the voice of \${req.body.persona}.\`, input: String(req.body.text) });
  res.json(out);
});
`;
    const c = await start();
    const uri = c.open('src/routes/brief.ts', text);
    const [d] = await c.diagnostics('src/routes/brief.ts', 1);
    assert.equal(d.code, 'helpdesk/request-text-in-gateway-system');
    assert.equal(d.severity, 2);
    assert.equal(d.codeDescription?.href, 'https://security.helpdesk.example/llm/request-text-in-system');
    const hover = (await c.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: d.range.start })) as Hover;
    const md = (hover.contents as { value: string }).value;
    assert.match(md, /Request data is placed in the system prompt of the helpdesk gateway/);
    assert.match(md, /Defined by the rule pack helpdesk-policy/);
    assert.match(md, /CWE-1427 · OWASP LLM01 · \[Rule documentation\]\(https:\/\/security\.helpdesk\.example/);
  });

  it('stops an analysis over the time budget, reports it on the file, stays responsive, and retries on save', async () => {
    const c = await start({ timeBudget: { warnMs: 100, stopMs: 150 } });
    const big = largeRouteFile(6000);
    fs.writeFileSync(path.join(root, 'src/routes/topics.ts'), big);
    const uri = c.open('src/routes/topics.ts', big);
    const [notice] = await c.diagnostics('src/routes/topics.ts', 1);
    assert.equal(notice.code, 'time-budget');
    assert.equal(notice.severity, 3);
    assert.match(notice.message, /stopped analysing this file after 0\.1 s.*analysed again when you save it/);
    assert.ok(c.logs.some((l) => /ran over the time budget \(150 ms\)/.test(l)));
    // the engine was restarted: other files are analysed, and edits to the slow file wait for a save
    c.settings = { timeBudget: { warnMs: 100, stopMs: 120_000 } };
    void c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    c.open('src/routes/chat.ts', read(root, 'src/routes/chat.ts'));
    assert.deepEqual(codes(await c.diagnostics('src/routes/chat.ts', 1)), [PI]);
    const v2 = c.change('src/routes/topics.ts', big.replace("{ role: 'user', content: topic }", "{ role: 'system', content: topic }"));
    await new Promise((r) => setTimeout(r, 1000));
    assert.notEqual(c.published.get(uri)?.version, v2);
    void c.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    const after = await c.diagnostics('src/routes/topics.ts', v2);
    assert.deepEqual(codes(after), [PI]);
    assert.ok(c.logs.some((l) => /topics\.ts: analysis took \d+ ms \(over wirecheck\.timeBudget\.warnMs, 100 ms\)/.test(l)));
  });

  it('scans the workspace with progress and publishes findings of closed files', async () => {
    const c = await start();
    const progress: { done: number; total: number }[] = [];
    c.connection.onNotification('wirecheck/scanProgress', (p: { token: string; done: number; total: number }) => {
      if (p.token === 'scan-1') progress.push(p);
    });
    const result = (await c.connection.sendRequest('wirecheck/scanWorkspace', { token: 'scan-1' })) as { files: number; findings: number; filesWithFindings: number; cancelled: boolean };
    assert.deepEqual({ ...result, ms: undefined, skipped: undefined }, { files: 6, findings: 4, filesWithFindings: 4, cancelled: false, ms: undefined, skipped: undefined });
    assert.deepEqual(progress.at(-1), { token: 'scan-1', done: 6, total: 6 });
    const byFile = Object.fromEntries(['src/agents/ops.ts', 'src/models/embedder.ts', 'src/routes/chat.ts', 'src/routes/escalate.ts'].map((f) => [f, codes(c.published.get(c.uri(f))?.diagnostics ?? [])]));
    assert.deepEqual(byFile, {
      'src/agents/ops.ts': ['overprivileged-tool/dangerous-tool-without-gate'],
      'src/models/embedder.ts': [UNPINNED],
      'src/routes/chat.ts': [PI],
      'src/routes/escalate.ts': [PI],
    });
    assert.equal(c.published.get(c.uri('src/lib/prompts.ts')), undefined, 'clean files get no diagnostics');
  });

  it('reports a suppression without a reason on its line', async () => {
    const c = await start();
    const text = read(root, 'src/routes/chat.ts').replace("      { role: 'system'", `      // wirecheck-disable-next-line ${PI}\n      { role: 'system'`);
    c.open('src/routes/chat.ts', text);
    const ds = await c.diagnostics('src/routes/chat.ts', 1);
    assert.deepEqual(codes(ds).sort(), [PI, 'suppression-without-reason']);
    const s = ds.find((d) => d.code === 'suppression-without-reason')!;
    assert.equal(s.range.start.line, rangeOf(text, '// wirecheck-disable-next-line').start.line);
    assert.match(s.message, /needs a reason/);
  });

  describe('model revision pins', () => {
    const SHA = '1fa9b6a9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3';
    const FILE = 'src/embed.ts';
    const TEXT = [
      "import { pipeline } from '@huggingface/transformers';",
      '',
      'export async function embed(texts: string[]) {',
      "  const extractor = await pipeline('feature-extraction', 'Xenova/all-MiniLM-L6-v2');",
      "  return extractor(texts, { pooling: 'mean', normalize: true });",
      '}',
      '',
    ].join('\n');
    const saved = { endpoint: process.env.HF_ENDPOINT, offline: process.env.HF_HUB_OFFLINE };
    afterEach(() => {
      for (const [k, v] of [['HF_ENDPOINT', saved.endpoint], ['HF_HUB_OFFLINE', saved.offline]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });

    async function actionsFor(c: LspClient, uri: string, diags: Diagnostic[]): Promise<CodeAction[]> {
      return (await c.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diags[0].range, context: { diagnostics: diags } })) as CodeAction[];
    }

    it('looks the commit up through HF_ENDPOINT and offers the pin only once resolved; never the placeholder', async () => {
      const server = http.createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(req.url === '/api/models/Xenova/all-MiniLM-L6-v2/revision/main' ? JSON.stringify({ sha: SHA }) : '{}');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        process.env.HF_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const c = await start();
        const uri = c.open(FILE, TEXT);
        const diags = await c.diagnostics(FILE, 1);
        assert.deepEqual(codes(diags), [UNPINNED]);
        let pin: CodeAction | undefined;
        for (let i = 0; i < 50 && !pin; i++) {
          const actions = await actionsFor(c, uri, diags);
          for (const a of actions) assert.doesNotMatch(JSON.stringify(a.edit ?? {}), /0{40}/, 'a placeholder commit is never offered');
          pin = actions.find((a) => a.edit && JSON.stringify(a.edit).includes(SHA));
          if (!pin) await new Promise((r) => setTimeout(r, 100));
        }
        assert.ok(pin, 'no resolved pin fix');
        const fixed = applyAction(TEXT, pin);
        assert.match(fixed, new RegExp(`pipeline\\('feature-extraction', 'Xenova/all-MiniLM-L6-v2', \\{ revision: '${SHA}' \\}\\)`));
        const v2 = c.change(FILE, fixed);
        assert.deepEqual(codes(await c.diagnostics(FILE, v2)), []);
      } finally {
        server.close();
      }
    });

    it('offline, offers no pin and says in the output how to find the commit', async () => {
      process.env.HF_HUB_OFFLINE = '1';
      const c = await start();
      const uri = c.open(FILE, TEXT);
      const diags = await c.diagnostics(FILE, 1);
      for (let i = 0; i < 50 && !c.logs.some((l) => /cannot pin Xenova\/all-MiniLM-L6-v2@main/.test(l)); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(c.logs.some((l) => /cannot pin Xenova\/all-MiniLM-L6-v2@main: .*commits\/main/.test(l)), c.logs.join('\n'));
      const actions = await actionsFor(c, uri, diags);
      assert.ok(actions.some((a) => a.command?.command === 'wirecheck.suppressWithReason'), 'suppression is still offered');
      for (const a of actions) assert.doesNotMatch(JSON.stringify(a.edit ?? {}), /0{40}|revision/);
    });
  });
});
