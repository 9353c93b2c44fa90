/**
 * SARIF 2.1.0 output (the public contract in DESIGN.md, "SARIF 2.1.0"), shaped so that GitHub code
 * scanning accepts it: every rule in `tool.driver.rules[]` with its category, tags, precision and
 * security severity; results with a root-relative `%SRCROOT%` location, a partial fingerprint, the
 * taint path as a code flow, the source as a related location, and the engine's fixes; input
 * problems as tool notifications. GitHub's upload limits are respected (see the constants below).
 *
 * The types at the end of this file describe exactly the subset of SARIF this module produces.
 */
import { pathToFileURL } from 'node:url';
import { DOCS_BASE, RULES, docsUrl, tags, type RuleMeta } from '../rules';
import type { Finding, Location, Notice, Severity } from '../engine/types';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';
/** The key under `partialFingerprints`; bump the version if the fingerprint's recipe changes. */
export const FINGERPRINT_KEY = 'wirecheck/v1';
export const SRCROOT = '%SRCROOT%';
/** GitHub code scanning rejects a run with more results than this. */
export const SARIF_MAX_RESULTS = 25_000;
/** Path steps kept per thread flow: the first and last steps survive, the middle is dropped. */
export const SARIF_MAX_THREAD_FLOW_LOCATIONS = 10;
/** Code flows per result (Wirecheck emits one; the cap is a guard). */
export const SARIF_MAX_CODE_FLOWS = 1_000;
/** GitHub keeps 10 tags per rule (and rejects more than 20). */
export const SARIF_MAX_TAGS = 10;

const INFORMATION_URI = DOCS_BASE.replace(/\/blob\/.*$/, '');

export interface SarifMeta {
  /** Wirecheck's version (tool.driver.semanticVersion). */
  version: string;
  /** Absolute path of the scan root: finding paths are relative to it. */
  root: string;
  /** The rules that ran (built-in and the configuration's pack rules); default: the built-in rules. */
  rules?: readonly RuleMeta[];
}

export interface SarifInput {
  findings: readonly Finding[];
  notices: readonly Notice[];
}

export function toSarif(result: SarifInput, meta: SarifMeta): SarifLog {
  const ran = meta.rules ?? RULES;
  const rules: SarifReportingDescriptor[] = ran.map(ruleDescriptor);
  const ruleIndex = new Map<string, number>(ran.map((r, i) => [r.id, i]));

  const execution: SarifNotification[] = [];
  const configuration: SarifNotification[] = [];

  const { kept, dropped } = capResults(result.findings);
  if (dropped > 0) {
    execution.push({
      level: 'warning',
      message: {
        text:
          `Wirecheck found ${result.findings.length} results, more than the ${SARIF_MAX_RESULTS} per run that GitHub code scanning accepts; ` +
          `${dropped} lower-severity results were left out of this SARIF file. Use --format json for the full list.`,
      },
      descriptor: { id: 'results-truncated' },
    });
  }

  const results = kept.map((f) => {
    let index = ruleIndex.get(f.ruleId);
    if (index === undefined) {
      // a rule that is not built in (a pack rule): describe it from the finding so the run stays self-contained
      index = rules.length;
      rules.push(adHocDescriptor(f));
      ruleIndex.set(f.ruleId, index);
    }
    return toResult(f, index);
  });

  for (const n of result.notices) {
    const note = toNotification(n);
    if (n.kind === 'config') configuration.push(note);
    else execution.push(note);
  }

  const invocation: SarifInvocation = { executionSuccessful: true };
  if (execution.length) invocation.toolExecutionNotifications = execution;
  if (configuration.length) invocation.toolConfigurationNotifications = configuration;

  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'Wirecheck',
            informationUri: INFORMATION_URI,
            semanticVersion: meta.version,
            version: meta.version,
            rules,
          },
        },
        invocations: [invocation],
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri(meta.root) } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function formatSarif(result: SarifInput, meta: SarifMeta): string {
  return JSON.stringify(toSarif(result, meta), null, 2) + '\n';
}

// ───────────────────────────── rules ─────────────────────────────

function ruleDescriptor(rule: RuleMeta): SarifReportingDescriptor {
  // a pack rule without a helpUri has no documentation page
  const url = rule.pack && !rule.helpUri ? undefined : docsUrl(rule);
  const summary = sentence(rule.description);
  const refs = [...rule.cwe.map(cweLink), ...rule.owasp.map((o) => `OWASP ${o}:2025`)].join(', ');
  const properties: SarifRuleProperties = {
    category: rule.category,
    tags: tags(rule).slice(0, SARIF_MAX_TAGS),
    precision: rule.precision,
    'security-severity': String(rule.securitySeverity),
  };
  if (rule.pack) properties.pack = rule.pack;
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.fullDescription },
    ...(url ? { helpUri: url } : {}),
    help: {
      text: `${summary}\n\n${rule.fullDescription}${url ? `\n\nDocumentation: ${url}` : ''}`,
      markdown: `**${summary}**\n\n${rule.fullDescription}${refs ? `\n\nReferences: ${refs}.` : ''}${url ? `\n\n[Rule documentation](${url})` : ''}`,
    },
    defaultConfiguration: { level: rule.severity },
    properties,
  };
}

