import type { EntryType, TarEntry } from '../layers/types.js';
import type { VersionTable } from './versions.js';

/** How a layer changed one path, judged on the visible state before and after the layer. */
export type ChangeStatus = 'added' | 'modified' | 'removed' | 'unmodified';

/** What is visible at one path once some layers are stacked. Immutable: a change makes a new state. */
export interface PathState {
  readonly type: EntryType;
  /** Permission bits, masked to 0o7777. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Content size: a hardlink reports its target's size; a directory 0. */
  readonly size: number;
  /** Content hash: a hardlink reports its target's hash. */
  readonly hash: string | undefined;
  /** Symlink: the target as written. Hardlink: the normalized absolute target. */
  readonly linkTarget: string | undefined;
  /** The piece of data this path holds (see `Piece`), or -1 (not a file, or a dangling hardlink). */
  readonly piece: number;
  /** The layer that put this state here. */
  readonly layer: number;
  /** The tar entry behind this state; null for a parent directory only implied by deeper paths. */
  readonly entry: TarEntry | null;
}

/** One path a layer touched, as listed in that layer's changes. */
export interface FileChange {
  path: string;
  status: ChangeStatus;
  /** For a removed path: what was removed. Otherwise: what the layer left there. */
  type: EntryType;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  linkTarget?: string;
  layer: number;
}

export interface StatusCounts {
  added: number;
  modified: number;
  removed: number;
  unmodified: number;
}

/**
 * One step of a path's history. `status` is null when the layer made the path exist only as a parent
 * directory implied by deeper paths: the path then exists, but the layer did not list it as a change.
 */
export interface PathVersion {
  readonly layer: number;
  readonly status: ChangeStatus | null;
  /** The visible state after this layer; null once the path is gone. */
  readonly state: PathState | null;
}

/** What happened to a piece of data: still reachable, or hidden by some layer. */
export type HiddenReason = 'overwritten' | 'removed';

/**
 * One piece of data: the content of one regular-file tar entry (same-layer duplicates are distinct
 * pieces). Hardlinks share their target's piece.
 */
export interface Piece {
  readonly id: number;
  /** The path of the entry that shipped it. */
  readonly path: string;
  readonly layer: number;
  readonly size: number;
  readonly hash: string | undefined;
  /** The layer at which its last path went away, or null when it is still reachable at the top. */
  readonly hiddenBy: number | null;
  /**
   * Why it went away: 'overwritten' when, after `hiddenBy`, the last path that held it exists with
   * another tar entry; 'removed' otherwise. Null while reachable.
   */
  readonly reason: HiddenReason | null;
}

/**
 * The paths one layer touched, sorted bytewise by path. Held compactly (a path id, a status and the
 * state shown, per change): a `FileChange` object is made only when asked for, since an image's
 * layers touch hundreds of thousands of paths and the explorer keeps them all.
 */
export interface LayerChanges {
  readonly layer: number;
  /** How many paths the layer touched. */
  readonly count: number;
  /** The change at `index` (0 ≤ index < count), in path order; a new object on each call. */
  change(index: number): FileChange;
  /** Every change, in path order; a new array on each call. */
  list(): FileChange[];
  /**
   * Visits every change in path order without making objects: its path, status, the state it shows
   * (for a removed path, what was removed; its `layer` is then the layer that put it there), and
   * the path's key in the stack's versions.
   */
  forEach(visit: (path: string, status: ChangeStatus, shown: PathState, key: number) => void): void;
  /** Counts of non-directory changes by status. */
  readonly counts: StatusCounts;
}

/**
 * The result of stacking an image's layers. `final` and `children` are path-keyed views built on first
 * access (they cost a pass over every path), then kept.
 */
export interface Stack {
  readonly layers: readonly LayerChanges[];
  /** The visible filesystem after the last layer: path → state ("/" itself is not listed). */
  readonly final: ReadonlyMap<string, PathState>;
  /** Directory → its children's paths, for the final filesystem ("/" lists the top level). */
  readonly children: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Every version of every path ever visible, in layer order, at most one per layer, grouped by the
   * path's key (see `historyKey`): held flat, as there are hundreds of thousands.
   */
  readonly versions: VersionTable;
  /** The key of a path's versions, or undefined when the path was never visible. */
  historyKey(path: string): number | undefined;
  /** Visits every path ever visible with its key, parents before their children. */
  forEachHistory(visit: (path: string, key: number) => void): void;
  /** A path's versions, in layer order, as objects made on each call; empty when it was never visible. */
  versionsOf(path: string): PathVersion[];
  /** Every piece of data shipped by any layer, indexed by id. */
  readonly pieces: readonly Piece[];
}
