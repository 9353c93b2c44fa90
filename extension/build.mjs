// Builds the VS Code extension into extension/dist/:
//   client.js   the extension (vscode-languageclient; no engine, no ts-morph)
//   server.js   the language server's main thread (LSP, scheduling; no ts-morph either)
//   server-worker.js  the language server's engine thread; it loads engine.js
//   engine.js, cli.js, cli-main.js, worker.js, models.json, packs.json …   the engine and the CLI,
//               copied from the root build (dist/)
//   node_modules/  the CLI's runtime packages that cannot be bundled (RE2's WebAssembly, the sandbox runtime)
//   schema/     JSON Schemas for configuration and pack files (editor validation)
//   docs/rules/ the rule pages (Show Rule Documentation works offline)
//   media/      icon and walkthrough images
// Usage: node extension/build.mjs [--package]   (--package also writes dist/wirecheck-<version>.vsix)
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ext = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(ext, '..');
const out = path.join(ext, 'dist');
const rootDist = path.join(repo, 'dist');

const ROOT_OUTPUTS = ['engine.js', 'cli.js', 'cli-main.js', 'models.json'];
/** Packages the root build keeps external (see scripts/build.mjs and hooks/sandbox/check.ts). */
const RUNTIME_PACKAGES = ['re2-wasm', '@anthropic-ai/sandbox-runtime'];

function fail(message) {
  console.error(`build-extension: ${message}`);
  process.exit(1);
}

if (ROOT_OUTPUTS.some((f) => !existsSync(path.join(rootDist, f)))) {
  console.error('build-extension: the engine and CLI bundles are missing; running the root build first');
  execFileSync(process.execPath, [path.join(repo, 'scripts', 'build.mjs')], { cwd: repo, stdio: 'inherit' });
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  legalComments: 'none',
  metafile: true,
  absWorkingDir: repo,
};

// The engine is loaded by the worker from ./engine.js (the same bundle the npm package ships).
const engineExternal = {
  name: 'engine-external',
  setup(b) {
    b.onResolve({ filter: /(^|\/)analyzers(\/index)?$/ }, () => ({ path: './engine.js', external: true }));
  },
};

const client = await build({
  ...common,
  entryPoints: [path.join(ext, 'src/client/extension.ts')],
  outfile: path.join(out, 'client.js'),
  external: ['vscode'],
  minify: true,
});
const server = await build({
  ...common,
  entryPoints: [path.join(ext, 'src/server/server.ts')],
  outfile: path.join(out, 'server.js'),
  minify: true,
});
const worker = await build({
  ...common,
  entryPoints: [path.join(ext, 'src/server/worker.ts')],
  outfile: path.join(out, 'server-worker.js'),
  plugins: [engineExternal],
});

