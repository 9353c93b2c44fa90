/**
 * Refreshes the walkthrough images (media/walkthrough/*.png) from the editor UI flows: runs them in
 * code-server and copies the screenshots of the finding, the quick fix menu and the installed hook.
 *
 *   npx tsx test/editor/capture-media.ts
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO } from './build';

const r = spawnSync(
  process.execPath,
  [path.join(REPO, 'node_modules/mocha/bin/mocha.js'), '--no-config', '--require', 'tsx/cjs', '--extension', 'ts', '--timeout', '1200000', 'test/extension.test.ts', '--grep', 'user interface flows'],
  {
    cwd: REPO,
    stdio: 'inherit',
    // the extension builds without the images it is about to capture
    env: { ...process.env, WIRECHECK_CAPTURING_MEDIA: '1', WIRECHECK_MEDIA_DIR: path.join(REPO, 'media', 'walkthrough') },
  },
);
process.exit(r.status ?? 1);
