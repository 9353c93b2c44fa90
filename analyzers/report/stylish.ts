/**
 * Human-readable terminal report (`wirecheck scan`, the default on a TTY), in the spirit of
 * ESLint's "stylish" formatter:
 *
 * ```
 * src/chat.ts
 *   13:34  error  Request data (`req.body`) reaches … an allowlist.  prompt-injection/untrusted-input-in-instructions
 *     ↳ source: request data at src/chat.ts:9
 *   20:3   note   unused suppression for output-to-sink  unused-suppression
 *
 * ✖ 1 problem (1 error, 0 warnings)
 *   1 notice: 1 unused suppression
 *   To accept a finding after review, put `// wirecheck-disable-next-line <rule-id> -- <reason>` on the line above it.
 * ```
 *
 * Findings are grouped by file; notices (syntax errors, skipped files, unused suppressions…) appear
 * as `note` lines under their file, or under "notes" when they belong to no file. Colour is used
 * only when asked for; text from the scanned code is stripped of control characters either way, so
 * a hostile file cannot write escape sequences to the terminal.
 */
import * as path from 'node:path';
import type { Finding, Notice, Severity } from '../engine/types';
import { clean, palette, plural, type Palette } from './terminal';

export interface StylishOptions {
  /** Emit ANSI colours. */
  color: boolean;
  /**
   * The scan root that finding paths are relative to. When given and the process's working folder
   * contains it, paths are shown relative to the working folder so they can be opened from the
   * terminal; otherwise they stay root-relative.
   */
  cwd?: string;
  /** How to apply the safe fixes, shown when a finding has one (default: run `wirecheck scan --fix`). */
  fixHint?: string;
}

export interface StylishInput {
  findings: readonly Finding[];
  notices: readonly Notice[];
  /** The files that were analysed, when known (used in the all-clear line). */
  files?: readonly string[];
}

type Label = Severity;

interface Row {
  line: number;
  column: number;
  /** `line:col`, or '' for a file-level notice. */
  pos: string;
  label: Label;
  message: string;
  id: string;
  /** Dimmed lines under the row (source, fix). */
  details: string[];
  /** Findings sort before notices at the same position. */
  order: number;
}

const NOTES_GROUP = '\u0000notes';

export function formatStylish(result: StylishInput, opts: StylishOptions): string {
  const c = palette(opts.color);
  const show = (file: string) => clean(displayPath(file, opts.cwd));

  const groups = new Map<string, Row[]>();
  const add = (key: string, row: Row) => {
    const rows = groups.get(key) ?? [];
    rows.push(row);
    groups.set(key, rows);
  };

  for (const f of result.findings) {
    const details: string[] = [];
    const src = f.path.length >= 2 ? f.path[0] : undefined;
    if (src && (src.location.file !== f.location.file || src.location.start.line !== f.location.start.line)) {
      const what = clean(src.message.replace(/^source:\s*/i, ''));
      details.push(`↳ source: ${what} at ${show(src.location.file)}:${src.location.start.line}`);
    }
    const fix = f.fixes.find((x) => x.kind === 'safe') ?? f.fixes[0];
    if (fix) details.push(`↳ ${fix.kind === 'safe' ? 'fix' : 'suggestion'}: ${clean(fix.description)}`);
    add(f.location.file, {
      line: f.location.start.line,
      column: f.location.start.column,
      pos: `${f.location.start.line}:${f.location.start.column}`,
      label: f.severity,
      message: clean(f.message),
      id: clean(f.ruleId),
      details,
      order: 0,
    });
  }

  for (const n of result.notices) {
    const { line, column, message } = noticePosition(n);
    add(n.file ?? NOTES_GROUP, {
      line,
      column,
      pos: line > 0 ? `${line}:${column}` : '',
      label: 'note',
      message: clean(message),
      id: n.kind,
      details: [],
      order: 1,
    });
  }

  const keys = [...groups.keys()].filter((k) => k !== NOTES_GROUP).sort((a, b) => a.localeCompare(b));
  if (groups.has(NOTES_GROUP)) keys.push(NOTES_GROUP);

  const blocks: string[] = [];
  for (const key of keys) {
    const rows = groups.get(key)!.sort((a, b) => a.line - b.line || a.column - b.column || a.order - b.order);
    const posW = Math.max(...rows.map((r) => r.pos.length));
    const labelW = Math.max(...rows.map((r) => r.label.length));
    const lines = [key === NOTES_GROUP ? c.underline('notes') : c.underline(show(key))];
    for (const r of rows) {
      const label = c.severity(r.label, r.label.padEnd(labelW));
      lines.push(`  ${c.dim(r.pos.padEnd(posW))}  ${label}  ${r.message}  ${c.dim(r.id)}`);
      for (const d of r.details) lines.push(c.dim(`    ${d}`));
    }
    blocks.push(lines.join('\n'));
  }

  blocks.push(summary(result, opts, c));
  return blocks.join('\n\n') + '\n';
}

