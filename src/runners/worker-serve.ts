import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './worker-pool.js';

/**
 * Worker side of {@link runInWorkers}: handle tasks one at a time with `handler`, after `setup` (run once) resolves.
 */
export function serveTasks<T, R>(setup: () => Promise<void>, handler: (task: T) => Promise<R>): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks must run inside a worker thread');
  const post = (msg: FromWorker<R>) => port.postMessage(msg);
  let queue = Promise.resolve();
  port.on('message', (msg: ToWorker<T>) => {
    if (msg.type === 'stop') return port.close();
    queue = queue.then(async () => {
      try {
        post({ type: 'result', id: msg.id, result: await handler(msg.task) });
      } catch (e) {
        post({ type: 'error', id: msg.id, message: (e as Error).stack ?? String(e) });
      }
    });
  });
  setup().then(
    () => post({ type: 'ready' }),
    (e) => post({ type: 'error', id: -1, message: `worker setup failed: ${(e as Error).stack ?? e}` }),
  );
}
