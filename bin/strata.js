#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` via `prepare`, or `npm start`).
process.env.NODE_ENV ??= 'production';
// V8's flags and the Ink patches, before the CLI's code is loaded (src/runtime/prepare.ts).
(await import('../dist/src/runtime/prepare.js')).prepareRuntime();
const { main, outputFailure } = await import('../dist/src/cli/main.js');
// A write to stdout that fails (the reader went away, a full disk) ends strata with one line at most.
process.stdout.on('error', (err) => process.exit(outputFailure(err, process.stderr)));
process.exitCode = await main(process.argv.slice(2));
