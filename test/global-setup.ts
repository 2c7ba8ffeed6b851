import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The CLI keeps a layer-index cache by default: the suite gets one of its own, never ~/.cache.
 * Made once in the main process (workers inherit the environment) and removed when the run ends;
 * a per-worker exit handler would leak, since workers are not always let exit normally.
 */
export default function setup(): () => void {
  const cache = mkdtempSync(join(tmpdir(), 'strata-test-cache-'));
  process.env.XDG_CACHE_HOME = cache;
  return () => rmSync(cache, { recursive: true, force: true });
}
