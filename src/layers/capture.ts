import { baseName } from './path.js';

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

export function shouldCapture(path: string): boolean {
  if (EXACT_PATHS.has(path)) return true;
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
