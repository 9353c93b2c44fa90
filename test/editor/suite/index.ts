/**
 * Entry point of the tests that run inside the VS Code extension host (`extensionTestsPath`).
 * VS Code calls run(); its outcome becomes the exit code the workbench reports. Each test's result
 * is also written as JSON to $WIRECHECK_EDITOR_RESULTS for the test that drives the editor.
 */
import * as fs from 'node:fs';
import Mocha from 'mocha';

interface TestResult {
  title: string;
  suite: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

export function run(): Promise<void> {
  const results: TestResult[] = [];
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'base' });
  const suite = mocha.suite;
  suite.emit('pre-require', globalThis, 'wirecheck-editor-tests', mocha);
  // the specs register their tests with the globals mocha just installed
  if (process.env.WIRECHECK_EDITOR_SUITE === 'restricted') require('./restricted');
  else {
    require('./diagnostics');
    require('./code-actions');
    require('./commands');
  }
  const write = () => {
    const out = process.env.WIRECHECK_EDITOR_RESULTS;
    if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
  };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      write();
      console.log(`${results.filter((r) => r.state === 'passed').length} passing, ${failures} failing`);
      if (failures) reject(new Error(`${failures} editor test(s) failed`));
      else resolve();
    });
    runner.on('test end', (test: Mocha.Test) => {
      const state = test.state === 'passed' ? 'passed' : 'failed';
      const err = (test as unknown as { err?: Error }).err;
      results.push({ title: test.title, suite: test.parent?.fullTitle() ?? '', state, durationMs: test.duration ?? 0, error: err ? (err.stack ?? err.message) : undefined });
      console.log(`${state === 'passed' ? '✔' : '✘'} ${test.fullTitle()}${err ? `\n${err.stack ?? err.message}` : ''}`);
      write();
    });
    runner.on('fail', (test: Mocha.Runnable, err: Error) => {
      // failures of hooks are not 'test end' events
      if ((test as unknown as { type?: string }).type === 'hook') {
        results.push({ title: test.title, suite: test.parent?.fullTitle() ?? '', state: 'failed', durationMs: 0, error: err.stack ?? err.message });
        console.log(`✘ ${test.fullTitle()}\n${err.stack ?? err.message}`);
        write();
      }
    });
  });
}
