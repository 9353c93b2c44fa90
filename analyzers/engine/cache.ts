/**
 * The incremental scan cache, stored under the scanned project in `.wirecheck/cache/` (with a
 * `.wirecheck/.gitignore` of `*`, so it is never committed).
 *
 * Keys: every entry is valid only for the same engine version, SDK models, configuration (which
 * carries the packs it extends, as data) and project settings (tsconfig, jsconfig and package.json
 * files, which decide parsing and import resolution).
 *
 * - An unchanged re-scan (same files with the same content) returns the stored report without
 *   parsing anything or loading the TypeScript compiler.
 * - Content is compared by hash; a file that looks on disk as it did when it was last read (size,
 *   mtime, ctime, inode), and had been modified well before that read, keeps its recorded hash
 *   without being read again (as git's index does).
 * - Otherwise results are reused per group of files connected through imports (Session.plan): a
 *   finding in one file can depend on what it imports, on its callers and on what they import, so
 *   a group's entry is keyed by the content of every file in it; a change anywhere in a group
 *   re-analyses the whole group, and groups are independent, so the report equals a cold scan.
 *
 * A missing, unreadable or corrupt cache file is ignored (and rewritten); the cache never fails a scan.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding, Notice } from './types';

export const CACHE_FORMAT = 2;
export const CACHE_DIR = path.join('.wirecheck', 'cache');

export interface CachedResult {
  findings: Finding[];
  notices: Notice[];
}

export interface CacheManifest {
  format: number;
  /** Engine version and build, models, configuration (as written, not hashed: compared as a string). */
  global: string;
  /** Project settings: the tsconfig/jsconfig/package.json files and their content hashes. */
  settings: string;
  /** Content hash of every scanned file (root-relative path → hash). */
  files: Record<string, string>;
  /**
   * Each hashed file as it was on disk when it was read (root-relative path → size, mtime, ctime,
   * inode, time of the read): a file that still looks the same, and had been modified well before
   * that read, keeps its hash without being read again (as git's index does; the margin covers file
   * systems with coarse timestamps).
   */
  stats?: Record<string, FileStat>;
  /** The whole report of the last scan (findings, notices, files). */
  result: CachedResult & { files: string[] };
  /** Results per group of connected files, by the group's key (stored as indices into `result`). */
  groups: Record<string, CachedResult>;
  /** The other hashes of that run by root-relative path (files the scanned ones import, settings files). */
  hashed?: Record<string, string>;
}

/** A file as it was on disk when its content was read: size, mtime, ctime, inode, and the time of the read. */
export type FileStat = [size: number, mtimeMs: number, ctimeMs: number, ino: number, readAt: number];

/** Files modified this close (ms) before their last read are read again (file systems with coarse timestamps). */
const RACY_MARGIN_MS = 2000;

export function hashOf(...parts: (string | Buffer)[]): string {
  // node:crypto is loaded on first use: an unchanged re-scan whose files are known by their stat needs no hash
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const h = createHash('sha1');
  for (const p of parts) {
    h.update(p);
    h.update('\0');
  }
  return h.digest('hex');
}

/** A fingerprint of the SDK models the engine ships (dist/models.json's hash, or the YAML files from sources). */
export function modelsFingerprint(): string {
  for (const f of [path.join(__dirname, 'models.json')]) {
    try {
      const fd = fs.openSync(f, 'r');
      try {
        const buf = Buffer.alloc(256);
        const n = fs.readSync(fd, buf, 0, 256, 0);
        const m = /"hashInput"\s*:\s*"([^"]+)"/.exec(buf.subarray(0, n).toString('utf8'));
        if (m) return m[1];
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      // not the bundle
    }
  }
  for (const dir of [path.resolve(__dirname, '../models'), path.resolve(__dirname, '../analyzers/models')]) {
    try {
      const names = fs.readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort();
      return hashOf(...names.flatMap((n) => [n, fs.readFileSync(path.join(dir, n))]));
    } catch {
      // try the next location
    }
  }
  return 'unknown';
}

/** The bundle this code runs from (size and time of the build): a rebuilt engine does not reuse results of another build. */
function engineBuild(): string {
  if (!__filename.endsWith('.js')) return 'sources';
  try {
    const st = fs.statSync(__filename);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'unknown';
  }
}

