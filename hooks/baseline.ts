/**
 * The baseline file (`.wirecheck-baseline.json`): findings accepted when Wirecheck was adopted, so
 * that only new findings block. Entries are matched by the engine's fingerprint, which is built
 * from the rule, the file (relative to the baseline's folder), the enclosing declarations and the
 * normalised text of the sink and the source — not from line numbers — so an entry keeps matching
 * when code moves or unrelated code changes.
 *
 * The file is stable JSON: entries sorted by file, rule and fingerprint, two-space indentation,
 * no timestamps, so regenerating it without changes produces the same bytes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../analyzers';

export const BASELINE_NAME = '.wirecheck-baseline.json';
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  /** Path relative to the baseline file's folder, forward slashes. */
  file: string;
  /** The start of the finding's line, for humans reviewing the file (not used for matching). */
  snippet: string;
}

export interface Baseline {
  version: number;
  entries: BaselineEntry[];
}

export class BaselineError extends Error {}

/** Reads and validates a baseline file; a missing, unreadable or malformed file is a BaselineError. */
export function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BaselineError(code === 'ENOENT' ? `${file}: baseline file not found (create it with \`wirecheck baseline\`)` : `${file}: cannot read the baseline: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${file}: the baseline is not valid JSON (${(e as Error).message}); regenerate it with \`wirecheck baseline\``);
  }
  const bad = (what: string) => new BaselineError(`${file}: not a Wirecheck baseline: ${what}; regenerate it with \`wirecheck baseline\``);
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw bad('expected a JSON object');
  const obj = data as Record<string, unknown>;
  if (obj.version !== BASELINE_VERSION) throw bad(`unsupported "version" ${JSON.stringify(obj.version)} (expected ${BASELINE_VERSION})`);
  if (!Array.isArray(obj.findings)) throw bad('"findings" must be an array');
  const entries: BaselineEntry[] = [];
  obj.findings.forEach((f, i) => {
    const e = f as Record<string, unknown> | null;
    if (!e || typeof e !== 'object' || typeof e.fingerprint !== 'string' || !e.fingerprint || typeof e.ruleId !== 'string' || typeof e.file !== 'string')
      throw bad(`findings[${i}] needs string "fingerprint", "ruleId" and "file"`);
    entries.push({ fingerprint: e.fingerprint, ruleId: e.ruleId, file: e.file, snippet: typeof e.snippet === 'string' ? e.snippet : '' });
  });
  return { version: BASELINE_VERSION, entries };
}

/** Serialises a baseline as stable JSON (sorted, no timestamps). */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  const sorted = dedupe(entries).sort(compareEntries);
  const body = {
    version: BASELINE_VERSION,
    tool: 'wirecheck',
    comment: 'Accepted Wirecheck findings: only findings not listed here block. Update with `wirecheck baseline`, drop fixed ones with `wirecheck baseline --prune`.',
    findings: sorted.map((e) => ({ fingerprint: e.fingerprint, ruleId: e.ruleId, file: e.file, snippet: e.snippet })),
  };
  return JSON.stringify(body, null, 2) + '\n';
}

export function writeBaseline(file: string, entries: readonly BaselineEntry[]): void {
  const text = formatBaseline(entries);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function dedupe(entries: readonly BaselineEntry[]): BaselineEntry[] {
  const byKey = new Map<string, BaselineEntry>();
  for (const e of entries) byKey.set(`${e.file}\0${e.fingerprint}`, e);
  return [...byKey.values()];
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return cmp(a.file, b.file) || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint);
}

/** Code-unit order (not locale order), so the file is identical on every machine. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The baseline entry for a finding; `text` is the text of the finding's file (for the snippet). */
export function entryFor(f: Finding, text: string | undefined): BaselineEntry {
  return { fingerprint: f.fingerprint, ruleId: f.ruleId, file: f.location.file, snippet: snippetAt(text, f.location.startOffset, f.location.start.line) };
}

function snippetAt(text: string | undefined, offset: number, line: number): string {
  if (text === undefined) return '';
  let start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  if (offset === 0) start = 0;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  let s = text.slice(start, end);
  if (!s.trim()) s = text.split('\n')[line - 1] ?? '';
  s = s.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
  return s.length > 100 ? s.slice(0, 99) + '…' : s;
}

/** Splits findings into those accepted by the baseline and the new ones. */
export function applyBaseline<T extends Finding>(findings: readonly T[], baseline: Baseline): { fresh: T[]; known: T[] } {
  const known = new Set(baseline.entries.map((e) => `${e.file}\0${e.fingerprint}`));
  const out = { fresh: [] as T[], known: [] as T[] };
  for (const f of findings) (known.has(`${f.location.file}\0${f.fingerprint}`) ? out.known : out.fresh).push(f);
  return out;
}
