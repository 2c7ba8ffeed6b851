#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` via `prepare`, or `npm start`).
process.env.NODE_ENV ??= 'production';
// V8's flags and the Ink patches, before the CLI's code is loaded (src/runtime/prepare.ts).
(await import('../dist/src/runtime/prepare.js')).prepareRuntime();
const { main, EXIT_BROKEN_PIPE } = await import('../dist/src/cli/main.js');
// A reader that stops reading (`strata --json img | head`) may make a later write fail: stop quietly.
process.stdout.on('error', (err) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(EXIT_BROKEN_PIPE);
});
process.exitCode = await main(process.argv.slice(2));
