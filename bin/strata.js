#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` via `prepare`, or `npm start`).
process.env.NODE_ENV ??= 'production';
const { tuneV8 } = await import('../dist/src/cli/v8-tuning.js');
tuneV8(); // V8 flags: set before the CLI's code is loaded (src/cli/v8-tuning.ts says which and why)
const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
