/**
 * Rule metadata. A rule reports over facts the flow engine produced; its metadata drives the CLI
 * (`wirecheck rules`), SARIF `tool.driver.rules[]`, the docs pages and the README table.
 */
import type { Category, Severity } from '../engine/types';
import type { Config, TaintRuleDef } from '../engine/config';

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
  /** Rules from packs: where the rule is documented (else the built-in docs page). */
  helpUri?: string;
  /** Rules from packs: the named fix builder (FIX_BUILDERS in engine/packs). */
  fix?: string;
  /** Rules from packs: the pack that defines the rule. */
  pack?: string;
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
  {
    id: 'overprivileged-tool/dangerous-tool-without-gate',
    category: 'overprivileged-tool',
    name: 'dangerous-tool-without-gate',
    severity: 'error',
    description: 'A model-callable tool runs a dangerous operation on model-chosen input without an allowlist, approval or sandbox',
    fullDescription:
      'A tool the model can call — Vercel AI SDK `tool()`, OpenAI Agents `tool()`, LangChain tools, MCP `server.tool`/`registerTool`, function-calling handlers dispatched by name, class-method toolboxes — passes its model-chosen arguments to a shell, code evaluation, a file write or read outside a fixed root, a request to a model-chosen URL, or a raw SQL string, with no allowlist, approval gate (`needsApproval`, human-in-the-loop) or sandbox. Whoever can steer the model (a prompt injection in any text it reads) gets that capability.',
    cwe: ['CWE-78', 'CWE-94', 'CWE-22', 'CWE-918', 'CWE-89'],
    owasp: ['LLM06'],
    precision: 'high',
    securitySeverity: 8.8,
    messages: {
      default: '{{source}} reaches {{sink}} with no allowlist, approval gate or sandbox.',
      shell: '{{source}} reaches a shell command ({{sink}}) with no allowlist, approval gate or sandbox. Run a fixed binary with `execFile` and allowlisted arguments, or require approval.',
      code: '{{source}} is evaluated as code ({{sink}}) with no approval gate or sandbox. `vm` is not a sandbox; run it in an isolated sandbox or require approval.',
      'file-write': '{{source}} chooses the path of a file write or delete ({{sink}}) with no containment check. Resolve it under a fixed root and reject paths outside it.',
      'file-read': '{{source}} chooses the path of a file read ({{sink}}) with no containment check. Resolve it under a fixed root and reject paths outside it.',
      network: '{{source}} chooses the URL of a request ({{sink}}) with no host allowlist. Parse it with `new URL()` and check the hostname against an allowlist.',
      sql: '{{source}} is part of a raw SQL string ({{sink}}). Use a parameterized query.',
      html: '{{source}} is written as HTML ({{sink}}) without sanitizing.',
    },
  },
  {
    id: 'unpinned-model/unpinned-model-download',
    category: 'unpinned-model',
    name: 'unpinned-model-download',
    severity: 'warning',
    description: 'Model weights or artifacts are downloaded by a mutable reference',
    fullDescription:
      'A model is fetched by a reference that can change under you — transformers.js `pipeline`/`from_pretrained` without a commit `revision`, a Hugging Face hub download from a branch or tag, a `/resolve/main/` URL, an Ollama pull of an untagged or `:latest` model, a node-llama-cpp `hf:` URI without a pin — and no digest check rejects a changed file. Whoever can push to that repository (or take it over) changes the model you run.',
    cwe: ['CWE-494', 'CWE-829'],
    owasp: ['LLM03'],
    precision: 'high',
    securitySeverity: 6.5,
    messages: {
      download: '{{model}} is downloaded by a mutable reference: {{detail}}.',
    },
  },
  {
    id: 'output-to-sink/model-output-to-dangerous-sink',
    category: 'output-to-sink',
    name: 'model-output-to-dangerous-sink',
    severity: 'error',
    description: 'Model output reaches code evaluation, a shell, HTML, raw SQL or a file path without validation',
    fullDescription:
      'Text or structured output produced by a model — completion text, streamed text, tool-call arguments, structured outputs — flows into `eval`/`new Function`/`vm`, a shell, `innerHTML`/`dangerouslySetInnerHTML`/`document.write`, a raw SQL string or a file path without validation. A prompt injection anywhere in the model\'s input then becomes code execution, XSS or SQL injection.',
    cwe: ['CWE-94', 'CWE-78', 'CWE-79', 'CWE-89', 'CWE-22'],
    owasp: ['LLM05'],
    precision: 'high',
    securitySeverity: 8.1,
    messages: {
      default: '{{source}} reaches {{sink}} without validation.',
      shell: '{{source}} reaches a shell command ({{sink}}) without validation. Run a fixed binary with `execFile` and allowlisted arguments.',
      code: '{{source}} is evaluated as code ({{sink}}). Never evaluate model output; `vm` is not a sandbox.',
      'file-write': '{{source}} chooses a file path ({{sink}}) without a containment check.',
      'file-read': '{{source}} chooses a file path ({{sink}}) without a containment check.',
      network: '{{source}} chooses the URL of a request ({{sink}}) without a host allowlist.',
      sql: '{{source}} is part of a raw SQL string ({{sink}}). Use a parameterized query.',
      html: '{{source}} is written as HTML ({{sink}}) without sanitizing. Use `textContent`, or sanitize with DOMPurify.',
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
  if (rule.helpUri) return rule.helpUri;
  return `${DOCS_BASE}${rule.id}.md`;
}

// ───────────────────────────── rules from packs ─────────────────────────────

const SECURITY_SEVERITY: Record<Severity, number> = { error: 8.0, warning: 5.5, note: 3.0 };

/** The metadata of a pack's taint rule, in the shape of a built-in rule's. */
export function taintRuleMeta(def: TaintRuleDef): RuleMeta {
  const severity = def.severity ?? 'error';
  const name = def.id.slice(def.id.lastIndexOf('/') + 1);
  const list = (xs: readonly string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}` : xs[0]);
  const description = def.description ?? `${list(def.sources).replace(/^./, (c) => c.toUpperCase())} reaching ${list(def.sinks)}`;
  return {
    id: def.id,
    category: def.category,
    name,
    severity,
    description,
    fullDescription: def.fullDescription ?? `${description}${/[.!?]$/.test(description) ? '' : '.'} Defined by the rule pack ${def.pack ?? '(configuration)'}: ${def.sources.join(', ')} reaching ${def.sinks.join(', ')}${def.sanitizers?.length ? `, unless sanitized by ${def.sanitizers.join(', ')}` : ''}.`,
    cwe: def.cwe ?? [],
    owasp: def.owasp ?? [],
    precision: def.precision ?? 'high',
    securitySeverity: def.securitySeverity ?? SECURITY_SEVERITY[severity],
    messages: { default: def.message, instruction: def.message, mixing: def.message, download: def.message },
    helpUri: def.helpUri,
    fix: def.fix,
    pack: def.pack,
  };
}

const configRules = new WeakMap<Config, readonly RuleMeta[]>();

/** The rules a configuration runs: the built-in rules, then its packs' taint rules. */
export function rulesForConfig(config: Config | undefined): readonly RuleMeta[] {
  if (!config?.taintRules?.length) return RULES;
  let hit = configRules.get(config);
  if (!hit) {
    hit = [...RULES, ...config.taintRules.map(taintRuleMeta)];
    configRules.set(config, hit);
  }
  return hit;
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
