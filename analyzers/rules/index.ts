/**
 * Rule metadata. A rule reports over facts the flow engine produced; its metadata drives the CLI
 * (`wirecheck rules`), SARIF `tool.driver.rules[]`, the docs pages and the README table.
 */
import type { Category, Severity } from '../engine/types';

export interface RuleMeta {
  id: string;
  category: Category;
  name: string;
  severity: Severity;
  /** One line: what the rule finds. */
  description: string;
  /** A paragraph for SARIF fullDescription and the docs. */
  fullDescription: string;
  cwe: string[];
  owasp: string[];
  precision: 'very-high' | 'high' | 'medium' | 'low';
  securitySeverity: number;
  /** Message templates by id; `{{source}}` and `{{sink}}` are filled in. */
  messages: Record<string, string>;
}

export const DOCS_BASE = 'https://github.com/wirecheck/wirecheck/blob/main/analyzers/docs/rules/';

export const RULES: readonly RuleMeta[] = [
  {
    id: 'prompt-injection/untrusted-input-in-instructions',
    category: 'prompt-injection',
    name: 'untrusted-input-in-instructions',
    severity: 'error',
    description: 'Untrusted input reaches the instruction channel of a model call',
    fullDescription:
      'Text controlled by a user or a remote party (HTTP request data, form data, chat and webhook events, stdin, MCP tool arguments) reaches a model\'s instruction channel — a system or developer message, `system`, `instructions`, `systemInstruction`, a tool description — or is concatenated with fixed instruction text in a single prompt, without an allowlist, a strict schema or a guardrail in between. Whoever controls that text can rewrite the model\'s instructions.',
    cwe: ['CWE-1427'],
    owasp: ['LLM01'],
    precision: 'high',
    securitySeverity: 8.1,
    messages: {
      instruction: '{{source}} reaches {{sink}} without validation. Send it as a user message, or check it against an allowlist first.',
      mixing: '{{source}} is concatenated with fixed instructions in {{sink}}. Put the instructions in a system message and send the input as a separate user message.',
    },
  },
  {
    id: 'rag-as-instructions/retrieved-text-in-instructions',
    category: 'rag-as-instructions',
    name: 'retrieved-text-in-instructions',
    severity: 'error',
    description: 'Retrieved or external content is placed in the instruction channel of a model call',
    fullDescription:
      'Content the application fetched rather than wrote — vector-store and retriever results, web pages, file and document reads, database rows, tool outputs, email or ticket bodies, other models\' responses — is placed in a model\'s instruction channel or spliced into instruction text. Anyone who can get text into those documents (indirect prompt injection) can then issue instructions to the model. Pass retrieved text as delimited data in a user message, a document block or a documents field instead.',
    cwe: ['CWE-1427'],
    owasp: ['LLM01', 'LLM08'],
    precision: 'high',
    securitySeverity: 7.5,
    messages: {
      instruction: '{{source}} reaches {{sink}}, where the model treats it as instructions. Pass retrieved text as delimited data in a user message instead.',
      mixing: '{{source}} is spliced into fixed instructions in {{sink}}. Keep the instructions in a system message and pass the retrieved text as delimited data in a user message.',
    },
  },
];

export function ruleById(id: string): RuleMeta | undefined {
  return RULES.find((r) => r.id === id);
}

export function ruleForCategory(category: Category): RuleMeta | undefined {
  return RULES.find((r) => r.category === category);
}

export function docsUrl(rule: RuleMeta): string {
  return `${DOCS_BASE}${rule.id}.md`;
}

export function docsPath(rule: RuleMeta): string {
  return `analyzers/docs/rules/${rule.id}.md`;
}

export function tags(rule: RuleMeta): string[] {
  return [
    'security',
    ...rule.cwe.map((c) => `external/cwe/${c.toLowerCase()}`),
    ...rule.owasp.map((o) => `owasp-${o.toLowerCase()}`),
  ];
}
