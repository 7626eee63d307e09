#!/usr/bin/env node
// The `nas-surgery` executable: run the CLI and exit with its code (0 ok, 2 usage or input error, 1 other errors).
import { main } from './main.js';

// Output piped into a reader that stops early (`| head`): stop quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await main(process.argv.slice(2));
