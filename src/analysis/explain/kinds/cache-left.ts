import { baseName } from '../../../layers/path.js';
import type { PathState, Stack } from '../../../tree/types.js';
import { formatBytes } from '../../../util/format.js';
import { filesUnder } from '../../audit/files.js';
import type { ExplainContext, Explanation } from '../types.js';
import { layerRef, plural } from '../words.js';

interface CachePlace {
  path: string;
  /** What it is, for the message: "apt package lists". */
  what: string;
  fix: string;
  /** Which files count (default: every regular file). */
  counts?: (path: string) => boolean;
}

/** Package-manager caches that no container needs at run time. */
export const CACHE_PLACES: readonly CachePlace[] = [
  {
    path: '/var/lib/apt/lists',
    what: 'apt package lists',
    counts: (path) => baseName(path) !== 'lock',
    fix:
      'Clean in the RUN that installs: `apt-get update && apt-get install -y … && rm -rf ' +
      '/var/lib/apt/lists/*` (or use a cache mount).',
  },
  {
    path: '/var/cache/apt',
    what: 'downloaded .deb packages and apt caches',
    counts: (path) => path.endsWith('.deb') || path.endsWith('.bin'),
    fix: 'Add `&& apt-get clean` to the RUN that installs, or use `RUN --mount=type=cache,target=/var/cache/apt`.',
  },
  { path: '/var/cache/yum', what: 'the yum cache', fix: 'Add `&& yum clean all` to the RUN that installs.' },
  { path: '/var/cache/dnf', what: 'the dnf cache', fix: 'Add `&& dnf clean all` to the RUN that installs.' },
  { path: '/var/cache/apk', what: 'the apk cache', fix: 'Install with `apk add --no-cache …`.' },
  {
    path: '/root/.cache/pip',
    what: 'the pip cache',
    fix: 'Install with `pip install --no-cache-dir …`, or use `RUN --mount=type=cache,target=/root/.cache/pip`.',
  },
  {
    path: '/root/.npm',
    what: 'the npm cache',
    fix:
      'Add `&& npm cache clean --force` to the RUN that installs, or use `RUN ' +
      '--mount=type=cache,target=/root/.npm`.',
  },
  {
    path: '/usr/local/share/.cache/yarn',
    what: 'the yarn cache',
    fix: 'Add `&& yarn cache clean` to the RUN that installs, or use a cache mount.',
  },
];

/**
 * Package caches still present in the final filesystem, one explanation per cache and layer that filled
 * it. Their bytes are visible, not hidden: removing them makes the image smaller, but they are not part
 * of `hiddenBytes`.
 */
export function explainCachesLeft(context: ExplainContext): Explanation[] {
  const explanations: Explanation[] = [];
  for (const cache of CACHE_PLACES) {
    if (context.stack.final.get(cache.path)?.type !== 'dir') continue;
    const byLayer = new Map<number, { bytes: number; files: number }>();
    for (const { state } of cacheFiles(context.stack, cache)) {
      const tally = byLayer.get(state.layer) ?? { bytes: 0, files: 0 };
      tally.bytes += state.size;
      tally.files += 1;
      byLayer.set(state.layer, tally);
    }
    for (const [layer, { bytes, files }] of byLayer) {
      if (bytes === 0) continue;
      const command = context.command(layer);
      explanations.push({
        kind: 'cache-left',
        layer,
        command,
        hiddenBy: null,
        hiddenByCommand: null,
        bytes,
        paths: [cache.path],
        pathCount: files,
        message:
          `${layerRef(layer, command, true)} left ${formatBytes(bytes)} of ${cache.what} in ${cache.path} (` +
          `${plural(files, 'file')}): ${files === 1 ? 'it is' : 'they are'} in the final filesystem.`,
        fix: cache.fix,
      });
    }
  }
  return explanations;
}

function cacheFiles(stack: Stack, cache: CachePlace): Array<{ path: string; state: PathState }> {
  // Regular files only: a hardlink holds the same bytes as its target.
  return filesUnder(stack, cache.path).filter(
    ({ path, state }) => state.type === 'file' && (cache.counts?.(path) ?? true),
  );
}
