#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` via `prepare`, or `npm start`).
process.env.NODE_ENV ??= 'production';
const { limitInlining } = await import('../dist/src/cli/inlining.js');
limitInlining(); // a V8 flag: set before the CLI's code is loaded (src/cli/inlining.ts says why)
const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
