/**
 * A minimal LSP client for tests: starts the built language server (extension/dist/server.js) over
 * stdio, answers its configuration requests from a settings object, and records what it publishes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { StreamMessageReader, StreamMessageWriter, createProtocolConnection, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const SERVER = path.resolve(__dirname, '../../extension/dist/server.js');

export interface LspOptions {
  root: string;
  settings?: Record<string, unknown>;
  trusted?: boolean;
}

export class LspClient {
  readonly connection: ProtocolConnection;
  readonly proc: ChildProcess;
  readonly published = new Map<string, PublishDiagnosticsParams>();
  readonly statuses: { state: string; message?: string }[] = [];
  readonly logs: string[] = [];
  settings: Record<string, unknown>;
  private waiters: (() => void)[] = [];
  private versions = new Map<string, number>();

  constructor(private readonly opts: LspOptions) {
    this.settings = opts.settings ?? {};
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d: Buffer) => this.logs.push(d.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.set(p.uri, p);
      this.wake();
    });
    this.connection.onNotification('wirecheck/status', (p: { state: string; message?: string }) => {
      this.statuses.push(p);
      this.wake();
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      this.wake();
    });
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  async initialize(): Promise<void> {
    const uri = pathToFileURL(this.opts.root).href;
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: path.basename(this.opts.root) }],
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } } },
      initializationOptions: { trusted: this.opts.trusted !== false },
    });
    await this.connection.sendNotification('initialized', {});
  }

  uri(rel: string): string {
    return pathToFileURL(path.join(this.opts.root, rel)).href;
  }

  open(rel: string, text: string, languageId = 'typescript'): string {
    const uri = this.uri(rel);
    this.versions.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  change(rel: string, text: string): number {
    const uri = this.uri(rel);
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  close(rel: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: this.uri(rel) } });
  }

  version(rel: string): number {
    return this.versions.get(this.uri(rel)) ?? 0;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits until `check` returns a value (re-checked on every message from the server). */
  async until<T>(what: string, check: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v !== undefined && v !== false) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; server log:\n${this.logs.slice(-20).join('\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The diagnostics published for a document version (or any, for closed files). */
  diagnostics(rel: string, version?: number): Promise<Diagnostic[]> {
    const uri = this.uri(rel);
    return this.until(`diagnostics for ${rel}${version ? ` v${version}` : ''}`, () => {
      const p = this.published.get(uri);
      if (!p) return undefined;
      if (version !== undefined && p.version !== version) return undefined;
      return p.diagnostics;
    });
  }

  async dispose(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
      void this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    const exited = new Promise((r) => this.proc.once('exit', r));
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
    if (this.proc.exitCode === null) await exited;
    clearTimeout(t);
    this.connection.dispose();
  }
}
