import { normalizePath } from '../layers/path.js';
import type { PathState } from '../tree/types.js';

/** As the kernel does: past this many symlinks, a path does not resolve. */
const MAX_HOPS = 40;

/**
 * Resolves a path's directories through the final filesystem's symlinks (merged /usr: `/bin/sh` is
 * `/usr/bin/sh` when `/bin` links to `usr/bin`), as `dpkg -S` finds the file a listed path reaches.
 * The last component is not followed. Directories are remembered, since thousands of paths share them.
 */
export class ParentResolver {
  private readonly dirs = new Map<string, string>();

  constructor(private readonly final: ReadonlyMap<string, PathState>) {}

  resolve(listed: string): string {
    // Database paths are nearly always normalized already: skip the split and join for those.
    const path = isPlain(listed) ? listed : normalizePath(listed);
    if (path === '/') return path;
    const slash = path.lastIndexOf('/');
    const dir = slash === 0 ? '/' : path.slice(0, slash);
    // Lists come sorted, so the next path is usually in the same directory as the last one.
    if (dir !== this.lastDir) {
      this.lastDir = dir;
      this.lastResolved = this.resolveDir(dir);
    }
    if (this.lastResolved === dir) return path;
    return this.lastResolved === '/' ? path.slice(slash) : `${this.lastResolved}${path.slice(slash)}`;
  }

  private lastDir = '';
  private lastResolved = '';

  private resolveDir(dir: string): string {
    const known = this.dirs.get(dir);
    if (known !== undefined) return known;
    const resolved = this.walk(dir);
    this.dirs.set(dir, resolved);
    return resolved;
  }

  /** Component by component, iteratively: an image's paths may be thousands deep. */
  private walk(dir: string): string {
    let pending = dir.split('/').filter((part) => part !== '');
    let at = '/';
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift()!;
      const next = at === '/' ? `/${part}` : `${at}/${part}`;
      const state = this.final.get(next);
      if (state?.type === 'symlink' && state.linkTarget !== undefined && hops < MAX_HOPS) {
        hops++;
        const target = state.linkTarget.startsWith('/') ? state.linkTarget : `${at}/${state.linkTarget}`;
        pending = [
          ...normalizePath(target)
            .split('/')
            .filter((p) => p !== ''),
          ...pending,
        ];
        at = '/';
        continue;
      }
      at = next;
    }
    return at;
  }
}

/** An absolute path with no empty, `.` or `..` component and no trailing slash. */
function isPlain(path: string): boolean {
  return (
    path.startsWith('/') && !path.includes('//') && !path.includes('/.') && (path.length === 1 || !path.endsWith('/'))
  );
}
