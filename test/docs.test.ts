/**
 * Rule documentation: every rule has a page at docsPath(rule) with the required front matter and
 * sections, and its examples are real — each Incorrect example is reported by the engine exactly
 * where its `// wirecheck-expect:` lines say, each Correct example is clean, and the `ts` ones
 * type-check against the SDKs installed as devDependencies (`js`/`jsx` examples, for SDKs without
 * installed types, are analysed but not type-checked). The README rule table is generated.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import YAML from 'yaml';
import { createSession, RULES, docsPath, type Finding, type RuleMeta } from '../analyzers';
import { renderRuleTable, START_MARKER, END_MARKER } from '../scripts/rule-table';

const ROOT = path.resolve(__dirname, '..');
const TYPECHECK_DIR = path.join(ROOT, '.tmp', 'docs-examples');

const REQUIRED_HEADINGS = [
  '## Why it matters',
  '## What counts',
  '## Fake guards that do not count',
  '## Examples',
  '## How to fix',
  '## Suppressing',
  '## References',
];

interface Example {
  kind: 'incorrect' | 'correct';
  title: string;
  /** 1-based line of the heading in the docs page. */
  line: number;
  code: string;
  /** Number of fenced blocks under the heading (must be exactly one block in EXAMPLE_LANGS). */
  blocks: number;
  lang: string;
}

/**
 * Fence languages an example may use. `ts` examples are analysed and type-checked; `js` and `jsx`
 * examples (SDKs without installed types — transformers.js, the Hugging Face hub, node-llama-cpp,
 * DOMPurify — and React components) are analysed as `.js` / `.jsx` files but not type-checked.
 */
const EXAMPLE_LANGS = ['ts', 'js', 'jsx'];


interface DocPage {
  file: string;
  text: string;
  frontMatter: Record<string, unknown> | undefined;
  body: string;
  examples: Example[];
}

function readPage(rule: RuleMeta): DocPage | undefined {
  const file = path.join(ROOT, docsPath(rule));
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(text);
  const frontMatter = fm ? (YAML.parse(fm[1]) as Record<string, unknown>) : undefined;
  const body = fm ? text.slice(fm[0].length) : text;
  return { file, text, frontMatter, body, examples: extractExamples(text) };
}

