// Bundles the CLI and the engine entry with esbuild (one file each, fast start).
import { build } from 'esbuild';
import { chmodSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import YAML from 'yaml';
import Ajv from 'ajv';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  legalComments: 'none',
  // a smaller file parses faster at start-up (whitespace and syntax only: names stay readable in stack traces)
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};

await build({ ...common, entryPoints: ['hooks/cli.ts'], outfile: 'dist/cli-main.js' });
// The launcher: V8's code cache makes the second and later starts much faster (Node 20 has no built-in compile cache).
writeFileSync(
  'dist/cli.js',
  `#!/usr/bin/env node
'use strict';
try {
  require('v8-compile-cache');
} catch {
  // optional: start without the cache
}
require('./cli-main.js').run();
`,
);
chmodSync('dist/cli.js', 0o755);
await build({ ...common, entryPoints: ['analyzers/index.ts'], outfile: 'dist/engine.js' });

// SDK models: validated here against their schema and shipped as one JSON file, so a run does not parse YAML.
const schema = JSON.parse(readFileSync('analyzers/schema/model.schema.json', 'utf8'));
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);
const models = [];
let hashInput = '';
for (const name of readdirSync('analyzers/models').filter((n) => n.endsWith('.yaml')).sort()) {
  const text = readFileSync(`analyzers/models/${name}`, 'utf8');
  const data = YAML.parse(text);
  if (!validate(data)) {
    console.error(`${name}: invalid model: ${validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`);
    process.exit(1);
  }
  models.push({ name, data });
  hashInput += name + '\0' + text + '\0';
}
writeFileSync('dist/models.json', JSON.stringify({ hashInput: hashInput.length + ':' + models.length, models }));
