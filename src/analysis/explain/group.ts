import { parentOf } from '../../layers/path.js';
import { compareBytewise } from '../../tree/path-order.js';
import type { Explanation, RootPath } from './types.js';
import { EXPLANATION_KINDS } from './types.js';

/** One piece as an explainer files it: the path it is reported under, and whether that is a directory above it. */
export interface RootedPiece {
  root: string;
  bytes: number;
  /** True when `root` is a directory above the piece's own path. */
  above: boolean;
}

/**
 * Compacts the paths of a group's pieces into the few a person reads: pieces with the same root add up;
 * two or more roots in one directory (other than `/`) become that directory (one `/var/lib/apt/lists`,
 * not one entry per list file); a root inside another root joins it. The merge is one level deep, so
 * unrelated directories are not lumped into a common ancestor such as `/usr`. Largest first.
 */
export function compactRoots(pieces: readonly RootedPiece[]): RootPath[] {
  const byRoot = new Map<string, RootPath>();
  const add = (path: string, bytes: number, count: number, directory: boolean): void => {
    const root = byRoot.get(path);
    if (root) {
      root.bytes += bytes;
      root.count += count;
      root.directory ||= directory;
    } else byRoot.set(path, { path, bytes, count, directory });
  };
  for (const piece of pieces) add(piece.root, piece.bytes, 1, piece.above);

  // One level: siblings become their directory.
  const byParent = new Map<string, RootPath[]>();
  for (const root of byRoot.values()) {
    const parent = parentOf(root.path);
    const siblings = byParent.get(parent);
    if (siblings) siblings.push(root);
    else byParent.set(parent, [root]);
  }
  const merged = new Map<string, RootPath>();
  const put = (root: RootPath): void => {
    const existing = merged.get(root.path);
    if (existing) {
      existing.bytes += root.bytes;
      existing.count += root.count;
      existing.directory ||= root.directory;
    } else merged.set(root.path, { ...root });
  };
  for (const [parent, siblings] of byParent) {
    if (parent !== '/' && siblings.length >= 2) {
      put({
        path: parent,
        bytes: sum(siblings, (s) => s.bytes),
        count: sum(siblings, (s) => s.count),
        directory: true,
      });
    } else for (const root of siblings) put(root);
  }

  // Roots inside another root join it (shortest paths first, so the outermost one takes them).
  const outer: RootPath[] = [];
  const paths = [...merged.values()].sort((a, b) => a.path.length - b.path.length || compareBytewise(a.path, b.path));
  for (const root of paths) {
    const container = outer.find((o) => root.path.startsWith(o.path === '/' ? '/' : `${o.path}/`));
    if (container) {
      container.bytes += root.bytes;
      container.count += root.count;
      container.directory = true;
    } else outer.push(root);
  }
  return outer.sort((a, b) => b.bytes - a.bytes || compareBytewise(a.path, b.path));
}

/** The topmost of `path` and its ancestors that `set` holds, or undefined. */
export function topmostIn(path: string, set: ReadonlySet<string>): string | undefined {
  if (set.size === 0) return undefined;
  for (let i = path.indexOf('/', 1); i !== -1; i = path.indexOf('/', i + 1)) {
    const ancestor = path.slice(0, i);
    if (set.has(ancestor)) return ancestor;
  }
  return set.has(path) ? path : undefined;
}

/** Largest saving first; then by kind, layer and first path, so equal images give equal lists. */
export function rankExplanations(explanations: Explanation[]): Explanation[] {
  const kindRank = (e: Explanation): number => EXPLANATION_KINDS.indexOf(e.kind);
  return explanations.sort(
    (a, b) =>
      b.bytes - a.bytes ||
      kindRank(a) - kindRank(b) ||
      a.layer - b.layer ||
      (a.hiddenBy ?? -1) - (b.hiddenBy ?? -1) ||
      compareBytewise(a.paths[0] ?? '', b.paths[0] ?? ''),
  );
}

/** What fixing everything would save: hidden bytes (a smaller image) plus caches left in the final filesystem. */
export interface ExplanationTotals {
  /** Sum over every explanation but `cache-left`: at most the image's `hiddenBytes`. */
  hiddenBytes: number;
  /** Sum over `cache-left`: bytes still visible at the top. */
  cacheBytes: number;
  totalBytes: number;
  count: number;
}

export function explanationTotals(explanations: readonly Explanation[]): ExplanationTotals {
  let hiddenBytes = 0;
  let cacheBytes = 0;
  for (const e of explanations) {
    if (e.kind === 'cache-left') cacheBytes += e.bytes;
    else hiddenBytes += e.bytes;
  }
  return { hiddenBytes, cacheBytes, totalBytes: hiddenBytes + cacheBytes, count: explanations.length };
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += value(item);
  return total;
}
