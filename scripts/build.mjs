// Bundles the CLI and the engine entry with esbuild (one file each, fast start).
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
};

await build({ ...common, entryPoints: ['hooks/cli.ts'], outfile: 'dist/cli.js'});
chmodSync('dist/cli.js', 0o755);
await build({ ...common, entryPoints: ['analyzers/index.ts'], outfile: 'dist/engine.js' });
