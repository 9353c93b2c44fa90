/**
 * What the client and the language server say to each other beyond standard LSP: settings, custom
 * notifications and requests. Plain data and method names only: this module is imported by both
 * sides and must not import `vscode`, a language-server library or the engine.
 */

export const DIAGNOSTIC_SOURCE = 'Wirecheck';
export const FIX_ALL_KIND = 'source.fixAll.wirecheck';

export type Run = 'onType' | 'onSave';
export type SeverityOverride = 'error' | 'warning' | 'note' | 'off';

/** The `wirecheck.*` settings of one workspace folder, as the server reads them. */
export interface Settings {
  enable: boolean;
  /** A configuration or rule pack file for the folder (relative to it); empty: discover one. */
  configFile: string;
  /** Severity overrides by rule id or category, applied over the configuration file. */
  rules: Record<string, SeverityOverride>;
  run: Run;
  timeBudget: {
    /** An analysis slower than this is reported in the output channel. */
    warnMs: number;
    /** An analysis still running after this is stopped and reported on the file. */
    stopMs: number;
  };
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  configFile: '',
  rules: {},
  run: 'onType',
  timeBudget: { warnMs: 1500, stopMs: 10000 },
};

/** Fills in missing or malformed values (settings come from user JSON). */
export function normalizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof Settings, unknown>>;
  const tb = (r.timeBudget && typeof r.timeBudget === 'object' ? r.timeBudget : {}) as Record<string, unknown>;
  const num = (v: unknown, d: number, min: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.max(min, v) : d);
  const rules: Record<string, SeverityOverride> = {};
  if (r.rules && typeof r.rules === 'object')
    for (const [k, v] of Object.entries(r.rules as Record<string, unknown>))
      if (v === 'error' || v === 'warning' || v === 'note' || v === 'off') rules[k] = v;
  return {
    enable: typeof r.enable === 'boolean' ? r.enable : DEFAULT_SETTINGS.enable,
    configFile: typeof r.configFile === 'string' ? r.configFile.trim() : '',
    rules,
    run: r.run === 'onSave' ? 'onSave' : 'onType',
    timeBudget: {
      warnMs: num(tb.warnMs, DEFAULT_SETTINGS.timeBudget.warnMs, 1),
      stopMs: num(tb.stopMs, DEFAULT_SETTINGS.timeBudget.stopMs, 1),
    },
  };
}

export interface InitializationOptions {
  /** Workspace trust: false in Restricted Mode (built-in rules only, no workspace configuration). */
  trusted: boolean;
}

export type ServerState = 'starting' | 'ready' | 'busy' | 'restricted' | 'disabled' | 'error';

/** server → client: what the status bar shows. */
export const StatusNotification = 'wirecheck/status';
export interface StatusParams {
  state: ServerState;
  /** One line for the tooltip (a configuration error, a slow file…). */
  message?: string;
}

/** client → server: the workspace was trusted (Restricted Mode ended). */
export const TrustNotification = 'wirecheck/trust';
export interface TrustParams {
  trusted: boolean;
}

/** client → server: analyse every source file of the workspace folders. */
export const ScanWorkspaceRequest = 'wirecheck/scanWorkspace';
export interface ScanWorkspaceParams {
  /** Progress notifications carry this token. */
  token: string;
}
export interface ScanWorkspaceResult {
  files: number;
  findings: number;
  filesWithFindings: number;
  cancelled: boolean;
  /** Files skipped because their analysis ran over the time budget, or could not be read. */
  skipped: string[];
  ms: number;
}

/** server → client: progress of a workspace scan. */
export const ScanProgressNotification = 'wirecheck/scanProgress';
export interface ScanProgressParams {
  token: string;
  done: number;
  total: number;
}

/** Arguments of the `wirecheck.suppressWithReason` command (a code action). */
export interface SuppressArgs {
  uri: string;
  /** Document version the finding was reported for; a changed document is not edited. */
  version: number;
  /** 0-based line of the finding's start. */
  line: number;
  ruleId: string;
}

/** The data carried by every Wirecheck diagnostic (kept by the editor, returned in code action requests). */
export interface DiagnosticData {
  fingerprint: string;
  version: number;
}

export const COMMANDS = {
  scanWorkspace: 'wirecheck.scanWorkspace',
  installHook: 'wirecheck.installHook',
  createBaseline: 'wirecheck.createBaseline',
  showOutput: 'wirecheck.showOutput',
  runFileInSandbox: 'wirecheck.runFileInSandbox',
  restartServer: 'wirecheck.restartServer',
  suppressWithReason: 'wirecheck.suppressWithReason',
  applyFix: 'wirecheck.applyFix',
  showRuleDocs: 'wirecheck.showRuleDocs',
} as const;
