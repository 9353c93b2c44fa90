import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { createSession, type Finding, type Fix } from '../analyzers';
import { applyEdits, selectFixes } from '../analyzers/fixes/apply';
import { UNRESOLVED_SHA } from '../analyzers/fixes/pins';
import { fillFix, resolveFindings, resolveFix } from '../analyzers/fixes/resolve';

/**
 * Pinning fixes carry a placeholder commit and a `resolve` descriptor; the CLI and the editor resolve
 * it against the Hugging Face Hub (here a local server standing in for HF_ENDPOINT) before applying.
 */
const root = path.resolve(__dirname, 'fixes');
const SHA_MAIN = '1f5b7c0de2b0f7a3a1d9e4c6b8a0f2e4d6c8b0a1';
const SHA_TAG = 'a3c9e1f0b2d4c6e8f0a1b3c5d7e9f1a3b5c7d9e1';
const SHA_GATED = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';

interface Hub {
  endpoint: string;
  requests: { url: string; auth?: string }[];
  close(): Promise<void>;
}

/** A stand-in for the Hub's revision API: `/api/models/{owner}/{name}/revision/{ref}` → `{ sha }`. */
async function startHub(): Promise<Hub> {
  const requests: Hub['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', auth: req.headers.authorization });
    const m = /^\/api\/models\/([^/]+)\/([^/]+)\/revision\/([^/?]+)$/.exec(req.url ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (!m) return send(404, { error: 'not found' });
    const [, owner, name, ref] = m.map(decodeURIComponent);
    const id = `${owner}/${name}`;
    if (id === 'acme/gated-model') return req.headers.authorization === 'Bearer hf_test_token' ? send(200, { id, sha: SHA_GATED }) : send(401, { error: 'gated' });
    if (id === 'acme/broken-model') return send(200, '{"sha": "not-a-sha"}');
    if (id === 'acme/flaky-model') return send(503, { error: 'busy' });
    if (id === 'acme/slow-model') return; // never answers
    if (ref === 'main') return send(200, { id, sha: SHA_MAIN });
    if (ref === 'v1.1') return send(200, { id, sha: SHA_TAG });
    return send(404, { error: `Invalid rev id: ${ref}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function findingsOf(rel: string, text: string): Finding[] {
  const session = createSession({ root });
  session.updateFile(rel, text);
  const out = session.analyze([rel]).findings;
  session.dispose();
  return out;
}

function pinFixOf(f: Finding): Fix {
  const fix = f.fixes.find((x) => x.resolve);
  assert.ok(fix, `no pinning fix for ${f.ruleId} at line ${f.location.start.line}`);
  return fix;
}

function hfFix(model: string, ref: string): Fix {
  return {
    description: 'Pin `revision`',
    kind: 'safe',
    edits: [{ file: 'x.js', startOffset: 0, endOffset: 0, text: `'${UNRESOLVED_SHA}'` }],
    resolve: { kind: 'hf-revision', model, ref, placeholder: UNRESOLVED_SHA },
  };
}

describe('quick fixes: resolving pinned revisions', function () {
  this.timeout(60_000);
  let hub: Hub;
  before(async () => {
    hub = await startHub();
  });
  after(async () => {
    await hub.close();
  });
  beforeEach(() => {
    hub.requests.length = 0;
  });

  it('pins every transformers.js download of a case to the commit the Hub reports, and the findings go away', async () => {
    const rel = 'unpinned-model/transformers-embeddings.js';
    let text = fs.readFileSync(path.join(root, rel), 'utf8');
    const findings = findingsOf(rel, text);
    assert.equal(findings.length, 4);
    const cache = new Map<string, Promise<string>>();
    const resolved: Fix[] = [];
    for (const f of findings) {
      const fix = pinFixOf(f);
      assert.equal(fix.kind, 'safe');
      assert.ok(fix.edits.some((e) => e.text.includes(UNRESOLVED_SHA)), 'the unresolved edit holds the placeholder');
      const r = await resolveFix(fix, { env: { HF_ENDPOINT: hub.endpoint }, cache });
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.equal(r.fix.resolve, undefined);
      assert.ok(r.fix.edits.every((e) => !e.text.includes(UNRESOLVED_SHA)));
      assert.match(r.fix.description, /\(1f5b7c0de2b0\)$/);
      resolved.push(r.fix);
    }
    // one request per repository and ref: the reranker's two downloads share one
    assert.deepEqual(hub.requests.map((q) => q.url).sort(), [
      '/api/models/Xenova/all-MiniLM-L6-v2/revision/main',
      '/api/models/Xenova/bge-reranker-base/revision/main',
      '/api/models/Xenova/mobilebert-uncased-mnli/revision/main',
    ]);
    text = applyEdits(text, resolved.flatMap((f) => f.edits));
    assert.equal(text.split(`revision: '${SHA_MAIN}'`).length - 1, 4);
    assert.deepEqual(findingsOf(rel, text), []);
  });

  it('asks for the tag the code names, and pins `/resolve/<ref>/` URLs and `hf:` URIs', async () => {
    const hubRel = 'unpinned-model/hub-vad-setup.js';
    const snapshot = findingsOf(hubRel, fs.readFileSync(path.join(root, hubRel), 'utf8')).find((f) => f.location.start.line === 23)!;
    const tagFix = pinFixOf(snapshot);
    assert.deepEqual(tagFix.resolve, { kind: 'hf-revision', model: 'onnx-community/Qwen2.5-0.5B-Instruct', ref: 'v1.1', placeholder: UNRESOLVED_SHA });
    const r = await resolveFix(tagFix, { env: { HF_ENDPOINT: `${hub.endpoint}/` } });
    assert.ok(r.ok);
    assert.ok(r.fix.edits.some((e) => e.text === `'${SHA_TAG}'`));
    assert.deepEqual(hub.requests.map((q) => q.url), ['/api/models/onnx-community/Qwen2.5-0.5B-Instruct/revision/v1.1']);

    for (const rel of ['unpinned-model/model-cache-fetch.ts', 'unpinned-model/llama-cpp-assistant.js']) {
      let text = fs.readFileSync(path.join(root, rel), 'utf8');
      const fixes = await Promise.all(findingsOf(rel, text).map((f) => resolveFix(pinFixOf(f), { env: { HF_ENDPOINT: hub.endpoint } })));
      assert.ok(fixes.every((x) => x.ok));
      text = applyEdits(text, fixes.flatMap((x) => x.fix.edits));
      assert.ok(text.includes(`/resolve/${SHA_MAIN}/`) || text.includes(`#${SHA_MAIN}'`), rel);
      assert.deepEqual(findingsOf(rel, text), [], rel);
    }
  });

  it('sends HF_TOKEN for gated repositories and says to set it when access is refused', async () => {
    const refused = await resolveFix(hfFix('acme/gated-model', 'main'), { env: { HF_ENDPOINT: hub.endpoint } });
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.error, /HTTP 401.*HF_TOKEN/);
    assert.equal(hub.requests[0].auth, undefined);
    const granted = await resolveFix(hfFix('acme/gated-model', 'main'), { env: { HF_ENDPOINT: hub.endpoint, HF_TOKEN: 'hf_test_token' } });
    assert.ok(granted.ok);
    assert.equal(granted.fix.edits[0].text, `'${SHA_GATED}'`);
    assert.equal(hub.requests[1].auth, 'Bearer hf_test_token');
  });

  it('explains how to find the commit by hand when the Hub cannot answer', async () => {
    const unknownRef = await resolveFix(hfFix('Xenova/all-MiniLM-L6-v2', 'does-not-exist'), { env: { HF_ENDPOINT: hub.endpoint } });
    assert.equal(unknownRef.ok, false);
    if (!unknownRef.ok) {
      assert.match(unknownRef.error, /no revision 'does-not-exist' of Xenova\/all-MiniLM-L6-v2/);
      assert.equal(unknownRef.help, `Find the commit of \`does-not-exist\` on ${hub.endpoint}/Xenova/all-MiniLM-L6-v2/commits/does-not-exist and use its full 40-character sha.`);
      assert.ok(unknownRef.fix.resolve, 'the unresolved fix keeps its descriptor');
    }
    const broken = await resolveFix(hfFix('acme/broken-model', 'main'), { env: { HF_ENDPOINT: hub.endpoint } });
    assert.match(broken.ok ? '' : broken.error, /did not return a commit sha/);
    const flaky = await resolveFix(hfFix('acme/flaky-model', 'main'), { env: { HF_ENDPOINT: hub.endpoint } });
    assert.match(flaky.ok ? '' : flaky.error, /HTTP 503/);
    const slow = await resolveFix(hfFix('acme/slow-model', 'main'), { env: { HF_ENDPOINT: hub.endpoint }, timeoutMs: 300 });
    assert.match(slow.ok ? '' : slow.error, /timed out/);
    // nothing listens on a closed port
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const down = await resolveFix(hfFix('Xenova/all-MiniLM-L6-v2', 'main'), { env: { HF_ENDPOINT: `http://127.0.0.1:${closedPort}` } });
    assert.equal(down.ok, false);
    if (!down.ok) {
      assert.match(down.error, /could not reach http:\/\/127\.0\.0\.1:\d+/);
      assert.match(down.help, /\/Xenova\/all-MiniLM-L6-v2\/commits\/main/);
    }
  });

  it('asks huggingface.co when HF_ENDPOINT is not set, and leaves fixes without a placeholder alone', async () => {
    const seen: string[] = [];
    const fakeFetch = (async (url: string | URL | Request) => {
      seen.push(String(url));
      return new Response(JSON.stringify({ sha: SHA_MAIN }), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const r = await resolveFix(hfFix('Xenova/whisper-tiny.en', 'main'), { env: {}, fetch: fakeFetch });
    assert.ok(r.ok);
    assert.deepEqual(seen, ['https://huggingface.co/api/models/Xenova/whisper-tiny.en/revision/main']);
    const plain: Fix = { description: 'x', kind: 'suggestion', edits: [] };
    const same = await resolveFix(plain, { env: {}, fetch: fakeFetch });
    assert.ok(same.ok);
    assert.equal(same.fix, plain);
    assert.equal(seen.length, 1);
  });

  it('resolves the fixes of a scan for `--fix`, dropping the ones it cannot resolve and saying why', async () => {
    const rel = 'unpinned-model/hub-vad-setup.js';
    const text = fs.readFileSync(path.join(root, rel), 'utf8');
    const findings = findingsOf(rel, text);
    assert.equal(findings.length, 2);
    // the second download names a repository the Hub cannot answer for
    const broken: Finding = { ...findings[1], fixes: findings[1].fixes.map((f) => ({ ...f, resolve: { ...f.resolve!, model: 'acme/flaky-model' } })) };
    const { findings: ready, failures } = await resolveFindings([findings[0], broken], { env: { HF_ENDPOINT: hub.endpoint } });
    assert.equal(failures.length, 1);
    assert.equal(failures[0].finding, broken);
    assert.match(failures[0].error, /HTTP 503/);
    assert.match(failures[0].help, /\/acme\/flaky-model\/commits\/v1\.1 /);
    assert.deepEqual(ready[1].fixes, []);
    assert.ok(ready.every((f) => f.fixes.every((x) => !x.resolve)));
    const sel = selectFixes(ready, { suggestions: false });
    assert.equal(sel.chosen.length, 1);
    const fixed = applyEdits(text, sel.edits.get(rel)!);
    assert.ok(fixed.includes(`revision: '${SHA_MAIN}'`));
    assert.deepEqual(findingsOf(rel, fixed).map((f) => f.location.start.line), [24]);
  });

  it('does not ask the Hub when HF_HUB_OFFLINE is set', async () => {
    const r = await resolveFix(hfFix('Xenova/all-MiniLM-L6-v2', 'main'), { env: { HF_ENDPOINT: hub.endpoint, HF_HUB_OFFLINE: '1' } });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /HF_HUB_OFFLINE/);
    assert.equal(hub.requests.length, 0);
  });

  it('fills in a commit the user typed, and refuses anything that is not a full sha', () => {
    const filled = fillFix(hfFix('Xenova/all-MiniLM-L6-v2', 'main'), ` ${SHA_MAIN.toUpperCase()} `);
    assert.equal(filled.edits[0].text, `'${SHA_MAIN}'`);
    assert.equal(filled.resolve, undefined);
    assert.throws(() => fillFix(hfFix('Xenova/all-MiniLM-L6-v2', 'main'), 'a1b2c3d'), /not a 40-character commit sha/);
  });
});

