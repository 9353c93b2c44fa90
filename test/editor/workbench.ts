/**
 * Driving the VS Code workbench in headless Chromium (playwright-core, the system browser): open a
 * folder or workspace, run extension tests inside the extension host through the `payload` URL
 * parameter, and the keyboard helpers the UI flows need.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO } from './build';
import { CHROMIUM, type CodeServer } from './code-server';

export const OUTPUT = path.join(REPO, 'test-output', 'editor');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/** Bundles the in-editor tests (test/editor/suite) into test-output/ (mocha resolves from the repo). */
export async function buildSuite(): Promise<string> {
  const out = path.join(OUTPUT, 'suite', 'index.js');
  await build({
    entryPoints: [path.join(__dirname, 'suite', 'index.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
    sourcemap: 'inline',
  });
  return out;
}

export type Target = { folder: string } | { workspace: string };

function targetQuery(t: Target): string {
  return 'folder' in t ? `folder=${encodeURIComponent(t.folder)}` : `workspace=${encodeURIComponent(t.workspace)}`;
}

/** Opens the workbench on a folder or a .code-workspace file and waits until the explorer shows. */
export async function openWorkbench(browser: Browser, cs: CodeServer, target: Target): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${cs.url}/?${targetQuery(target)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90_000 });
  return page;
}

export interface SuiteRun {
  exitCode: number;
  output: string[];
}

/**
 * Runs the in-editor tests: the workbench loads the extension from `extensionPath` in development
 * mode and runs `testsPath` (exporting run()) in the extension host, then reports an exit code.
 */
export async function runExtensionHostSuite(browser: Browser, cs: CodeServer, target: Target, extensionPath: string, testsPath: string, timeoutMs: number): Promise<SuiteRun> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const output: string[] = [];
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));
  await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
    output.push((Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', `vscode-remote://${cs.authority}${extensionPath}`],
    ['extensionTestsPath', `vscode-remote://${cs.authority}${testsPath}`],
  ]);
  try {
    await page.goto(`${cs.url}/?${targetQuery(target)}&payload=${encodeURIComponent(payload)}`);
    let timer: NodeJS.Timeout | undefined;
    const exitCode = await Promise.race([done, new Promise<number>((resolve) => (timer = setTimeout(() => resolve(-1), timeoutMs)))]);
    clearTimeout(timer);
    if (exitCode === -1) output.push(`the extension host tests did not finish within ${timeoutMs / 1000} s`);
    return { exitCode, output };
  } finally {
    await page.screenshot({ path: path.join(OUTPUT, `extension-host-${Date.now()}.png`) }).catch(() => undefined);
    await page.close().catch(() => undefined);
  }
}

export async function screenshot(page: Page, name: string, also?: string): Promise<string> {
  fs.mkdirSync(OUTPUT, { recursive: true });
  const file = path.join(OUTPUT, `${name}.png`);
  await page.screenshot({ path: file });
  if (also) {
    fs.mkdirSync(path.dirname(also), { recursive: true });
    fs.copyFileSync(file, also);
  }
  return file;
}

/** Runs a command from the command palette by its label. */
export async function runCommand(page: Page, label: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${label}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
}

/** Opens a file with Quick Open. */
export async function quickOpen(page: Page, name: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: path.basename(name) }).first();
  // the file index is built on first use: "No matching results" at first, then the file
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('Control+P');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    try {
      await row.waitFor({ timeout: 5000 });
      break;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (attempt >= 12) throw e;
      await page.waitForTimeout(1000);
    }
  }
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: path.basename(name) }).waitFor({ timeout: 30_000 });
}

/**
 * Opens the quick fix menu at the cursor (Ctrl+.) until it lists `title`: the first request often
 * comes back empty while tsserver starts. Leaves the menu open with `title` focused.
 */
export async function openQuickFix(page: Page, title: RegExp, attempts = 20): Promise<void> {
  const rows = page.locator('.action-widget .monaco-list-row');
  for (let i = 0; i < attempts; i++) {
    await page.keyboard.press('Control+.');
    try {
      await rows.filter({ hasText: title }).first().waitFor({ timeout: 3000 });
    } catch {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1500);
      continue;
    }
    // move the focus down to the wanted item (Enter applies the focused item; a click is intercepted)
    for (let k = 0; k < 30; k++) {
      const focused = page.locator('.action-widget .monaco-list-row.focused');
      if (await focused.filter({ hasText: title }).count()) return;
      await page.keyboard.press('ArrowDown');
    }
    throw new Error(`quick fix "${title}" listed but could not be focused`);
  }
  throw new Error(`quick fix "${title}" not offered after ${attempts} attempts`);
}