// ───────────────────────────── summary ─────────────────────────────

function summary(result: StylishInput, opts: StylishOptions, c: Palette): string {
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  const notes = result.findings.filter((f) => f.severity === 'note').length;
  const total = result.findings.length;
  const out: string[] = [];

  if (total > 0) {
    const parts = [plural(errors, 'error'), plural(warnings, 'warning')];
    if (notes) parts.push(plural(notes, 'note'));
    const text = `✖ ${plural(total, 'problem')} (${parts.join(', ')})`;
    out.push(c.bold(errors ? c.red(text) : warnings ? c.yellow(text) : c.cyan(text)));
  } else {
    const n = result.files?.length;
    out.push(c.bold(c.green(`✔ No unsafe LLM wiring found${n !== undefined ? ` in ${plural(n, 'file')}` : ''}`)));
  }

  if (result.notices.length) {
    const byKind = new Map<Notice['kind'], number>();
    for (const n of result.notices) byKind.set(n.kind, (byKind.get(n.kind) ?? 0) + 1);
    const parts = [...byKind].map(([k, n]) => NOTICE_SUMMARY[k](n));
    out.push(`  ${plural(result.notices.length, 'notice')}: ${parts.join(', ')}`);
  }

  const fixable = result.findings.filter((f) => f.fixes.some((x) => x.kind === 'safe' && x.edits.length > 0)).length;
  if (fixable) {
    const hint = opts.fixHint ?? 'run `wirecheck scan --fix`';
    out.push(`  ${plural(fixable, 'problem')} can be fixed automatically: ${clean(hint)}`);
  }

  if (total > 0)
    out.push(c.dim('  To accept a finding after review, put `// wirecheck-disable-next-line <rule-id> -- <reason>` on the line above it.'));
  return out.join('\n');
}

const NOTICE_SUMMARY: Record<Notice['kind'], (n: number) => string> = {
  'parse-error': (n) => `${plural(n, 'file')} with syntax errors`,
  unreadable: (n) => `${plural(n, 'file')} not read or not analysed`,
  'time-budget': (n) => `${plural(n, 'file')} skipped for size or time`,
  'unused-suppression': (n) => plural(n, 'unused suppression'),
  'suppression-without-reason': (n) => `${plural(n, 'suppression')} without a reason`,
  config: (n) => plural(n, 'configuration problem'),
};

// ───────────────────────────── helpers ─────────────────────────────

/** Takes the position from the notice's location or its `file:line:col:` prefix, and drops that prefix from the message. */
function noticePosition(n: Notice): { line: number; column: number; message: string } {
  let message = n.message;
  let line = 0;
  let column = 0;
  if (n.file && message.startsWith(`${n.file}:`)) {
    message = message.slice(n.file.length + 1);
    const m = /^(\d+)(?::(\d+))?:\s*/.exec(message);
    if (m) {
      line = Number(m[1]);
      column = m[2] ? Number(m[2]) : 1;
      message = message.slice(m[0].length);
    } else message = message.replace(/^\s+/, '');
  }
  if (n.location) {
    line = n.location.start.line;
    column = n.location.start.column;
  }
  return { line, column, message };
}

function displayPath(file: string, cwd: string | undefined): string {
  if (!cwd) return file;
  const rel = path.relative(process.cwd(), path.resolve(cwd, file));
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return file;
  return rel.split(path.sep).join('/');
}




