/**
 * Worker-thread entry: analyses the files it is sent with its own session and posts the result
 * back (plain data). Bundled as dist/worker.js; run from sources through tsx in tests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createSession } from './session';
import type { WorkerRequest, WorkerReply } from './parallel';

const port = parentPort;
if (port) {
  const init = workerData as { root: string; config: import('./config').Config; fileBudgetMs?: number; maxFileBytes?: number };
  port.on('message', (msg: WorkerRequest) => {
    let reply: WorkerReply;
    try {
      const session = createSession({ root: init.root, config: init.config, fileBudgetMs: init.fileBudgetMs, maxFileBytes: init.maxFileBytes });
      const result = session.analyze(msg.files);
      reply = { id: msg.id, result, stats: session.stats };
      session.dispose();
    } catch (e) {
      reply = { id: msg.id, error: (e as Error).stack ?? String(e) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true });
}
