import { Worker } from 'node:worker_threads';

/** Messages between the pool and its workers. */
export type ToWorker<T> = { type: 'task'; id: number; task: T } | { type: 'stop' };
export type FromWorker<R> =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: R }
  | { type: 'error'; id: number; message: string };

export interface PoolOptions<T, R> {
  /** Worker module (a .js file, or a .ts file when running from sources under tsx). */
  workerUrl: URL;
  /** Passed to every worker as `workerData`. */
  workerData?: unknown;
  concurrency: number;
  /** Called in the main thread as each task finishes (e.g. to save it and advance a progress bar). */
  onResult?: (result: R, task: T) => void;
}

/**
 * Run tasks on a pool of worker threads, each worker taking the next task when it finishes one. Rejects on the first
 * failed task (after stopping all workers). Results come back in task order.
 */
export async function runInWorkers<T, R>(tasks: readonly T[], options: PoolOptions<T, R>): Promise<R[]> {
  const results: R[] = new Array(tasks.length);
  if (tasks.length === 0) return results;
  const entry = workerEntry(options.workerUrl);
  const n = Math.max(1, Math.min(options.concurrency, tasks.length));
  let next = 0;
  let done = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (w: Worker) => {
        if (next < tasks.length) {
          const id = next++;
          w.postMessage({ type: 'task', id, task: tasks[id] } satisfies ToWorker<T>);
        }
      };
      for (let k = 0; k < n; k++) {
        const w = new Worker(entry, { workerData: options.workerData });
        workers.push(w);
        w.on('message', (msg: FromWorker<R>) => {
          if (msg.type === 'ready') return feed(w);
          if (msg.type === 'error') return reject(new Error(`task ${msg.id} failed: ${msg.message}`));
          results[msg.id] = msg.result;
          try {
            options.onResult?.(msg.result, tasks[msg.id]);
          } catch (e) {
            return reject(e);
          }
          if (++done === tasks.length) resolve();
          else feed(w);
        });
        w.on('error', reject);
        w.on('exit', (code) => {
          if (code !== 0 && done < tasks.length) reject(new Error(`worker exited with code ${code}`));
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

/**
 * The module a worker starts from. Built code (.js) starts directly; sources (.ts, under tsx in tests and
 * scripts) start from a tiny module that registers tsx's loader in the worker first.
 */
function workerEntry(url: URL): URL {
  if (!url.pathname.endsWith('.ts')) return url;
  const api = import.meta.resolve('tsx/esm/api');
  const code = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(url.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}