function sentence(s: string): string {
  return /[.!?]$/.test(s) ? s : s + '.';
}

function cweLink(cwe: string): string {
  const n = /(\d+)$/.exec(cwe)?.[1];
  return n ? `[${cwe}](https://cwe.mitre.org/data/definitions/${n}.html)` : cwe;
}

function adHocDescriptor(f: Finding): SarifReportingDescriptor {
  const name = f.ruleId.includes('/') ? f.ruleId.slice(f.ruleId.indexOf('/') + 1) : f.ruleId;
  return {
    id: f.ruleId,
    name,
    shortDescription: { text: f.ruleId },
    defaultConfiguration: { level: f.severity },
    properties: { category: f.category, tags: ['security'] },
  };
}

// ───────────────────────────── results ─────────────────────────────

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

/** Keeps at most SARIF_MAX_RESULTS findings, the most severe first, in their original order. */
function capResults(findings: readonly Finding[]): { kept: Finding[]; dropped: number } {
  if (findings.length <= SARIF_MAX_RESULTS) return { kept: [...findings], dropped: 0 };
  const order = findings.map((f, i) => ({ f, i }));
  order.sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.i - b.i);
  const keep = order.slice(0, SARIF_MAX_RESULTS).sort((a, b) => a.i - b.i);
  return { kept: keep.map((x) => x.f), dropped: findings.length - SARIF_MAX_RESULTS };
}

function toResult(f: Finding, ruleIndex: number): SarifResult {
  const out: SarifResult = {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.severity,
    message: { text: f.message },
    locations: [{ physicalLocation: physicalLocation(f.location) }],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
  };

  if (f.path.length >= 2) {
    const steps = f.path.map((s) => ({ location: { physicalLocation: physicalLocation(s.location), message: { text: s.message } } }));
    const flow: SarifCodeFlow = { threadFlows: [{ locations: shortenFlow(steps) }] };
    if (steps.length > SARIF_MAX_THREAD_FLOW_LOCATIONS)
      flow.message = { text: `Path shortened: ${steps.length - SARIF_MAX_THREAD_FLOW_LOCATIONS} of ${steps.length} steps in the middle are not shown.` };
    out.codeFlows = [flow].slice(0, SARIF_MAX_CODE_FLOWS);

    const source = f.path[0];
    if (!sameLocation(source.location, f.location))
      out.relatedLocations = [{ id: 1, physicalLocation: physicalLocation(source.location), message: { text: source.message } }];
  }

  const fixes = f.fixes.map(toFix).filter((x): x is SarifFix => x !== undefined);
  if (fixes.length) out.fixes = fixes;
  return out;
}

/** Keeps the first and the last steps (half of the budget each) and drops the middle. */
function shortenFlow<T>(steps: T[]): T[] {
  if (steps.length <= SARIF_MAX_THREAD_FLOW_LOCATIONS) return steps;
  const head = Math.ceil(SARIF_MAX_THREAD_FLOW_LOCATIONS / 2);
  const tail = SARIF_MAX_THREAD_FLOW_LOCATIONS - head;
  return [...steps.slice(0, head), ...steps.slice(steps.length - tail)];
}

function toFix(fix: Finding['fixes'][number]): SarifFix | undefined {
  // a fix whose edits hold a placeholder until a value is resolved (a commit sha) is not published
  if (!fix.edits.length || fix.resolve) return undefined;
  const byFile = new Map<string, SarifReplacement[]>();
  for (const e of fix.edits) {
    const list = byFile.get(e.file) ?? [];
    list.push({
      deletedRegion: { charOffset: e.startOffset, charLength: Math.max(0, e.endOffset - e.startOffset) },
      insertedContent: { text: e.text },
    });
    byFile.set(e.file, list);
  }
  return {
    description: { text: fix.description },
    artifactChanges: [...byFile].map(([file, replacements]) => ({ artifactLocation: artifactLocation(file), replacements })),
    properties: { kind: fix.kind },
  };
}

// ───────────────────────────── notifications ─────────────────────────────