/** Project settings files: they decide parsing and import resolution. */
export const SETTINGS_FILE = /^(tsconfig.*\.json|jsconfig.*\.json|package\.json)$/;

export interface CacheOptions {
  root: string;
  /** The scan's arguments (folders and files): each set of targets has its own report. */
  targets: readonly string[];
  engineVersion: string;
  /** The configuration in force (packs already merged into it). */
  config: unknown;
  /** Anything else the results depend on (a custom model registry's hash…). */
  extra?: readonly string[];
}

export class ScanCache {
  readonly dir: string;
  readonly file: string;
  readonly global: string;
  private readonly root: string;
  private readonly dirListings = new Map<string, string[]>();
  /** Content hashes of files read so far (absolute path → hash; undefined when unreadable). */
  readonly hashes = new Map<string, string | undefined>();
  /** On-disk state of the files hashed in this run (root-relative path), stored with the manifest. */
  readonly stats: Record<string, FileStat> = {};
  /** The hashes of this run by root-relative path (scanned files, their imports, settings files). */
  readonly hashesByPath: Record<string, string> = {};
  private previous?: { files: Record<string, string>; stats: Record<string, FileStat> };
  /** Files read (not answered from their stat) in this run. */
  reads = 0;

  constructor(opts: CacheOptions) {
    this.root = path.resolve(opts.root);
    this.dir = path.join(this.root, CACHE_DIR);
    this.global = JSON.stringify([CACHE_FORMAT, opts.engineVersion, engineBuild(), modelsFingerprint(), opts.config ?? {}, ...(opts.extra ?? [])]);
    const targets = [...opts.targets].map((t) => path.relative(this.root, path.resolve(this.root, t)) || '.').sort();
    // a name per set of targets (the manifest inside is checked against the scan anyway)
    this.file = path.join(this.dir, `scan-${fnv1a(targets.join('\0'), 0x811c9dc5)}${fnv1a(targets.join('\0'), 0x050c5d1f)}.json`);
  }

  relative(abs: string): string {
    return relativePath(this.root, abs);
  }

  /** The content hash of a file (read from disk), cached for this run. */
  hash(abs: string): string | undefined {
    if (this.hashes.has(abs)) return this.hashes.get(abs);
    let h: string | undefined;
    try {
      const st = fs.statSync(abs);
      const rel = this.relative(abs);
      const prev = this.previous;
      const was = prev?.stats[rel];
      // the hash of the last read, when the file looks the same and was last modified well before that read
      if (prev && was && prev.files[rel] && sameStat(was, st) && st.mtimeMs < was[4] - RACY_MARGIN_MS && st.ctimeMs < was[4] - RACY_MARGIN_MS) {
        h = prev.files[rel];
        this.stats[rel] = was;
      } else {
        const readAt = Date.now();
        h = hashOf(fs.readFileSync(abs));
        this.reads++;
        this.stats[rel] = [st.size, st.mtimeMs, st.ctimeMs, st.ino, readAt];
      }
      if (h !== undefined) this.hashesByPath[rel] = h;
    } catch {
      h = undefined;
    }
    this.hashes.set(abs, h);
    return h;
  }

  /**
   * Reads the stored manifest before hashing, so that files unchanged on disk since the last scan keep
   * their hashes. Returns the manifest (as `load`).
   */
  prime(): CacheManifest | undefined {
    const m = this.load();
    if (m && isRecord(m.hashed) && isRecord(m.stats)) this.previous = { files: { ...m.files, ...(m.hashed as Record<string, string>) }, stats: m.stats as Record<string, FileStat> };
    return m;
  }

  /**
   * Project settings that decide parsing and import resolution: the tsconfig*, jsconfig* and
   * package.json files in the folders of the given files and their parents up to the root.
   */
  settings(files: readonly string[]): string {
    const dirs = new Set<string>();
    for (const f of files)
      for (let d = path.dirname(f); ; d = path.dirname(d)) {
        if (dirs.has(d)) break;
        dirs.add(d);
        if (d === this.root || path.dirname(d) === d || !d.startsWith(this.root)) break;
      }
    const parts: string[] = [];
    for (const d of [...dirs].sort()) {
      for (const name of this.list(d)) {
        if (!SETTINGS_FILE.test(name)) continue;
        const abs = path.join(d, name);
        parts.push(this.relative(abs), this.hash(abs) ?? '-');
      }
    }
    return parts.join('\0');
  }

