/**
 * The in-editor tests (test/editor/suite) in desktop VS Code through @vscode/test-electron, for
 * machines with internet access (it downloads VS Code). `npm test` runs the same tests in
 * code-server instead (test/extension.test.ts), which works offline.
 *
 *   npm run test:electron            (VS Code stable; WIRECHECK_VSCODE_VERSION=1.100.3 to pin)
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { EXTENSION } from './build';
import { OUTPUT, buildSuite } from './workbench';

async function main(): Promise<void> {
  const suite = await buildSuite();
  let failed = 0;
  for (const mode of ['trusted', 'restricted'] as const) {
    const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'wirecheck-electron-'));
    fs.cpSync(path.join(__dirname, 'workspace'), path.join(dir, 'app'), { recursive: true });
    const research = path.join(dir, 'research');
    fs.cpSync(path.join(__dirname, 'research'), research, { recursive: true });
    fs.writeFileSync(path.join(research, '.env'), 'OPENAI_API_KEY=sk-local-placeholder\n');
    execFileSync('git', ['init', '-q'], { cwd: research });
    const workspaceFile = path.join(dir, 'helpdesk.code-workspace');
    fs.writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: 'app' }, { path: 'research' }] }));
    const userData = path.join(dir, 'user-data');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(
      path.join(userData, 'User', 'settings.json'),
      JSON.stringify({ 'security.workspace.trust.enabled': mode === 'restricted', 'security.workspace.trust.startupPrompt': 'never', 'workbench.startupEditor': 'none', 'git.enabled': false }),
    );
    const results = path.join(dir, 'results.json');
    try {
      await runTests({
        version: process.env.WIRECHECK_VSCODE_VERSION ?? 'stable',
        extensionDevelopmentPath: EXTENSION,
        extensionTestsPath: suite,
        launchArgs: [mode === 'trusted' ? workspaceFile : path.join(dir, 'app'), '--user-data-dir', userData, '--disable-extensions', ...(mode === 'trusted' ? ['--disable-workspace-trust'] : [])],
        extensionTestsEnv: { WIRECHECK_EDITOR_SUITE: mode, WIRECHECK_EDITOR_RESULTS: results },
      });
      console.log(`${mode}: passed`);
    } catch (e) {
      failed++;
      console.error(`${mode}: failed (${(e as Error).message})`);
    } finally {
      fs.mkdirSync(OUTPUT, { recursive: true });
      if (fs.existsSync(results)) fs.copyFileSync(results, path.join(OUTPUT, `electron-${mode}-results.json`));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  process.exit(failed ? 1 : 0);
}

void main();
