#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` via `prepare`, or `npm start`).
process.env.NODE_ENV ??= 'production';
const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
