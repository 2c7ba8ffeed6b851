// Ink prints only its last frame when CI is set; terminal-level tests need every frame.
// The CI flag that matters to the suite (no skipping) is read from STRATA_CI, captured here first.
if (process.env.CI === 'true' && process.env.STRATA_CI === undefined) process.env.STRATA_CI = 'true';
delete process.env.CI;

// The CLI keeps a layer-index cache by default: tests get a cache of their own, never ~/.cache.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const testCache = mkdtempSync(join(tmpdir(), 'strata-test-cache-'));
process.env.XDG_CACHE_HOME = testCache;
process.on('exit', () => rmSync(testCache, { recursive: true, force: true }));
