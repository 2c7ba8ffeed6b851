import { versionAt, type ChangeStatus, type FileChange, type Stack } from '../../tree/index.js';
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
  const status = new Uint8Array(tree.size);
  const info = new Array<RowInfo | undefined>(tree.size);
  if (mode === 'changes') {
    for (const change of stack.layers[layer]?.changes ?? []) {
      const id = tree.idOf.get(change.path);
      if (id === undefined) continue;
      status[id] = CODE[change.status];
      info[id] = change;
    }
  } else {
    for (let id = 1; id < tree.size; id++) {
      const versions = tree.history[id]!;
      const version = versionAt(versions, layer);
      if (!version) continue;
      if (version.state) {
        status[id] = version.status === null ? Status.context : CODE[version.status];
        info[id] = version.state;
      } else {
        // Removed: show what was there before it went away.
        const before = versionAt(versions, version.layer - 1)?.state;
        if (!before) continue;
        status[id] = Status.removed;
        info[id] = { ...before, layer: version.layer };
      }
    }
  }
  status[0] = Status.context;
  // Directories above what is shown are shown as context; sizes add up bottom-up (children always
  // have higher ids than their parents).
  const bytes = new Float64Array(tree.size);
  for (let id = tree.size - 1; id > 0; id--) {
    if (status[id] === Status.absent) continue;
    const parent = tree.parent[id]!;
    if (status[parent] === Status.absent) status[parent] = Status.context;
    const row = info[id];
    if (row && row.type !== 'dir' && status[id] !== Status.removed) bytes[id] = row.size;
    bytes[parent] = bytes[parent]! + bytes[id]!;
  }
  return { mode, layer, status, info, bytes };
}
