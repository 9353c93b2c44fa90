/** Wirecheck engine — the public API used by the CLI, the language server and tests. */
export { createSession, Session, ENGINE_VERSION, type SessionOptions, type AnalysisResult } from './engine/session';
export { discoverFiles, isSourceFile } from './engine/discover';
export { discoverConfig, loadConfigFile, parseConfig, ConfigError, type Config, type FailOn } from './engine/config';
export { loadModels, type ModelRegistry } from './engine/models';
export { RULES, ruleById, ruleForCategory, docsUrl, docsPath, tags, type RuleMeta } from './rules';
export type { Finding, Fix, FixResolve, TextEdit, Location, PathStep, Notice, Severity, Category } from './engine/types';
export type { TextSource } from './engine/overlay';
export { resolveFix, resolveFindings, fillFix, type ResolveResult } from './fixes/resolve';
export { selectFixes, applyEdits } from './fixes/apply';
