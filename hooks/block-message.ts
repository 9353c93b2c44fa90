/**
 * The message `wirecheck scan --staged` prints at commit time. For every blocking finding:
 * `file:line:col`, severity, rule id, a one-line reason and the fix hint (and where the untrusted
 * value came from); then findings that do not block, notes, a summary line, and how to suppress
 * with a reason or bypass the hook once.
 *
 * ```
 * wirecheck: commit blocked: 1 blocking finding in the staged changes
 *
 * src/chat.ts:11:5  error  prompt-injection/untrusted-input-in-instructions
 *     Request data from `req.query.persona` reaches the `system` field … without validation.
 *     fix: Send it as a user message, or check it against an allowlist first.
 *     source: request data at src/chat.ts:9
 *
 * ✖ 1 blocking finding (1 error) in 1 of 2 staged files
 *   Fix it and `git add` the file again. After review, accept a finding with a reason on the line above it:
 *     // wirecheck-disable-next-line prompt-injection/untrusted-input-in-instructions -- <reason>
 *   To commit anyway, skipping the pre-commit hooks: git commit --no-verify
 * ```
 *
 * Text from the analysed code is stripped of control characters; colour only when asked (a TTY).
 */
import * as path from 'node:path';
import type { Category, FailOn, Finding, Notice } from '../analyzers';
import { clean, palette, plural, type Palette } from '../analyzers/report/terminal';

export interface BlockMessageInput {
  blocking: readonly Finding[];
  /** Findings below the --fail-on threshold (shown, but they do not block). */
  other: readonly Finding[];
  notices: readonly Notice[];
  /** Notes from the staged-file selection (unmerged paths, skipped arguments…). */
  notes: readonly string[];
  /** Number of staged source files analysed. */
  files: number;
  /** Findings accepted by the baseline (not shown). */
  baselined: number;
  baselineFile?: string;
  failOn: FailOn;
}

export interface BlockMessageOptions {
  color: boolean;
  /** The session root that finding paths are relative to. */
  root: string;
  /** Where the user is: paths are shown relative to it when it contains them. */
  cwd: string;
}

const FALLBACK_FIX: Record<Category, string> = {
  'prompt-injection': 'Send the untrusted text as a separate user message, or check it against an allowlist first.',
  'rag-as-instructions': 'Pass retrieved text as delimited data in a user message, not in the instructions.',
  'overprivileged-tool': 'Add an allowlist, an approval gate (`needsApproval`) or a sandbox before the dangerous operation.',
  'unpinned-model': 'Pin a 40-character commit revision, or verify a sha256 digest before use.',
  'output-to-sink': 'Validate, escape or allowlist the model output before it reaches the sink.',
};