// Neither the client nor the server's main thread may pull in the engine's parser.
for (const [name, result] of [['client.js', client], ['server.js', server], ['server-worker.js', worker]]) {
  const heavy = Object.keys(result.metafile.inputs).filter((i) => /node_modules\/(ts-morph|typescript|@ts-morph)\//.test(i));
  if (heavy.length) fail(`${name} bundles ${heavy[0]} (the engine must stay in engine.js, loaded by the worker)`);
}
const clientInputs = Object.keys(client.metafile.inputs);
const engineInClient = clientInputs.filter((i) => i.startsWith('analyzers/') || i.includes('src/server/'));
if (engineInClient.length) fail(`client.js bundles ${engineInClient[0]}`);
// vscode-languageclient's process termination helper is read next to the bundle
cpSync(path.join(repo, 'node_modules/vscode-languageclient/lib/node/terminateProcess.sh'), path.join(out, 'terminateProcess.sh'));

// everything the root build ships (the CLI starts dist/worker.js for parallel scans, reads packs.json …)
const own = new Set(readdirSync(out));
for (const f of readdirSync(rootDist)) {
  if (/\.(jscache|vsix|tgz|map)$/.test(f) || statSync(path.join(rootDist, f)).isDirectory()) continue;
  if (own.has(f)) fail(`dist/${f} from the root build has the name of an extension bundle`);
  cpSync(path.join(rootDist, f), path.join(out, f));
}

// Runtime packages the CLI resolves instead of bundling, with their dependencies
function packageDir(name, from) {
  for (let d = from; ; d = path.dirname(d)) {
    const p = path.join(d, 'node_modules', name);
    if (existsSync(path.join(p, 'package.json'))) return p;
    if (path.dirname(d) === d) return undefined;
  }
}
const shipped = new Set();
function ship(name, from) {
  if (shipped.has(name)) return;
  const dir = packageDir(name, from);
  if (!dir) fail(`runtime package ${name} is not installed`);
  shipped.add(name);
  cpSync(dir, path.join(out, 'node_modules', name), {
    recursive: true,
    filter: (src) => !/\.(md|map|d\.ts|d\.mts|d\.cts)$/i.test(src) && !/[\\/](test|tests|__tests__|docs?)$/.test(src),
  });
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    // dependencies nested inside the package are copied with it
    if (!existsSync(path.join(dir, 'node_modules', dep))) ship(dep, dir);
  }
}
for (const name of RUNTIME_PACKAGES) ship(name, repo);

// Schemas (config, pack and what they reference), rule pages, media
mkdirSync(path.join(out, 'schema'), { recursive: true });
for (const f of readdirSync(path.join(repo, 'analyzers/schema'))) if (f.endsWith('.schema.json')) cpSync(path.join(repo, 'analyzers/schema', f), path.join(out, 'schema', f));
cpSync(path.join(repo, 'analyzers/docs/rules'), path.join(out, 'docs/rules'), { recursive: true, filter: (src) => statSync(src).isDirectory() || src.endsWith('.md') });
mkdirSync(path.join(out, 'media'), { recursive: true });
for (const f of ['icon.png']) {
  if (!existsSync(path.join(repo, 'media', f))) fail(`media/${f} is missing`);
  cpSync(path.join(repo, 'media', f), path.join(out, 'media', f));
}
if (existsSync(path.join(repo, 'media/walkthrough'))) cpSync(path.join(repo, 'media/walkthrough'), path.join(out, 'media/walkthrough'), { recursive: true, filter: (src) => statSync(src).isDirectory() || /\.(png|md|svg)$/.test(src) });

const manifest = JSON.parse(readFileSync(path.join(ext, 'package.json'), 'utf8'));
// (test/editor/capture-media.ts builds the extension to take the walkthrough screenshots themselves)
if (process.env.WIRECHECK_CAPTURING_MEDIA !== '1')
  for (const step of manifest.contributes.walkthroughs.flatMap((w) => w.steps)) {
    if (step.media?.image && !existsSync(path.join(ext, step.media.image))) fail(`walkthrough image ${step.media.image} is missing (npx tsx test/editor/capture-media.ts)`);
  }
for (const v of [...manifest.contributes.jsonValidation, ...manifest.contributes.yamlValidation]) {
  if (!existsSync(path.join(ext, v.url))) fail(`schema ${v.url} is missing`);
}

const kb = (f) => `${Math.round(statSync(path.join(out, f)).size / 1024)} KB`;
console.log(`build-extension: client.js ${kb('client.js')}, server.js ${kb('server.js')}, server-worker.js ${kb('server-worker.js')}, engine.js ${kb('engine.js')}; runtime packages: ${[...shipped].join(', ')}`);

if (process.argv.includes('--package')) {
  const vsix = path.join(rootDist, `wirecheck-${manifest.version}.vsix`);
  const vsce = path.join(repo, 'node_modules/@vscode/vsce/vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix], { cwd: ext, stdio: 'inherit' });
  console.log(`build-extension: ${path.relative(repo, vsix)} (${Math.round(statSync(vsix).size / 1024)} KB)`);
}
