#!/usr/bin/env node
/** `npm run report -- ...`: see ./args for the flags. */
import { runCli } from './run-cli';

process.exitCode = await runCli(process.argv.slice(2));
