/**
 * The Wirecheck VS Code extension: a thin client. It starts the language server (dist/server.js)
 * in its own process over node IPC, shows a status bar item and an output channel, and registers
 * the commands. The engine never runs here: this bundle loads neither ts-morph nor the engine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  COMMANDS,
  DIAGNOSTIC_SOURCE,
  ScanProgressNotification,
  ScanWorkspaceRequest,
  StatusNotification,
  TrustNotification,
  type InitializationOptions,
  type ScanProgressParams,
  type ScanWorkspaceResult,
  type StatusParams,
  type SuppressArgs,
} from '../shared/protocol';
import { commandForFile, joinCommand, splitCommand } from '../shared/command-line';
import { suppressionEdit } from '../shared/suppression';
import { StatusBar } from './status';
import { pickFolder, runCli, trackActiveEditor } from './terminal';

const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];

/** What the extension exports (for other extensions and the extension tests). */
export interface WirecheckApi {
  /** Resolves when the language server is running. */
  ready(): Promise<void>;
  /** The status bar's current state and text. */
  status(): { state: StatusParams['state']; text: string };
}

let client: LanguageClient | undefined;

/**
 * A fix's edit is applied through `wirecheck.applyFix`, which checks that the document is still at
 * the version the fix was computed for: an edit recorded for an older version is never applied.
 */
function pinToVersion(action: vscode.CodeAction, uri: vscode.Uri, version: number): vscode.CodeAction {
  if (!action.edit) return action;
  action.command = { title: action.title, command: COMMANDS.applyFix, arguments: [uri.toString(), version, action.edit] };
  action.edit = undefined;
  return action;
}