export function formatBlockMessage(input: BlockMessageInput, opts: BlockMessageOptions): string {
  const c = palette(opts.color);
  const show = (file: string) => clean(displayPath(file, opts.root, opts.cwd));
  const out: string[] = [];
  const nBlock = input.blocking.length;

  if (nBlock) out.push(c.bold(c.red(`wirecheck: commit blocked: ${plural(nBlock, 'blocking finding')} in the staged changes`)), '');

  for (const f of input.blocking) out.push(...findingBlock(f, show, c), '');

  if (input.other.length) {
    out.push(c.bold(input.failOn === 'never' ? 'Findings (not blocking: --fail-on never):' : `Not blocking (below --fail-on ${input.failOn}):`));
    for (const f of input.other) {
      const { reason } = splitMessage(f);
      out.push(`  ${show(f.location.file)}:${f.location.start.line}:${f.location.start.column}  ${c.severity(f.severity, f.severity)}  ${c.dim(clean(f.ruleId))}  ${clean(reason)}`);
    }
    out.push('');
  }

  const notes = [...input.notes.map(clean), ...input.notices.map((n) => clean(noticeText(n, show)))];
  if (notes.length) {
    out.push(c.bold('Notes:'));
    for (const n of notes) out.push(`  ${n}`);
    out.push('');
  }

  // summary
  const extras: string[] = [];
  if (input.other.length) extras.push(`${input.other.length} not blocking`);
  if (input.baselined) extras.push(`${input.baselined} accepted by the baseline${input.baselineFile ? ` (${clean(input.baselineFile)})` : ''}`);
  const tail = extras.length ? `; ${extras.join(', ')}` : '';
  if (nBlock) {
    const files = new Set(input.blocking.map((f) => f.location.file)).size;
    const bySeverity = (['error', 'warning', 'note'] as const).map((s) => [s, input.blocking.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
    const sev = bySeverity.map(([s, n]) => plural(n, s)).join(', ');
    out.push(c.bold(c.red(`✖ ${plural(nBlock, 'blocking finding')} (${sev}) in ${files} of ${plural(input.files, 'staged file')}${tail}`)));
    const rules = [...new Set(input.blocking.map((f) => f.ruleId))];
    const rule = rules.length === 1 ? clean(rules[0]) : '<rule-id>';
    out.push('  Fix the code as suggested and `git add` it again. After review, you can accept a finding with a reason');
    out.push('  on the line above it (or at the end of its line with `wirecheck-disable-line`):');
    out.push(`    ${c.cyan(`// wirecheck-disable-next-line ${rule} -- <why this is safe>`)}`);
    out.push(`  To commit anyway, skipping the pre-commit hooks: ${c.cyan('git commit --no-verify')}`);
  } else if (input.files === 0) {
    out.push(c.green(`✔ wirecheck: no staged TypeScript or JavaScript files to check${tail}`));
  } else {
    out.push(c.green(`✔ wirecheck: no blocking findings in ${plural(input.files, 'staged file')}${tail}`));
  }
  return out.join('\n') + '\n';
}

function findingBlock(f: Finding, show: (file: string) => string, c: Palette): string[] {
  const { reason, fix } = splitMessage(f);
  const lines = [`${c.bold(`${show(f.location.file)}:${f.location.start.line}:${f.location.start.column}`)}  ${c.severity(f.severity, f.severity)}  ${clean(f.ruleId)}`];
  lines.push(`    ${clean(reason)}`);
  const safeFix = f.fixes.find((x) => x.kind === 'safe');
  lines.push(`    ${c.green('fix:')} ${clean(safeFix ? safeFix.description : fix)}`);
  const src = f.path.length >= 2 ? f.path[0] : undefined;
  if (src && (src.location.file !== f.location.file || src.location.start.line !== f.location.start.line)) {
    const what = clean(src.message.replace(/^source:\s*/i, ''));
    lines.push(c.dim(`    source: ${what} at ${show(src.location.file)}:${src.location.start.line}`));
  }
  return lines;
}

/**
 * Splits a rule message into the reason (its first sentence) and the fix hint (the rest). Periods
 * inside backticks (`req.body.text`) do not end a sentence. A message without a hint gets the
 * category's usual fix.
 */
export function splitMessage(f: Pick<Finding, 'message' | 'category'>): { reason: string; fix: string } {
  const m = f.message.trim();
  let inCode = false;
  for (let i = 0; i < m.length - 2; i++) {
    const ch = m[i];
    if (ch === '`') inCode = !inCode;
    else if (!inCode && ch === '.' && m[i + 1] === ' ' && /[A-Z`]/.test(m[i + 2])) {
      const rest = m.slice(i + 2).trim();
      return { reason: m.slice(0, i + 1), fix: rest || FALLBACK_FIX[f.category] };
    }
  }
  return { reason: m, fix: FALLBACK_FIX[f.category] ?? 'See the rule documentation.' };
}

function noticeText(n: Notice, show: (file: string) => string): string {
  if (n.file && n.message.startsWith(`${n.file}:`)) return show(n.file) + n.message.slice(n.file.length);
  return n.message;
}

function displayPath(file: string, root: string, cwd: string): string {
  const abs = path.resolve(root, file);
  const rel = path.relative(cwd, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return file;
  return rel.split(path.sep).join('/');
}




