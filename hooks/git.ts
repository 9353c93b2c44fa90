/**
 * Git plumbing for `wirecheck scan --staged`, `wirecheck baseline` and `wirecheck init`.
 *
 * Everything here reads; nothing writes the working tree, the index or refs (no stash, no
 * checkout, no `git add`). Outputs are requested with `-z`, so names with spaces, quotes, newlines
 * or non-ASCII characters arrive verbatim whatever `core.quotepath` says. The environment is
 * inherited on purpose: inside a hook git sets `GIT_INDEX_FILE` (e.g. the temporary index of
 * `git commit -a` or `git commit <paths>`), and reading through it is what makes "the staged
 * content" exact.
 *
 * Blob reads are batched: the staged files are read with one `git cat-file --batch` process;
 * other files the engine asks for (imported helpers) are read from the disk when the working tree
 * copy is known to equal the index (not listed by `git diff-files`), and otherwise with one
 * `git cat-file blob` each, lazily.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** child_process is loaded on first use: most runs (a scan answered from the cache) never start a process. */
const spawnSync = ((...args: unknown[]) => (require('node:child_process').spawnSync as (...a: unknown[]) => unknown)(...args)) as typeof import('node:child_process').spawnSync;

export class GitError extends Error {}

const MAX_BUFFER = 1024 * 1024 * 1024;

/** Runs git and returns stdout as bytes; throws GitError with git's own message on failure. */
export function git(args: string[], cwd: string, input?: Buffer | string): Buffer {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: MAX_BUFFER, env: gitEnv(), windowsHide: true });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new GitError(code === 'ENOENT' ? 'git is not installed or not on PATH' : `git ${args[0]}: ${r.error.message}`);
  }
  if (r.status !== 0) {
    const msg = r.stderr.toString('utf8').trim().split('\n').filter(Boolean).pop() ?? `exit code ${r.status}`;
    throw new GitError(`git ${args.join(' ')}: ${msg}`);
  }
  return r.stdout;
}

/** Like git(), but returns undefined instead of throwing. */
export function tryGit(args: string[], cwd: string): Buffer | undefined {
  try {
    return git(args, cwd);
  } catch {
    return undefined;
  }
}

function gitEnv(): NodeJS.ProcessEnv {
  // never let git open a pager or an editor, never take an optional lock (index refresh writes)
  return { ...process.env, GIT_PAGER: 'cat', GIT_EDITOR: 'true', GIT_OPTIONAL_LOCKS: '0', LC_ALL: process.env.LC_ALL ?? 'C' };
}

function splitZ(buf: Buffer): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0) {
      out.push(buf.toString('utf8', start, i));
      start = i + 1;
    }
  }
  if (start < buf.length) out.push(buf.toString('utf8', start));
  return out;
}

export interface RepoInfo {
  /** The working tree's top folder (real path). */
  top: string;
  /** The absolute .git folder (for a worktree: its private git dir). */
  gitDir: string;
  /** Whether HEAD points at a commit (false in a repository with no commits yet); asked lazily. */
  hasHead(): boolean;
  /** A merge (MERGE_HEAD), cherry-pick, revert or rebase is in progress. */
  operation?: 'merge' | 'cherry-pick' | 'revert' | 'rebase';
}

/** The repository containing `cwd`, or undefined when `cwd` is not inside a work tree. */
export function findRepo(cwd: string): RepoInfo | undefined {
  const out = tryGit(['rev-parse', '--show-toplevel', '--absolute-git-dir'], cwd);
  if (!out) return undefined;
  const [top, gitDir] = out.toString('utf8').split('\n');
  if (!top || !gitDir) return undefined;
  let head: boolean | undefined;
  const hasHead = () => (head ??= tryGit(['rev-parse', '--verify', '-q', 'HEAD^{commit}'], top) !== undefined);
  let operation: RepoInfo['operation'];
  if (fs.existsSync(path.join(gitDir, 'MERGE_HEAD'))) operation = 'merge';
  else if (fs.existsSync(path.join(gitDir, 'CHERRY_PICK_HEAD'))) operation = 'cherry-pick';
  else if (fs.existsSync(path.join(gitDir, 'REVERT_HEAD'))) operation = 'revert';
  else if (fs.existsSync(path.join(gitDir, 'rebase-merge')) || fs.existsSync(path.join(gitDir, 'rebase-apply'))) operation = 'rebase';
  return { top: realpath(top), gitDir, hasHead, operation };
}

export function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

export type ChangeStatus = 'added' | 'modified' | 'renamed' | 'copied' | 'type-changed' | 'deleted' | 'unmerged';

export interface StagedChange {
  status: ChangeStatus;
  /** Path relative to the top folder, forward slashes (the new path of a rename). */
  path: string;
  /** The old path of a rename or copy. */
  from?: string;
}

const STATUS: Record<string, ChangeStatus> = { A: 'added', M: 'modified', R: 'renamed', C: 'copied', T: 'type-changed', D: 'deleted', U: 'unmerged' };

