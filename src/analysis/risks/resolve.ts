import { normalizePath, parentOf } from '../../layers/path.js';
import type { PathState } from '../../tree/types.js';

/** Linux gives up after 40 links in one lookup (ELOOP). */
const MAX_LINKS = 40;

/**
 * Resolves symlinks inside the image's own filesystem, component by component, the way the kernel
 * would inside the container (absolute targets start at the image's root, `..` never leaves it).
 * Never touches the host's filesystem. Where each symlink leads is computed once.
 */
export class LinkResolver {
  /** Symlink path (with a link-free parent) → where it leads; null when it dangles or loops. */
  private readonly links = new Map<string, string | null>();
  private depth = 0;

  constructor(private readonly fs: ReadonlyMap<string, PathState>) {}

  /** The path `path` finally leads to, or null when it dangles or loops. */
  resolve(path: string): string | null {
    return this.walk('/', path);
  }

  /** Follows `relative` from the link-free directory `start`. */
  private walk(start: string, relative: string): string | null {
    let current = start;
    let from = 0;
    while (from <= relative.length) {
      let to = relative.indexOf('/', from);
      if (to < 0) to = relative.length;
      const part = relative.slice(from, to);
      from = to + 1;
      if (part === '' || part === '.') continue;
      if (part === '..') {
        current = parentOf(current);
        continue;
      }
      const next = current === '/' ? `/${part}` : `${current}/${part}`;
      const state = this.fs.get(next);
      if (state === undefined) return null;
      const last = from > relative.length;
      if (state.type === 'symlink') {
        const target = this.follow(next, state.linkTarget);
        if (target === null) return null;
        current = target;
      } else {
        current = next;
      }
      if (!last && this.fs.get(current)?.type !== 'dir' && current !== '/') return null; // ENOTDIR
    }
    return current;
  }

  /** Where the symlink at `path` (whose parent holds no link) leads. */
  private follow(path: string, target: string | undefined): string | null {
    const known = this.links.get(path);
    if (known !== undefined) return known;
    if (target === undefined || target === '' || this.depth >= MAX_LINKS) return null;
    this.links.set(path, null); // a loop back to this link resolves to nothing
    this.depth++;
    const resolved = this.walk(target.startsWith('/') ? '/' : parentOf(path), target);
    this.depth--;
    this.links.set(path, resolved);
    return resolved;
  }
}

/** Where a symlink written at `linkPath` points, lexically (no intermediate link is followed). */
export function lexicalTarget(linkPath: string, target: string): string {
  return normalizePath(target.startsWith('/') ? target : `${parentOf(linkPath)}/${target}`);
}
