/**
 * Throwaway git repositories for the pre-commit tests: created under os.tmpdir(), isolated from
 * the user's and the machine's git configuration and from any GIT_* variables of a surrounding
 * hook, and committed with a fixed identity.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..');
export const cli = path.join(repoRoot, 'dist', 'cli.js');

/** The environment for git and the CLI in tests: no inherited GIT_* state, no global config, no colour forcing. */
export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^GIT_/.test(k) && k !== 'FORCE_COLOR' && k !== 'NO_COLOR' && !/^HUSKY/.test(k)) env[k] = v;
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: path.join(os.tmpdir(), 'wirecheck-test-empty-gitconfig'),
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@t',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@t',
    ...extra,
  };
}

export function ensureBuilt(): void {
  if (!fs.existsSync(cli)) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
  fs.writeFileSync(path.join(os.tmpdir(), 'wirecheck-test-empty-gitconfig'), '');
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8', env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs git without throwing. */
export function gitRun(dir: string, ...args: string[]) {
  const r = spawnSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8', env: testEnv() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function write(dir: string, rel: string, text: string): void {
  const abs = path.join(dir, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
}

export function read(dir: string, rel: string): string {
  return fs.readFileSync(path.join(dir, rel), 'utf8');
}

const created: string[] = [];

/** A temporary folder, removed by removeTmpDirs(). */
export function tmpDir(prefix: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  created.push(dir);
  return dir;
}

/** Removes the folders made by tmpDir() and tmpRepo() (call it in an `after` hook). */
export function removeTmpDirs(): void {
  for (const d of created.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** A new repository with these files written (not added). */
export function tmpRepo(files: Record<string, string> = {}, prefix = 'wirecheck-git-'): string {
  const dir = tmpDir(prefix);
  git(dir, 'init', '-q');
  for (const [rel, text] of Object.entries(files)) write(dir, rel, text);
  return dir;
}

export function commitAll(dir: string, message = 'commit'): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--no-verify', '-m', message);
}

export function wirecheck(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: testEnv(env) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, out: r.stdout + r.stderr };
}

/** A route that puts request data into Anthropic's `system` (line 11: the finding). */
export const UNSAFE = `import Anthropic from '@anthropic-ai/sdk';
import express from 'express';

const app = express();
const anthropic = new Anthropic();

app.post('/reply', async (req, res) => {
  const msg = await anthropic.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 400,
    system: \`Answer as \${req.query.persona}.\`,
    messages: [{ role: 'user', content: String(req.body.text) }],
  });
  res.json(msg.content);
});
`;

/** The same route with fixed instructions. */
export const SAFE = UNSAFE.replace('`Answer as ${req.query.persona}.`', "'Answer briefly and politely.'");

/** A second, different unsafe route (OpenAI, developer message). */
export const UNSAFE_OPENAI = `import OpenAI from 'openai';
import express from 'express';

const app = express();
const openai = new OpenAI();

app.post('/ask', async (req, res) => {
  const r = await openai.chat.completions.create({
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'You help with ' + req.body.topic },
      { role: 'user', content: String(req.body.question) },
    ],
  });
  res.json(r.choices[0].message);
});
`;
