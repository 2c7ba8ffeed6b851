import type { PathState, PathVersion, Stack } from './types.js';

/**
 * Views of the stack as of some layer, derived from per-path histories (never by re-stacking layers).
 * A history holds at most one version per layer, in layer order, so a binary search finds the version in
 * force at any layer.
 */

/** The version of a path in force after `layer` (the latest with version.layer ≤ layer), if any. */
export function versionAt(versions: readonly PathVersion[], layer: number): PathVersion | undefined {
  let low = 0;
  let high = versions.length - 1;
  let found: PathVersion | undefined;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const version = versions[middle]!;
    if (version.layer <= layer) {
      found = version;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/** What is visible at `path` once layers 0..layer are stacked. */
export function stateAt(stack: Stack, path: string, layer: number): PathState | undefined {
  const versions = stack.history.get(path);
  return versions === undefined ? undefined : (versionAt(versions, layer)?.state ?? undefined);
}

/** The whole visible filesystem once layers 0..layer are stacked: path → state (in no particular order). */
export function filesystemAt(stack: Stack, layer: number): Map<string, PathState> {
  const visible = new Map<string, PathState>();
  for (const [path, versions] of stack.history) {
    const state = versionAt(versions, layer)?.state;
    if (state) visible.set(path, state);
  }
  return visible;
}
