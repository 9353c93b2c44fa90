/** In the editor: activation, diagnostics, hovers, configuration, schema validation, dependents. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PI, UNPINNED, api, closeAll, codeOf, diagnostics, fileUri, open, ours, waitFor, workspaceRoot } from './helpers';

describe('diagnostics and hovers', () => {
  after(closeAll);

  it('activates on a TypeScript file, starts the server and shows it in the status bar', async () => {
    const ext = vscode.extensions.getExtension('wirecheck.wirecheck')!;
    await open('src/routes/chat.ts');
    await waitFor('activation on a TypeScript file', () => ext.isActive);
    const a = await api();
    const s = await waitFor('status ready', () => a.status().state === 'ready' && a.status());
    assert.match(s.text, /Wirecheck/);
    await diagnostics(fileUri('src/routes/chat.ts'));
    await waitFor('the finding count in the status bar', () => /Wirecheck \d+/.test(a.status().text));
    // the client runs in the extension host: it must not have loaded the engine or its parser
    const loaded = Object.keys(require.cache);
    const engineSide = ['engine.js', 'server.js', 'server-worker.js', 'cli-main.js'].map((f) => path.join(ext.extensionPath, 'dist', f));
    assert.ok(loaded.includes(path.join(ext.extensionPath, 'dist', 'client.js')), 'the client bundle is loaded');
    assert.deepEqual(loaded.filter((m) => /[\\/]node_modules[\\/](ts-morph|@ts-morph)[\\/]/.test(m) || engineSide.includes(m)), []);
  });

  it('underlines the sink with the rule id, its documentation and the path from the source', async () => {
    const editor = await open('src/routes/chat.ts');
    const uri = editor.document.uri;
    const [d, ...others] = await diagnostics(uri);
    assert.equal(others.length, 0);
    assert.equal(codeOf(d), PI);
    assert.equal((d.code as { target: vscode.Uri }).target.toString(true), `https://github.com/wirecheck/wirecheck/blob/main/analyzers/docs/rules/${PI}.md`);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    const text = editor.document.getText();
    const sink = '`You are ${persona}, a support agent for Acme. Answer briefly.`';
    const start = editor.document.positionAt(text.indexOf(sink));
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [start.line, start.character, start.line, start.character + sink.length]);
    const steps = d.relatedInformation!;
    assert.equal(steps.length, 2);
    assert.equal(steps[0].location.uri.fsPath, uri.fsPath);
    assert.equal(steps[0].location.range.start.line, editor.document.positionAt(text.indexOf('req.body as')).line);
    assert.match(steps[0].message, /source: request data/);
    assert.match(steps[1].message, /reaches the instruction channel/);
  });

  it('explains the rule on hover', async () => {
    const editor = await open('src/routes/chat.ts');
    const [d] = await diagnostics(editor.document.uri);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, d.range.start);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Untrusted input reaches the instruction channel of a model call/);
    assert.match(text, /CWE-1427/);
    assert.match(text, /Rule documentation/);
  });

  it('uses the workspace configuration (unpinned model downloads are errors in this project)', async () => {
    const editor = await open('src/models/embedder.ts');
    const [d] = await diagnostics(editor.document.uri);
    assert.equal(codeOf(d), UNPINNED);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
  });

  it('validates configuration files against the JSON Schema', async () => {
    const file = path.join(workspaceRoot(), 'services', 'billing', 'wirecheck.config.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{\n  "rules": {\n    "unpinned-model": "loud"\n  }\n}\n');
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const problems = await waitFor('schema diagnostics', () => {
      const ds = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source !== 'Wirecheck');
      return ds.length ? ds : undefined;
    });
    assert.ok(problems.some((p) => p.range.start.line === 2), `a problem on the "loud" line: ${problems.map((p) => `${p.range.start.line}: ${p.message}`).join('; ')}`);
    await closeAll();
    fs.rmSync(path.join(workspaceRoot(), 'services'), { recursive: true, force: true });
  });

  it('re-checks an open file when a file it imports is edited (before saving)', async () => {
    const route = await open('src/routes/escalate.ts');
    assert.deepEqual((await diagnostics(route.document.uri)).map(codeOf), [PI]);
    const helper = await open('src/lib/prompts.ts');
    const fn = 'export function escalationPrompt(team: string): string {\n';
    const at = helper.document.positionAt(helper.document.getText().indexOf(fn));
    await helper.edit((e) => {
      e.insert(at, "const TEAMS = ['billing', 'shipping', 'security'];\n\n");
      e.insert(at.translate(1), '  if (!TEAMS.includes(team)) throw new Error(`unknown team: ${team}`);\n');
    });
    // the helper now checks its argument against an allowlist: the route is clean without being touched
    await diagnostics(route.document.uri, (ds) => ds.length === 0, 'escalate.ts clean after the helper changed');
    assert.equal(route.document.isDirty, false);
    await vscode.window.showTextDocument(helper.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await diagnostics(route.document.uri, (ds) => ds.length === 1, 'escalate.ts flagged again after the revert');
    assert.deepEqual(ours(route.document.uri).map(codeOf), [PI]);
  });
});
