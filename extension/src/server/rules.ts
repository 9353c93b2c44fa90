/** What the editor shows about a rule: built-in rules from the engine's metadata, plus rules from packs. */
import { docsUrl, ruleById } from '../../../analyzers/rules';

export interface RuleInfo {
  id: string;
  /** One line: what the rule finds. */
  description: string;
  fullDescription?: string;
  /** The rule's documentation page. */
  docs?: string;
  cwe: string[];
  owasp: string[];
}

export type RuleLookup = (id: string) => RuleInfo | undefined;

export function builtinRule(id: string): RuleInfo | undefined {
  const r = ruleById(id);
  return r && { id, description: r.description, fullDescription: r.fullDescription, docs: docsUrl(r), cwe: r.cwe, owasp: r.owasp };
}

/** Rules of the folder's packs first (a pack cannot redefine a built-in id), then the built-in ones. */
export function ruleLookup(packRules: readonly RuleInfo[] | undefined): RuleLookup {
  if (!packRules?.length) return builtinRule;
  const byId = new Map(packRules.map((r) => [r.id, r]));
  return (id) => builtinRule(id) ?? byId.get(id);
}
