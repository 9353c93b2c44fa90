/**
 * Environment scrubbing: variables that look like secrets, by name or by value, do not reach the
 * sandboxed command unless the policy allows them by name.
 */

/** Whole words of a variable name that mark a secret (`OPENAI_API_KEY`, `npm_config__authToken`). */
const SECRET_WORDS = new Set([
  'KEY',
  'KEYS',
  'APIKEY',
  'TOKEN',
  'TOKENS',
  'SECRET',
  'SECRETS',
  'PASSWORD',
  'PASSWORDS',
  'PASSWD',
  'PASS',
  'PASSPHRASE',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'AUTH',
  'OAUTH',
  'COOKIE',
  'COOKIES',
  'PRIVATE',
  'DSN',
  'JWT',
  'BEARER',
  'PAT',
  'SAS',
]);

/** Parts of a name that mark a secret wherever they appear (`MYSECRET`, `DBPASSWORD`, `GHTOKEN`). */
const SECRET_SUBSTRINGS = ['SECRET', 'TOKEN', 'PASSWORD', 'PASSWD', 'PASSPHRASE', 'CREDENTIAL', 'APIKEY', 'API_KEY', 'PRIVATE_KEY', 'ACCESS_KEY', 'CONNECTION_STRING', 'COOKIE'];

/** Prefixes of whole families: cloud logins, the SSH and GPG agents (their sockets are logins too), Kerberos, Vault. */
const SECRET_PREFIXES = ['AWS_', 'AZURE_', 'ARM_', 'GOOGLE_APPLICATION_', 'SSH_', 'GPG_', 'KRB5', 'VAULT_'];

/** Names that are credentials or point at them. */
const SECRET_NAMES = new Set(['DATABASE_URL', 'REDIS_URL', 'MONGODB_URI', 'MONGO_URL', 'KUBECONFIG', 'NETRC', 'GIT_ASKPASS', 'SSH_ASKPASS', 'PGPASSFILE', 'DOCKER_CONFIG']);

/** Values that are credentials whatever the variable is called. */
const SECRET_VALUES: RegExp[] = [
  /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, // a URL with a password: postgres://user:pw@host
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\b(?:sk-[A-Za-z0-9_-]{20,}|sk-ant-[A-Za-z0-9_-]{20,})/, // OpenAI, Anthropic
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|\bgithub_pat_[A-Za-z0-9_]{30,}/, // GitHub
  /\bglpat-[A-Za-z0-9_-]{20,}/, // GitLab
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/, // Slack
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key id
  /\bhf_[A-Za-z0-9]{30,}/, // Hugging Face
  /\bnpm_[A-Za-z0-9]{36}\b/, // npm
  /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./, // a JWT
];

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());
}

/** Why a variable looks like a secret (a short reason), or undefined when it does not. */
export function secretReason(name: string, value: string): string | undefined {
  const upper = name.toUpperCase();
  if (SECRET_NAMES.has(upper)) return 'name';
  if (SECRET_PREFIXES.some((p) => upper.startsWith(p))) return 'name';
  if (words(name).some((w) => SECRET_WORDS.has(w))) return 'name';
  // TOKENIZERS_PARALLELISM (Hugging Face) is a setting, not a token
  const bare = upper.replace(/TOKENIZERS?/g, '');
  if (SECRET_SUBSTRINGS.some((s) => bare.includes(s))) return 'name';
  if (SECRET_VALUES.some((re) => re.test(value))) return 'value';
  return undefined;
}

function globToRegExp(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

/** A matcher for names and `*` patterns (case-sensitive, as variable names are). */
export function nameMatcher(patterns: readonly string[]): (name: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.includes('*')));
  const globs = patterns.filter((p) => p.includes('*')).map(globToRegExp);
  return (name) => exact.has(name) || globs.some((re) => re.test(name));
}

export interface ScrubbedEnv {
  env: Record<string, string>;
  /** Names of the variables dropped (never their values). */
  dropped: string[];
}

/**
 * The environment for the sandbox: `source` without secret-looking variables (unless `allow`
 * names them) and without anything `deny` names.
 */
export function scrubEnv(source: NodeJS.ProcessEnv, allow: readonly string[] = [], deny: readonly string[] = []): ScrubbedEnv {
  const allowed = nameMatcher(allow);
  const denied = nameMatcher(deny);
  const env: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (denied(name) || (secretReason(name, value) && !allowed(name))) dropped.push(name);
    else env[name] = value;
  }
  return { env, dropped: dropped.sort() };
}
