/**
 * The README rule table, generated from the rule metadata (`analyzers/rules/index.ts`).
 *
 *   npx tsx scripts/rule-table.ts            print the table
 *   npx tsx scripts/rule-table.ts --write    rewrite the table between the markers in README.md
 *   npx tsx scripts/rule-table.ts --check    exit 1 when README.md's table is stale
 *
 * The table lives between `<!-- rules:start -->` and `<!-- rules:end -->` in README.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES, docsPath, type RuleMeta } from '../analyzers/rules';

export const START_MARKER = '<!-- rules:start -->';
export const END_MARKER = '<!-- rules:end -->';
export const README_PATH = path.resolve(__dirname, '..', 'README.md');

const SEVERITY_LABEL: Record<RuleMeta['severity'], string> = { error: 'error', warning: 'warning', note: 'note' };

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').trim();
}

function cweLink(cwe: string): string {
  const m = /^CWE-(\d+)$/i.exec(cwe);
  return m ? `[${cwe.toUpperCase()}](https://cwe.mitre.org/data/definitions/${m[1]}.html)` : cell(cwe);
}

/** A markdown table of every rule: id (linked to its docs page), category, severity, CWE, OWASP LLM, description. */
export function renderRuleTable(rules: readonly RuleMeta[] = RULES): string {
  const lines = [
    '| Rule | Category | Severity | CWE | OWASP LLM | Description |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const rule of rules) {
    lines.push(
      `| [\`${rule.id}\`](${docsPath(rule)}) | \`${rule.category}\` | ${SEVERITY_LABEL[rule.severity]} | ${rule.cwe.map(cweLink).join(', ')} | ${rule.owasp.map(cell).join(', ')} | ${cell(rule.description)} |`,
    );
  }
  return lines.join('\n');
}

export class RuleTableError extends Error {}

/** The text currently between the markers (trimmed), or an error saying what is missing. */
export function readTableSection(readme: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < 0 || end < start)
    throw new RuleTableError(`README.md must contain ${START_MARKER} followed by ${END_MARKER} around the rule table`);
  return readme.slice(start + START_MARKER.length, end).trim();
}

/** README text with the section between the markers replaced by the current table. */
export function replaceTableSection(readme: string, table: string = renderRuleTable()): string {
  readTableSection(readme); // validates the markers
  const start = readme.indexOf(START_MARKER) + START_MARKER.length;
  const end = readme.indexOf(END_MARKER);
  return `${readme.slice(0, start)}\n${table}\n${readme.slice(end)}`;
}

function main(argv: string[]): number {
  const write = argv.includes('--write');
  const check = argv.includes('--check');
  const unknown = argv.filter((a) => a !== '--write' && a !== '--check');
  if (unknown.length || (write && check)) {
    process.stderr.write('usage: tsx scripts/rule-table.ts [--write | --check]\n');
    return 2;
  }
  const table = renderRuleTable();
  if (!write && !check) {
    process.stdout.write(table + '\n');
    return 0;
  }
  if (!fs.existsSync(README_PATH)) {
    process.stderr.write(`rule-table: ${README_PATH} does not exist\n`);
    return 2;
  }
  const readme = fs.readFileSync(README_PATH, 'utf8');
  try {
    if (check) {
      if (readTableSection(readme).replace(/\r\n/g, '\n') === table) return 0;
      process.stderr.write('rule-table: the rule table in README.md is stale; run `npx tsx scripts/rule-table.ts --write`\n');
      return 1;
    }
    const next = replaceTableSection(readme, table);
    if (next !== readme) fs.writeFileSync(README_PATH, next);
    process.stdout.write(next !== readme ? 'rule-table: README.md updated\n' : 'rule-table: README.md already current\n');
    return 0;
  } catch (e) {
    if (e instanceof RuleTableError) {
      process.stderr.write(`rule-table: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
