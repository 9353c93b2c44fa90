/**
 * Fix builders, one module per family. Each turns a finding into zero or more fixes (text edits),
 * best first; the engine attaches them to the finding so the CLI (`--fix`), SARIF and the editor
 * share them.
 */
import type { Fix } from '../engine/types';
import type { FixContext, FixBuilder } from './context';
import { instructionFixes } from './instructions';
import { guardrailsClientFix } from './guardrails';
import { pinFixes } from './pins';
import { sinkFixes } from './sinks';
import { toolFixes } from './tools';

const BUILDERS: Record<string, FixBuilder[]> = {
  'prompt-injection': [instructionFixes, guardrailsClientFix],
  'rag-as-instructions': [instructionFixes],
  'overprivileged-tool': [toolFixes],
  'unpinned-model': [pinFixes],
  'output-to-sink': [sinkFixes],
};

export function buildFixes(ctx: FixContext): Fix[] {
  const out: Fix[] = [];
  for (const b of BUILDERS[ctx.category] ?? []) {
    try {
      for (const f of b(ctx)) if (f.edits.length && !out.some((o) => sameEdits(o, f))) out.push(f);
    } catch {
      // a builder that cannot handle a shape offers nothing rather than failing the scan
    }
  }
  // safe fixes first, then suggestions, keeping each builder's order; a pack rule's named fix leads
  const ordered = [...out.filter((f) => f.kind === 'safe'), ...out.filter((f) => f.kind !== 'safe')];
  const named = ctx.preferred ? NAMED[ctx.preferred] : undefined;
  return named ? [...ordered.filter((f) => named.test(f.description)), ...ordered.filter((f) => !named.test(f.description))] : ordered;
}

/** What the fixes a pack rule can name (FIX_BUILDERS in engine/packs) look like, by description. */
const NAMED: Record<string, RegExp> = {
  'move-to-user-message': /^(Move|Put the fixed)/,
  'wrap-openai-guardrails': /@openai\/guardrails/,
  'add-needs-approval': /needsApproval|humanInTheLoop|approval/i,
  'exec-to-execfile': /execFile/,
  'add-path-containment': /contain/i,
  'pin-model-revision': /\b[Pp]in\b|revision|commit/,
};

function sameEdits(a: Fix, b: Fix): boolean {
  return a.edits.length === b.edits.length && a.edits.every((e, i) => e.startOffset === b.edits[i].startOffset && e.endOffset === b.edits[i].endOffset && e.text === b.edits[i].text);
}

export type { FixContext } from './context';