function toNotification(n: Notice): SarifNotification {
  const level: SarifNotification['level'] =
    n.kind === 'parse-error' || n.kind === 'unreadable' || n.kind === 'time-budget' || n.kind === 'config' ? 'warning' : 'note';
  const out: SarifNotification = { level, message: { text: n.message }, descriptor: { id: n.kind } };
  if (n.location) out.locations = [{ physicalLocation: physicalLocation(n.location) }];
  else if (n.file) {
    const pl: SarifPhysicalLocation = { artifactLocation: artifactLocation(n.file) };
    // a syntax error's position is only in its message: `file:line:col: …`
    const m = n.message.startsWith(`${n.file}:`) ? /^(\d+):(\d+):/.exec(n.message.slice(n.file.length + 1)) : null;
    if (m) pl.region = { startLine: Math.max(1, Number(m[1])), startColumn: Math.max(1, Number(m[2])) };
    out.locations = [{ physicalLocation: pl }];
  }
  return out;
}

// ───────────────────────────── locations ─────────────────────────────

function physicalLocation(loc: Location): SarifPhysicalLocation {
  const startLine = Math.max(1, loc.start.line);
  const startColumn = Math.max(1, loc.start.column);
  const endLine = Math.max(startLine, loc.end.line);
  let endColumn = Math.max(1, loc.end.column);
  if (endLine === startLine && endColumn < startColumn) endColumn = startColumn;
  return { artifactLocation: artifactLocation(loc.file), region: { startLine, startColumn, endLine, endColumn } };
}

function artifactLocation(file: string): SarifArtifactLocation {
  return { uri: relativeUri(file), uriBaseId: SRCROOT };
}

/** A root-relative path as a relative URI reference: forward slashes, each segment percent-encoded. */
export function relativeUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function rootUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : href + '/';
}

function sameLocation(a: Location, b: Location): boolean {
  return a.file === b.file && a.startOffset === b.startOffset && a.endOffset === b.endOffset;
}

// ───────────────────────────── SARIF types (the subset produced here) ─────────────────────────────

export type SarifLevel = 'none' | 'note' | 'warning' | 'error';

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: SarifToolComponent; extensions?: SarifToolComponent[] };
  invocations: SarifInvocation[];
  originalUriBaseIds: Record<string, SarifArtifactLocation>;
  columnKind: 'utf16CodeUnits' | 'unicodeCodePoints';
  results: SarifResult[];
}

export interface SarifToolComponent {
  name: string;
  informationUri?: string;
  semanticVersion?: string;
  version?: string;
  rules: SarifReportingDescriptor[];
}

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifReportingDescriptor {
  id: string;
  name?: string;
  shortDescription?: SarifMessage;
  fullDescription?: SarifMessage;
  helpUri?: string;
  help?: SarifMessage;
  defaultConfiguration?: { level: SarifLevel };
  properties?: SarifRuleProperties;
}

export interface SarifRuleProperties {
  category: string;
  tags: string[];
  precision?: 'very-high' | 'high' | 'medium' | 'low';
  /** A number from 0.0 to 10.0, as a string (GitHub's security-severity). */
  'security-severity'?: string;
  /** For rules from packs: the pack that defines the rule. */
  pack?: string;
}

export interface SarifInvocation {
  executionSuccessful: boolean;
  toolExecutionNotifications?: SarifNotification[];
  toolConfigurationNotifications?: SarifNotification[];
}

export interface SarifNotification {
  level: SarifLevel;
  message: SarifMessage;
  descriptor?: { id: string };
  locations?: SarifLocation[];
}

export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export interface SarifRegion {
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  charOffset?: number;
  charLength?: number;
}

export interface SarifPhysicalLocation {
  artifactLocation: SarifArtifactLocation;
  region?: SarifRegion;
}

export interface SarifLocation {
  id?: number;
  physicalLocation: SarifPhysicalLocation;
  message?: SarifMessage;
}

export interface SarifThreadFlowLocation {
  location: SarifLocation;
}

export interface SarifThreadFlow {
  locations: SarifThreadFlowLocation[];
}

export interface SarifCodeFlow {
  message?: SarifMessage;
  threadFlows: SarifThreadFlow[];
}

export interface SarifReplacement {
  deletedRegion: SarifRegion;
  insertedContent: { text: string };
}

export interface SarifArtifactChange {
  artifactLocation: SarifArtifactLocation;
  replacements: SarifReplacement[];
}

export interface SarifFix {
  description: SarifMessage;
  artifactChanges: SarifArtifactChange[];
  properties?: { kind: 'safe' | 'suggestion' };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  codeFlows?: SarifCodeFlow[];
  relatedLocations?: SarifLocation[];
  fixes?: SarifFix[];
}