/** The changes staged for the next commit (index vs HEAD; vs the empty tree when there is no commit yet). */
export function stagedChanges(repo: RepoInfo): StagedChange[] {
  const base = ['diff', '--cached', '--name-status', '-z', '-M', '--no-color', '--no-ext-diff', '--no-textconv', '--ignore-submodules=all'];
  let out: Buffer;
  try {
    // on an unborn branch (no commit yet) git compares the index with the empty tree by itself
    out = git(base, repo.top);
  } catch (e) {
    // older gits refuse `diff --cached` without a HEAD: compare with the empty tree explicitly
    if (repo.hasHead()) throw e;
    out = git([...base, emptyTree(repo)], repo.top);
  }
  const parts = splitZ(out);
  const changes: StagedChange[] = [];
  for (let i = 0; i < parts.length; ) {
    const code = parts[i++];
    const letter = code.charAt(0);
    const status = STATUS[letter];
    if (letter === 'R' || letter === 'C') {
      const from = parts[i++];
      const to = parts[i++];
      if (status && to !== undefined) changes.push({ status, path: to, from });
    } else {
      const p = parts[i++];
      if (status && p !== undefined) changes.push({ status, path: p });
    }
  }
  // `diff --cached` lists an unmerged path once per conflict stage in some versions
  const seen = new Set<string>();
  return changes.filter((c) => (seen.has(c.status + '\0' + c.path) ? false : (seen.add(c.status + '\0' + c.path), true)));
}

let emptyTreeId: string | undefined;
function emptyTree(repo: RepoInfo): string {
  // sha1 and sha256 repositories have different empty-tree ids: ask git
  emptyTreeId ??= git(['hash-object', '-t', 'tree', '--stdin'], repo.top, '').toString('utf8').trim();
  return emptyTreeId;
}

export interface IndexEntry {
  mode: string;
  oid: string;
  /** 0 normally; 2 ("ours") for a path with merge conflicts. */
  stage: number;
  /** The path has unresolved merge conflicts (stages 1–3). */
  unmerged: boolean;
}

/** Every entry of the index, by path (for an unmerged path: stage 2, "ours", or else the highest stage present). */
export function readIndex(repo: RepoInfo): Map<string, IndexEntry> {
  const out = git(['ls-files', '-s', '-z', '--full-name'], repo.top);
  const map = new Map<string, IndexEntry>();
  for (const rec of splitZ(out)) {
    const tab = rec.indexOf('\t');
    if (tab < 0) continue;
    const [mode, oid, stageText] = rec.slice(0, tab).split(' ');
    const p = rec.slice(tab + 1);
    const stage = Number(stageText);
    const prev = map.get(p);
    if (!prev) {
      map.set(p, { mode, oid, stage, unmerged: stage !== 0 });
      continue;
    }
    prev.unmerged = true;
    // prefer "ours" (stage 2); otherwise keep the highest stage seen (theirs when ours was deleted)
    if (prev.stage !== 2 && (stage === 2 || stage > prev.stage)) map.set(p, { mode, oid, stage, unmerged: true });
  }
  return map;
}

/** Paths whose working tree copy may differ from the index (modified, deleted, or only stat-dirty). */
export function worktreeDirty(repo: RepoInfo): Set<string> {
  // diff-files does not refresh (and so never writes) the index: a file whose stat changed but
  // whose content did not is listed too, which only means it is read from git instead of the disk
  const out = tryGit(['diff-files', '--name-only', '-z', '--no-color', '--ignore-submodules=all'], repo.top);
  return out ? new Set(splitZ(out)) : new Set<string>();
}

/** Reads many blobs with one `git cat-file --batch` process. Missing objects are left out. */
export function readBlobs(repo: RepoInfo, oids: string[]): Map<string, Buffer> {
  const result = new Map<string, Buffer>();
  const unique = [...new Set(oids)];
  if (!unique.length) return result;
  const out = git(['cat-file', '--batch'], repo.top, unique.join('\n') + '\n');
  let pos = 0;
  while (pos < out.length) {
    const nl = out.indexOf(10, pos);
    if (nl < 0) break;
    const header = out.toString('utf8', pos, nl);
    pos = nl + 1;
    const m = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
    if (!m) continue; // "<oid> missing"
    const size = Number(m[3]);
    if (m[2] === 'blob') result.set(m[1], out.subarray(pos, pos + size));
    pos += size + 1; // content and its trailing newline
  }
  return result;
}

/** Reads one blob (for the occasional extra file the analysis asks for). */
export function readBlob(repo: RepoInfo, oid: string): Buffer | undefined {
  return tryGit(['cat-file', 'blob', oid], repo.top);
}

/** The effective path of a hook (honours core.hooksPath and worktrees). */
export function hookPath(top: string, name: string): string {
  const p = git(['rev-parse', '--git-path', `hooks/${name}`], top).toString('utf8').trim();
  return path.resolve(top, p);
}

/** `git config --get KEY`, or undefined. */
export function gitConfig(top: string, key: string): string | undefined {
  const out = tryGit(['config', '--get', key], top);
  return out ? out.toString('utf8').trim() : undefined;
}

/** Forward-slash path of `abs` relative to `top`, or undefined when it is outside. */
export function relativeTo(top: string, abs: string): string | undefined {
  const rel = path.relative(top, abs);
  if (!rel) return '';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}
