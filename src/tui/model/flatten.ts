import { Status, type LayerView } from './layer-view.js';
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
}

function passes(view: LayerView, id: number, show: StatusVisibility): boolean {
  switch (view.status[id]) {
    case Status.added: return show.added;
    case Status.modified: return show.modified;
    case Status.removed: return show.removed;
    case Status.unmodified: return show.unmodified;
    default: return false; // context directories show only to hold what passes
  }
}

/** Which nodes are shown: those that pass the status toggles and the filter, and the directories above them. */
export function visibleNodes(tree: TreeIndex, view: LayerView, options: Pick<FlattenOptions, 'show' | 'match'>): Uint8Array {
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
  let count = 0;
  for (let id = 1; id < tree.size; id++) count += visible[id]!;
  const node = new Int32Array(count);
  const parentRow = new Int32Array(count);
  const rowOf = new Int32Array(tree.size).fill(-1);
  // Iterative depth-first walk over visible nodes only; collapsed directories are not entered.
  // Two typed stacks instead of an array of pairs: no allocation per row.
  const stackNode = new Int32Array(count + 1);
  const stackParent = new Int32Array(count + 1);
  let top = 0;
  const pushChildren = (id: number, row: number): void => {
    const kids = options.sort === 'size' ? bySize(tree.children[id]!, view, visible) : tree.children[id]!;
    for (let i = kids.length - 1; i >= 0; i--) {
      const kid = kids[i]!;
      if (!visible[kid]) continue;
      stackNode[top] = kid;
      stackParent[top++] = row;
    }
  };
  pushChildren(0, -1);
  let rows = 0;
  while (top > 0) {
    top--;
    const id = stackNode[top]!;
    const row = rows++;
    rowOf[id] = row;
    node[row] = id;
    parentRow[row] = stackParent[top]!;
    if (!options.collapsed.has(id)) pushChildren(id, row);
  }
  const shown = node.subarray(0, rows);
  const last = new Uint8Array(rows);
  // A row is the last child when no later row shares its parent.
  const seen = new Uint8Array(rows + 1);
  for (let row = rows - 1; row >= 0; row--) {
    const p = parentRow[row]! + 1;
    if (!seen[p]) {
      last[row] = 1;
      seen[p] = 1;
    }
  }
  return { count: rows, node: shown, parentRow: parentRow.subarray(0, rows), last, rowOf };
}

function bySize(kids: Int32Array, view: LayerView, visible: Uint8Array): number[] {
  const shown: number[] = [];
  for (const kid of kids) if (visible[kid]) shown.push(kid);
  return shown.sort((a, b) => view.bytes[b]! - view.bytes[a]! || a - b);
}

/** "│   ├── " style guides for one row, walking up its parent rows (only done for rows on screen). */
export function treeGuide(rows: FlatRows, row: number): string {
  let guide = rows.last[row] ? '└── ' : '├── ';
  for (let p = rows.parentRow[row]!; p >= 0; p = rows.parentRow[p]!) guide = (rows.last[p] ? '    ' : '│   ') + guide;
  return guide;
}
