/**
 * Resolving fixes whose edits hold a placeholder (`Fix.resolve`), outside the engine: the engine is
 * synchronous and never does network I/O, so the CLI (`scan --fix`) and the editor call this before
 * applying such a fix. For `hf-revision` it asks the Hugging Face Hub which commit a branch or tag
 * points to (`GET {HF_ENDPOINT}/api/models/{id}/revision/{ref}` → `sha`) and puts that commit in place
 * of the placeholder. When the Hub cannot be reached the result says how to find the commit by hand;
 * `fillFix` puts a commit the user typed in place of the placeholder.
 */
import type { Finding, Fix } from '../engine/types';

export interface ResolveOptions {
  /**
   * Environment: `HF_ENDPOINT` (default https://huggingface.co), `HF_TOKEN` for private or gated
   * repositories, `HF_HUB_OFFLINE=1` to never ask.
   */
  env?: Record<string, string | undefined>;
  /** The fetch to use (tests and the editor pass their own); defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Milliseconds before a request is abandoned (default 10 000). */
  timeoutMs?: number;
  /** Answers shared between calls (one request per repository and ref in a run). */
  cache?: Map<string, Promise<string>>;
}

export type ResolveResult =
  | { ok: true; fix: Fix }
  /** `help` tells the user how to find the value by hand (for the CLI to print, the editor to show when it asks). */
  | { ok: false; fix: Fix; error: string; help: string };

const SHA = /^[0-9a-f]{40}$/;

/** A fix with its placeholder resolved; a fix without `resolve` is returned as it is. */
export async function resolveFix(fix: Fix, opts: ResolveOptions = {}): Promise<ResolveResult> {
  const r = fix.resolve;
  if (!r) return { ok: true, fix };
  if (r.kind !== 'hf-revision') return { ok: false, fix, error: `unknown placeholder kind '${(r as { kind: string }).kind}'`, help: 'Update Wirecheck to apply this fix.' };
  const env = opts.env ?? process.env;
  const endpoint = (env.HF_ENDPOINT?.trim() || 'https://huggingface.co').replace(/\/+$/, '');
  const help = helpFor(endpoint, r.model, r.ref);
  if (/^(1|true|yes|on)$/i.test(env.HF_HUB_OFFLINE ?? '')) return { ok: false, fix, error: 'HF_HUB_OFFLINE is set, so the Hub was not asked', help };
  const key = `${endpoint}\u0000${r.model}\u0000${r.ref}`;
  let pending = opts.cache?.get(key);
  if (!pending) {
    pending = lookup(endpoint, r.model, r.ref, env, opts);
    opts.cache?.set(key, pending);
  }
  try {
    const sha = await pending;
    return { ok: true, fix: fillFix(fix, sha) };
  } catch (e) {
    return { ok: false, fix, error: (e as Error).message, help };
  }
}

export interface ResolveFailure {
  finding: Finding;
  fix: Fix;
  error: string;
  help: string;
}

/**
 * Resolves every fix with a placeholder in a list of findings (one request per repository and ref):
 * resolved fixes replace the originals, fixes that cannot be resolved are dropped from their finding
 * and reported, so `selectFixes` then only ever sees fixes that are ready to apply.
 */
export async function resolveFindings(findings: readonly Finding[], opts: ResolveOptions = {}): Promise<{ findings: Finding[]; failures: ResolveFailure[] }> {
  const o = { ...opts, cache: opts.cache ?? new Map<string, Promise<string>>() };
  const failures: ResolveFailure[] = [];
  const out = await Promise.all(
    findings.map(async (finding) => {
      if (!finding.fixes.some((f) => f.resolve)) return finding;
      const fixes: Fix[] = [];
      for (const fix of finding.fixes) {
        if (!fix.resolve) {
          fixes.push(fix);
          continue;
        }
        const r = await resolveFix(fix, o);
        if (r.ok) fixes.push(r.fix);
        else failures.push({ finding, fix, error: r.error, help: r.help });
      }
      return { ...finding, fixes };
    }),
  );
  return { findings: out, failures };
}

/** Puts a commit (for example one the user typed) in place of the fix's placeholder. */
export function fillFix(fix: Fix, value: string): Fix {
  const r = fix.resolve;
  if (!r) return fix;
  const sha = value.trim().toLowerCase();
  if (r.kind === 'hf-revision' && !SHA.test(sha)) throw new Error(`'${value}' is not a 40-character commit sha`);
  const { resolve: _done, ...rest } = fix;
  return {
    ...rest,
    description: fix.description.replace(/ \(the sha is looked up when the fix is applied\)$/, '') + ` (${sha.slice(0, 12)})`,
    edits: fix.edits.map((e) => ({ ...e, text: e.text.split(r.placeholder).join(sha) })),
  };
}

/** How to find the commit by hand. */
export function helpFor(endpoint: string, model: string, ref: string): string {
  return `Find the commit of \`${ref}\` on ${endpoint}/${model}/commits/${encodeURIComponent(ref)} and use its full 40-character sha.`;
}

async function lookup(endpoint: string, model: string, ref: string, env: Record<string, string | undefined>, opts: ResolveOptions): Promise<string> {
  if (!/^[\w.-]+\/[\w.-]+$/.test(model)) throw new Error(`'${model}' is not a Hugging Face repository id`);
  const doFetch = opts.fetch ?? globalThis.fetch;
  if (!doFetch) throw new Error('no fetch available to reach the Hugging Face Hub');
  const url = `${endpoint}/api/models/${model.split('/').map(encodeURIComponent).join('/')}/revision/${encodeURIComponent(ref)}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = env.HF_TOKEN?.trim();
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await doFetch(url, { headers, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000), redirect: 'follow' });
  } catch (e) {
    const err = e as Error;
    const why = err.name === 'TimeoutError' || err.name === 'AbortError' ? 'timed out' : (err as Error & { cause?: Error }).cause?.message ?? err.message;
    throw new Error(`could not reach ${endpoint} (${why})`);
  }
  if (res.status === 401 || res.status === 403) throw new Error(`${endpoint} refused access to ${model} (HTTP ${res.status}); set HF_TOKEN for a private or gated repository`);
  if (res.status === 404) throw new Error(`${endpoint} has no revision '${ref}' of ${model}`);
  if (!res.ok) throw new Error(`${endpoint} answered HTTP ${res.status} for ${model}@${ref}`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new Error(`${endpoint} did not answer with JSON for ${model}@${ref}`);
  }
  const sha = typeof body === 'object' && body !== null ? (body as { sha?: unknown }).sha : undefined;
  if (typeof sha !== 'string' || !SHA.test(sha)) throw new Error(`${endpoint} did not return a commit sha for ${model}@${ref}`);
  return sha;
}