describe('quick fixes: digest check for a model file download', () => {
  it('offers a sha256 check that rejects a mismatching file before it is written, and the engine accepts it', () => {
    const rel = 'unpinned-model/model-cache-fetch.ts';
    const text = fs.readFileSync(path.join(root, rel), 'utf8');
    const tokenizer = findingsOf(rel, text).find((f) => f.location.start.line === 31)!;
    const digest = tokenizer.fixes.find((f) => /sha256/.test(f.description));
    assert.ok(digest, 'no digest fix');
    assert.equal(digest.kind, 'suggestion');
    assert.equal(digest.resolve, undefined);
    const fixed = applyEdits(text, digest.edits);
    assert.ok(fixed.includes("import { createHash } from 'node:crypto';"));
    const check = "if (createHash('sha256').update(bytes).digest('hex') !== EXPECTED_SHA256) throw new Error('sha256 mismatch for tokenizer.json');";
    assert.ok(fixed.indexOf(check) > 0 && fixed.indexOf(check) < fixed.indexOf('await writeFile(target, bytes)'), 'the check comes before the write');
    assert.deepEqual(findingsOf(rel, fixed).map((f) => f.location.start.line), [22], 'only the other download remains');
    // the per-file download (a URL for any file) gets no single digest
    const perFile = findingsOf(rel, text).find((f) => f.location.start.line === 21)!;
    assert.ok(!perFile.fixes.some((f) => /sha256/.test(f.description)));
  });
});
