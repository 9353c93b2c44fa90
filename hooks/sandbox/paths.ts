/**
 * Expanding the deny list into existing paths when a run starts: fixed paths, globs below a fixed
 * folder, and the workspace walk that finds `.env*` and similar files (node_modules and .git are
 * not walked). A path that does not exist has nothing to read and is left out; files created
 * later are not covered (documented).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { minimatch } from 'minimatch';

export interface DeniedPath {
  path: string;
  kind: 'dir' | 'file';
}

/** Folders never walked when looking for files to deny. */
const SKIP_DIRS = new Set(['node_modules', '.git']);

/** Entries visited by one walk before giving up (a note then says so). */
export const WALK_LIMIT = 200_000;

export function hasGlob(p: string): boolean {
  return /[*?[\]{}]/.test(p);
}

/** The folder a glob is rooted at: its segments before the first one with a glob character. */
export function globBase(pattern: string): string {
  const parts = pattern.split('/');
  const i = parts.findIndex(hasGlob);
  const base = parts.slice(0, i === -1 ? parts.length : i).join('/');
  return base || '/';
}

function kindOf(p: string): 'dir' | 'file' | undefined {
  try {
    const st = fs.statSync(p);
    return st.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

/**
 * The existing path, plus its real path when a symlink is involved (a mask on the link alone
 * would leave the target readable by its own name).
 */
export function existingDenied(p: string): DeniedPath[] {
  const kind = kindOf(p);
  if (!kind) return [];
  const out: DeniedPath[] = [{ path: p, kind }];
  try {
    const real = fs.realpathSync(p);
    if (real !== p) out.push({ path: real, kind });
  } catch {
    // unreadable: the path itself is masked
  }
  return out;
}

interface WalkRule {
  /** Pattern matched against the path relative to the walk's root. */
  pattern: string;
  /** Only regular files (the built-in `.env*` rules), or folders too. */
  filesOnly: boolean;
}

/**
 * Walks `root` (without following symlinked folders, skipping node_modules and .git) and returns
 * the paths matching a rule. A matched folder is not walked further.
 */
export function walkMatches(root: string, rules: WalkRule[], notes: string[], limit = WALK_LIMIT): string[] {
  const out: string[] = [];
  if (!rules.length || kindOf(root) !== 'dir') return out;
  let visited = 0;
  const stack: string[] = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (++visited > limit) {
        notes.push(`stopped looking for files to hide in ${root} after ${limit} entries: files further down are not covered by the deny list`);
        return out;
      }
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      const isDir = e.isDirectory();
      const isFile = e.isFile() || (e.isSymbolicLink() && kindOf(path.join(root, childRel)) === 'file');
      const matched = rules.some(
        (r) =>
          (r.filesOnly ? isFile : isDir || isFile) &&
          // `dir/**` hides the folder itself, so files created in it later are hidden too
          (minimatch(childRel, r.pattern, { dot: true }) || (isDir && r.pattern.endsWith('/**') && minimatch(childRel, r.pattern.slice(0, -3), { dot: true }))),
      );
      if (matched) {
        out.push(path.join(root, childRel));
        continue;
      }
      if (isDir && !SKIP_DIRS.has(e.name)) stack.push(childRel);
    }
  }
  return out;
}

/** Existing paths matching an absolute glob (`/etc/ssh/ssh_host_*_key`, `/home/me/data/**\/*.key`). */
export function expandAbsoluteGlob(pattern: string, notes: string[]): string[] {
  const base = globBase(pattern);
  const rest = path.relative(base, pattern);
  return walkMatches(base, [{ pattern: rest, filesOnly: false }], notes);
}

/**
 * Deduplicated by path and sorted. Paths below a denied folder are kept: a writable folder
 * between them (the workspace inside a denied home) brings them back into view otherwise.
 */
export function normalizeDenied(list: DeniedPath[]): DeniedPath[] {
  const byPath = new Map<string, DeniedPath>();
  for (const d of list) if (!byPath.has(d.path)) byPath.set(d.path, d);
  return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** `p` is `dir` or inside it. */
export function isWithin(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Path depth, for ordering mounts (a mount on a deeper path goes after the one above it). */
export function depth(p: string): number {
  return p.split('/').filter(Boolean).length;
}
