/**
 * Configuration: `wirecheck.config.{yaml,yml,json}` or the `wirecheck` key of package.json. Data
 * only, validated against analyzers/schema/config.schema.json; nothing in it is executed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import Ajv from 'ajv';
import configSchema from '../schema/config.schema.json';
import type { Severity } from './types';

export type FailOn = Severity | 'never';

export interface Config {
  rules?: Record<string, Severity | 'off'>;
  ignores?: string[];
  /** Folders skipped by default (node_modules, dist, build, .next …); set to [] to scan them. */
  defaultIgnores?: string[];
  failOn?: FailOn;
  requireSuppressionReason?: boolean;
  reportUnusedSuppressions?: boolean;
}

export const DEFAULT_IGNORED_DIRS = ['node_modules', 'dist', 'build', 'out', '.next', '.nuxt', '.svelte-kit', '.turbo', '.vercel', 'coverage', '.git', '.wirecheck'];

export class ConfigError extends Error {}

let validateConfig: import("ajv").ValidateFunction<Config> | undefined;

export function parseConfig(text: string, file: string): Config {
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new ConfigError(`${file}: cannot parse: ${(e as Error).message}`);
  }
  if (file.endsWith('package.json')) data = (data as { wirecheck?: unknown }).wirecheck ?? {};
  if (data === null || data === undefined) data = {};
  validateConfig ??= new Ajv({ allErrors: true }).compile<Config>(configSchema);
  const validate = validateConfig;
  if (!validate(data)) {
    const errs = (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ');
    throw new ConfigError(`${file}: invalid configuration: ${errs}`);
  }
  return data;
}

export const CONFIG_NAMES = ['wirecheck.config.yaml', 'wirecheck.config.yml', 'wirecheck.config.json'];

/** Finds the config for a root: the first config file found from the root upwards (stopping at a .git folder). */
export function discoverConfig(root: string): { file?: string; config: Config } {
  let dir = path.resolve(root);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const f = path.join(dir, name);
      if (fs.existsSync(f)) return { file: f, config: parseConfig(fs.readFileSync(f, 'utf8'), f) };
    }
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        const data = JSON.parse(fs.readFileSync(pkg, 'utf8'));
        if (data && typeof data === 'object' && 'wirecheck' in data) return { file: pkg, config: parseConfig(JSON.stringify(data), pkg) };
      } catch {
        // an unreadable package.json is not our configuration
      }
    }
    if (fs.existsSync(path.join(dir, '.git'))) break;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return { config: {} };
}

export function loadConfigFile(file: string): Config {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: cannot read: ${(e as Error).message}`);
  }
  return parseConfig(text, file);
}
