import type { ChangeStatus, FileChange, Stack } from '../../tree/index.js';
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
  info: Array<RowInfo | undefined>;
  /** Bytes shown under each node: a file's size, or the sum over a directory's visible descendants. */
  bytes: Float64Array;
}

/**
 * "changes": the paths layer N touched, with the directories above them as context.
 * "aggregated": every path as of layer N, marked with what the last layer up to N that touched it
 * did (so everything from layer 0 is added, and what a later layer removed shows as removed).
 */
export function computeLayerView(tree: TreeIndex, stack: Stack, layer: number, mode: ViewMode): LayerView {
  const own = new Uint8Array(tree.size);
  const info = new Array<RowInfo | undefined>(tree.size);
  if (mode === 'changes') {
    stack.layers[layer]?.forEach((path, status, shown) => {
      const id = tree.idOf.get(path);
      if (id === undefined) return;
      own[id] = CODE[status];
      // A removed path shows what was removed, dated by the layer that removed it.
      info[id] = status === 'removed' ? { ...shown, layer } : shown;
    });
  } else {
    for (let id = 1; id < tree.size; id++) aggregatedNode(tree, id, layer, own, info);
  }
  return finish(tree, mode, layer, own, info);
}

/**
 * The stacked view of `layer`, derived from the stacked view of another layer: only the paths the
 * layers in between touched (and the directories above them) can differ, so a step to a
 * neighbouring layer costs its changes plus one linear pass, not a history lookup per path.
 */
export function deriveAggregatedView(tree: TreeIndex, stack: Stack, from: LayerView, layer: number): LayerView {
  const own = from.own.slice();
  const info = from.info.slice();
  const seen = new Uint8Array(tree.size);
  for (let l = Math.min(from.layer, layer) + 1; l <= Math.max(from.layer, layer); l++) {
    stack.layers[l]?.forEach((path) => {
      // Parents a layer only implied are not listed as changes: walk up to them too.
      for (let id = tree.idOf.get(path); id !== undefined && id > 0 && !seen[id]; id = tree.parent[id]) {
        seen[id] = 1;
        aggregatedNode(tree, id, layer, own, info);
      }
    });
  }
  return finish(tree, 'aggregated', layer, own, info);
}

/** A node's own status and row as of `layer`, from its history. */
function aggregatedNode(tree: TreeIndex, id: number, layer: number, own: Uint8Array, info: Array<RowInfo | undefined>): void {
  const { versions } = tree;
  const key = tree.historyKey[id]!;
  const index = versions.indexAt(key, layer);
  own[id] = Status.absent;
  info[id] = undefined;
  if (index < 0) return;
  const state = versions.stateOf(index);
  if (state) {
    const status = versions.statusOf(index);
    own[id] = status === null ? Status.context : CODE[status];
    info[id] = state;
    return;
  }
  // Removed: show what was there before it went away.
  const removedIn = versions.layerOf(index);
  const beforeIndex = versions.indexAt(key, removedIn - 1);
  const before = beforeIndex < 0 ? null : versions.stateOf(beforeIndex);
  if (!before) return;
  own[id] = Status.removed;
  info[id] = { ...before, layer: removedIn };
}

/** Directories above what is shown become context; sizes add up bottom-up (children have higher ids). */
function finish(tree: TreeIndex, mode: ViewMode, layer: number, own: Uint8Array, info: Array<RowInfo | undefined>): LayerView {
  const status = own.slice();
  status[0] = Status.context;
  const bytes = new Float64Array(tree.size);
  for (let id = tree.size - 1; id > 0; id--) {
    if (status[id] === Status.absent) continue;
    const parent = tree.parent[id]!;
    if (status[parent] === Status.absent) status[parent] = Status.context;
    const row = info[id];
    if (row && row.type !== 'dir' && status[id] !== Status.removed) bytes[id] = row.size;
    bytes[parent] = bytes[parent]! + bytes[id]!;
  }
  return { mode, layer, own, status, info, bytes };
}
