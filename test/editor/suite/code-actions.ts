/** In the editor: engine fixes, stale fixes, suppressions with a reason, fix-all, rule docs. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { PI, closeAll, codeActions, codeOf, diagnostics, fileUri, open, ours, runAction, waitFor } from './helpers';

function wirecheckActions(actions: vscode.CodeAction[]): vscode.CodeAction[] {
  return actions.filter((a) => a.command?.command.startsWith('wirecheck.') || a.diagnostics?.some((d) => d.source === 'Wirecheck'));
}

describe('code actions', () => {
  afterEach(closeAll);

  it('applies the preferred engine fix; the finding disappears', async () => {
    const editor = await open('src/routes/chat.ts');
    const uri = editor.document.uri;
    const [d] = await diagnostics(uri);
    const actions = wirecheckActions(await codeActions(uri, d.range));
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1, `one preferred fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(preferred[0].kind?.value, 'quickfix');
    assert.match(preferred[0].title, /user message/);
    assert.equal(await runAction(preferred[0]), true);
    await diagnostics(uri, (ds) => ds.length === 0, 'no finding after the fix');
    assert.ok(editor.document.getText().includes("{ role: 'user', content: `<persona>\\n${persona}\\n</persona>` },"), editor.document.getText());
    // the other actions: a suggestion (not preferred), the suppression and the rule documentation
    assert.ok(actions.some((a) => !a.isPreferred && /allowlist/i.test(a.title)));
    assert.ok(actions.some((a) => a.command?.command === 'wirecheck.suppressWithReason'));
    assert.ok(actions.some((a) => a.command?.command === 'wirecheck.showRuleDocs'));
  });

  it('never applies a fix computed for an older version of the file', async () => {
    const editor = await open('src/routes/chat.ts');
    const uri = editor.document.uri;
    const [d] = await diagnostics(uri);
    const fix = wirecheckActions(await codeActions(uri, d.range)).find((a) => a.isPreferred)!;
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// Reviewed in SEC-2291.\n'));
    const before = editor.document.getText();
    assert.equal(await runAction(fix), false);
    assert.equal(editor.document.getText(), before);
    // the finding is reported again for the new version, one line down
    const [again] = await diagnostics(uri, (ds) => ds.length === 1 && ds[0].range.start.line === d.range.start.line + 1, 'the finding on the new version');
    assert.equal(codeOf(again), PI);
  });

  it('suppresses a finding with a reason above it, indented like it', async () => {
    const editor = await open('src/routes/chat.ts');
    const uri = editor.document.uri;
    const [d] = await diagnostics(uri);
    const suppress = wirecheckActions(await codeActions(uri, d.range)).find((a) => a.command?.command === 'wirecheck.suppressWithReason')!;
    assert.equal(suppress.title, `Suppress ${PI} with a reason…`);
    const reason = 'persona is picked from the shop admin settings, not typed by customers';
    // the reason argument stands in for the input box (the UI test types it)
    const applied = await vscode.commands.executeCommand(suppress.command!.command, ...suppress.command!.arguments!, reason);
    assert.equal(applied, true);
    const line = editor.document.lineAt(d.range.start.line).text;
    assert.equal(line, `      // wirecheck-disable-next-line ${PI} -- ${reason}`);
    await diagnostics(uri, (ds) => ds.length === 0, 'the finding suppressed');
  });

  it('fixes every safe problem with source.fixAll.wirecheck, also as a code action on save', async () => {
    const uri = fileUri('src/routes/chat.ts');
    const original = fs.readFileSync(uri.fsPath, 'utf8');
    const editor = await open('src/routes/chat.ts');
    await diagnostics(uri);
    const [fixAll] = await codeActions(uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.wirecheck');
    assert.equal(fixAll.kind?.value, 'source.fixAll.wirecheck');
    assert.equal(await runAction(fixAll), true);
    await diagnostics(uri, (ds) => ds.length === 0, 'no finding after fix-all');
    assert.doesNotMatch(editor.document.getText(), /ALLOWED_PERSONA/, 'suggestions are not applied');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await diagnostics(uri, (ds) => ds.length === 1, 'the finding back after the revert');

    const settings = vscode.workspace.getConfiguration('editor', uri);
    await settings.update('codeActionsOnSave', { 'source.fixAll.wirecheck': 'explicit' }, vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      await editor.edit((e) => e.insert(new vscode.Position(editor.document.lineCount, 0), '\n'));
      await vscode.commands.executeCommand('workbench.action.files.save');
      const saved = await waitFor('the fix on disk', () => {
        const t = fs.readFileSync(uri.fsPath, 'utf8');
        return /role: 'user', content: `<persona>/.test(t) && t;
      });
      assert.doesNotMatch(saved, /ALLOWED_PERSONA/);
      await diagnostics(uri, (ds) => ds.length === 0, 'no finding after the save');
    } finally {
      await settings.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      fs.writeFileSync(uri.fsPath, original);
    }
  });

  it('opens the rule documentation shipped with the extension', async () => {
    const editor = await open('src/routes/chat.ts');
    const [d] = await diagnostics(editor.document.uri);
    const docs = wirecheckActions(await codeActions(editor.document.uri, d.range)).find((a) => a.command?.command === 'wirecheck.showRuleDocs')!;
    assert.equal(docs.title, `Show documentation for ${PI}`);
    const shown = await runAction(docs);
    assert.ok(shown instanceof vscode.Uri);
    assert.match(shown.fsPath, /dist[\\/]docs[\\/]rules[\\/]prompt-injection[\\/]untrusted-input-in-instructions\.md$/);
    assert.ok(fs.readFileSync(shown.fsPath, 'utf8').length > 200);
    await waitFor('the markdown preview tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => /untrusted-input-in-instructions/.test(t.label)));
    assert.equal(ours(editor.document.uri).length, 1);
  });
});
