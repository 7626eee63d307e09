import cliProgress from 'cli-progress';

/**
 * Progress of a long run on stderr: a bar on a terminal, one line per step otherwise (logs, CI), nothing when quiet.
 */
export interface Progress {
  start(total: number, done?: number): void;
  tick(message: string): void;
  stop(): void;
}

export function makeProgress(label: string, quiet = false): Progress {
  if (quiet) return { start() {}, tick() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} |{bar}| {value}/{total} | {percentage}% | ETA {eta_formatted} | {message}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    return {
      start: (total, done = 0) => bar.start(total, done, { message: '' }),
      tick: (message) => bar.increment(1, { message }),
      stop: () => bar.stop(),
    };
  }
  let total = 0;
  let done = 0;
  const t0 = Date.now();
  return {
    start: (t, d = 0) => {
      total = t;
      done = d;
    },
    tick: (message) => {
      done++;
      const s = ((Date.now() - t0) / 1000).toFixed(0);
      process.stderr.write(`${label} ${done}/${total} [${s} s] ${message}\n`);
    },
    stop: () => {},
  };
}
