import type { PathState, Stack } from './types.js';

/**
 * Views of the stack as of some layer, derived from per-path histories (never by re-stacking layers).
 * A history holds at most one version per layer, in layer order, so a binary search finds the version in
 * force at any layer (`VersionTable.indexAt`).
 */

/** What is visible at `path` once layers 0..layer are stacked. */
export function stateAt(stack: Stack, path: string, layer: number): PathState | undefined {
  const key = stack.historyKey(path);
  const index = key === undefined ? -1 : stack.versions.indexAt(key, layer);
  return index < 0 ? undefined : (stack.versions.stateOf(index) ?? undefined);
}

/** The whole visible filesystem once layers 0..layer are stacked: path → state (in no particular order). */
export function filesystemAt(stack: Stack, layer: number): Map<string, PathState> {
  const visible = new Map<string, PathState>();
  const { versions } = stack;
  stack.forEachHistory((path, key) => {
    const index = versions.indexAt(key, layer);
    const state = index < 0 ? null : versions.stateOf(index);
    if (state) visible.set(path, state);
  });
  return visible;
}
