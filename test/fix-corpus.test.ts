import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { createSession, discoverFiles, type Finding } from '../analyzers';
import { applyEdits, selectFixes } from '../analyzers/fixes/apply';
import { fillFix } from '../analyzers/fixes/resolve';
import { TEST_SHA } from './fix-harness';

/**
 * The fixes on the whole detection corpus (test/fixtures): for every file with findings that offer
 * fixes, apply them (one pass, as `scan --fix-suggestions` does first) and check that the file
 * still parses, that each targeted category has fewer findings, that no other finding appears, and
 * that the fixed TypeScript files type-check against the real SDKs.
 */
const root = path.resolve(__dirname, 'fixtures');

describe('quick fixes on the detection corpus', function () {
  this.timeout(600_000);
  const fixed = new Map<string, string>();
  const problems: string[] = [];
  let fixedFindings = 0;
  let withFixes = 0;
  let instructionFindings = 0;

  before(() => {
    const files = discoverFiles({ root, config: {}, paths: [root] }).files;
    const session = createSession({ root });
    const all = session.analyze(files).findings;
    const byFile = new Map<string, Finding[]>();
    for (const f of all) byFile.set(f.location.file, [...(byFile.get(f.location.file) ?? []), f]);
    for (const f of all) if (f.category === 'prompt-injection' || f.category === 'rag-as-instructions') instructionFindings++;
    for (const [rel, findings] of byFile) {
      withFixes += findings.filter((f) => f.fixes.length > 0).length;
      const sel = selectFixes(findings.map((f) => ({ ...f, fixes: f.fixes.map((x) => (x.resolve ? fillFix(x, TEST_SHA) : x)) })), { suggestions: true });
      const edits = sel.edits.get(rel);
      if (!edits?.length) continue;
      fixedFindings += sel.chosen.length;
      const original = fs.readFileSync(path.join(root, rel), 'utf8');
      const text = applyEdits(original, edits);
      const beforeOne = session.analyze([rel]);
      session.updateFile(rel, text);
      const after = session.analyze([rel]);
      session.updateFile(rel, undefined);
      fixed.set(rel, text);
      const parseErrors = after.notices.filter((n) => n.file === rel && n.kind === 'parse-error');
      if (parseErrors.length) problems.push(`${rel}: does not parse after fixing: ${parseErrors[0].message}`);
      const targeted = new Set(sel.chosen.map((c) => c.finding.category));
      const count = (fs: Finding[], cat: string) => fs.filter((f) => f.location.file === rel && f.category === cat).length;
      for (const cat of new Set([...beforeOne.findings, ...after.findings].map((f) => f.category))) {
        const b = count(beforeOne.findings, cat);
        const a = count(after.findings, cat);
        if (targeted.has(cat) && b > 0 && a >= b) problems.push(`${rel}: ${cat} findings not reduced (${b} → ${a})`);
        if (!targeted.has(cat) && a > b) problems.push(`${rel}: new ${cat} finding after fixing (${b} → ${a})`);
      }
    }
    session.dispose();
  });

  it('offers fixes for most findings', () => {
    assert.ok(fixedFindings >= 350, `only ${fixedFindings} findings fixed`);
    assert.ok(withFixes >= instructionFindings * 0.75, `${withFixes} findings with fixes of ${instructionFindings} instruction-channel findings`);
  });

  it('fixed files parse, lose the targeted findings and gain no others', () => {
    assert.deepEqual(problems, []);
  });

  it('fixed TypeScript files type-check against the SDKs', () => {
    const configFile = path.join(root, 'tsconfig.json');
    const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configFile, ts.sys.readFile).config, ts.sys, root);
    const overlay = new Map([...fixed].filter(([rel]) => /\.tsx?$/.test(rel) && !rel.endsWith('.d.ts')).map(([rel, text]) => [path.join(root, rel), text]));
    assert.ok(overlay.size > 50, `only ${overlay.size} fixed TypeScript files`);
    const host = ts.createCompilerHost(parsed.options);
    const readFile = host.readFile.bind(host);
    host.readFile = (f) => overlay.get(path.resolve(f)) ?? readFile(f);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (f, lang, onError, create) => {
      const text = overlay.get(path.resolve(f));
      return text !== undefined ? ts.createSourceFile(f, text, lang) : getSourceFile(f, lang, onError, create);
    };
    const program = ts.createProgram({ rootNames: [...overlay.keys()], options: parsed.options, host });
    const errors = [...overlay.keys()].flatMap((f) => {
      const sf = program.getSourceFile(f)!;
      return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
        const lc = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
        return `${path.relative(root, f)}:${lc.line + 1}:${lc.character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      });
    });
    assert.deepEqual(errors, []);
  });
});
