import { baseName } from '../../../layers/path.js';
import { formatBytes } from '../../../util/format.js';
import { filesUnder } from '../files.js';
import type { AuditCheck, AuditFinding } from '../types.js';

interface CachePlace {
  path: string;
  /** Which files count (default: every file). */
  counts?: (path: string) => boolean;
}

const CACHES: readonly CachePlace[] = [
  { path: '/var/lib/apt/lists', counts: (path) => baseName(path) !== 'lock' },
  { path: '/var/cache/apt', counts: (path) => path.endsWith('.deb') || path.endsWith('.bin') },
  { path: '/var/cache/yum' },
  { path: '/var/cache/dnf' },
  { path: '/var/cache/apk' },
  { path: '/root/.cache/pip' },
  { path: '/root/.npm' },
];

export const packageCachesCheck: AuditCheck = {
  id: 'package-cache',
  severity: 'low',
  description:
    'Package caches left in the final filesystem: /var/lib/apt/lists (non-empty), /var/cache/apt (.deb ' +
    'or *.bin), /var/cache/yum, /var/cache/dnf, /var/cache/apk, /root/.cache/pip, /root/.npm',
  run({ stack }) {
    const findings: AuditFinding[] = [];
    for (const cache of CACHES) {
      const state = stack.final.get(cache.path);
      if (state?.type !== 'dir') continue;
      const files = filesUnder(stack, cache.path).filter(({ path }) => cache.counts?.(path) ?? true);
      if (files.length === 0) continue;
      const bytes = files.reduce((sum, { state: s }) => sum + s.size, 0);
      findings.push({
        check: 'package-cache',
        severity: 'low',
        message:
          `package cache left in the image: ${cache.path} (${files.length} file` +
          `${files.length === 1 ? '' : 's'}, ${formatBytes(bytes)}); clean it in the same RUN that fills it`,
        detail: { path: cache.path, files: files.length, bytes },
      });
    }
    return findings;
  },
};
