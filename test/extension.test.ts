/**
 * The VS Code extension in a real VS Code (code-server + headless Chromium):
 *  - the in-editor tests (test/editor/suite) run inside the extension host, with the extension
 *    loaded from extension/ in development mode: a trusted multi-root workspace, then Restricted Mode;
 *  - UI flows with the packaged .vsix installed the way a user installs it, driven with the keyboard
 *    like a user, with screenshots in test-output/editor/.
 * One fresh code-server per suite (own HOME, user data and extensions), stopped with its whole
 * process tree afterwards. code-server is installed on first use by scripts/install-code-server.sh.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Mocha from 'mocha';
import type { Browser, Locator, Page } from 'playwright-core';
import { EXTENSION, ensurePackaged } from './editor/build';
import { installCodeServer, startCodeServer, type CodeServer } from './editor/code-server';
import { OUTPUT, buildSuite, launchBrowser, openQuickFix, openWorkbench, quickOpen, runCommand, runExtensionHostSuite, screenshot } from './editor/workbench';

interface InEditorResult {
  title: string;
  suite: string;
  state: 'passed' | 'failed';
  error?: string;
}

/** Walkthrough images are refreshed from the UI flows when this is set (test/editor/capture-media.ts). */
const MEDIA_DIR = process.env.WIRECHECK_MEDIA_DIR;

/** The test workspaces: `app` (the TypeScript service) and `research` (a git repo of scripts). */
function makeWorkspaces(): { dir: string; app: string; research: string; workspaceFile: string } {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'wirecheck-editor-'));
  const app = path.join(dir, 'app');
  const research = path.join(dir, 'research');
  fs.cpSync(path.join(__dirname, 'editor', 'workspace'), app, { recursive: true });
  fs.cpSync(path.join(__dirname, 'editor', 'research'), research, { recursive: true });
  fs.writeFileSync(path.join(research, '.env'), 'OPENAI_API_KEY=sk-local-placeholder\n');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: research, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'research@example.com');
  git('config', 'user.name', 'Research');
  git('config', 'commit.gpgsign', 'false');
  const workspaceFile = path.join(dir, 'helpdesk.code-workspace');
  fs.writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: 'app' }, { path: 'research' }], settings: {} }, null, 2));
  return { dir, app, research, workspaceFile };
}

