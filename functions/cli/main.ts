#!/usr/bin/env node
/** `npm run report -- ...`: see ./args for the flags. Built into dist/ by build/build-cli.js. */
import '../shared/aws-sdk-node-warning';
import { runCli } from './run-cli';

process.exitCode = await runCli(process.argv.slice(2));
