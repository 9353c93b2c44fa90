/**
 * Finds the files to scan: source extensions only, `.d.ts` skipped, default folders (node_modules,
 * dist, build, .next …) skipped, `.gitignore` files honoured at every level, config `ignores`
 * applied, symlinked folders not followed (no loops).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { minimatch } from 'minimatch';
import { DEFAULT_IGNORED_DIRS, type Config } from './config';

/** Extensions of the files Wirecheck reads (declaration files excluded). */
export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export function isSourceFile(p: string): boolean {
  const lower = p.toLowerCase();
  if (lower.endsWith('.d.ts') || lower.endsWith('.d.mts') || lower.endsWith('.d.cts')) return false;
  return SOURCE_EXTENSIONS.includes(path.extname(lower));
}

/** The order of `localeCompare`, with one collator instead of one per comparison. */
const byName = new Intl.Collator();

export interface DiscoverOptions {
  root: string;
  config: Config;
  /** Explicitly named files are scanned even when ignored by default (but not when .gitignored). */
  paths: string[];
}

export function discoverFiles(opts: DiscoverOptions): { files: string[]; missing: string[] } {
  const root = path.resolve(opts.root);
  const skipDirs = new Set(opts.config.defaultIgnores ?? DEFAULT_IGNORED_DIRS);
  const globs = opts.config.ignores ?? [];
  const files = new Set<string>();
  const missing: string[] = [];
  const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
  const globIgnored = (p: string) => globs.some((g) => minimatch(rel(p), g, { dot: true }) || minimatch(rel(p), g + '/**', { dot: true }));

  const ignoreStack: { dir: string; ig: Ignore }[] = [];
  const gitIgnored = (abs: string, isDir: boolean): boolean => {
    for (const { dir, ig } of ignoreStack) {
      // files under the folder (the walk descends from it): the rest of the path, without path.relative
      const under = abs.length > dir.length + 1 && abs.startsWith(dir) && abs[dir.length] === path.sep;
      const r = (under ? abs.slice(dir.length + 1) : path.relative(dir, abs)).split(path.sep).join('/');
      if (!r || r.startsWith('..')) continue;
      if (ig.ignores(isDir ? r + '/' : r)) return true;
    }
    return false;
  };
  const loadIgnore = (dir: string): boolean => {
    const f = path.join(dir, '.gitignore');
    try {
      const text = fs.readFileSync(f, 'utf8');
      ignoreStack.push({ dir, ig: ignore().add(text) });
      return true;
    } catch {
      return false;
    }
  };
  // .gitignore files above the root (up to the repository top) apply too
  const above: string[] = [];
  for (let d = path.dirname(root); ; d = path.dirname(d)) {
    above.unshift(d);
    if (fs.existsSync(path.join(d, '.git')) || path.dirname(d) === d) break;
  }
  if (!fs.existsSync(path.join(root, '.git'))) {
    for (const d of above) loadIgnore(d);
    // a folder the user asked for explicitly is scanned even if an outer .gitignore excludes it
    if (gitIgnored(root, true)) ignoreStack.length = 0;
  }

  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      entries = [];
    }
    // a folder's .gitignore is read when the listing has one (no failed read per folder)
    const pushed = entries.some((e) => e.name === '.gitignore') && loadIgnore(dir);
    entries.sort((a, b) => byName.compare(a.name, b.name));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (skipDirs.has(e.name) || gitIgnored(abs, true) || globIgnored(abs)) continue;
        walk(abs);
      } else if (e.isFile()) {
        if (!isSourceFile(e.name) || gitIgnored(abs, false) || globIgnored(abs)) continue;
        files.add(abs);
      } else if (e.isSymbolicLink()) {
        // symlinked files are scanned; symlinked folders are not followed (loops, escapes)
        try {
          const st = fs.statSync(abs);
          if (st.isFile() && isSourceFile(e.name) && !gitIgnored(abs, false) && !globIgnored(abs)) files.add(abs);
        } catch {
          // dangling link
        }
      }
    }
    if (pushed) ignoreStack.pop();
  };

  const targets = opts.paths.length ? opts.paths : ['.'];
  for (const t of targets) {
    const abs = path.resolve(root, t);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      missing.push(t);
      continue;
    }
    if (st.isDirectory()) {
      // load .gitignore files between root and the target
      const chain: string[] = [];
      for (let d = abs; d.startsWith(root) && d !== root; d = path.dirname(d)) chain.unshift(path.dirname(d) === root ? root : path.dirname(d));
      const before = ignoreStack.length;
      if (abs !== root) for (const d of [root, ...chain.filter((c) => c !== root)]) loadIgnore(d);
      walk(abs);
      ignoreStack.length = before;
    } else if (st.isFile() && isSourceFile(abs)) files.add(abs);
  }
  return { files: [...files], missing };
}