export function activate(context: vscode.ExtensionContext): WirecheckApi {
  const output = vscode.window.createOutputChannel('Wirecheck', { log: true });
  const status = new StatusBar();
  context.subscriptions.push(output, status, trackActiveEditor());

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const watchers = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}', '**/wirecheck.config.{yaml,yml,json}', '**/*.wirecheck.{yaml,yml}', '**/{package,tsconfig,jsconfig}.json'].map((g) =>
    vscode.workspace.createFileSystemWatcher(g),
  );
  context.subscriptions.push(...watchers);
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.map((language) => ({ scheme: 'file', language })),
    synchronize: { fileEvents: watchers },
    outputChannel: output,
    diagnosticCollectionName: 'wirecheck',
    initializationOptions: { trusted: vscode.workspace.isTrusted } satisfies InitializationOptions,
    middleware: {
      // only Wirecheck's own diagnostics go to the server; no request when there is nothing to do
      provideCodeActions: async (document, range, context, token, next) => {
        const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
        const wantsFixAll = !context.only || vscode.CodeActionKind.SourceFixAll.contains(context.only) || context.only.contains(vscode.CodeActionKind.SourceFixAll);
        if (!ours.length && !wantsFixAll) return [];
        // the server computed its fixes for this version; they are applied only to this version
        const version = document.version;
        const actions = await next(document, range, { diagnostics: ours, only: context.only, triggerKind: context.triggerKind }, token);
        return actions?.map((a) => (a instanceof vscode.CodeAction ? pinToVersion(a, document.uri, version) : a));
      },
    },
  };
  const lc = new LanguageClient('wirecheck', 'Wirecheck', serverOptions, clientOptions);
  client = lc;
  context.subscriptions.push(
    lc.onNotification(StatusNotification, (p: StatusParams) => status.set(p)),
    lc.onDidChangeState((e) => {
      if (e.newState === State.Stopped) status.set({ state: 'error', message: 'The Wirecheck server stopped. Run "Wirecheck: Restart Server" or see the output.' });
      else if (e.newState === State.Starting) status.set({ state: 'starting', message: 'Starting the Wirecheck server…' });
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (lc.isRunning()) void lc.sendNotification(TrustNotification, { trusted: true });
    }),
  );
  const started = lc.start().catch((e: Error) => {
    output.error(`The Wirecheck server could not start: ${e.message}`);
    status.set({ state: 'error', message: `The server could not start: ${e.message}` });
    throw e;
  });
  started.catch(() => undefined);

  const needsTrust = (what: string): boolean => {
    if (vscode.workspace.isTrusted) return false;
    void vscode.window.showWarningMessage(`Wirecheck: ${what} is not available in Restricted Mode. Trust the workspace to use it.`, 'Manage Workspace Trust').then((c) => {
      if (c) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return true;
  };

  const register = (id: string, fn: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  register(COMMANDS.showOutput, () => output.show(true));

  register(COMMANDS.restartServer, async () => {
    await lc.restart();
  });

  register(COMMANDS.scanWorkspace, async (): Promise<ScanWorkspaceResult | undefined> => {
    await started;
    const token = `scan-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Wirecheck: scanning the workspace', cancellable: true }, async (progress, cancel) => {
      let reported = 0;
      const sub = lc.onNotification(ScanProgressNotification, (p: ScanProgressParams) => {
        if (p.token !== token) return;
        const pct = p.total ? (100 * p.done) / p.total : 100;
        progress.report({ increment: pct - reported, message: `${p.done} of ${p.total} files` });
        reported = pct;
      });
      try {
        const r: ScanWorkspaceResult = await lc.sendRequest(ScanWorkspaceRequest, { token }, cancel);
        const summary = r.cancelled
          ? `Wirecheck: scan cancelled after ${r.ms} ms; ${r.findings} findings so far.`
          : `Wirecheck: ${r.findings} finding${r.findings === 1 ? '' : 's'} in ${r.filesWithFindings} of ${r.files} files.${r.skipped.length ? ` ${r.skipped.length} skipped (see the output).` : ''}`;
        output.info(summary);
        void vscode.window.showInformationMessage(summary, 'Open Problems').then((c) => {
          if (c) void vscode.commands.executeCommand('workbench.actions.view.problems');
        });
        return r;
      } finally {
        sub.dispose();
      }
    });
  });

  register(COMMANDS.installHook, async (resource?: vscode.Uri) => {
    if (needsTrust('Install Pre-commit Hook')) return undefined;
    const folder = await pickFolder(resource instanceof vscode.Uri ? resource : undefined);
    if (!folder) return undefined;
    return runCli(context, 'pre-commit hook', folder, folder.uri.fsPath, ['init']);
  });

  register(COMMANDS.createBaseline, async (resource?: vscode.Uri) => {
    if (needsTrust('Create Baseline')) return undefined;
    const folder = await pickFolder(resource instanceof vscode.Uri ? resource : undefined);
    if (!folder) return undefined;
    return runCli(context, 'baseline', folder, folder.uri.fsPath, ['baseline']);
  });

  register(COMMANDS.runFileInSandbox, async (resource?: vscode.Uri, command?: string[]) => {
    if (needsTrust('Run File in Sandbox')) return undefined;
    const uri = resource instanceof vscode.Uri ? resource : vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== 'file') {
      void vscode.window.showWarningMessage('Wirecheck: open the file to run in the sandbox first.');
      return undefined;
    }
    const folder = await pickFolder(uri);
    const cwd = folder?.uri.fsPath ?? path.dirname(uri.fsPath);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty) await open.save();
    let words = command;
    if (!words) {
      const rel = path.relative(cwd, uri.fsPath) || path.basename(uri.fsPath);
      const line = await vscode.window.showInputBox({
        title: 'Wirecheck: Run File in Sandbox',
        prompt: 'Command to run inside the sandbox (no network except allowed hosts, no credentials, writes only in the workspace)',
        value: joinCommand(commandForFile(rel)),
        ignoreFocusOut: true,
      });
      if (!line?.trim()) return undefined;
      words = splitCommand(line);
    }
    return runCli(context, `sandbox: ${path.basename(uri.fsPath)}`, folder, cwd, ['sandbox', '--', ...words]);
  });

  register(COMMANDS.suppressWithReason, async (args: SuppressArgs, reason?: string) => {
    const uri = vscode.Uri.parse(args.uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const stale = () => {
      if (doc.version === args.version) return false;
      void vscode.window.showWarningMessage('Wirecheck: the file changed since this finding was reported. Try again once it is checked.');
      return true;
    };
    if (stale()) return false;
    const why =
      reason ??
      (await vscode.window.showInputBox({
        title: `Suppress ${args.ruleId}`,
        prompt: 'Why is this safe? The reason is kept in the comment for reviewers.',
        placeHolder: 'e.g. the persona comes from the admin-only settings table',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'A reason is required'),
      }));
    if (!why?.trim() || stale()) return false;
    const edit = suppressionEdit(doc.lineAt(args.line).text, args.line > 0 ? doc.lineAt(args.line - 1).text : undefined, args.ruleId, why);
    const we = new vscode.WorkspaceEdit();
    if (edit.kind === 'insert') we.insert(uri, new vscode.Position(args.line, 0), edit.text + (doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n'));
    else we.replace(uri, doc.lineAt(args.line - 1).range, edit.text);
    return vscode.workspace.applyEdit(we);
  });

  register(COMMANDS.applyFix, async (uri: string, version: number, edit: vscode.WorkspaceEdit) => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    if (!doc || doc.version !== version) {
      void vscode.window.showWarningMessage('Wirecheck: the file changed since this fix was computed; it was not applied. Try again once the file is checked.');
      return false;
    }
    return vscode.workspace.applyEdit(edit);
  });

  register(COMMANDS.showRuleDocs, async (ruleId: string, url?: string) => {
    // the rule pages ship with the extension (they open offline); rules from packs link to their own page
    const local = context.asAbsolutePath(path.join('dist', 'docs', 'rules', ...ruleId.split('/')) + '.md');
    if (/^[\w-]+\/[\w-]+$/.test(ruleId) && fs.existsSync(local)) {
      await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(local));
      return vscode.Uri.file(local);
    }
    if (url) {
      await vscode.env.openExternal(vscode.Uri.parse(url));
      return vscode.Uri.parse(url);
    }
    return undefined;
  });

  return {
    ready: () => started.then(() => undefined),
    status: () => ({ state: status.state, text: status.text }),
  };
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
