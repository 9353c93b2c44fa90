/**
 * Commands that run the bundled CLI (`dist/cli.js`): the pre-commit hook setup, the baseline, a file
 * in the sandbox. They run as tasks, so the output stays in the terminal panel after the command
 * ends, and on the editor's own Node runtime, so nothing else has to be installed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const TASK_TYPE = 'wirecheck';

export function cliPath(context: vscode.ExtensionContext): string {
  return context.asAbsolutePath(path.join('dist', 'cli.js'));
}

/**
 * The Node runtime for the CLI. In desktop VS Code the extension host is Electron: a `node` on PATH
 * is preferred (the pre-commit hook `init` writes records the runtime it ran on, and must work
 * outside the editor); Electron in Node mode is the fallback.
 */
export function nodeRuntime(): { command: string; env: Record<string, string> } {
  if (!process.versions.electron) return { command: process.execPath, env: {} };
  const exe = process.platform === 'win32' ? 'node.exe' : 'node';
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = dir && path.join(dir, exe);
    try {
      if (candidate && fs.statSync(candidate).isFile()) return { command: candidate, env: {} };
    } catch {
      // not there
    }
  }
  return { command: process.execPath, env: { ELECTRON_RUN_AS_NODE: '1' } };
}

export interface CliRun {
  /** The CLI's exit code (undefined when the task was terminated). */
  exitCode: number | undefined;
}

/** Runs `wirecheck <args>` in a task terminal and resolves when it ends. */
export async function runCli(context: vscode.ExtensionContext, name: string, folder: vscode.WorkspaceFolder | undefined, cwd: string, args: string[]): Promise<CliRun> {
  const node = nodeRuntime();
  const execution = new vscode.ProcessExecution(node.command, [cliPath(context), ...args], { cwd, env: node.env });
  const task = new vscode.Task({ type: TASK_TYPE, command: args[0] }, folder ?? vscode.TaskScope.Workspace, name, 'wirecheck', execution, []);
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true, focus: false, showReuseMessage: true };
  // listen before starting: a quick command can end before executeTask resolves
  const ended = new Map<vscode.TaskExecution, number | undefined>();
  let waiting: { exec: vscode.TaskExecution; resolve: (r: CliRun) => void } | undefined;
  const sub = vscode.tasks.onDidEndTaskProcess((e) => {
    if (waiting && e.execution === waiting.exec) waiting.resolve({ exitCode: e.exitCode });
    else ended.set(e.execution, e.exitCode);
  });
  try {
    const exec = await vscode.tasks.executeTask(task);
    return await new Promise<CliRun>((resolve) => {
      if (ended.has(exec)) resolve({ exitCode: ended.get(exec) });
      else waiting = { exec, resolve };
    });
  } finally {
    sub.dispose();
  }
}

let lastEditorUri: vscode.Uri | undefined;

/** Remembers the file last edited, for commands started from a view that is not an editor (the walkthrough). */
export function trackActiveEditor(): vscode.Disposable {
  lastEditorUri = vscode.window.activeTextEditor?.document.uri;
  return vscode.window.onDidChangeActiveTextEditor((e) => {
    if (e && e.document.uri.scheme === 'file') lastEditorUri = e.document.uri;
  });
}

/**
 * The workspace folder to run in: the given resource's, the active (or last active) editor's, the
 * only one, or the one the user picks.
 */
export async function pickFolder(resource?: vscode.Uri): Promise<vscode.WorkspaceFolder | undefined> {
  const uri = resource ?? vscode.window.activeTextEditor?.document.uri ?? lastEditorUri;
  const fromUri = uri ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
  if (fromUri) return fromUri;
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Workspace folder', ignoreFocusOut: true });
}
