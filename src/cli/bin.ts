#!/usr/bin/env node
// The `nas-surgery` executable: run the CLI and exit with its code (0 ok, 2 usage or input error, 1 other errors).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
