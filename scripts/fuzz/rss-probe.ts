/**
 * Loaded into each strata child with `node --import`: at exit it writes the process's peak RSS (KiB,
 * threads included) to file descriptor 3, which the fuzzer reads. Nothing else changes in the child.
 */
import { writeSync } from 'node:fs';

process.on('exit', () => {
  try {
    writeSync(3, `${process.resourceUsage().maxRSS}\n`);
  } catch {
    // No fd 3: not started by the fuzzer.
  }
});
