/** Builds the extension (and its .vsix) once per test run, for the server and editor tests. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
export const EXTENSION = path.join(REPO, 'extension');

let built = false;
let packaged: string | undefined;

export function ensureExtensionBuilt(): void {
  if (built) return;
  execFileSync(process.execPath, [path.join(EXTENSION, 'build.mjs')], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
}

/** Builds and packages the extension; returns the .vsix path. */
export function ensurePackaged(): string {
  if (packaged) return packaged;
  execFileSync(process.execPath, [path.join(EXTENSION, 'build.mjs'), '--package'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
  const version = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'package.json'), 'utf8')).version as string;
  packaged = path.join(REPO, 'dist', `wirecheck-${version}.vsix`);
  if (!fs.existsSync(packaged)) throw new Error(`packaging did not produce ${packaged}`);
  return packaged;
}

/** A fresh copy of the editor test workspace in a temporary folder. */
export function copyWorkspace(prefix = 'wirecheck-ws-'): string {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), prefix));
  fs.cpSync(path.join(__dirname, 'workspace'), dir, { recursive: true });
  return dir;
}
