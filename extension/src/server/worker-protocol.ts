/**
 * Messages between the language server's main thread and the engine worker thread. The worker owns
 * the engine sessions (one per workspace folder); the main thread stays free to answer the editor.
 */
import type { Finding, Notice } from '../../../analyzers';
import type { SeverityOverride } from '../shared/protocol';
import type { RuleInfo } from './rules';

export interface ConfigureRequest {
  t: 'configure';
  id: number;
  root: string;
  /** Restricted Mode: no configuration file is read, built-in rules only. */
  trusted: boolean;
  /** Absolute path of a configuration or pack file; empty: discover one from the root. */
  configFile: string;
  rules: Record<string, SeverityOverride>;
}

export interface UpdateMessage {
  t: 'update';
  /** Absolute path. */
  file: string;
  /** The buffer text, or undefined to read the file from disk again. */
  text?: string;
}

export interface AnalyzeRequest {
  t: 'analyze';
  id: number;
  root: string;
  /** Absolute paths. */
  files: string[];
  /** Also return each file's workspace imports, followed transitively (for dependents). */
  deps: boolean;
}

export interface ListFilesRequest {
  t: 'listFiles';
  id: number;
  root: string;
}

export interface FixAllRequest {
  t: 'fixAll';
  id: number;
  root: string;
  file: string;
}

export interface DropMessage {
  t: 'drop';
  root: string;
}

export type ToWorker = ConfigureRequest | UpdateMessage | AnalyzeRequest | ListFilesRequest | FixAllRequest | DropMessage;

export interface ConfigureResult {
  /** The configuration file in use (absolute), if any. */
  configFile?: string;
  /** A configuration that could not be read or is invalid: built-in defaults are used instead. */
  error?: string;
  /** Where the problems are (the configuration or one of its packs), when the engine says. */
  issues?: { file: string; line?: number; column?: number; message: string }[];
  /** Rules the configuration's packs define (taint rules), for hovers and documentation links. */
  packRules?: RuleInfo[];
}

export interface AnalyzeResult {
  findings: Finding[];
  notices: Notice[];
  /** Absolute path → absolute paths of the workspace files it depends on (when asked). */
  deps?: Record<string, string[]>;
  /** Milliseconds spent in the engine. */
  ms: number;
}

export interface FixAllResult {
  /** The file's text with every safe fix applied (the same text when nothing applied). */
  text: string;
  applied: number;
}

export type FromWorker =
  | { t: 'ready' }
  | { t: 'started'; id: number }
  | { t: 'done'; id: number; result: unknown }
  | { t: 'failed'; id: number; error: string };
