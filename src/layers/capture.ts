import { baseName } from './path.js';
import { CAPTURE_MAX_BYTES } from './types.js';

/**
 * Small files whose whole content the index keeps, because later analysis reads them: the OS
 * release, account databases, and the usual places where credentials end up. Only files of at most
 * CAPTURE_MAX_BYTES are kept whole; everything else keeps its first bytes only.
 */
export type CapturePredicate = (path: string) => boolean;

const EXACT_PATHS = new Set([
  '/etc/os-release',
  '/usr/lib/os-release',
  '/etc/passwd',
  '/etc/group',
  '/etc/alpine-release',
  '/etc/debian_version',
  '/etc/redhat-release',
]);

const BASE_NAMES = new Set(['.npmrc', '.pypirc', '.netrc', '.git-credentials', '.env', 'credentials', 'config.json']);

/** Path suffixes that mean "a credentials file" wherever they sit (a home directory, an app dir). */
const SUFFIXES = ['/.docker/config.json', '/.aws/credentials', '/.aws/config', '/.git/config'];

/**
 * Package databases, kept whole for src/packages: which package shipped which file. Their limits are
 * larger than other captures', since a distribution's status file or rpmdb is megabytes, and bounded,
 * since every byte of an image is untrusted.
 */
const PACKAGE_DATABASES: ReadonlyArray<{ matches: (path: string) => boolean; maxBytes: number }> = [
  { matches: (p) => p === '/var/lib/dpkg/status' || p === '/var/lib/dpkg/diversions', maxBytes: 32 * 1024 * 1024 },
  { matches: (p) => p.startsWith('/var/lib/dpkg/status.d/'), maxBytes: 1024 * 1024 },
  {
    matches: (p) => p.startsWith('/var/lib/dpkg/info/') && (p.endsWith('.list') || p.endsWith('.md5sums')),
    maxBytes: 8 * 1024 * 1024,
  },
  { matches: (p) => p === '/lib/apk/db/installed', maxBytes: 32 * 1024 * 1024 },
  {
    matches: (p) => p === '/var/lib/rpm/rpmdb.sqlite' || p === '/usr/lib/sysimage/rpm/rpmdb.sqlite',
    maxBytes: 256 * 1024 * 1024,
  },
];

function packageDatabase(path: string): { maxBytes: number } | undefined {
  if (!path.startsWith('/var/lib/') && !path.startsWith('/lib/apk/') && !path.startsWith('/usr/lib/sysimage/')) {
    return undefined;
  }
  return PACKAGE_DATABASES.find((d) => d.matches(path));
}

/** The largest file kept whole at `path`: package databases get more room than other captures. */
export function captureMaxBytes(path: string): number {
  return packageDatabase(path)?.maxBytes ?? CAPTURE_MAX_BYTES;
}

export function shouldCapture(path: string): boolean {
  if (EXACT_PATHS.has(path)) return true;
  if (packageDatabase(path) !== undefined) return true;
  const base = baseName(path);
  if (BASE_NAMES.has(base)) {
    // "config.json" and "credentials" are too common to keep everywhere: only in their known homes.
    if (base === 'config.json' || base === 'credentials') return SUFFIXES.some((s) => path.endsWith(s));
    return true;
  }
  if (base.startsWith('.env.') || base.endsWith('.env')) return true;
  return SUFFIXES.some((s) => path.endsWith(s));
}

/** Extends the built-in list, for analyses that need more files whole. */
export function captureAlso(extra: CapturePredicate): CapturePredicate {
  return (path) => shouldCapture(path) || extra(path);
}
