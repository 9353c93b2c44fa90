import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { cli, ensureBuilt, removeTmpDirs, repoRoot, testEnv, tmpDir, wirecheck as run, write } from './git-fixture';

const cases = path.join(repoRoot, 'test', 'fixes');
const read = (dir: string, rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');

function project(files: Record<string, string>): string {
  const dir = tmpDir('wirecheck-fix-');
  for (const [rel, from] of Object.entries(files)) write(dir, rel, fs.readFileSync(path.join(cases, from), 'utf8'));
  return dir;
}

describe('wirecheck scan --fix', function () {
  this.timeout(60_000);

  before(ensureBuilt);
  after(removeTmpDirs);

  it('applies the safe fixes, reports what remains and exits 0 when nothing blocking is left', () => {
    const dir = project({ 'src/chat.ts': 'prompt-injection/openai-chat-persona.ts', 'src/ask.ts': 'rag-as-instructions/openai-vector-store-system.ts' });
    const r = run(['scan', '--fix'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /applied 2 fixes in 2 files/);
    assert.equal(read(dir, 'src/chat.ts'), fs.readFileSync(path.join(cases, 'prompt-injection/openai-chat-persona.fixed.ts'), 'utf8'));
    assert.equal(read(dir, 'src/ask.ts'), fs.readFileSync(path.join(cases, 'rag-as-instructions/openai-vector-store-system.fixed.ts'), 'utf8'));
    // a second run has nothing left to do
    const again = run(['scan', '--fix'], dir);
    assert.equal(again.code, 0);
    assert.match(again.stderr, /applied 0 fixes in 0 files/);
  });

  it('leaves suggestions to --fix-suggestions', () => {
    const dir = tmpDir('wirecheck-fix-');
    // an agent whose instructions take the caller's persona, with no run() in the file: only suggestions fit
    write(dir, 'src/agent.ts', [
      "import { Agent } from '@openai/agents';",
      "import type { Request } from 'express';",
      '',
      'export function agentFor(req: Request) {',
      '  const persona = String(req.body.persona);',
      "  return new Agent({ name: 'Concierge', instructions: `You are ${persona}. Answer hotel questions only.` });",
      '}',
      '',
    ].join('\n'));
    const before = read(dir, 'src/agent.ts');
    const safe = run(['scan', '--fix'], dir);
    assert.equal(safe.code, 1, 'the finding remains with safe fixes only');
    assert.equal(read(dir, 'src/agent.ts'), before, 'a suggestion is not applied by --fix');
    const all = run(['scan', '--fix-suggestions', '--format', 'json'], dir);
    assert.equal(all.code, 0, all.stdout + all.stderr);
    const fixed = read(dir, 'src/agent.ts');
    // the Agents SDK's own gate first: an input guardrail that stops the run unless the persona is allowlisted
    assert.match(fixed, /const ALLOWED_PERSONA: readonly unknown\[\] = \[\/\* the values you accept \*\/\];\n  return new Agent\(/);
    assert.match(fixed, /instructions: `You are \$\{persona\}\. Answer hotel questions only\.`, inputGuardrails: \[\{ name: 'allowed persona', runInParallel: false, execute: async \(\) => \(\{ outputInfo: \{ persona: persona \}, tripwireTriggered: !ALLOWED_PERSONA\.includes\(persona\) \}\) \}\] \}\);/);
    assert.deepEqual(JSON.parse(all.stdout).findings, []);
  });

  it('refuses --fix with --staged (fixes edit the working tree, not the index)', () => {
    const dir = project({ 'src/chat.ts': 'prompt-injection/openai-chat-persona.ts' });
    const r = run(['scan', '--staged', '--fix'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--fix cannot be combined with --staged/);
  });

  it('writes through a symlink to its target and keeps the file mode', function () {
    const dir = project({ 'lib/chat.ts': 'prompt-injection/openai-chat-persona.ts' });
    fs.chmodSync(path.join(dir, 'lib/chat.ts'), 0o640);
    fs.mkdirSync(path.join(dir, 'src'));
    fs.symlinkSync(path.join(dir, 'lib/chat.ts'), path.join(dir, 'src/chat.ts'));
    const r = run(['scan', '--fix', 'src/chat.ts'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(fs.lstatSync(path.join(dir, 'src/chat.ts')).isSymbolicLink(), 'the link is kept');
    assert.match(read(dir, 'lib/chat.ts'), /content: `<persona>\\n\$\{persona\}\\n<\/persona>`/);
    assert.equal(fs.statSync(path.join(dir, 'lib/chat.ts')).mode & 0o777, 0o640);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'lib')), ['chat.ts'], 'no temporary file left behind');
  });

  it('changes nothing in files without fixable findings', () => {
    const dir = project({ 'src/cards.ts': 'prompt-injection/openai-chat-persona.fixed.ts' });
    const before = fs.statSync(path.join(dir, 'src/cards.ts')).mtimeMs;
    const r = run(['scan', '--fix'], dir);
    assert.equal(r.code, 0);
    assert.equal(fs.statSync(path.join(dir, 'src/cards.ts')).mtimeMs, before);
  });
});

describe('wirecheck scan --fix: model pins through the Hugging Face Hub', function () {
  this.timeout(60_000);

  before(ensureBuilt);
  after(removeTmpDirs);

  const SHA = 'c9745ed1d9f207416be6d2e6f8de32d1f16199bf';
  const MODEL = [
    "import { pipeline } from '@huggingface/transformers';",
    '',
    'export async function embed(texts: string[]) {',
    "  const extractor = await pipeline('feature-extraction', 'Xenova/all-MiniLM-L6-v2', { dtype: 'fp32' });",
    "  return extractor(texts, { pooling: 'mean', normalize: true });",
    '}',
    '',
  ].join('\n');

  async function runAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cli, ...args], { cwd, env: testEnv(env) });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('asks HF_ENDPOINT for the commit of the branch and pins it', async () => {
    const asked: string[] = [];
    const server = http.createServer((req, res) => {
      asked.push(req.url ?? '');
      if (req.url === '/api/models/Xenova/all-MiniLM-L6-v2/revision/main') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: 'Xenova/all-MiniLM-L6-v2', sha: SHA }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const dir = tmpDir('wirecheck-pin-');
      write(dir, 'src/embed.ts', MODEL);
      const r = await runAsync(['scan', '--fix'], dir, { HF_ENDPOINT: `http://127.0.0.1:${port}` });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(asked, ['/api/models/Xenova/all-MiniLM-L6-v2/revision/main']);
      assert.match(read(dir, 'src/embed.ts'), new RegExp(`\\{ dtype: 'fp32', revision: '${SHA}' \\}`));
    } finally {
      server.close();
    }
  });

  it('leaves the file alone and says how to find the commit when the Hub cannot be reached', async () => {
    const dir = tmpDir('wirecheck-pin-');
    write(dir, 'src/embed.ts', MODEL);
    const r = await runAsync(['scan', '--fix'], dir, { HF_HUB_OFFLINE: '1' });
    assert.equal(r.code, 0, 'an unpinned download is a warning');
    assert.equal(read(dir, 'src/embed.ts'), MODEL);
    assert.match(r.stderr, /cannot pin Xenova\/all-MiniLM-L6-v2@main/);
    assert.match(r.stderr, /Xenova\/all-MiniLM-L6-v2\/commits\/main/);
    assert.match(r.stdout, /unpinned-model/);
  });
});
