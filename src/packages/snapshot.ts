import { parentOf } from '../layers/path.js';
import type { PathState, Stack } from '../tree/types.js';
import type { DatabaseFiles } from './files.js';

/** Where package databases live: only paths under these are ever looked at. */
const DATABASE_DIRS = ['/var/lib/dpkg/', '/lib/apk/db/', '/var/lib/rpm/', '/usr/lib/sysimage/rpm/'];

export function isDatabasePath(path: string): boolean {
  return DATABASE_DIRS.some((dir) => path.startsWith(dir));
}

/** The database paths an image ever had, with their keys in the stack's versions. */
export function databasePaths(stack: Stack): Map<string, number> {
  const found = new Map<string, number>();
  stack.forEachHistory((path, key) => {
    if (isDatabasePath(path)) found.set(path, key);
  });
  return found;
}

/** Whether any database path has a version made by `layer`: the layer may have changed the packages. */
export function layerTouches(stack: Stack, paths: Map<string, number>, layer: number): boolean {
  for (const key of paths.values()) {
    const index = stack.versions.indexAt(key, layer);
    if (index >= 0 && stack.versions.layerOf(index) === layer) return true;
  }
  return false;
}

/** The database files as the stacked filesystem after `layer` has them. */
export function filesAfter(stack: Stack, paths: Map<string, number>, layer: number): DatabaseFiles {
  const stateOf = (path: string): PathState | null => {
    const key = paths.get(path);
    if (key === undefined) return null;
    const index = stack.versions.indexAt(key, layer);
    return index < 0 ? null : stack.versions.stateOf(index);
  };
  const regular = (path: string) => stateOf(path)?.type === 'file';
  return {
    exists: regular,
    read: (path) => {
      const state = stateOf(path);
      return state?.type === 'file' ? (state.entry?.content ?? undefined) : undefined;
    },
    list: (dir) => [...paths.keys()].filter((path) => parentOf(path) === dir && regular(path)).sort(),
  };
}
