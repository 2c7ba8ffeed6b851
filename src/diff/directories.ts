import { compareBytewise } from '../tree/path-order.js';
import type { PathState } from '../tree/types.js';
import type { DirectoryDelta, FileDiff } from './types.js';

/** "/usr/lib/x" → "/usr"; a path at the root is counted under "/" (a top directory itself is its own). */
export function topDirectory(path: string, state: PathState | undefined): string {
  const slash = path.indexOf('/', 1);
  if (slash > 0) return path.slice(0, slash);
  return state?.type === 'dir' ? path : '/';
}

/**
 * Bytes per top-level directory in each final filesystem, and the changes under it, the largest
 * change of size first. A file's bytes count once, at its regular-file path: a hardlink adds none.
 */
export function directoryDeltas(
  finalA: ReadonlyMap<string, PathState>,
  finalB: ReadonlyMap<string, PathState>,
  files: readonly FileDiff[],
): DirectoryDelta[] {
  const deltas = new Map<string, DirectoryDelta>();
  const slot = (top: string): DirectoryDelta => {
    let delta = deltas.get(top);
    if (delta === undefined) {
      delta = { path: top, sizeA: 0, sizeB: 0, delta: 0, added: 0, removed: 0, modified: 0, metadata: 0 };
      deltas.set(top, delta);
    }
    return delta;
  };
  for (const [path, state] of finalA) if (state.type === 'file') slot(topDirectory(path, state)).sizeA += state.size;
  for (const [path, state] of finalB) if (state.type === 'file') slot(topDirectory(path, state)).sizeB += state.size;
  for (const file of files) {
    if (file.directory) continue;
    slot(topDirectory(file.path, finalB.get(file.path) ?? finalA.get(file.path)))[file.change]++;
  }
  const changed: DirectoryDelta[] = [];
  for (const delta of deltas.values()) {
    delta.delta = delta.sizeB - delta.sizeA;
    if (delta.delta !== 0 || delta.added + delta.removed + delta.modified + delta.metadata > 0) changed.push(delta);
  }
  return changed.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || compareBytewise(x.path, y.path));
}
