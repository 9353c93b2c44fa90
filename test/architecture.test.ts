import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModels } from '../analyzers/engine/models';

const repo = path.resolve(__dirname, '..');

function walk(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.(ts|js|mjs|cjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

const IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g;

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1]);
}

describe('architecture', () => {
  it('the engine (analyzers/) never imports the editor API or a language-server library', () => {
    const offenders: string[] = [];
    for (const f of walk(path.join(repo, 'analyzers')))
      for (const spec of imports(f)) if (spec === 'vscode' || spec.startsWith('vscode-languageserver') || spec.startsWith('vscode-languageclient')) offenders.push(`${path.relative(repo, f)} imports ${spec}`);
    assert.deepEqual(offenders, []);
  });

  it('the engine never executes workspace code (no eval, new Function, vm or dynamic require of analysed files)', () => {
    const offenders: string[] = [];
    for (const f of walk(path.join(repo, 'analyzers'))) {
      const text = fs.readFileSync(f, 'utf8');
      if (/(?<![.\w])eval\s*\(|new\s+Function\s*\(|from\s+['"](node:)?vm['"]|require\(\s*[^'"]/.test(text)) offenders.push(path.relative(repo, f));
    }
    assert.deepEqual(offenders, []);
  });

  it('the VS Code client never loads the engine: no ts-morph, TypeScript, engine or server imports in extension/src/client and shared', () => {
    const offenders: string[] = [];
    const client = [...walk(path.join(repo, 'extension/src/client')), ...walk(path.join(repo, 'extension/src/shared'))];
    assert.ok(client.length >= 3, 'client sources found');
    for (const f of client)
      for (const spec of imports(f)) {
        const target = spec.startsWith('.') ? path.resolve(path.dirname(f), spec) : '';
        const engine = target.startsWith(path.join(repo, 'analyzers')) || target.startsWith(path.join(repo, 'extension/src/server'));
        if (spec === 'ts-morph' || spec === 'typescript' || spec.startsWith('vscode-languageserver') || engine) offenders.push(`${path.relative(repo, f)} imports ${spec}`);
      }
    // the shared protocol is imported by both sides: it may not use the editor API either
    for (const f of walk(path.join(repo, 'extension/src/shared'))) for (const spec of imports(f)) if (spec.startsWith('vscode')) offenders.push(`${path.relative(repo, f)} imports ${spec}`);
    // the language server's main thread talks LSP; only its worker thread loads the engine
    for (const f of walk(path.join(repo, 'extension/src/server')))
      for (const spec of imports(f)) if (spec === 'vscode' || spec.startsWith('vscode-languageclient')) offenders.push(`${path.relative(repo, f)} imports ${spec}`);
    assert.deepEqual(offenders, []);
  });

  it('SDK models are data: every models/*.yaml validates against the model schema', () => {
    const reg = loadModels(path.join(repo, 'analyzers/models'), []);
    assert.ok(reg.models.size >= 20);
  });
});
