/**
 * A read-only file system for ts-morph: editor buffers or staged blobs first, then disk. The
 * analysis never writes through it; a write is an engine bug and throws.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileSystemHost, RuntimeDirEntry } from 'ts-morph';

/** Supplies file text from somewhere other than disk (the git index): a string, null for "no such file", undefined for "ask the disk". */
export type TextSource = (absPath: string) => string | null | undefined;

export class OverlayFileSystem implements FileSystemHost {
  private readonly overlay = new Map<string, string | null>();

  constructor(private readonly source?: TextSource) {}

  private fromSource(p: string): string | null | undefined {
    if (!this.source) return undefined;
    const v = this.source(p);
    if (v !== undefined) this.overlay.set(p, v);
    return v;
  }

  /** Sets the text of a file (null marks it deleted); undefined removes the overlay. */
  set(filePath: string, text: string | null | undefined): void {
    const p = path.resolve(filePath);
    if (text === undefined) this.overlay.delete(p);
    else this.overlay.set(p, text);
  }

  has(filePath: string): boolean {
    return this.overlay.has(path.resolve(filePath));
  }

  /** The text set for a file or given by the source (null: deleted), or undefined when the file is read from disk. */
  overlayText(filePath: string): string | null | undefined {
    const p = path.resolve(filePath);
    if (this.overlay.has(p)) return this.overlay.get(p);
    return this.fromSource(p);
  }

  /** The file's text, or undefined when it does not exist, is not a regular file, or cannot be read. */
  read(filePath: string): string | undefined {
    const p = path.resolve(filePath);
    if (this.overlay.has(p)) return this.overlay.get(p) ?? undefined;
    const s = this.fromSource(p);
    if (s !== undefined) return s ?? undefined;
    try {
      const st = fs.statSync(p);
      if (!st.isFile()) return undefined;
      return decodeText(fs.readFileSync(p));
    } catch {
      return undefined;
    }
  }

  isCaseSensitive(): boolean {
    return process.platform !== 'win32' && process.platform !== 'darwin';
  }
  readDirSync(dirPath: string): RuntimeDirEntry[] {
    try {
      return fs.readdirSync(dirPath, { withFileTypes: true }).map((d) => ({
        name: path.join(dirPath, d.name),
        isFile: d.isFile(),
        isDirectory: d.isDirectory(),
        isSymlink: d.isSymbolicLink(),
      }));
    } catch {
      return [];
    }
  }
  async readFile(filePath: string): Promise<string> {
    return this.readFileSync(filePath);
  }
  readFileSync(filePath: string): string {
    const t = this.read(filePath);
    if (t === undefined) throw new Error(`ENOENT: ${filePath}`);
    return t;
  }
  fileExistsSync(filePath: string): boolean {
    const p = path.resolve(filePath);
    if (this.overlay.has(p)) return this.overlay.get(p) !== null;
    const s = this.fromSource(p);
    if (s !== undefined) return s !== null;
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  }
  async fileExists(filePath: string): Promise<boolean> {
    return this.fileExistsSync(filePath);
  }
  directoryExistsSync(dirPath: string): boolean {
    try {
      return fs.statSync(dirPath).isDirectory();
    } catch {
      return false;
    }
  }
  async directoryExists(dirPath: string): Promise<boolean> {
    return this.directoryExistsSync(dirPath);
  }
  realpathSync(p: string): string {
    try {
      return fs.realpathSync(p);
    } catch {
      return p;
    }
  }
  getCurrentDirectory(): string {
    return process.cwd();
  }
  async glob(): Promise<string[]> {
    return [];
  }
  globSync(): string[] {
    return [];
  }
  private refuse(): never {
    throw new Error('Wirecheck analysis never writes files');
  }
  async delete(): Promise<void> {
    this.refuse();
  }
  deleteSync(): void {
    this.refuse();
  }
  async writeFile(): Promise<void> {
    this.refuse();
  }
  writeFileSync(): void {
    this.refuse();
  }
  async mkdir(): Promise<void> {
    this.refuse();
  }
  mkdirSync(): void {
    this.refuse();
  }
  async move(): Promise<void> {
    this.refuse();
  }
  moveSync(): void {
    this.refuse();
  }
  async copy(): Promise<void> {
    this.refuse();
  }
  copySync(): void {
    this.refuse();
  }
}

/** Decodes bytes as UTF-8 (BOM stripped); falls back to latin1 for files that are not valid UTF-8. */
export function decodeText(buf: Buffer): string {
  let start = 0;
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    return new TextDecoder(buf[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(buf.subarray(2));
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(start));
  } catch {
    return buf.subarray(start).toString('latin1');
  }
}

/** Heuristic: a file with NUL bytes in its first 8 KB is binary. */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}
