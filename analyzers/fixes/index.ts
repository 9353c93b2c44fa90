/**
 * Fix builders, one module per family. Each turns a finding into zero or more fixes (text edits),
 * best first; the engine attaches them to the finding so the CLI (`--fix`), SARIF and the editor
 * share them.
 */
import type { Fix } from '../engine/types';
import type { FixContext, FixBuilder } from './context';
import { instructionFixes } from './instructions';

const BUILDERS: Record<string, FixBuilder[]> = {
  'prompt-injection': [instructionFixes],
  'rag-as-instructions': [instructionFixes],
  'overprivileged-tool': [],
  'unpinned-model': [],
  'output-to-sink': [],
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
  // safe fixes first, then suggestions, keeping each builder's order
  return [...out.filter((f) => f.kind === 'safe'), ...out.filter((f) => f.kind !== 'safe')];
}

function sameEdits(a: Fix, b: Fix): boolean {
  return a.edits.length === b.edits.length && a.edits.every((e, i) => e.startOffset === b.edits[i].startOffset && e.endOffset === b.edits[i].endOffset && e.text === b.edits[i].text);
}

export type { FixContext } from './context';
