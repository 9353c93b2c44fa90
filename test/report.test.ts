/**
 * Report formats: SARIF 2.1.0 (validated offline against the official OASIS schema, vendored in
 * test/schemas/), JSON and stylish. Findings come from running the real engine on a small project
 * written to a temporary folder.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { createSession, discoverFiles, RULES, type Finding, type AnalysisResult, type Location } from '../analyzers';
import { toSarif, formatSarif, relativeUri, SARIF_MAX_RESULTS, SARIF_MAX_THREAD_FLOW_LOCATIONS, type SarifLog } from '../analyzers/report/sarif';
import { formatJson } from '../analyzers/report/json';
import { formatStylish } from '../analyzers/report/stylish';

const SCHEMA_FILE = path.join(__dirname, 'schemas', 'sarif-schema-2.1.0.json');
const RULE_ID = 'prompt-injection/untrusted-input-in-instructions';
const ESC = '\u001b[';

const CHAT_ROUTE = `import express from 'express';
import OpenAI from 'openai';

const app = express();
app.use(express.json());
const openai = new OpenAI();

app.post('/api/chat', async (req, res) => {
  const persona = req.body.persona;
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: \`You are \${persona}. Answer in two sentences.\` },
      { role: 'user', content: req.body.question },
    ],
  });
  res.json({ answer: completion.choices[0].message.content });
});

app.listen(3000);
`;

const SAFE_SUMMARY = `import OpenAI from 'openai';

const openai = new OpenAI();

export async function summarize(text: string): Promise<string> {
  const r = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'Summarize the user text in one sentence.' },
      { role: 'user', content: text },
    ],
  });
  return r.choices[0].message.content ?? '';
}
`;

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `fixture has no line with ${needle}`);
  return i + 1;
}

function sarifValidator(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
}

function assertValid(validate: ValidateFunction, log: unknown): void {
  const ok = validate(log);
  assert.ok(ok, `SARIF does not validate against the 2.1.0 schema:\n${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
}

function loc(file: string, line: number, column = 1, length = 5): Location {
  const startOffset = (line - 1) * 40 + column - 1;
  return { file, start: { line, column }, end: { line, column: column + length }, startOffset, endOffset: startOffset + length };
}

function syntheticFinding(i: number, severity: Finding['severity'], steps = 2): Finding {
  const file = `src/gen/file-${Math.floor(i / 100)}.ts`;
  const line = (i % 100) + 1;
  const path = Array.from({ length: steps }, (_, k) => ({ location: loc(file, line, 1 + k * 2), message: k === 0 ? 'source: request data' : `step ${k}` }));
  return {
    ruleId: RULE_ID,
    category: 'prompt-injection',
    severity,
    message: `finding ${i}`,
    location: path[path.length - 1].location,
    path,
    fixes: [],
    fingerprint: `fp-${i}`,
  };
}

describe('report formats', () => {
  let root: string;
  let result: AnalysisResult;
  let systemLine: number;
  let sourceLine: number;
  let validate: ValidateFunction;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'wirecheck-report-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'chat.ts'), CHAT_ROUTE);
    fs.writeFileSync(path.join(root, 'src', 'summarize.ts'), SAFE_SUMMARY);
    systemLine = lineOf(CHAT_ROUTE, "role: 'system'");
    sourceLine = lineOf(CHAT_ROUTE, 'req.body.persona');
    const { files } = discoverFiles({ root, config: {}, paths: [] });
    const session = createSession({ root });
    result = session.analyze(files);
    session.dispose();
    validate = sarifValidator();
  });

  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('the engine finds exactly the unsafe route', () => {
    assert.equal(result.files.length, 2);
    assert.deepEqual(
      result.findings.map((f) => [f.ruleId, f.location.file, f.location.start.line]),
      [[RULE_ID, 'src/chat.ts', systemLine]],
    );
  });

  describe('SARIF', () => {
    let log: SarifLog;
    before(() => {
      log = JSON.parse(formatSarif(result, { version: '0.1.0', root }));
    });

    it('validates against the official SARIF 2.1.0 schema', () => {
      assertValid(validate, log);
      assert.equal(log.version, '2.1.0');
      assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
      assert.equal(log.runs.length, 1);
    });

    it('the schema validator rejects a broken log (it is really checking)', () => {
      const broken = JSON.parse(JSON.stringify(log));
      broken.runs[0].results[0].level = 'fatal';
      delete broken.runs[0].tool.driver.name;
      assert.equal(validate(broken), false);
    });

    it('describes the tool and every rule', () => {
      const driver = log.runs[0].tool.driver;
      assert.equal(driver.name, 'Wirecheck');
      assert.equal(driver.semanticVersion, '0.1.0');
      assert.match(driver.informationUri ?? '', /^https:\/\//);
      assert.deepEqual(
        driver.rules.map((r) => r.id),
        RULES.map((r) => r.id),
      );
      for (const rule of RULES) {
        const d = driver.rules.find((r) => r.id === rule.id)!;
        assert.equal(d.name, rule.name);
        assert.equal(d.shortDescription?.text, rule.description);
        assert.equal(d.fullDescription?.text, rule.fullDescription);
        assert.match(d.helpUri ?? '', /^https:\/\/.+\.md$/);
        assert.ok(d.help?.text && d.help.markdown, `${rule.id}: help text and markdown`);
        assert.ok(d.help.markdown!.includes(d.helpUri!), `${rule.id}: help markdown links the docs`);
        assert.equal(d.defaultConfiguration?.level, rule.severity);
        const p = d.properties!;
        assert.equal(p.category, rule.category);
        assert.ok(p.tags.includes('security'), `${rule.id}: security tag`);
        for (const cwe of rule.cwe) assert.ok(p.tags.includes(`external/cwe/${cwe.toLowerCase()}`), `${rule.id}: ${cwe} tag`);
        assert.ok(p.tags.some((t) => t.startsWith('external/cwe/cwe-')), `${rule.id}: a CWE tag`);
        assert.ok(['very-high', 'high', 'medium', 'low'].includes(p.precision ?? ''), `${rule.id}: precision`);
        const sev = Number(p['security-severity']);
        assert.ok(sev >= 0 && sev <= 10, `${rule.id}: security-severity ${p['security-severity']}`);
        assert.equal(p['security-severity'], String(rule.securitySeverity));
      }
      for (const id of [RULE_ID, 'rag-as-instructions/retrieved-text-in-instructions']) {
        const d = driver.rules.find((r) => r.id === id);
        assert.ok(d?.properties?.tags.includes('external/cwe/cwe-1427'), `${id}: CWE-1427 tag`);
      }
    });

    it('reports the finding at the system message with a relative %SRCROOT% location', () => {
      const run = log.runs[0];
      assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, pathToFileURL(root).href + '/');
      assert.equal(run.results.length, 1);
      const r = run.results[0];
      assert.equal(r.ruleId, RULE_ID);
      assert.equal(run.tool.driver.rules[r.ruleIndex].id, RULE_ID);
      assert.equal(r.level, 'error');
      assert.ok(r.message.text.length > 0);
      const pl = r.locations[0].physicalLocation;
      assert.equal(pl.artifactLocation.uri, 'src/chat.ts');
      assert.equal(pl.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.ok(!path.isAbsolute(pl.artifactLocation.uri) && !pl.artifactLocation.uri.includes(':'));
      assert.equal(pl.region?.startLine, systemLine);
      assert.equal(pl.region?.endLine, systemLine);
      const startCol = CHAT_ROUTE.split('\n')[systemLine - 1].indexOf('`') + 1;
      assert.equal(pl.region?.startColumn, startCol);
      assert.ok((pl.region?.endColumn ?? 0) > startCol);
    });

    it('carries a partial fingerprint, the taint path and the source', () => {
      const r = log.runs[0].results[0];
      assert.equal(r.partialFingerprints['wirecheck/v1'], result.findings[0].fingerprint);
      assert.equal(r.codeFlows?.length, 1);
      const steps = r.codeFlows![0].threadFlows[0].locations;
      assert.ok(steps.length >= 2, 'at least source and sink');
      assert.equal(steps[0].location.physicalLocation.region?.startLine, sourceLine);
      assert.equal(steps[steps.length - 1].location.physicalLocation.region?.startLine, systemLine);
      assert.ok(steps.every((s) => s.location.message?.text));
      assert.equal(r.relatedLocations?.length, 1);
      assert.equal(r.relatedLocations![0].physicalLocation.region?.startLine, sourceLine);
      // the engine's own fixes travel with the result
      assert.equal(r.fixes?.length, result.findings[0].fixes.length);
      assert.ok(result.findings[0].fixes.length > 0);
      const bare = formatSarif({ ...result, findings: [{ ...result.findings[0], fixes: [] }] }, { version: '0.1.0', root });
      assert.equal((JSON.parse(bare) as typeof log).runs[0].results[0].fixes, undefined, 'no fixes property without fixes');
    });

    it('turns fixes into artifact changes with character-offset regions', () => {
      const f = result.findings[0];
      const withFix: Finding = {
        ...f,
        fixes: [
          {
            description: 'Send the persona as a user message',
            kind: 'suggestion',
            edits: [
              { file: f.location.file, startOffset: f.location.startOffset, endOffset: f.location.endOffset, text: "'You are a helpful assistant.'" },
              { file: f.location.file, startOffset: 10, endOffset: 10, text: '/* inserted */' },
            ],
          },
        ],
      };
      const sarif = toSarif({ findings: [withFix], notices: [] }, { version: '0.1.0', root });
      assertValid(validate, sarif);
      const fix = sarif.runs[0].results[0].fixes![0];
      assert.equal(fix.description.text, 'Send the persona as a user message');
      assert.equal(fix.artifactChanges.length, 1);
      const change = fix.artifactChanges[0];
      assert.deepEqual(change.artifactLocation, { uri: 'src/chat.ts', uriBaseId: '%SRCROOT%' });
      assert.deepEqual(change.replacements[0].deletedRegion, { charOffset: f.location.startOffset, charLength: f.location.endOffset - f.location.startOffset });
      assert.equal(change.replacements[0].insertedContent.text, "'You are a helpful assistant.'");
      assert.deepEqual(change.replacements[1].deletedRegion, { charOffset: 10, charLength: 0 });
    });

    it('puts input problems in the invocation as notifications', () => {
      const notices: AnalysisResult['notices'] = [
        { kind: 'parse-error', file: 'src/broken.ts', message: 'src/broken.ts:3:7: syntax error: ; expected (analysed what could be parsed)' },
        { kind: 'unreadable', file: 'src/blob.ts', message: 'src/blob.ts: skipped, looks like a binary file' },
        { kind: 'time-budget', file: 'src/huge.ts', message: 'src/huge.ts: skipped, 3000 KB is over the 1953 KB limit for one file' },
        { kind: 'unreadable', message: 'cross-function analysis failed: boom' },
      ];
      const sarif = toSarif({ findings: result.findings, notices }, { version: '0.1.0', root });
      assertValid(validate, sarif);
      const inv = sarif.runs[0].invocations[0];
      assert.equal(inv.executionSuccessful, true);
      const notes = inv.toolExecutionNotifications ?? [];
      assert.equal(notes.length, 4);
      assert.ok(notes.every((n) => n.level === 'warning'));
      assert.deepEqual(
        notes.map((n) => n.descriptor?.id),
        ['parse-error', 'unreadable', 'time-budget', 'unreadable'],
      );
      assert.deepEqual(notes[0].locations?.[0].physicalLocation, {
        artifactLocation: { uri: 'src/broken.ts', uriBaseId: '%SRCROOT%' },
        region: { startLine: 3, startColumn: 7 },
      });
      assert.equal(notes[3].locations, undefined);
    });

    it('describes a rule that is not built in (a pack rule) from its findings', () => {
      const custom: Finding = { ...result.findings[0], ruleId: 'prompt-injection/acme-wrapper-system', severity: 'warning' };
      const sarif = toSarif({ findings: [result.findings[0], custom], notices: [] }, { version: '0.1.0', root });
      assertValid(validate, sarif);
      const rules = sarif.runs[0].tool.driver.rules;
      assert.equal(rules.length, RULES.length + 1);
      const r = sarif.runs[0].results[1];
      assert.equal(rules[r.ruleIndex].id, 'prompt-injection/acme-wrapper-system');
      assert.equal(rules[r.ruleIndex].properties?.category, 'prompt-injection');
      assert.equal(r.level, 'warning');
    });

    it('encodes paths as relative URI references', () => {
      assert.equal(relativeUri('src/chat.ts'), 'src/chat.ts');
      assert.equal(relativeUri('my app/a#b%c.ts'), 'my%20app/a%23b%25c.ts');
      assert.equal(relativeUri('c:odd/x.ts'), 'c%3Aodd/x.ts');
    });

    it(`keeps at most ${SARIF_MAX_RESULTS} results, dropping the least severe, and says so`, () => {
      const findings: Finding[] = [];
      for (let i = 0; i < 10; i++) findings.push(syntheticFinding(i, 'note'));
      for (let i = 10; i < SARIF_MAX_RESULTS + 10; i++) findings.push(syntheticFinding(i, i === 10 ? 'warning' : 'error', i === 11 ? 15 : 2));
      assert.equal(findings.length, 25_010);
      const sarif = toSarif({ findings, notices: [] }, { version: '0.1.0', root });
      const results = sarif.runs[0].results;
      assert.ok(results.length <= SARIF_MAX_RESULTS);
      assert.equal(results.length, SARIF_MAX_RESULTS);
      assert.ok(results.every((r) => r.level !== 'note'), 'the notes were the ones left out');
      assert.equal(results[0].message.text, 'finding 10', 'original order kept');
      const notes = sarif.runs[0].invocations[0].toolExecutionNotifications ?? [];
      const trunc = notes.find((n) => n.descriptor?.id === 'results-truncated');
      assert.ok(trunc, 'a notification about the truncation');
      assert.match(trunc!.message.text, /25010 results/);
      assert.match(trunc!.message.text, /10 lower-severity results/);

      // a long path keeps its first and last steps
      const long = results[1].codeFlows![0];
      const locs = long.threadFlows[0].locations;
      assert.equal(locs.length, SARIF_MAX_THREAD_FLOW_LOCATIONS);
      assert.equal(locs[0].location.message?.text, 'source: request data');
      assert.equal(locs[locs.length - 1].location.message?.text, 'step 14');
      assert.ok(long.message?.text.includes('5 of 15'));

      assertValid(validate, sarif);
    });
  });

  describe('JSON', () => {
    it('parses and carries the findings, notices and summary', () => {
      const notices: AnalysisResult['notices'] = [{ kind: 'unused-suppression', file: 'src/chat.ts', message: 'src/chat.ts:1: unused suppression for output-to-sink' }];
      const text = formatJson({ ...result, notices }, { version: '0.1.0', root });
      assert.ok(text.startsWith('{\n  "version": "0.1.0",\n  "root": '), 'pretty-printed with 2 spaces, version first');
      const json = JSON.parse(text);
      assert.deepEqual(Object.keys(json), ['version', 'root', 'findings', 'notices', 'summary']);
      assert.equal(json.root, root);
      assert.deepEqual(json.summary, { errors: 1, warnings: 0, notes: 0, notices: 1, files: 2 });
      assert.deepEqual(json.findings, JSON.parse(JSON.stringify(result.findings)));
      assert.deepEqual(json.notices, notices);
    });
  });

  describe('stylish', () => {
    it('groups by file with line:col, severity, message, rule id, source and a summary', () => {
      const out = formatStylish(result, { color: false, cwd: root });
      const f = result.findings[0];
      const lines = out.split('\n');
      assert.equal(lines[0], 'src/chat.ts');
      assert.match(lines[1], new RegExp(`^  ${systemLine}:${f.location.start.column}  error  .+  ${RULE_ID.replace(/\//g, '\\/')}$`));
      assert.ok(lines[1].includes(f.message));
      assert.ok(lines[2].startsWith('    ↳ source: ') && lines[2].endsWith(` at src/chat.ts:${sourceLine}`), lines[2]);
      assert.ok(out.includes('✖ 1 problem (1 error, 0 warnings)'));
      assert.ok(out.includes('wirecheck-disable-next-line'), 'says how to suppress');
      assert.ok(!out.includes(ESC), 'no ANSI escapes without colour');
      assert.ok(!out.includes('\u001b'));
    });

    it('uses ANSI colours only when asked', () => {
      const out = formatStylish(result, { color: true, cwd: root });
      assert.ok(out.includes(`${ESC}31m`), 'red for errors');
      assert.ok(out.includes(ESC + '4m'), 'underlined file header');
      assert.ok(out.replace(/\u001b\[\d+m/g, '').includes(`${systemLine}:`));
    });

    it('lists notices as notes and ends with an all-clear line when nothing is found', () => {
      const out = formatStylish(
        {
          findings: [],
          notices: [
            { kind: 'parse-error', file: 'src/broken.ts', message: 'src/broken.ts:3:7: syntax error: ; expected (analysed what could be parsed)' },
            { kind: 'config', message: 'wirecheck.config.yaml: unknown key "rulez"' },
          ],
          files: ['src/a.ts', 'src/b.ts', 'src/broken.ts'],
        },
        { color: false },
      );
      assert.ok(out.includes('src/broken.ts\n  3:7  note  syntax error: ; expected (analysed what could be parsed)  parse-error'), out);
      assert.ok(out.includes('notes\n    note  wirecheck.config.yaml: unknown key "rulez"  config'), out);
      assert.ok(out.includes('✔ No unsafe LLM wiring found in 3 files'));
      assert.ok(out.includes('2 notices: 1 file with syntax errors, 1 configuration problem'));
      assert.ok(!out.includes('✖'));
    });

    it('mentions safe fixes and never lets scanned text write escape sequences', () => {
      const f = result.findings[0];
      const hostile: Finding = {
        ...f,
        message: `Request data (\`req.body["\u001b[2J\u001b]0;pwned\u0007"]\`) reaches the system message`,
        fixes: [{ description: 'Move it to a user message', kind: 'safe', edits: [{ file: f.location.file, startOffset: 0, endOffset: 0, text: '' }] }],
      };
      for (const color of [false, true]) {
        const out = formatStylish({ findings: [hostile], notices: [] }, { color, fixHint: 'run `wirecheck scan --fix`' });
        assert.ok(!out.includes('\u0007') && !out.includes('\u001b]0;') && !out.includes('\u001b[2J'), 'control characters stripped');
        assert.ok(out.includes('↳ fix: Move it to a user message'));
        assert.ok(out.includes('1 problem can be fixed automatically: run `wirecheck scan --fix`'));
      }
    });
  });
});
