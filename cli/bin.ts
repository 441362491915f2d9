#!/usr/bin/env node
/**
 * The `pushspec` command of the built package (package.json "bin" points at
 * its compiled dist/cli/bin.js). In this repository, bin/pushspec.mjs runs the
 * same CLI from the TypeScript sources.
 */
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