/** A private key the sandboxed experiment must not be able to read. */
function plantSecrets(cs: CodeServer): void {
  const ssh = path.join(cs.env.HOME!, '.ssh');
  fs.mkdirSync(ssh, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(ssh, 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----\n', { mode: 0o600 });
}

/** Waits until no element matches (e.g. a file's rows left the Problems panel). */
async function gone(locator: Locator, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await locator.count()) > 0) {
    if (Date.now() > deadline) throw new Error(`still shown after ${timeoutMs} ms: ${await locator.first().innerText()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function addResultTests(suite: Mocha.Suite, results: InEditorResult[]): void {
  for (const r of results)
    suite.addTest(
      new Mocha.Test(`in the editor: ${r.suite} › ${r.title}`, () => {
        if (r.state !== 'passed') throw new Error(r.error ?? 'failed');
      }),
    );
}

describe('VS Code extension in a real VS Code (code-server)', function () {
  this.timeout(20 * 60_000);
  let browser: Browser | undefined;
  let suitePath: string;
  let vsix: string;

  before(async () => {
    installCodeServer();
    vsix = ensurePackaged();
    suitePath = await buildSuite();
    fs.mkdirSync(OUTPUT, { recursive: true });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  for (const mode of ['trusted', 'restricted'] as const) {
    describe(`extension host tests: ${mode === 'trusted' ? 'trusted multi-root workspace' : 'Restricted Mode'}`, function () {
      let cs: CodeServer | undefined;
      let ws: ReturnType<typeof makeWorkspaces> | undefined;
      let run: { exitCode: number; output: string[] } | undefined;
      let results: InEditorResult[] = [];

      before(async function () {
        ws = makeWorkspaces();
        const resultsFile = path.join(ws.dir, 'results.json');
        cs = await startCodeServer({
          workspaceTrust: mode === 'restricted',
          env: { WIRECHECK_EDITOR_RESULTS: resultsFile, WIRECHECK_EDITOR_SUITE: mode },
          settings: { 'terminal.integrated.gpuAcceleration': 'off' },
        });
        plantSecrets(cs);
        const target = mode === 'trusted' ? { workspace: ws.workspaceFile } : { folder: ws.app };
        run = await runExtensionHostSuite(browser!, cs, target, EXTENSION, suitePath, 15 * 60_000);
        if (fs.existsSync(resultsFile)) results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as InEditorResult[];
        addResultTests(this.test!.parent!, results);
      });
      after(async () => {
        await cs?.stop();
        if (ws) fs.rmSync(ws.dir, { recursive: true, force: true });
      });

      it('runs the in-editor tests to completion', () => {
        assert.ok(run, 'the suite ran');
        assert.ok(results.length >= (mode === 'trusted' ? 17 : 5), `in-editor results: ${results.length}\n${run.output.join('\n')}\n${cs?.log().slice(-3000)}`);
        assert.equal(run.exitCode, 0, run.output.join('\n'));
      });
    });
  }

  describe('user interface flows (the packaged .vsix, installed with --install-extension)', function () {
    let cs: CodeServer | undefined;
    let ws: ReturnType<typeof makeWorkspaces> | undefined;
    let page: Page | undefined;

    before(async () => {
      ws = makeWorkspaces();
      cs = await startCodeServer({
        install: [vsix],
        settings: {
          // TypeScript's own errors (no node_modules here) would clutter the editor and the screenshots
          'typescript.validate.enable': false,
          'javascript.validate.enable': false,
          'terminal.integrated.gpuAcceleration': 'off',
          'workbench.colorTheme': 'Default Dark Modern',
          'editor.minimap.enabled': false,
          'window.commandCenter': false,
        },
      });
      plantSecrets(cs);
      const installed = fs.readdirSync(path.join(cs.dir, 'extensions'));
      assert.ok(installed.some((d) => d.startsWith('wirecheck.wirecheck-')), `installed: ${installed.join(', ')}`);
      page = await openWorkbench(browser!, cs, { workspace: ws.workspaceFile });
    });
    afterEach(async function () {
      if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => undefined);
    });
    after(async () => {
      await page?.close().catch(() => undefined);
      await cs?.stop();
      if (ws) fs.rmSync(ws.dir, { recursive: true, force: true });
    });

    it('squiggle → Problems → Ctrl+. → fix → saved file changed on disk', async () => {
      const p = page!;
      await quickOpen(p, 'src/routes/chat.ts');
      await p.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 120_000 });
      await screenshot(p, '01-squiggle');
      await p.keyboard.press('Control+Shift+M');
      const row = p.locator('.markers-panel .monaco-list-row', { hasText: 'prompt-injection/untrusted-input-in-instructions' }).first();
      await row.waitFor({ timeout: 60_000 });
      await screenshot(p, '02-problems', MEDIA_DIR && path.join(MEDIA_DIR, 'finding.png'));
      // Enter on the Problems entry puts the cursor on the finding
      await row.click();
      await p.keyboard.press('Enter');
      await p.waitForTimeout(500);
      await openQuickFix(p, /Move the untrusted text out of the instructions/);
      await screenshot(p, '03-quick-fix', MEDIA_DIR && path.join(MEDIA_DIR, 'fix.png'));
      await p.keyboard.press('Enter');
      await p.keyboard.press('Control+S');
      const file = path.join(ws!.app, 'src/routes/chat.ts');
      const deadline = Date.now() + 30_000;
      while (!/\{ role: 'user', content: `<persona>/.test(fs.readFileSync(file, 'utf8'))) {
        assert.ok(Date.now() < deadline, `the fix was not saved:\n${fs.readFileSync(file, 'utf8')}`);
        await p.waitForTimeout(200);
      }
      await gone(p.locator('.markers-panel .monaco-list-row', { hasText: 'chat.ts' }));
      await screenshot(p, '04-fixed');
    });

    it('suppresses a finding with a reason typed in the input box', async () => {
      const p = page!;
      await quickOpen(p, 'src/routes/escalate.ts');
      const row = p.locator('.markers-panel .monaco-list-row', { hasText: 'prompt-injection/untrusted-input-in-instructions' }).first();
      await row.waitFor({ timeout: 60_000 });
      await row.click();
      await p.keyboard.press('Enter');
      await p.waitForTimeout(500);
      await openQuickFix(p, /Suppress prompt-injection\/untrusted-input-in-instructions with a reason/);
      await p.keyboard.press('Enter');
      const input = p.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await p.locator('.quick-input-widget', { hasText: 'Why is this safe?' }).waitFor();
      await p.keyboard.type('team comes from the routing table, checked by the gateway');
      await screenshot(p, '05-suppress-reason');
      await p.keyboard.press('Enter');
      await p.keyboard.press('Control+S');
      const file = path.join(ws!.app, 'src/routes/escalate.ts');
      const expected = '    // wirecheck-disable-next-line prompt-injection/untrusted-input-in-instructions -- team comes from the routing table, checked by the gateway\n    instructions: escalationPrompt(team),';
      const deadline = Date.now() + 30_000;
      while (!fs.readFileSync(file, 'utf8').includes(expected)) {
        assert.ok(Date.now() < deadline, `the suppression was not saved:\n${fs.readFileSync(file, 'utf8')}`);
        await p.waitForTimeout(200);
      }
      await gone(p.locator('.markers-panel .monaco-list-row', { hasText: 'escalate.ts' }));
      await screenshot(p, '06-suppressed');
    });

    it('status bar counts findings and opens Problems; the walkthrough installs the pre-commit hook', async () => {
      const p = page!;
      await quickOpen(p, 'src/models/embedder.ts');
      const status = p.locator('.statusbar-item', { hasText: /Wirecheck \d+/ }).first();
      await status.waitFor({ timeout: 60_000 });
      assert.match((await status.innerText()).trim(), /^Wirecheck 1$/);
      await p.keyboard.press('Control+J'); // hide the panel
      await p.locator('.markers-panel').waitFor({ state: 'hidden' });
      await status.click();
      await p.locator('.markers-panel .monaco-list-row', { hasText: 'unpinned-model/unpinned-model-download' }).first().waitFor({ timeout: 30_000 });
      await screenshot(p, '07-status-bar-problems');

      // the hook is installed in the folder of the file last worked on
      await quickOpen(p, 'eval-prompts.mjs');
      await runCommand(p, 'Welcome: Open Walkthrough...');
      await p.locator('.quick-input-widget .monaco-list-row', { hasText: 'Get started with Wirecheck' }).first().waitFor({ timeout: 30_000 });
      await p.keyboard.type('Wirecheck');
      await p.keyboard.press('Enter');
      const walkthrough = p.locator('.gettingStartedContainer');
      await walkthrough.locator('.getting-started-step', { hasText: 'See a finding' }).first().waitFor({ timeout: 30_000 });
      for (const step of ['Apply a fix', 'Install the pre-commit hook']) await walkthrough.locator('.getting-started-step', { hasText: step }).first().waitFor();
      await walkthrough.locator('.getting-started-step', { hasText: 'Install the pre-commit hook' }).first().click();
      if (!MEDIA_DIR) {
        const img = walkthrough.locator('.getting-started-media img').first();
        await img.waitFor();
        // the image is loaded from the installed extension (not a broken link)
        await p.waitForFunction((el) => {
          const image = el as unknown as { complete: boolean; naturalWidth: number };
          return image.complete && image.naturalWidth > 0;
        }, await img.elementHandle(), { timeout: 30_000 });
      }
      await screenshot(p, '08-walkthrough');
      await walkthrough.locator('.getting-started-step.expanded a, .getting-started-step.expanded .button-link', { hasText: 'Install Pre-commit Hook' }).first().click();
      const hook = path.join(ws!.research, '.git', 'hooks', 'pre-commit');
      const deadline = Date.now() + 120_000;
      while (!fs.existsSync(hook)) {
        assert.ok(Date.now() < deadline, 'the pre-commit hook was not installed');
        await p.waitForTimeout(250);
      }
      assert.match(fs.readFileSync(hook, 'utf8'), /wirecheck/);
      // the task's terminal stays open with what init did
      await p.locator('.terminal-wrapper .xterm-rows', { hasText: /git runs `wirecheck scan --staged`/ }).first().waitFor({ timeout: 60_000 });
      await p.locator('.tabs-container .tab', { hasText: 'eval-prompts.mjs' }).click();
      await p.locator('.tabs-container .tab.active', { hasText: 'eval-prompts.mjs' }).waitFor();
      await p.waitForTimeout(500);
      await screenshot(p, '09-hook-installed', MEDIA_DIR && path.join(MEDIA_DIR, 'hook.png'));
    });

    it('runs an experiment in the sandbox from the command palette', async () => {
      const p = page!;
      await quickOpen(p, 'probe.mjs');
      await runCommand(p, 'Wirecheck: Run File in Sandbox');
      const input = p.locator('.quick-input-widget input');
      await p.locator('.quick-input-widget', { hasText: 'Command to run inside the sandbox' }).waitFor({ timeout: 30_000 });
      assert.equal(await input.inputValue(), 'node probe.mjs');
      await screenshot(p, '10-sandbox-command');
      await p.keyboard.press('Enter');
      const result = path.join(ws!.research, 'sandbox-result.json');
      const deadline = Date.now() + 120_000;
      while (!fs.existsSync(result)) {
        assert.ok(Date.now() < deadline, 'the experiment did not run');
        await p.waitForTimeout(250);
      }
      // it ran, in its workspace, without access to the SSH key in HOME or the .env file
      assert.deepEqual(JSON.parse(fs.readFileSync(result, 'utf8')), { sshKeyReadable: false, envFileReadable: false });
      await p.locator('.terminal-wrapper .xterm-rows', { hasText: /probe finished/ }).first().waitFor({ timeout: 60_000 });
      await p.waitForTimeout(500);
      await screenshot(p, '11-sandbox-run');
    });
  });
});
