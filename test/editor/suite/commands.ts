/** In the editor: the commands (scan, output, hook, baseline, sandbox). */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TOOL, api, closeAll, codeOf, fileUri, ours, waitFor } from './helpers';

const COMMANDS = [
  'wirecheck.scanWorkspace',
  'wirecheck.installHook',
  'wirecheck.createBaseline',
  'wirecheck.showOutput',
  'wirecheck.runFileInSandbox',
  'wirecheck.restartServer',
  'wirecheck.suppressWithReason',
  'wirecheck.showRuleDocs',
  'wirecheck.applyFix',
];

function folder(name: string): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.find((w) => w.name === name);
  if (!f) throw new Error(`no workspace folder ${name}`);
  return f;
}

describe('commands', () => {
  before(async () => {
    await api();
  });
  after(closeAll);

  it('registers every command', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(COMMANDS.filter((c) => !all.has(c)), []);
  });

  it('Scan Workspace analyses every file and lists findings of files that are not open', async () => {
    const ops = fileUri('src/agents/ops.ts');
    assert.equal(vscode.workspace.textDocuments.some((d) => d.uri.fsPath === ops.fsPath), false);
    const r = await vscode.commands.executeCommand<{ files: number; findings: number; filesWithFindings: number; cancelled: boolean }>('wirecheck.scanWorkspace');
    // app: 6 TypeScript files, 4 findings; research: 2 scripts, none
    assert.deepEqual([r.files, r.findings, r.filesWithFindings, r.cancelled], [8, 4, 4, false]);
    assert.deepEqual(ours(ops).map(codeOf), [TOOL]);
  });

  it('Show Output opens the Wirecheck output channel', async () => {
    await vscode.commands.executeCommand('wirecheck.showOutput');
    await waitFor('the Wirecheck output channel', () => vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'output' && /Wirecheck/.test(d.uri.path)));
  });

  it('Install Pre-commit Hook runs the bundled CLI (init) as a task', async () => {
    const research = folder('research');
    const r = await vscode.commands.executeCommand<{ exitCode: number | undefined }>('wirecheck.installHook', research.uri);
    assert.deepEqual(r, { exitCode: 0 });
    const hook = path.join(research.uri.fsPath, '.git', 'hooks', 'pre-commit');
    assert.ok(fs.existsSync(hook), 'the git hook is installed');
    assert.match(fs.readFileSync(hook, 'utf8'), /wirecheck/);
    // the hook runs the CLI that ships with the extension
    assert.match(fs.readFileSync(hook, 'utf8'), /dist[\\/]cli\.js scan --staged/);
  });

  it('Create Baseline records the current findings with the bundled CLI', async () => {
    const app = folder('app');
    const r = await vscode.commands.executeCommand<{ exitCode: number | undefined }>('wirecheck.createBaseline', app.uri);
    assert.deepEqual(r, { exitCode: 0 });
    const file = path.join(app.uri.fsPath, '.wirecheck-baseline.json');
    const baseline = JSON.parse(fs.readFileSync(file, 'utf8')) as { findings: { ruleId: string; file: string }[] };
    assert.deepEqual(baseline.findings.map((e) => `${e.file} ${e.ruleId}`).sort(), [
      'src/agents/ops.ts overprivileged-tool/dangerous-tool-without-gate',
      'src/models/embedder.ts unpinned-model/unpinned-model-download',
      'src/routes/chat.ts prompt-injection/untrusted-input-in-instructions',
      'src/routes/escalate.ts prompt-injection/untrusted-input-in-instructions',
    ]);
  });

  it('Run File in Sandbox runs the file through the CLI sandbox', async () => {
    const research = folder('research');
    const probe = vscode.Uri.file(path.join(research.uri.fsPath, 'probe.mjs'));
    const r = await vscode.commands.executeCommand<{ exitCode: number | undefined }>('wirecheck.runFileInSandbox', probe, ['node', 'probe.mjs']);
    assert.deepEqual(r, { exitCode: 0 });
    // the experiment could write in its workspace, but not read the user's SSH key or the .env file
    const result = JSON.parse(fs.readFileSync(path.join(research.uri.fsPath, 'sandbox-result.json'), 'utf8'));
    assert.deepEqual(result, { sshKeyReadable: false, envFileReadable: false });
  });
});
