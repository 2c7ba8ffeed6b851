import type { ChangeStatus, FileChange, PathState, Stack } from '../../tree/index.js';
import type { TreeIndex } from './tree-index.js';

/** What the tree shows of a layer: only its changes, or the whole filesystem up to it. */
export type ViewMode = 'changes' | 'aggregated';

/** Node status codes, kept in a Uint8Array per view. */
export const Status = { absent: 0, added: 1, modified: 2, removed: 3, unmodified: 4, context: 5 } as const;
export type StatusCode = (typeof Status)[keyof typeof Status];
const CODE: Record<ChangeStatus, StatusCode> = { added: 1, modified: 2, removed: 3, unmodified: 4 };

/**
 * What a row shows of a path in a view: the fields of a change (for a removed path, what was
 * removed, and `layer` the layer that removed it).
 */
export type RowInfo = Pick<FileChange, 'type' | 'size' | 'mode' | 'uid' | 'gid' | 'linkTarget' | 'layer'>;

export interface LayerView {
  mode: ViewMode;
  layer: number;
  /** Each node's own status, from its history (before directories are marked as context). */
  own: Uint8Array;
  status: Uint8Array;
  /**
   * Each node's version shown (an index into the stack's versions), or -1. Numbers, not the row
   * objects: a view covers every path of the image, and only the rows on screen need their details
   * (`rowInfo`), so a layer switch leaves no garbage of objects behind.
   */
  version: Int32Array;
  /** Bytes shown under each node: a file's size, or the sum over a directory's visible descendants. */
  bytes: Float64Array;
}

/** What a row shows of a node in a view (see `RowInfo`), or undefined for a node without one. */
export function rowInfo(tree: TreeIndex, view: LayerView, id: number): RowInfo | undefined {
  const index = view.version[id]!;
  if (index < 0) return undefined;
  const { versions } = tree;
  const state = versions.stateOf(index);
  if (state !== null) return state;
  // Removed: what was there before it went away, dated by the layer that removed it.
  const was = stateBeforeRemoval(tree, id, index);
  return was === null ? undefined : { ...was, layer: versions.layerOf(index) };
}

/** For a version that removed the node: the state it had just before, or null. */
function stateBeforeRemoval(tree: TreeIndex, id: number, removal: number): PathState | null {
  const { versions } = tree;
  const before = versions.indexAt(tree.historyKey[id]!, versions.layerOf(removal) - 1);
  return before < 0 ? null : versions.stateOf(before);
}

/**
 * "changes": the paths layer N touched, with the directories above them as context.
 * "aggregated": every path as of layer N, marked with what the last layer up to N that touched it
 * did (so everything from layer 0 is added, and what a later layer removed shows as removed).
 */
export function computeLayerView(tree: TreeIndex, stack: Stack, layer: number, mode: ViewMode): LayerView {
  const own = new Uint8Array(tree.size);
  const version = new Int32Array(tree.size).fill(-1);
  if (mode === 'changes') {
    stack.layers[layer]?.forEach((_path, status, _shown, key) => {
      const id = tree.nodeOfKey[key] ?? -1;
      if (id < 0) return;
      own[id] = CODE[status];
      // The layer touched the path, so its version in force after the layer is this layer's.
      version[id] = tree.versions.indexAt(key, layer);
    });
  } else {
    for (let id = 1; id < tree.size; id++) aggregatedNode(tree, id, layer, own, version);
  }
  return finish(tree, mode, layer, own, version);
}

/**
 * The stacked view of `layer`, derived from the stacked view of another layer: only the paths the
 * layers in between touched (and the directories above them) can differ, so a step to a
 * neighbouring layer costs its changes plus one linear pass, not a history lookup per path.
 */
export function deriveAggregatedView(tree: TreeIndex, stack: Stack, from: LayerView, layer: number): LayerView {
  const own = from.own.slice();
  const version = from.version.slice();
  const seen = new Uint8Array(tree.size);
  for (let l = Math.min(from.layer, layer) + 1; l <= Math.max(from.layer, layer); l++) {
    stack.layers[l]?.forEach((_path, _status, _shown, key) => {
      // Parents a layer only implied are not listed as changes: walk up to them too.
      for (let id = tree.nodeOfKey[key] ?? -1; id > 0 && !seen[id]; id = tree.parent[id]!) {
        seen[id] = 1;
        aggregatedNode(tree, id, layer, own, version);
      }
    });
  }
  return finish(tree, 'aggregated', layer, own, version);
}

/** A node's own status and version as of `layer`, from its history. */
function aggregatedNode(tree: TreeIndex, id: number, layer: number, own: Uint8Array, version: Int32Array): void {
  const { versions } = tree;
  const key = tree.historyKey[id]!;
  const index = versions.indexAt(key, layer);
  own[id] = Status.absent;
  version[id] = -1;
  if (index < 0) return;
  if (versions.stateOf(index) !== null) {
    const status = versions.statusOf(index);
    own[id] = status === null ? Status.context : CODE[status];
    version[id] = index;
    return;
  }
  // Removed: shown when something was there before it went away.
  if (stateBeforeRemoval(tree, id, index) === null) return;
  own[id] = Status.removed;
  version[id] = index;
}

/** Directories above what is shown become context; sizes add up bottom-up (children have higher ids). */
function finish(tree: TreeIndex, mode: ViewMode, layer: number, own: Uint8Array, version: Int32Array): LayerView {
  const status = own.slice();
  status[0] = Status.context;
  const bytes = new Float64Array(tree.size);
  for (let id = tree.size - 1; id > 0; id--) {
    if (status[id] === Status.absent) continue;
    const parent = tree.parent[id]!;
    if (status[parent] === Status.absent) status[parent] = Status.context;
    if (status[id] !== Status.removed && version[id]! >= 0) {
      const state = tree.versions.stateOf(version[id]!);
      if (state !== null && state.type !== 'dir') bytes[id] = state.size;
    }
    bytes[parent] = bytes[parent]! + bytes[id]!;
  }
  return { mode, layer, own, status, version, bytes };
}
