/**
 * Fallback meter when GNU time is missing: `node rss-wrapper.js USAGE_FILE SCRIPT ARGS…` runs
 * SCRIPT in this very process and, on exit, writes "<peak RSS KiB> <user+system CPU s>" to
 * USAGE_FILE (process.resourceUsage covers this process only, which is the CLI).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [usageFile, script, ...args] = process.argv.slice(2);
if (!usageFile || !script) {
  process.stderr.write('usage: rss-wrapper.js USAGE_FILE SCRIPT [ARGS…]\n');
  process.exit(2);
}
process.argv = [process.argv[0] ?? process.execPath, resolve(script), ...args];
process.on('exit', () => {
  const usage = process.resourceUsage();
  writeFileSync(usageFile, `${usage.maxRSS} ${(usage.userCPUTime + usage.systemCPUTime) / 1e6}\n`);
});
await import(pathToFileURL(resolve(script)).href);
