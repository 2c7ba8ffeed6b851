import { Status, type LayerView } from './layer-view.js';
import { sizeNodes, type NodeSizes } from './sizes.js';
import type { TreeIndex } from './tree-index.js';

export type SortOrder = 'name' | 'size';

export interface StatusVisibility {
  added: boolean;
  modified: boolean;
  removed: boolean;
  unmodified: boolean;
}

export interface FlattenOptions {
  show: StatusVisibility;
  /** Path predicate of the `/` filter, or null. */
  match: ((path: string) => boolean) | null;
  collapsed: ReadonlySet<number>;
  sort: SortOrder;
}

/** The rows of the tree as displayed, top to bottom: only this many rows exist, whatever the image size. */
export interface FlatRows {
  count: number;
  node: Int32Array;
  /** Row index of the parent directory's row, or -1 at the top level. */
  parentRow: Int32Array;
  /** 1 when the row is its parent's last visible child (draws └── instead of ├──). */
  last: Uint8Array;
  /** Node id → row index, or -1 when the node is not shown. */
  rowOf: Int32Array;
  /** What directories hold of these rows, and the size order (by node id). */
  sizes: NodeSizes;
}

function passes(view: LayerView, id: number, show: StatusVisibility): boolean {
  switch (view.status[id]) {
    case Status.added:
      return show.added;
    case Status.modified:
      return show.modified;
    case Status.removed:
      return show.removed;
    case Status.unmodified:
      return show.unmodified;
    default:
      return false; // context directories show only to hold what passes
  }
}

/** Which nodes are shown: those that pass the status toggles and the filter, and the directories above them. */
export function visibleNodes(
  tree: TreeIndex,
  view: LayerView,
  options: Pick<FlattenOptions, 'show' | 'match'>,
): Uint8Array {
  const visible = new Uint8Array(tree.size);
  for (let id = tree.size - 1; id > 0; id--) {
    if (!visible[id]) {
      if (view.status[id] === Status.absent || !passes(view, id, options.show)) continue;
      if (options.match && !options.match(tree.paths[id]!)) continue;
      visible[id] = 1;
    }
    visible[tree.parent[id]!] = 1;
  }
  return visible;
}

export function flattenTree(tree: TreeIndex, view: LayerView, options: FlattenOptions): FlatRows {
  const visible = visibleNodes(tree, view, options);
  const sizes = sizeNodes(tree, view, visible);
  let count = 0;
  for (let id = 1; id < tree.size; id++) count += visible[id]!;
  const rows: RowBuilder = {
    count: 0,
    node: new Int32Array(count),
    parentRow: new Int32Array(count),
    rowOf: new Int32Array(tree.size).fill(-1),
  };
  if (options.sort === 'name') inTreeOrder(tree, visible, options.collapsed, rows);
  else bySizeFirst(tree, sizes.weight, visible, options.collapsed, rows);
  const shown = rows.count;
  const last = new Uint8Array(shown);
  // A row is the last child when no later row shares its parent.
  const seen = new Uint8Array(shown + 1);
  for (let row = shown - 1; row >= 0; row--) {
    const p = rows.parentRow[row]! + 1;
    if (!seen[p]) {
      last[row] = 1;
      seen[p] = 1;
    }
  }
  return {
    count: shown,
    node: rows.node.subarray(0, shown),
    parentRow: rows.parentRow.subarray(0, shown),
    last,
    rowOf: rows.rowOf,
    sizes,
  };
}

interface RowBuilder {
  count: number;
  node: Int32Array;
  parentRow: Int32Array;
  rowOf: Int32Array;
}

function addRow(rows: RowBuilder, id: number, parentRow: number): number {
  const row = rows.count++;
  rows.rowOf[id] = row;
  rows.node[row] = id;
  rows.parentRow[row] = parentRow;
  return row;
}

/**
 * Rows by name: the visible nodes in tree order, which the tree index holds precomputed, so one
 * pass in that order makes them; a hidden node's or a collapsed directory's subtree is jumped over.
 */
function inTreeOrder(tree: TreeIndex, visible: Uint8Array, collapsed: ReadonlySet<number>, rows: RowBuilder): void {
  const { byRank, subtreeEnd, parent } = tree;
  for (let rank = 1; rank < tree.size; rank++) {
    const id = byRank[rank]!;
    // Nothing under a hidden node is visible (a visible node makes its parents visible).
    if (!visible[id]) {
      rank = subtreeEnd[id]! - 1;
      continue;
    }
    addRow(rows, id, rows.rowOf[parent[id]!]!);
    if (collapsed.has(id)) rank = subtreeEnd[id]! - 1;
  }
}

/** Rows with each directory's children largest first: a depth-first walk over the visible nodes. */
function bySizeFirst(
  tree: TreeIndex,
  weight: Float64Array,
  visible: Uint8Array,
  collapsed: ReadonlySet<number>,
  rows: RowBuilder,
): void {
  // Two typed stacks instead of an array of pairs: no allocation per row.
  const stackNode = new Int32Array(rows.node.length + 1);
  const stackParent = new Int32Array(rows.node.length + 1);
  let top = 0;
  const pushChildren = (id: number, row: number): void => {
    const kids = bySize(tree.children[id]!, weight, visible);
    for (let i = kids.length - 1; i >= 0; i--) {
      stackNode[top] = kids[i]!;
      stackParent[top++] = row;
    }
  };
  pushChildren(0, -1);
  while (top > 0) {
    top--;
    const id = stackNode[top]!;
    const row = addRow(rows, id, stackParent[top]!);
    if (!collapsed.has(id)) pushChildren(id, row);
  }
}

function bySize(kids: Int32Array, weight: Float64Array, visible: Uint8Array): number[] {
  const shown: number[] = [];
  for (const kid of kids) if (visible[kid]) shown.push(kid);
  return shown.sort((a, b) => weight[b]! - weight[a]! || a - b);
}

/** "│   ├── " style guides for one row, walking up its parent rows (only done for rows on screen). */
export function treeGuide(rows: FlatRows, row: number): string {
  let guide = rows.last[row] ? '└── ' : '├── ';
  for (let p = rows.parentRow[row]!; p >= 0; p = rows.parentRow[p]!) guide = (rows.last[p] ? '    ' : '│   ') + guide;
  return guide;
}