/** The `### ❌ Incorrect…` / `### ✅ Correct…` subsections of `## Examples`, each with its fenced blocks. */
function extractExamples(text: string): Example[] {
  const lines = text.split('\n');
  const out: Example[] = [];
  let inExamples = false;
  let current: Example | undefined;
  let fence: { lang: string; lines: string[] } | undefined;
  const flush = () => {
    if (current) out.push(current);
    current = undefined;
  };
  lines.forEach((line, i) => {
    if (fence) {
      if (/^\s*```\s*$/.test(line)) {
        if (current) {
          current.blocks++;
          if (current.blocks === 1) {
            current.code = fence.lines.join('\n') + '\n';
            current.lang = fence.lang;
          }
        }
        fence = undefined;
      } else fence.lines.push(line);
      return;
    }
    const open = /^\s*```(\S*)/.exec(line);
    if (open) {
      fence = { lang: open[1], lines: [] };
      return;
    }
    if (/^## /.test(line)) {
      flush();
      inExamples = /^## Examples\s*$/.test(line);
      return;
    }
    if (!inExamples) return;
    if (/^### /.test(line)) {
      flush();
      const m = /^### (❌ Incorrect|✅ Correct)\b(.*)$/u.exec(line);
      if (m)
        current = {
          kind: m[1].includes('Incorrect') ? 'incorrect' : 'correct',
          title: line.replace(/^###\s*/, ''),
          line: i + 1,
          code: '',
          blocks: 0,
          lang: '',
        };
    }
  });
  flush();
  return out;
}

interface Expected {
  line: number;
  category: string;
}

/** `// wirecheck-expect: <category or rule id>[, …] [-- why]` announces a finding on the next line. */
function expectations(code: string): Expected[] {
  const out: Expected[] = [];
  code.split('\n').forEach((line, i) => {
    const m = /\/\/\s*wirecheck-expect:\s*([^\n]*)/.exec(line);
    if (!m) return;
    for (const c of m[1].split('--')[0].split(/[\s,]+/).filter(Boolean)) out.push({ line: i + 2, category: c.includes('/') ? c.split('/')[0] : c });
  });
  return out;
}

function analyzeExample(code: string, lang: string): { findings: Finding[]; problems: string[] } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wirecheck-docs-'));
  try {
    const file = path.join(tmp, `example.${EXAMPLE_LANGS.includes(lang) ? lang : 'ts'}`);
    fs.writeFileSync(file, code);
    const session = createSession({ root: tmp });
    try {
      const result = session.analyze([file]);
      const problems = result.notices.filter((n) => n.kind === 'parse-error' || n.kind === 'unreadable').map((n) => n.message);
      return { findings: result.findings, problems };
    } finally {
      session.dispose();
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function describeFindings(findings: Finding[]): string {
  if (!findings.length) return '  (no findings)';
  return findings.map((f) => `  line ${f.location.start.line} ${f.ruleId}: ${f.message}`).join('\n');
}

function slug(s: string): string {
  return s.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
}

const pages = new Map<string, DocPage | undefined>(RULES.map((r) => [r.id, readPage(r)]));

describe('rule docs', () => {
  for (const rule of RULES) {
    describe(rule.id, () => {
      const page = pages.get(rule.id);
      const where = docsPath(rule);

      it(`has a page at ${where}`, () => {
        assert.ok(page, `missing docs page ${where}`);
      });

      it('has front matter that matches the rule metadata', () => {
        assert.ok(page, `missing docs page ${where}`);
        assert.ok(page.frontMatter, `${where}: missing YAML front matter (--- id/category/severity/cwe/owasp ---)`);
        const fm = page.frontMatter;
        assert.equal(fm.id, rule.id, `${where}: front matter id`);
        assert.equal(fm.category, rule.category, `${where}: front matter category`);
        assert.equal(fm.severity, rule.severity, `${where}: front matter severity`);
        assert.deepEqual([fm.cwe].flat(), rule.cwe, `${where}: front matter cwe`);
        assert.deepEqual([fm.owasp].flat(), rule.owasp, `${where}: front matter owasp`);
      });

      it('has the required sections', () => {
        assert.ok(page, `missing docs page ${where}`);
        const headings = page.body.split('\n').filter((l) => /^#{1,3} /.test(l)).map((l) => l.trim());
        assert.equal(headings[0], `# ${rule.id}`, `${where}: the first heading must be "# ${rule.id}"`);
        let last = -1;
        for (const h of REQUIRED_HEADINGS) {
          const at = headings.indexOf(h);
          assert.ok(at >= 0, `${where}: missing section "${h}"`);
          assert.ok(at > last, `${where}: section "${h}" is out of order`);
          last = at;
        }
        if (rule.category === 'rag-as-instructions') assert.match(page.body, /LLM08/, `${where}: references must include OWASP LLM08:2025`);
        assert.match(page.body, /genai\.owasp\.org\/llmrisk\/llm01-prompt-injection/, `${where}: references must link OWASP LLM01:2025`);
        assert.match(page.body, /cwe\.mitre\.org\/data\/definitions\/1427\.html/, `${where}: references must link CWE-1427`);
        assert.match(page.body, /wirecheck-disable-next-line\s+\S+\s+--\s+\S/, `${where}: the suppression example must give a reason`);
      });

      it('has at least 4 incorrect and 4 correct examples, each one ts (or js/jsx) block', () => {
        assert.ok(page, `missing docs page ${where}`);
        const bad = page.examples.filter((e) => e.blocks !== 1 || !EXAMPLE_LANGS.includes(e.lang));
        assert.deepEqual(
          bad.map((e) => `${where}:${e.line} "${e.title}" has ${e.blocks} block(s), first is \`${e.lang}\``),
          [],
          'each example subsection holds exactly one ```ts block (```js or ```jsx when the SDK has no installed types)',
        );
        const incorrect = page.examples.filter((e) => e.kind === 'incorrect').length;
        const correct = page.examples.filter((e) => e.kind === 'correct').length;
        assert.ok(incorrect >= 4, `${where}: ${incorrect} incorrect examples, need at least 4`);
        assert.ok(correct >= 4, `${where}: ${correct} correct examples, need at least 4`);
      });

      for (const ex of page?.examples ?? []) {
        it(`example at line ${ex.line}: ${ex.title}`, () => {
          const { findings, problems } = analyzeExample(ex.code, ex.lang);
          const context = `${where}:${ex.line} "${ex.title}"\nfindings:\n${describeFindings(findings)}`;
          assert.deepEqual(problems, [], `${context}\nthe example does not parse`);
          if (ex.kind === 'correct') {
            assert.equal(findings.length, 0, `${context}\na Correct example must produce no findings`);
            assert.equal(expectations(ex.code).length, 0, `${where}:${ex.line}: a Correct example must not carry wirecheck-expect lines`);
            return;
          }
          const expected = expectations(ex.code);
          assert.ok(expected.length > 0, `${where}:${ex.line}: an Incorrect example must announce its finding with // wirecheck-expect: ${rule.category}`);
          const other = findings.filter((f) => f.ruleId !== rule.id);
          assert.deepEqual(other.map((f) => `${f.location.start.line} ${f.ruleId}`), [], `${context}\nno finding of another rule may appear`);
          assert.ok(findings.some((f) => f.ruleId === rule.id), `${context}\nexpected at least one ${rule.id} finding`);
          const key = (line: number, category: string) => `line ${line} ${category}`;
          const got = [...new Set(findings.map((f) => key(f.location.start.line, f.category)))].sort();
          const want = [...new Set(expected.map((e) => key(e.line, e.category)))].sort();
          assert.deepEqual(got, want, `${context}\nfindings must be exactly those announced by wirecheck-expect lines (line numbers are in the code block)`);
        });
      }
    });
  }

  describe('examples type-check', () => {
    before(() => {
      fs.rmSync(TYPECHECK_DIR, { recursive: true, force: true });
      fs.mkdirSync(TYPECHECK_DIR, { recursive: true });
    });
    after(() => {
      fs.rmSync(TYPECHECK_DIR, { recursive: true, force: true });
    });

    it('every example compiles against the installed SDKs (strict)', function () {
      this.timeout(240_000);
      const origin = new Map<string, string>();
      for (const rule of RULES) {
        const page = pages.get(rule.id);
        if (!page) continue;
        page.examples.forEach((ex, i) => {
          if (ex.lang !== 'ts' || !ex.code) return;
          const name = `${slug(rule.name)}-${String(i + 1).padStart(2, '0')}-${ex.kind}.ts`;
          const file = path.join(TYPECHECK_DIR, name);
          fs.writeFileSync(file, ex.code);
          origin.set(path.resolve(file), `${docsPath(rule)}:${ex.line} "${ex.title}"`);
        });
      }
      assert.ok(origin.size > 0, 'no examples to type-check');
      const options: ts.CompilerOptions = {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
        types: ['node'],
        typeRoots: [path.join(ROOT, 'node_modules', '@types')],
        baseUrl: ROOT,
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        esModuleInterop: true,
        resolveJsonModule: true,
        allowJs: false,
      };
      const program = ts.createProgram([...origin.keys()], options);
      const diagnostics = ts.getPreEmitDiagnostics(program);
      const host: ts.FormatDiagnosticsHost = {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => ROOT,
        getNewLine: () => '\n',
      };
      const report = diagnostics.map((d) => {
        const from = d.file ? origin.get(path.resolve(d.file.fileName)) : undefined;
        return `${from ? `[${from}] ` : ''}${ts.formatDiagnostic(d, host).trim()}`;
      });
      assert.equal(report.length, 0, `examples do not type-check:\n${report.join('\n')}`);
    });
  });

  describe('README rule table', () => {
    it('README.md holds the current table between the rules markers', () => {
      const readme = path.join(ROOT, 'README.md');
      if (!fs.existsSync(readme))
        assert.fail(`README.md does not exist; add it with ${START_MARKER} and ${END_MARKER} markers and run \`npx tsx scripts/rule-table.ts --write\``);
      const text = fs.readFileSync(readme, 'utf8').replace(/\r\n/g, '\n');
      const start = text.indexOf(START_MARKER);
      const end = text.indexOf(END_MARKER);
      if (start < 0 || end < start)
        assert.fail(`README.md lacks the ${START_MARKER} … ${END_MARKER} markers around the rule table; add them and run \`npx tsx scripts/rule-table.ts --write\``);
      const current = text.slice(start + START_MARKER.length, end).trim();
      assert.equal(current, renderRuleTable(), 'README.md rule table is stale; run `npx tsx scripts/rule-table.ts --write`');
    });
  });
});
