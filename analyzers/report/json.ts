/**
 * JSON report (`wirecheck scan --format json`). A stable format for scripts and other tools:
 *
 * ```jsonc
 * {
 *   "version": "0.1.0",            // Wirecheck's version
 *   "root": "/abs/path/of/scan/root", // every `file` below is relative to it, with forward slashes
 *   "findings": [                   // sorted by file, then position
 *     {
 *       "ruleId": "prompt-injection/untrusted-input-in-instructions",
 *       "category": "prompt-injection",
 *       "severity": "error",          // error | warning | note
 *       "message": "…",
 *       "location": { "file": "src/chat.ts", "start": { "line": 13, "column": 34 }, "end": { … },
 *                     "startOffset": 350, "endOffset": 387 },   // lines and columns 1-based (UTF-16 columns), offsets 0-based
 *       "path": [ { "location": { … }, "message": "source: request data" }, … ],  // source first, sink last
 *       "fixes": [ { "description": "…", "kind": "safe" | "suggestion",
 *                    "edits": [ { "file": "…", "startOffset": 0, "endOffset": 0, "text": "…" } ] } ],
 *       "fingerprint": "d446fea8d4049917"  // stable across line moves and unrelated edits
 *     }
 *   ],
 *   "notices": [                    // input problems that are not findings
 *     { "kind": "parse-error" | "unreadable" | "time-budget" | "unused-suppression" | "suppression-without-reason" | "config",
 *       "file": "…", "message": "…", "location": { … } }      // file and location only when known
 *   ],
 *   "summary": { "errors": 1, "warnings": 0, "notes": 0, "notices": 0, "files": 2 }
 * }
 * ```
 *
 * Keys always appear in this order; optional keys are omitted rather than set to null. New keys may
 * be added in later versions; existing keys keep their meaning.
 */
import type { Finding, Fix, Location, Notice, PathStep } from '../engine/types';

export interface JsonReportMeta {
  version: string;
  root: string;
}

export interface JsonReportInput {
  findings: readonly Finding[];
  notices: readonly Notice[];
  /** The files that were analysed, when the caller knows them (the summary counts them). */
  files?: readonly string[];
}

export interface JsonSummary {
  errors: number;
  warnings: number;
  notes: number;
  notices: number;
  /** Files analysed; without a file list, the number of distinct files with a finding or a notice. */
  files: number;
}

export interface JsonReport {
  version: string;
  root: string;
  findings: Finding[];
  notices: Notice[];
  summary: JsonSummary;
}

export function toJsonReport(result: JsonReportInput, meta: JsonReportMeta): JsonReport {
  return {
    version: meta.version,
    root: meta.root,
    findings: result.findings.map(finding),
    notices: result.notices.map(notice),
    summary: summarize(result),
  };
}

export function formatJson(result: JsonReportInput, meta: JsonReportMeta): string {
  return JSON.stringify(toJsonReport(result, meta), null, 2) + '\n';
}

export function summarize(result: JsonReportInput): JsonSummary {
  const count = (s: Finding['severity']) => result.findings.filter((f) => f.severity === s).length;
  const files =
    result.files?.length ??
    new Set([...result.findings.map((f) => f.location.file), ...result.notices.flatMap((n) => (n.file ? [n.file] : []))]).size;
  return { errors: count('error'), warnings: count('warning'), notes: count('note'), notices: result.notices.length, files };
}

// Copies with a fixed key order, so the output does not depend on how the engine built its objects.

function finding(f: Finding): Finding {
  return {
    ruleId: f.ruleId,
    category: f.category,
    severity: f.severity,
    message: f.message,
    location: location(f.location),
    path: f.path.map(step),
    fixes: f.fixes.map(fix),
    fingerprint: f.fingerprint,
  };
}

function location(l: Location): Location {
  return {
    file: l.file,
    start: { line: l.start.line, column: l.start.column },
    end: { line: l.end.line, column: l.end.column },
    startOffset: l.startOffset,
    endOffset: l.endOffset,
  };
}

function step(s: PathStep): PathStep {
  return { location: location(s.location), message: s.message };
}

function fix(x: Fix): Fix {
  return {
    description: x.description,
    kind: x.kind,
    edits: x.edits.map((e) => ({ file: e.file, startOffset: e.startOffset, endOffset: e.endOffset, text: e.text })),
  };
}

function notice(n: Notice): Notice {
  return {
    kind: n.kind,
    ...(n.file !== undefined ? { file: n.file } : {}),
    message: n.message,
    ...(n.location ? { location: location(n.location) } : {}),
  };
}
