// Bundles the CLI and the engine entry with esbuild (one file each, fast start).
import { build } from 'esbuild';
import { chmodSync, writeFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
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
  // RE2 (for regular expressions in rule packs) loads its .wasm from its own folder: keep it a runtime dependency
  external: ['re2-wasm'],
};

// The TypeScript compiler (through ts-morph) is most of the code: it is its own bundle, dist/ts-morph.js,
// which the CLI and the worker load only when something must be parsed (an unchanged re-scan answered
// from the cache, `rules`, `pack validate` … never load it).
await build({ ...common, stdin: { contents: "module.exports = require('ts-morph');", resolveDir: '.', loader: 'js' }, outfile: 'dist/ts-morph.js' });
const lazyTsMorph = {
  name: 'lazy-ts-morph',
  setup(b) {
    b.onResolve({ filter: /^ts-morph$/ }, () => ({ path: 'ts-morph', namespace: 'lazy-ts-morph' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-ts-morph' }, () => ({ contents: "module.exports = require('./load.js').loadBundle('ts-morph.js');", loader: 'js' }));
  },
};
const external = [...common.external, './load.js'];
await build({ ...common, external, plugins: [lazyTsMorph], entryPoints: ['hooks/cli.ts'], outfile: 'dist/cli-main.js' });
// Worker threads of large scans (analyzers/engine/parallel.ts starts dist/worker.js next to the bundle).
await build({ ...common, external, plugins: [lazyTsMorph], entryPoints: ['analyzers/engine/worker.ts'], outfile: 'dist/worker.js' });
// The public engine API (package.json `main`): one self-contained file.
await build({ ...common, entryPoints: ['analyzers/index.ts'], outfile: 'dist/engine.js' });

// Bundles are compiled with V8's code cache, which the build produces below and ships in dist/ (Node 20
// has no built-in compile cache): a first start then costs about what a warm one does. A cache made by
// another Node version is rejected by V8 and the bundle simply compiles from source.
writeFileSync(
  'dist/load.js',
  `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const loaded = new Map();
/** Loads dist/<name> (a CommonJS bundle) compiled with its code cache dist/<name>cache when that fits. */
exports.loadBundle = function loadBundle(name) {
  if (loaded.has(name)) return loaded.get(name).exports;
  const file = path.join(__dirname, name);
  const cacheFile = file + 'cache';
  let cachedData;
  try {
    if (process.env.WIRECHECK_NO_CODE_CACHE !== '1') cachedData = fs.readFileSync(cacheFile);
  } catch {
    // no cache: compile from source
  }
  const source = fs.readFileSync(file, 'utf8').replace(/^#!.*/, '');
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const mod = { exports: {} };
  loaded.set(name, mod);
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, __dirname);
  if (process.env.WIRECHECK_WRITE_CODE_CACHE === '1') process.on('exit', () => fs.writeFileSync(cacheFile, script.createCachedData()));
  return mod.exports;
};
`,
);
writeFileSync(
  'dist/cli.js',
  `#!/usr/bin/env node
'use strict';
require('./load.js').loadBundle('cli-main.js').run();
`,
);
chmodSync('dist/cli.js', 0o755);

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
const hash = createHash('sha256').update(hashInput).digest('hex').slice(0, 16);
writeFileSync('dist/models.json', JSON.stringify({ hashInput: hash, models }));

// Built-in rule packs (`extends: wirecheck:recommended`): parsed here to catch a broken file, shipped as text
// (the loader validates them like any pack, with line numbers).
const packs = {};
for (const name of readdirSync('analyzers/packs').filter((n) => n.endsWith('.yaml')).sort()) {
  const text = readFileSync(`analyzers/packs/${name}`, 'utf8');
  const data = YAML.parse(text);
  if (!data || data.wirecheck !== 1) {
    console.error(`analyzers/packs/${name}: not a pack (missing \`wirecheck: 1\`)`);
    process.exit(1);
  }
  packs[name.replace(/\.yaml$/, '')] = text;
}
writeFileSync('dist/packs.json', JSON.stringify(packs));

// Warm the code cache by running a representative scan once (the example app), then ship it.
for (const f of readdirSync('dist')) if (f.endsWith('.jscache')) rmSync(`dist/${f}`, { force: true });
try {
  execFileSync(process.execPath, ['dist/cli.js', 'scan', 'examples/support-app', '--no-cache', '--format', 'json', '--fail-on', 'never'], {
    env: { ...process.env, WIRECHECK_WRITE_CODE_CACHE: '1' },
    stdio: 'ignore',
  });
} catch (e) {
  console.error(`warning: could not produce the code cache: ${e.message}`);
}
