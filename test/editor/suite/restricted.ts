/** In the editor, Restricted Mode: built-in rules only, no workspace configuration, no tool commands. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PI, UNPINNED, api, closeAll, codeActions, codeOf, diagnostics, open, waitFor, workspaceRoot } from './helpers';

describe('Restricted Mode', () => {
  after(closeAll);

  it('opens the workspace untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('runs the built-in rules without reading the workspace configuration', async () => {
    const embedder = await open('src/models/embedder.ts');
    const [d] = await diagnostics(embedder.document.uri);
    assert.equal(codeOf(d), UNPINNED);
    // wirecheck.config.yaml raises unpinned-model to error; in Restricted Mode it is not read
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    const chat = await open('src/routes/chat.ts');
    assert.deepEqual((await diagnostics(chat.document.uri)).map(codeOf), [PI]);
  });

  it('shows Restricted Mode in the status bar', async () => {
    const a = await api();
    const s = await waitFor('restricted status', () => a.status().state === 'restricted' && a.status());
    assert.match(s.text, /Wirecheck/);
  });

  it('still offers fixes and suppressions', async () => {
    const chat = await open('src/routes/chat.ts');
    const [d] = await diagnostics(chat.document.uri);
    const actions = await codeActions(chat.document.uri, d.range);
    assert.ok(actions.some((a) => a.isPreferred && /user message/.test(a.title)));
    assert.ok(actions.some((a) => a.command?.command === 'wirecheck.suppressWithReason'));
  });

  it('disables the commands that run tools: sandbox, pre-commit hook, baseline', async () => {
    const before = vscode.window.terminals.length;
    const root = vscode.Uri.file(workspaceRoot());
    const probe = vscode.Uri.file(path.join(workspaceRoot(), 'src', 'server.ts'));
    assert.equal(await vscode.commands.executeCommand('wirecheck.runFileInSandbox', probe, ['node', '-e', 'require("fs").writeFileSync("ran.txt", "")']), undefined);
    assert.equal(await vscode.commands.executeCommand('wirecheck.installHook', root), undefined);
    assert.equal(await vscode.commands.executeCommand('wirecheck.createBaseline', root), undefined);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(vscode.window.terminals.length, before);
    assert.equal(fs.existsSync(path.join(workspaceRoot(), 'ran.txt')), false);
    assert.equal(fs.existsSync(path.join(workspaceRoot(), '.wirecheck-baseline.json')), false);
  });
});
