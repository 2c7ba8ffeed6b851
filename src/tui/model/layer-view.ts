import type { ChangeStatus, FileChange, PathState, Piece, Stack } from '../../tree/index.js';
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
  /**
   * Each node's own size: a file's (a hardlink's is its target's; a removed file's, what it removed);
   * 0 for a directory.
   */
  size: Float64Array;
  /** 1 where the node shows a directory (or nothing), 0 where it shows a file of any type. */
  isDir: Uint8Array;
  /**
   * What each node adds to the directories above it: its size when it holds a piece of data that no
   * other node of the view holds (see `shared`) and, in a layer's changes, that this layer shipped; else 0.
   */
  counted: Float64Array;
  /** Pieces that several nodes hold (hard links): counted once in each directory above any of them. */
  shared: readonly SharedPiece[];
}

/** A piece of data held by several nodes of a view (a file and its hard links). */
export interface SharedPiece {
  size: number;
  nodes: readonly number[];
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
  return finish(tree, stack.pieces, mode, layer, own, version);
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
  return finish(tree, stack.pieces, 'aggregated', layer, own, version);
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

/**
 * Directories above what is shown become context (children have higher ids than their parents), and
 * each node's size is read. A piece of data counts toward directories once, however many hard links
 * hold it, and in a layer's changes only when that layer shipped it, so a directory never holds more
 * than the layer or the stacked filesystem does.
 */
function finish(
  tree: TreeIndex,
  pieces: readonly Piece[],
  mode: ViewMode,
  layer: number,
  own: Uint8Array,
  version: Int32Array,
): LayerView {
  const status = own.slice();
  status[0] = Status.context;
  const size = new Float64Array(tree.size);
  const isDir = new Uint8Array(tree.size).fill(1);
  const counted = new Float64Array(tree.size);
  const pieceOf = new Int32Array(tree.size).fill(-1);
  const linked = new Set<number>();
  for (let id = tree.size - 1; id > 0; id--) {
    if (status[id] === Status.absent) continue;
    const parent = tree.parent[id]!;
    if (status[parent] === Status.absent) status[parent] = Status.context;
    if (version[id]! < 0) continue;
    const removed = status[id] === Status.removed;
    const state = removed ? stateBeforeRemoval(tree, id, version[id]!) : tree.versions.stateOf(version[id]!);
    if (state === null || state.type === 'dir') continue;
    isDir[id] = 0;
    size[id] = state.size;
    const piece = pieces[state.piece];
    if (removed || piece === undefined || (mode === 'changes' && piece.layer !== layer)) continue;
    pieceOf[id] = piece.id;
    if (state.type === 'hardlink') linked.add(piece.id);
  }
  // Pieces a hard link holds: grouped by piece, the ones held more than once are counted apart.
  const holders = new Map<number, number[]>();
  for (let id = 1; id < tree.size; id++) {
    const piece = pieceOf[id]!;
    if (piece < 0) continue;
    if (linked.has(piece)) {
      const nodes = holders.get(piece);
      if (nodes) nodes.push(id);
      else holders.set(piece, [id]);
    } else counted[id] = size[id]!;
  }
  const shared: SharedPiece[] = [];
  for (const [piece, nodes] of holders) {
    if (nodes.length === 1) counted[nodes[0]!] = size[nodes[0]!]!;
    else shared.push({ size: pieces[piece]!.size, nodes });
  }
  return { mode, layer, own, status, version, size, isDir, counted, shared };
}
