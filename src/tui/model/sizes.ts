import { Status, type LayerView } from './layer-view.js';
import type { TreeIndex } from './tree-index.js';

/** The sizes the tree shows and sorts by, for the rows a filter and the status toggles leave. */
export interface NodeSizes {
  /**
   * Bytes a directory holds of what it shows, each piece of data once (a hard link's target is not
   * counted again), so that it never exceeds the layer or the stacked filesystem. Node 0 holds the
   * total of the view. 0 for files: a file row shows its own size (`LayerView.size`).
   */
  held: Float64Array;
  /**
   * What `s` sorts by: a file's own size (a removed file's, what it removed); a directory's held bytes
   * plus what the removals it shows removed, so a layer that deletes 50 MB sorts them first.
   */
  weight: Float64Array;
}

/** Sizes over the nodes marked in `visible` (children have higher ids than their parents). */
export function sizeNodes(tree: TreeIndex, view: LayerView, visible: Uint8Array): NodeSizes {
  const held = new Float64Array(tree.size);
  const removed = new Float64Array(tree.size);
  const weight = new Float64Array(tree.size);
  for (let id = tree.size - 1; id > 0; id--) {
    if (!visible[id]) continue;
    const parent = tree.parent[id]!;
    if (view.isDir[id]) {
      held[parent]! += held[id]!;
      removed[parent]! += removed[id]!;
    } else {
      weight[id] = view.size[id]!;
      held[parent]! += view.counted[id]!;
      if (view.status[id] === Status.removed) removed[parent]! += view.size[id]!;
    }
  }
  // A piece held by several shown nodes: once in each directory above any of them.
  const stamp = new Int32Array(tree.size).fill(-1);
  view.shared.forEach((piece, k) => {
    for (const node of piece.nodes) {
      if (!visible[node]) continue;
      for (let p = tree.parent[node]!; p >= 0 && stamp[p] !== k; p = tree.parent[p]!) {
        stamp[p] = k;
        held[p]! += piece.size;
      }
    }
  });
  for (let id = 0; id < tree.size; id++) if (view.isDir[id]) weight[id] = held[id]! + removed[id]!;
  return { held, weight };
}