  private list(dir: string): string[] {
    let names = this.dirListings.get(dir);
    if (!names) {
      try {
        names = fs.readdirSync(dir).sort();
      } catch {
        names = [];
      }
      this.dirListings.set(dir, names);
    }
    return names;
  }

  /** The stored manifest, or undefined when there is none or it cannot be used (corrupt, other format or keys). */
  load(): CacheManifest | undefined {
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch {
      return undefined;
    }
    const m = data as CacheManifest;
    if (!m || typeof m !== 'object' || m.format !== CACHE_FORMAT || m.global !== this.global) return undefined;
    if (typeof m.settings !== 'string' || !isRecord(m.files) || !isRecord(m.groups)) return undefined;
    if (!m.result || !Array.isArray(m.result.findings) || !Array.isArray(m.result.notices) || !Array.isArray(m.result.files)) return undefined;
    // groups hold indices into the report (each finding is stored once)
    const { findings, notices } = m.result;
    const groups: Record<string, CachedResult> = {};
    for (const [k, g] of Object.entries(m.groups as Record<string, unknown>)) {
      const ix = g as { f?: unknown; n?: unknown };
      if (!isIndexList(ix.f, findings.length) || !isIndexList(ix.n, notices.length)) return undefined;
      groups[k] = { findings: ix.f.map((i) => findings[i]), notices: ix.n.map((i) => notices[i]) };
    }
    return { ...m, groups };
  }

  /** Writes the manifest (atomically: a temporary file renamed over the old one); failures are ignored. */
  save(m: Omit<CacheManifest, 'format' | 'global'>): boolean {
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const ignore = path.join(this.root, '.wirecheck', '.gitignore');
      if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '*\n');
      const tmp = `${this.file}.${process.pid}.tmp`;
      const findingIndex = new Map(m.result.findings.map((f, i) => [f, i]));
      const noticeIndex = new Map(m.result.notices.map((n, i) => [n, i]));
      const groups: Record<string, { f: number[]; n: number[] }> = {};
      for (const [k, g] of Object.entries(m.groups)) {
        const f = g.findings.map((x) => findingIndex.get(x));
        const n = g.notices.map((x) => noticeIndex.get(x));
        // a group result that is not part of the report is not stored (it is analysed again next time)
        if (f.every((i) => i !== undefined) && n.every((i) => i !== undefined)) groups[k] = { f: f as number[], n: n as number[] };
      }
      fs.writeFileSync(tmp, JSON.stringify({ format: CACHE_FORMAT, global: this.global, ...m, groups, hashed: extraHashes(this.hashesByPath, m.files), stats: this.stats }));
      fs.renameSync(tmp, this.file);
      return true;
    } catch {
      return false;
    }
  }
}

/** `.` or `..` segments, doubled or trailing separators. */
const UNNORMALIZED = /[\\/]\.{1,2}(?:[\\/]|$)|[\\/]{2}|[\\/]$/;

/** `path.resolve(root, f)`, without the work for paths that are already absolute and normal (as discovery gives them). */
export function absolutePath(root: string, f: string): string {
  return path.isAbsolute(f) && !UNNORMALIZED.test(f) && (path.sep === '/' || !f.includes('/')) ? f : path.resolve(root, f);
}

/** `path.relative` with `/` separators; paths under the root (the usual case) by slicing, which is much cheaper. */
export function relativePath(root: string, abs: string): string {
  const rel = abs.length > root.length + 1 && abs.startsWith(root) && abs[root.length] === path.sep && !UNNORMALIZED.test(abs) ? abs.slice(root.length + 1) : path.relative(root, abs);
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

/** The hashes of files read besides the scanned ones (their imports, settings files). */
function extraHashes(all: Record<string, string>, scanned: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in all) if (scanned[k] !== all[k]) out[k] = all[k];
  return out;
}

function sameStat(a: unknown, st: fs.Stats): boolean {
  return Array.isArray(a) && a.length === 5 && a[0] === st.size && a[1] === st.mtimeMs && a[2] === st.ctimeMs && a[3] === st.ino && typeof a[4] === 'number';
}

function isIndexList(v: unknown, length: number): v is number[] {
  return Array.isArray(v) && v.every((i) => Number.isInteger(i) && i >= 0 && i < length);
}

/** FNV-1a over UTF-16 code units, as 8 hex digits (file names, not content). */
function fnv1a(s: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
