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
  const nodes: number[] = [];
  const parents: number[] = [];
  const rowOf = new Int32Array(tree.size).fill(-1);
  // Iterative depth-first walk over visible nodes only; collapsed directories are not entered.
  const stack: Array<[node: number, parentRow: number]> = [];
  const pushChildren = (id: number, row: number): void => {
    const kids = orderedChildren(tree, view, id, visible, options.sort);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, row]);
  };
  pushChildren(0, -1);
  while (stack.length > 0) {
    const [id, parentRow] = stack.pop()!;
    const row = nodes.length;
    rowOf[id] = row;
    nodes.push(id);
    parents.push(parentRow);
    if (!options.collapsed.has(id)) pushChildren(id, row);
  }
  const count = nodes.length;
  const parentRow = Int32Array.from(parents);
  const last = new Uint8Array(count);
  // A row is the last child when no later row shares its parent.
  const seen = new Uint8Array(count + 1);
  for (let row = count - 1; row >= 0; row--) {
    const p = parentRow[row]! + 1;
    if (!seen[p]) {
      last[row] = 1;
      seen[p] = 1;
    }
  }
  return { count, node: Int32Array.from(nodes), parentRow, last, rowOf };
}

function orderedChildren(tree: TreeIndex, view: LayerView, id: number, visible: Uint8Array, sort: SortOrder): number[] {
  const kids: number[] = [];
  for (const child of tree.children[id]!) if (visible[child]) kids.push(child);
  if (sort === 'size') kids.sort((a, b) => view.bytes[b]! - view.bytes[a]! || a - b);
  return kids;
}

/** "│   ├── " style guides for one row, walking up its parent rows (only done for rows on screen). */
export function treeGuide(rows: FlatRows, row: number): string {
  let guide = rows.last[row] ? '└── ' : '├── ';
  for (let p = rows.parentRow[row]!; p >= 0; p = rows.parentRow[p]!) guide = (rows.last[p] ? '    ' : '│   ') + guide;
  return guide;
}
