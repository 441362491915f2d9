#!/usr/bin/env node
// pushspec from its TypeScript sources, for work in this repository: tsx
// compiles as it loads. The published package runs the compiled CLI instead
// (dist/cli/bin.js, the "bin" of package.json).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
