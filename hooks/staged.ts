/**
 * The staged snapshot for `wirecheck scan --staged`: which files to analyse, and a TextSource that
 * serves every file the engine asks for from the git index.
 *
 * - The staged files (added, modified, renamed, copied; not deleted) are read up front with one
 *   `git cat-file --batch`.
 * - Any other path under the repository is looked up in the index: a path that is not in the
 *   index does not exist for this analysis (a deleted helper, an untracked file); a path whose
 *   working tree copy equals the index is read from the disk; otherwise its blob is read lazily.
 * - Paths inside `node_modules` and outside the repository come from the disk (dependencies are
 *   not versioned).
 * - An unmerged path (merge in progress) is read from stage 2 ("ours") with a note.
 */
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import { DEFAULT_IGNORED_DIRS } from '../analyzers/engine/config';
import type { Config } from '../analyzers/engine/config';
import type { TextSource } from '../analyzers/engine/overlay';
import { decodeText } from '../analyzers/engine/overlay';
import { readBlob, readBlobs, readIndex, relativeTo, stagedChanges, worktreeDirty, type IndexEntry, type RepoInfo, type StagedChange } from './git';

export interface StagedSnapshot {
  repo: RepoInfo;
  /** Absolute paths of the staged source files to analyse. */
  files: string[];
  /** Every staged change, including deletions and non-source files. */
  changes: StagedChange[];
  /** Things the user should know (skipped arguments, unmerged paths). */
  notes: string[];
  /** Serves file text from the index. */
  source: TextSource;
  /** How many blobs were read from git (for tests and the benchmark). */
  stats: { batched: number; lazy: number };
}

export interface StagedOptions {
  repo: RepoInfo;
  config: Config;
  /** Staged files larger than this are skipped with a note (bytes; the engine's limit for one file). */
  maxFileBytes?: number;
  /** Files or folders (absolute) to limit the analysis to, e.g. the file list lint-staged passes. */
  paths: string[];
}

/** The engine's SOURCE_EXTENSIONS (a test keeps them equal; not imported, so a commit without TS/JS never loads the engine). */
export const STAGED_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

function isSourceFile(p: string): boolean {
  const lower = p.toLowerCase();
  if (/\.d\.[mc]?ts$/.test(lower)) return false;
  return STAGED_EXTENSIONS.includes(path.extname(lower));
}

const SYMLINK = '120000';
const GITLINK = '160000';

export function stagedSnapshot(opts: StagedOptions): StagedSnapshot {
  const { repo, config } = opts;
  const changes = stagedChanges(repo);
  const notes: string[] = [];
  const skipDirs = new Set(config.defaultIgnores ?? DEFAULT_IGNORED_DIRS);
  const globs = config.ignores ?? [];

  const candidates = changes.filter((c) => c.status !== 'deleted');
  let selected: StagedChange[];
  if (opts.paths.length === 0) selected = candidates;
  else {
    const targets = opts.paths.map((p) => ({ arg: p, rel: relativeTo(repo.top, p) }));
    selected = [];
    for (const t of targets) {
      if (t.rel === undefined) {
        notes.push(`${t.arg}: outside the repository ${repo.top}, skipped`);
        continue;
      }
      const rel = t.rel;
      const hits = candidates.filter((c) => rel === '' || c.path === rel || c.path.startsWith(rel + '/'));
      if (hits.length) selected.push(...hits);
      else if (changes.some((c) => c.path === rel && c.status === 'deleted')) notes.push(`${rel}: deleted in the index, nothing to analyse`);
      else notes.push(`${rel}: has no staged changes, skipped`);
    }
  }

  const index = readIndex(repo);
  const ignoredByConfig = (rel: string) =>
    rel.split('/').slice(0, -1).some((seg) => skipDirs.has(seg)) || globs.some((g) => minimatch(rel, g, { dot: true }) || minimatch(rel, g + '/**', { dot: true }));
  const files: string[] = [];
  const seen = new Set<string>();
  for (const c of selected) {
    if (seen.has(c.path)) continue;
    seen.add(c.path);
    if (!isSourceFile(c.path) || ignoredByConfig(c.path)) continue;
    const e = index.get(c.path);
    if (!e || e.mode === GITLINK) continue;
    if (e.unmerged) notes.push(`${c.path}: has merge conflicts; analysed "our" side (stage ${e.stage}) of the index`);
    files.push(path.join(repo.top, ...c.path.split('/')));
  }

  // the staged files: one cat-file process for all of them
  const stats = { batched: 0, lazy: 0 };
  const texts = new Map<string, string | null>();
  const wanted: { rel: string; e: IndexEntry }[] = [];
  for (const abs of files) {
    const rel = relativeTo(repo.top, abs)!;
    const e = index.get(rel)!;
    if (e.mode !== SYMLINK) wanted.push({ rel, e });
  }
  const blobs = readBlobs(repo, wanted.map((w) => w.e.oid));
  const maxBytes = opts.maxFileBytes ?? 2_000_000;
  const skipped = new Set<string>();
  for (const w of wanted) {
    const b = blobs.get(w.e.oid);
    if (!b) continue;
    stats.batched++;
    if (b.length > maxBytes) {
      notes.push(`${w.rel}: skipped, ${Math.round(b.length / 1024)} KB is over the ${Math.round(maxBytes / 1024)} KB limit for one file`);
      skipped.add(w.rel);
    }
    texts.set(w.rel, decodeText(b));
  }
  if (skipped.size) files.splice(0, files.length, ...files.filter((f) => !skipped.has(relativeTo(repo.top, f)!)));

  let dirty: Set<string> | undefined;
  const source: TextSource = (abs) => {
    const rel = relativeTo(repo.top, path.resolve(abs));
    if (rel === undefined || rel === '') return undefined; // outside the repository: the disk
    if (rel.split('/').includes('node_modules')) return undefined; // dependencies are not versioned
    if (texts.has(rel)) return texts.get(rel)!;
    const e = index.get(rel);
    if (!e || e.mode === GITLINK) {
      texts.set(rel, null);
      return null; // not in the index: does not exist in the commit being made
    }
    if (e.mode === SYMLINK) return undefined; // follow the link on disk
    dirty ??= worktreeDirty(repo);
    if (!e.unmerged && !dirty.has(rel)) return undefined; // the working tree copy is the index copy
    const b = readBlob(repo, e.oid);
    stats.lazy++;
    const text = b ? decodeText(b) : null;
    texts.set(rel, text);
    return text;
  };

  return { repo, files, changes, notes, source, stats };
}
