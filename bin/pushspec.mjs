#!/usr/bin/env node
// pushspec is written in TypeScript and runs without a build step: tsx
// compiles it as it loads, here and in every adapter module a user writes.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
