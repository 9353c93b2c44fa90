/**
 * A cheap test on a file's raw text (no parse): which import specifiers it may use, and whether it
 * may touch an API whose facts start a finding (an "anchor": a model call, a tool definition, a
 * model download, model output). Every finding needs an anchor's value, so a file whose own text and
 * whose transitive imports touch none cannot produce one (see Session.plan for how files that import
 * such files, and the helpers they call, are kept). Both tests over-approximate: a false match only
 * costs a parse.
 *
 * Derived from the SDK models (data), so a pack's models extend it. With pack taint rules (which may
 * start from any source and end in any sink), a model policy or models of workspace files, every
 * modelled API counts.
 */
import type { ModelFile, ModelRegistry } from './models';

/** Import specifiers written in the text (a superset of what the parser finds: comments and strings included). */
const SPECIFIER_RE = /(?:\bfrom|\bimport|\brequire\s*\(|\bimport\s*\()\s*(['"`])([^'"`\r\n]{1,500})\1/g;

export function textSpecifiers(text: string): string[] {
  const out = new Set<string>();
  SPECIFIER_RE.lastIndex = 0;
  for (let m = SPECIFIER_RE.exec(text); m; m = SPECIFIER_RE.exec(text)) out.add(m[2]);
  return [...out];
}

/** `huggingface.co/…/resolve/<ref>/` URLs fetched directly are downloads. */
const MODEL_URL_RE = /huggingface\.co|hf\.co\//;

interface ModuleMatch {
  exact: Set<string>;
  prefixes: string[];
}

export class Prefilter {
  /** Every modelled API counts (pack taint rules or workspace-file models are configured). */
  readonly broad: boolean;
  private readonly anchorModules: ModuleMatch = { exact: new Set(), prefixes: [] };
  /** Words any of which alone makes a file an anchor (global roots, assignment and JSX sinks). */
  private readonly words = new Set<string>();
  /** Receiver-agnostic rows: all their tokens must appear. */
  private readonly groups: string[][] = [];
  /** Parameter-name conventions (`req` beside `res`). */
  private readonly pairs: { names: string[]; siblings: string[] }[] = [];
  /** Exported function names with an optional path pattern (`POST`, `default` in `page.tsx`). */
  private readonly typed: { names: string[]; file?: RegExp }[] = [];
  private readonly serverActions: boolean;
  private readonly fileModels?: (rel: string) => unknown[];
  private readonly modelUrls: boolean;
  private readonly interesting: Set<string>;

  constructor(registry: ModelRegistry, opts: { broad?: boolean } = {}) {
    const reg = registry as ModelRegistry & { modelsForFile?: (rel: string) => unknown[]; hasFileModels?: boolean };
    this.broad = !!opts.broad || !!reg.hasFileModels;
    if (reg.hasFileModels && reg.modelsForFile) this.fileModels = (rel) => reg.modelsForFile!(rel);
    const files: ModelFile[] = [...registry.models.values()].map((m) => m.file);
    let urls = false;
    for (const f of files) {
      const global = (f.modules ?? []).includes('<global>');
      const rows = anchorRows(f, this.broad);
      if (!global) {
        if (rows.anchor) for (const spec of f.modules ?? []) addModule(this.anchorModules, spec);
      } else for (const p of rows.paths) this.words.add(p.split('.')[0].replace(/\(\)$/, ''));
      for (const s of rows.suffixes) this.groups.push(s.split('.').filter((t) => t && t !== '()'));
      for (const w of rows.words) this.words.add(w);
      if (rows.urls) urls = true;
      if (this.broad) {
        for (const p of f.namedParams ?? []) this.pairs.push({ names: p.names, siblings: p.siblings });
        for (const t of f.typedParams ?? []) this.typed.push({ names: t.functions, file: t.file ? safeRegExp(t.file) : undefined });
      }
    }
    this.words.delete('');
    this.serverActions = this.broad;
    this.modelUrls = urls;
    this.interesting = new Set([...this.words, ...this.groups.flat(), ...this.pairs.flatMap((p) => [...p.names, ...p.siblings]), ...this.typed.flatMap((t) => t.names)]);
    // one alternation over the words (longest first) finds them much faster than testing every identifier
    const alts = [...this.interesting].filter((w) => /^[\w$]+$/.test(w)).sort((a, b) => b.length - a.length || a.localeCompare(b));
    this.wordRe = alts.length ? new RegExp(`(?<![\\w$])(?:${alts.map((w) => w.replace(/\$/g, '\\$')).join('|')})(?![\\w$])`, 'g') : /(?!)/g;
  }

  private readonly wordRe: RegExp;

  /** Whether the text (of the file at `rel`, root-relative) may touch an anchor API by itself. */
  isAnchor(text: string, rel: string, specifiers: readonly string[] = textSpecifiers(text)): boolean {
    if (this.fileModels && this.fileModels(rel).length) return true;
    for (const s of specifiers) if (moduleMatches(this.anchorModules, s)) return true;
    if (this.modelUrls && MODEL_URL_RE.test(text)) return true;
    if (this.serverActions && text.includes('use server')) return true;
    if (!this.interesting.size) return false;
    const present = new Set<string>();
    const re = this.wordRe;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const w = m[0];
      if (this.words.has(w)) return true;
      present.add(w);
    }
    if (!present.size) return false;
    for (const g of this.groups) if (g.length && g.every((t) => present.has(t))) return true;
    for (const p of this.pairs) if (p.names.some((n) => present.has(n)) && p.siblings.some((n) => present.has(n))) return true;
    for (const t of this.typed) if (t.names.some((n) => present.has(n)) && (!t.file || t.file.test(rel))) return true;
    return false;
  }
}

function addModule(m: ModuleMatch, spec: string): void {
  if (spec.endsWith('/*')) m.prefixes.push(spec.slice(0, -1));
  else m.exact.add(spec);
}

function moduleMatches(m: ModuleMatch, specifier: string): boolean {
  const spec = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (m.exact.has(spec)) return true;
  return m.prefixes.some((p) => spec.startsWith(p) || spec === p.slice(0, -1));
}

function safeRegExp(src: string): RegExp | undefined {
  try {
    return new RegExp(src);
  } catch {
    return undefined;
  }
}

/**
 * The rows of a model that start a finding by themselves: model calls (sinks), tool definitions and
 * gates, prompt templates and retrieval chains, guarded clients, model downloads, model output. In
 * broad mode every row counts.
 */
function anchorRows(f: ModelFile, broad: boolean): { anchor: boolean; paths: string[]; suffixes: string[]; words: string[]; urls: boolean } {
  const paths: string[] = [];
  const suffixes: string[] = [];
  const words: string[] = [];
  let urls = false;
  const take = (rows: { call?: string[]; member?: string[]; iterate?: string[]; decorator?: string[]; new?: string[]; extends?: string[]; suffix?: string[] }[] | undefined, when: (r: never) => boolean = () => true) => {
    for (const r of rows ?? []) {
      if (!when(r as never)) continue;
      paths.push(...(r.call ?? []), ...(r.member ?? []), ...(r.iterate ?? []), ...(r.decorator ?? []), ...(r.new ?? []), ...(r.extends ?? []));
      suffixes.push(...(r.suffix ?? []));
    }
  };
  take(f.sinks);
  take(f.tools);
  take(f.toolGates);
  take(f.templates);
  take(f.retrievalChains);
  take(f.guards, (g: { effect: string }) => broad || g.effect !== 'verdict');
  take(f.sources, (s: { kind: string }) => broad || s.kind === 'llm-output');
  take(f.callbacks, (c: { params: ({ kind?: string; toolArg?: boolean; members?: Record<string, string> } | null)[] }) =>
    broad || c.params.some((p) => !!p && (p.toolArg || p.kind === 'llm-output' || Object.values(p.members ?? {}).includes('llm-output'))),
  );
  for (const d of f.downloads ?? []) {
    if (d.kind === 'url' && !broad) urls = true;
    else take([d]);
  }
  for (const l of f.localOnlySwitches ?? []) paths.push(l.member);
  if (f.toolCallMembers?.length) words.push(...(broad ? f.toolCallMembers : []));
  if (broad) {
    take(f.dangerous);
    take(f.sanitizers);
    take(f.summaries);
    for (const d of f.dangerous ?? []) words.push(...(d.assign ?? []), ...(d.jsxAttribute ?? []));
  }
  const anchor = paths.length > 0 || suffixes.length > 0 || words.length > 0 || urls || (broad && (f.modules ?? []).length > 0) || (f.toolCallMembers?.length ?? 0) > 0;
  return { anchor, paths, suffixes, words, urls };
}
