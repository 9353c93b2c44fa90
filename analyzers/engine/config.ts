/**
 * Configuration: `wirecheck.config.{yaml,yml,json}` or the `wirecheck` key of package.json. A
 * configuration is the project's own rule pack plus project settings (ignores): data only, validated
 * against analyzers/schema/config.schema.json, with `extends` resolved by ./packs. Nothing in it is
 * executed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, loadConfig } from './packs';
import type { ModelFile } from './models';
import type { Category, Severity } from './types';

export { ConfigError };

export type FailOn = Severity | 'never';

/** A rule's setting: a severity (or off), or a severity with options. */
export type RuleSetting = Severity | 'off' | { severity?: Severity | 'off'; options?: Record<string, unknown> };

/** A data-only taint rule of a pack: sources reaching sinks, minus sanitizers, reported under its own id. */
export interface TaintRuleDef {
  id: string;
  category: Category;
  severity?: Severity;
  /** `{{source}}` and `{{sink}}` are filled in. */
  message: string;
  description?: string;
  fullDescription?: string;
  cwe?: string[];
  owasp?: string[];
  helpUri?: string;
  precision?: 'very-high' | 'high' | 'medium' | 'low';
  securitySeverity?: number;
  /** A fix builder name from FIX_BUILDERS. */
  fix?: string;
  /** Source kinds (`untrusted`, `retrieved`, `llm-output`, `tool-argument`) or source row ids. */
  sources: string[];
  /** `instructions`, a capability, or sink / dangerous row ids. */
  sinks: string[];
  /** Sanitizer row ids. */
  sanitizers?: string[];
  /** The pack the rule came from (set when the configuration is loaded). */
  pack?: string;
}

export interface ModelPolicy {
  allowedHosts?: string[];
  revision?: 'sha' | 'tag';
  tagPattern?: string;
}

export interface Config {
  $schema?: string;
  /** The pack format version (1). */
  wirecheck?: number;
  name?: string;
  version?: string;
  description?: string;
  /** Packs this configuration builds on; resolved (and removed) when the configuration is loaded. */
  extends?: string | string[];
  rules?: Record<string, RuleSetting>;
  ignores?: string[];
  /** Folders skipped by default (node_modules, dist, build, .next …); set to [] to scan them. */
  defaultIgnores?: string[];
  /** Reuse results of earlier scans for unchanged files (`.wirecheck/cache`); default true. */
  cache?: boolean;
  failOn?: FailOn;
  requireSuppressionReason?: boolean;
  reportUnusedSuppressions?: boolean;
  /** SDK models for in-house code (the format of analyzers/models/*.yaml). */
  models?: ModelFile[];
  taintRules?: TaintRuleDef[];
  modelPolicy?: ModelPolicy;
  /** Sandbox policy, carried through for `wirecheck sandbox`. */
  sandbox?: Record<string, unknown>;
}

export const DEFAULT_IGNORED_DIRS = ['node_modules', 'dist', 'build', 'out', '.next', '.nuxt', '.svelte-kit', '.turbo', '.vercel', 'coverage', '.git', '.wirecheck'];

/**
 * Parses and validates a configuration's text (YAML, or JSON for `.json` files; for package.json its
 * `wirecheck` key) and resolves what it `extends`, relative to the file's folder.
 */
export function parseConfig(text: string, file: string): Config {
  return loadConfig(file, text);
}

export const CONFIG_NAMES = ['wirecheck.config.yaml', 'wirecheck.config.yml', 'wirecheck.config.json'];

/** Finds the config for a root: the first config file found from the root upwards (stopping at a .git folder). */
export function discoverConfig(root: string): { file?: string; config: Config } {
  let dir = path.resolve(root);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const f = path.join(dir, name);
      if (fs.existsSync(f)) return { file: f, config: loadConfig(f) };
    }
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      let hasKey = false;
      try {
        const data = JSON.parse(fs.readFileSync(pkg, 'utf8'));
        hasKey = !!data && typeof data === 'object' && 'wirecheck' in data;
      } catch {
        // an unreadable package.json is not our configuration
      }
      // a broken `wirecheck` key is an error, not a silently ignored configuration
      if (hasKey) return { file: pkg, config: loadConfig(pkg) };
    }
    if (fs.existsSync(path.join(dir, '.git'))) break;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return { config: {} };
}

export function loadConfigFile(file: string): Config {
  return loadConfig(file);
}
