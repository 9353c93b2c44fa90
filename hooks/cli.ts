#!/usr/bin/env node
/**
 * `wirecheck` command line: scan files for unsafe LLM wiring and list the rules.
 * Exit codes: 0 nothing blocking, 1 blocking findings, 2 usage, configuration or internal error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  createSession,
  discoverConfig,
  discoverFiles,
  loadConfigFile,
  ConfigError,
  RULES,
  docsUrl,
  ENGINE_VERSION,
  type Config,
  type FailOn,
  type Finding,
  type Severity,
} from '../analyzers';
import { formatStylish } from '../analyzers/report/stylish';
import { formatJson } from '../analyzers/report/json';
import { formatSarif } from '../analyzers/report/sarif';

class UsageError extends Error {}

const HELP = `wirecheck ${ENGINE_VERSION} — finds unsafe LLM wiring in TypeScript and JavaScript

Usage:
  wirecheck scan [paths…] [options]     scan files and folders (default: the current folder)
  wirecheck rules [--format json]       list the rules
  wirecheck --version | --help

Scan options:
  --format stylish|json|sarif   output format (default: stylish)
  --output FILE                 write the report to FILE instead of stdout
  --config FILE                 configuration file (default: wirecheck.config.{yaml,yml,json}
                                or the "wirecheck" key of package.json, found upwards)
  --fail-on error|warning|note|never
                                lowest severity that exits 1 (default: error, or config failOn)
  --color / --no-color          force or disable colours (default: on a TTY only)

Exit codes: 0 nothing blocking, 1 blocking findings, 2 usage, configuration or internal error.
Docs: https://github.com/wirecheck/wirecheck#readme`;

const SEVERITY_RANK: Record<Severity, number> = { note: 1, warning: 2, error: 3 };

export function isBlocking(f: Finding, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn];
}

interface Io {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(HELP + '\n');
        return cmd === undefined ? 2 : 0;
      case '-v':
      case '--version':
        io.stdout(ENGINE_VERSION + '\n');
        return 0;
      case 'scan':
        return scan(rest, io);
      case 'rules':
        return rules(rest, io);
      default:
        throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`wirecheck: ${e.message}\nRun 'wirecheck --help' for usage.\n`);
      return 2;
    }
    if (e instanceof ConfigError) {
      io.stderr(`wirecheck: ${e.message}\n`);
      return 2;
    }
    io.stderr(`wirecheck: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

type ArgOptions = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

function parse(args: string[], options: ArgOptions) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function scan(args: string[], io: Io): number {
  const { values, positionals } = parse(args, {
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
    config: { type: 'string', short: 'c' },
    'fail-on': { type: 'string' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
  });
  const format = (values.format as string | undefined) ?? 'stylish';
  if (!['stylish', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be stylish, json or sarif (got '${format}')`);
  const failOnArg = values['fail-on'] as string | undefined;
  if (failOnArg !== undefined && !['error', 'warning', 'note', 'never'].includes(failOnArg))
    throw new UsageError(`--fail-on must be error, warning, note or never (got '${failOnArg}')`);

  const root = io.cwd;
  let config: Config;
  if (values.config) {
    const file = path.resolve(root, values.config as string);
    if (!fs.existsSync(file)) throw new ConfigError(`${values.config}: configuration file not found`);
    config = loadConfigFile(file);
  } else config = discoverConfig(root).config;
  const failOn: FailOn = (failOnArg as FailOn | undefined) ?? config.failOn ?? 'error';

  const { files, missing } = discoverFiles({ root, config, paths: positionals });
  if (missing.length) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);

  const session = createSession({ root, config });
  const result = session.analyze(files);
  session.dispose();

  const color = values['no-color'] ? false : values.color ? true : io.isTTY && !values.output && !process.env.NO_COLOR;
  let out: string;
  if (format === 'json') out = formatJson(result, { version: ENGINE_VERSION, root });
  else if (format === 'sarif') out = formatSarif(result, { version: ENGINE_VERSION, root });
  else out = formatStylish(result, { color, cwd: root });

  if (values.output) {
    const dest = path.resolve(root, values.output as string);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, out);
    const blocking = result.findings.filter((f) => isBlocking(f, failOn)).length;
    io.stderr(`wirecheck: wrote ${format} report to ${path.relative(root, dest) || dest} (${result.findings.length} findings, ${blocking} blocking)\n`);
  } else io.stdout(out.endsWith('\n') ? out : out + '\n');

  return result.findings.some((f) => isBlocking(f, failOn)) ? 1 : 0;
}

function rules(args: string[], io: Io): number {
  const { values } = parse(args, { format: { type: 'string' } });
  const format = (values.format as string | undefined) ?? 'table';
  if (format === 'json') {
    io.stdout(
      JSON.stringify(
        RULES.map((r) => ({ id: r.id, category: r.category, severity: r.severity, cwe: r.cwe, owasp: r.owasp, precision: r.precision, description: r.description, docs: docsUrl(r) })),
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  if (format !== 'table') throw new UsageError(`--format must be table or json (got '${format}')`);
  const rows = RULES.map((r) => [r.id, r.category, r.severity, r.cwe.join(','), r.owasp.join(','), r.description]);
  const head = ['rule', 'category', 'severity', 'cwe', 'owasp', 'description'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  io.stdout([line(head), ...rows.map(line)].join('\n') + '\n');
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: !!process.stdout.isTTY,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`wirecheck: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
