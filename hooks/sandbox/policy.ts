/**
 * The sandbox policy: the `sandbox` section of a config or pack, or a policy file of its own.
 * Data only, validated against analyzers/schema/sandbox.schema.json. Built-in protections
 * (credential paths, write limits, no network, secret-looking variables dropped) always apply;
 * a policy only adds to them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import YAML from 'yaml';
import schema from '../../analyzers/schema/sandbox.schema.json';
import { CliError } from '../errors';

export type BackendName = 'sandbox-runtime' | 'bubblewrap';
export type BackendChoice = 'auto' | BackendName;
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'sandbox-runtime', 'bubblewrap'];

export interface SandboxLimits {
  /** Heap and other private memory per process, MiB (RLIMIT_DATA). */
  memoryMB?: number;
  /** CPU time per process, seconds (RLIMIT_CPU). */
  cpuSeconds?: number;
  /** Processes of the user (RLIMIT_NPROC). */
  processes?: number;
  /** Largest file written, MiB (RLIMIT_FSIZE). */
  fileSizeMB?: number;
  /** Wall-clock time of the whole run, seconds. */
  timeoutSeconds?: number;
}

/** The `sandbox` section as written (see sandbox.schema.json for each field). */
export interface SandboxPolicy {
  backend?: BackendChoice;
  network?: { allowHosts?: string[] };
  filesystem?: { denyRead?: string[]; allowWrite?: string[]; readOnly?: string[] };
  env?: { allow?: string[]; deny?: string[] };
  limits?: SandboxLimits;
}

/**
 * Credential locations under the home folder that are never readable in the sandbox: keys,
 * cloud and cluster logins, registry and git tokens, password stores, browser profiles (their
 * cookies are logins) and shell histories (they hold pasted tokens).
 */
export const DEFAULT_DENY_HOME = [
  '.ssh',
  '.aws',
  '.config/gcloud',
  '.azure',
  '.kube',
  '.docker',
  '.npmrc',
  '.netrc',
  '.git-credentials',
  '.config/git/credentials',
  '.gnupg',
  '.config/gh',
  '.config/hub',
  '.pypirc',
  '.yarnrc.yml',
  '.cargo/credentials',
  '.cargo/credentials.toml',
  '.gem/credentials',
  '.terraform.d/credentials.tfrc.json',
  '.vault-token',
  '.password-store',
  '.local/share/keyrings',
  '.config/op',
  '.oci',
  '.config/doctl',
  '.kaggle',
  '.huggingface/token',
  '.cache/huggingface/token',
  '.cache/huggingface/stored_tokens',
  '.databrickscfg',
  '.boto',
  '.s3cfg',
  '.config/rclone',
  '.claude/.credentials.json',
  '.codex/auth.json',
  '.mozilla',
  '.config/google-chrome',
  '.config/chromium',
  '.config/BraveSoftware',
  '.bash_history',
  '.zsh_history',
  '.python_history',
  '.node_repl_history',
  '.psql_history',
  '.mysql_history',
];

/** System files with secrets (readable only by root, and so by a sandboxed root). */
export const DEFAULT_DENY_SYSTEM = ['/etc/shadow', '/etc/gshadow', '/etc/ssh/ssh_host_*_key'];

/** Files found anywhere in the workspace (outside node_modules and .git) that are never readable. */
export const DEFAULT_DENY_WORKSPACE_FILES = ['**/.env*', '**/.npmrc', '**/.netrc', '**/.pypirc', '**/.git-credentials'];

/** Workspace folders that stay read-only (when they exist): git hooks and config, editor tasks. */
export const DEFAULT_READ_ONLY_WORKSPACE = ['.git', '.husky', '.vscode', '.idea'];

let validator: ValidateFunction<SandboxPolicy> | undefined;

function describeError(e: ErrorObject, pointer: string): string {
  const at = pointer + e.instancePath || '/';
  if (e.keyword === 'additionalProperties') return `${at}: unknown key '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  if (e.keyword === 'pattern' && /\/allowHosts\/\d+$/.test(e.instancePath))
    return `${at}: must be a host name such as "api.openai.com", "*.example.com" or "localhost:8080"`;
  if (e.keyword === 'pattern' && /\/env\/(allow|deny)\/\d+$/.test(e.instancePath)) return `${at}: must be a variable name or a * pattern, without '='`;
  if (e.keyword === 'enum') return `${at}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${at}: ${e.message}`;
}

/**
 * Validates a `sandbox` section. `source` names where it came from (a file) and `pointer` where
 * the section sits in it (`/sandbox` in a config), so errors name both.
 */
export function validatePolicy(data: unknown, source: string, pointer = ''): SandboxPolicy {
  if (data === null || data === undefined) return {};
  validator ??= new Ajv({ allErrors: true, strict: false }).compile<SandboxPolicy>(schema);
  if (!validator(data)) {
    const errors = (validator.errors ?? []).slice(0, 8).map((e) => describeError(e, pointer));
    throw new CliError(`${source}: invalid sandbox policy: ${errors.join('; ')}`);
  }
  return data;
}

/**
 * Reads `--policy FILE`: YAML or JSON, either a bare sandbox section or a config (or pack) with a
 * `sandbox` key.
 */
export function readPolicyFile(file: string): SandboxPolicy {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`${file}: cannot read the sandbox policy: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = /\.json$/i.test(file) ? JSON.parse(text) : YAML.parse(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new CliError(`${file}: cannot parse: ${(e as Error).message.split('\n')[0]}`);
  }
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && 'sandbox' in data) return validatePolicy((data as { sandbox: unknown }).sandbox, file, '/sandbox');
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data)))
    throw new CliError(`${file}: invalid sandbox policy: /: must be a mapping (a sandbox section, or a config with a 'sandbox' key)`);
  return validatePolicy(data, file);
}

/** The `sandbox` section of a parsed config (read defensively: it is validated here). */
export function policyFromConfig(config: unknown, file = 'configuration'): SandboxPolicy {
  if (config === null || typeof config !== 'object') return {};
  const section = (config as Record<string, unknown>).sandbox;
  return validatePolicy(section, file, '/sandbox');
}

/** Additions from the command line (or an API caller) on top of a policy. */
export interface PolicyAdditions {
  allowHosts?: string[];
  allowWrite?: string[];
  denyRead?: string[];
  readOnly?: string[];
  allowEnv?: string[];
  backend?: BackendChoice;
}

/** The policy with the additions appended (lists) or replacing it (backend); validated again. */
export function withAdditions(policy: SandboxPolicy, add: PolicyAdditions, source = 'command line'): SandboxPolicy {
  const merged: SandboxPolicy = {
    ...policy,
    backend: add.backend ?? policy.backend,
    network: { ...policy.network, allowHosts: [...(policy.network?.allowHosts ?? []), ...(add.allowHosts ?? [])] },
    filesystem: {
      ...policy.filesystem,
      denyRead: [...(policy.filesystem?.denyRead ?? []), ...(add.denyRead ?? [])],
      allowWrite: [...(policy.filesystem?.allowWrite ?? []), ...(add.allowWrite ?? [])],
      readOnly: [...(policy.filesystem?.readOnly ?? []), ...(add.readOnly ?? [])],
    },
    env: { ...policy.env, allow: [...(policy.env?.allow ?? []), ...(add.allowEnv ?? [])] },
  };
  if (merged.backend === undefined) delete merged.backend;
  return validatePolicy(merged, source);
}

/** `~` and `~/x` against the home folder; other relative paths against `base`. */
export function expandPath(p: string, home: string, base: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return path.resolve(base, p);
}
