/** Helpers for the tests that run inside the VS Code extension host (real editor API). */
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'wirecheck.wirecheck';
export const PI = 'prompt-injection/untrusted-input-in-instructions';
export const UNPINNED = 'unpinned-model/unpinned-model-download';
export const TOOL = 'overprivileged-tool/dangerous-tool-without-gate';

export interface WirecheckApi {
  ready(): Promise<void>;
  status(): { state: string; text: string };
}

export function workspaceRoot(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('no workspace folder open');
  return f.uri.fsPath;
}

export function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), rel));
}

export async function api(): Promise<WirecheckApi> {
  const ext = vscode.extensions.getExtension<WirecheckApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  const a = await ext.activate();
  await a.ready();
  return a;
}

export async function open(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Polls `check` (every 100 ms) until it returns a value. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | null | Promise<T | undefined | false | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false && v !== null) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Wirecheck');
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** Wirecheck diagnostics of a file once they match `ready`. */
export function diagnostics(uri: vscode.Uri, ready: (ds: vscode.Diagnostic[]) => boolean = (ds) => ds.length > 0, what = `Wirecheck diagnostics for ${path.basename(uri.fsPath)}`): Promise<vscode.Diagnostic[]> {
  return waitFor(what, () => {
    const ds = ours(uri);
    return ready(ds) ? ds : undefined;
  });
}

/**
 * Code actions at a range. The built-in TypeScript provider throws "Canceled" while tsserver starts,
 * which fails the whole request: retry until it answers.
 */
export async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  return waitFor(`code actions at ${path.basename(uri.fsPath)}:${range.start.line + 1}`, async () => {
    try {
      return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind)) ?? [];
    } catch (e) {
      if (/Canceled/i.test((e as Error).message)) return undefined;
      throw e;
    }
  });
}

/** Runs a code action the way the editor does: its edit, then its command. */
export async function runAction(action: vscode.CodeAction): Promise<unknown> {
  if (action.edit) await vscode.workspace.applyEdit(action.edit);
  if (action.command) return vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  return undefined;
}

/** Reverts every open editor to disk and closes it. */
export async function closeAll(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && doc.uri.scheme === 'file') {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
