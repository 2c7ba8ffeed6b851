import { sortByKeyBytewise, type Stack } from '../../tree/index.js';
import type { VersionTable } from '../../tree/versions.js';

/**
 * Every path the image ever shows, as a tree of numbered nodes, built once per image. Node ids
 * follow discovery (parents before children); tree order is `rank`. Views (a
 * layer's changes, the filesystem up to a layer) are then typed arrays over these node ids, so a
 * layer switch or a filter never rebuilds strings, maps or sorted lists.
 */
export interface TreeIndex {
  /** Node count; node 0 is the root "/". */
  size: number;
  paths: string[];
  names: string[];
  parent: Int32Array;
  depth: Int32Array;
  /** Children of each node, sorted by name (bytewise). */
  children: Int32Array[];
  idOf: Map<string, number>;
  /** Position of each node in a depth-first walk with children by name: "tree order". */
  rank: Int32Array;
  /** The node at each rank: the whole tree in tree order. */
  byRank: Int32Array;
  /** The rank just past each node's subtree (a subtree is contiguous in tree order). */
  subtreeEnd: Int32Array;
  /** The stack's versions of every path. */
  versions: VersionTable;
  /** Each node's key in `versions` (-1: the root, never a version of its own). */
  historyKey: Int32Array;
  /** The node of each key in `versions` (-1 for keys without versions): changes name their paths by key. */
  nodeOfKey: Int32Array;
}

const NO_CHILDREN = new Int32Array(0);

function parentPath(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut === 0 ? '/' : path.slice(0, cut);
}

export function buildTreeIndex(stack: Stack): TreeIndex {
  // Number every path (parents first), keeping each one's history by id: views then index arrays.
  const idOf = new Map<string, number>([['/', 0]]);
  const paths: string[] = ['/'];
  const parents: number[] = [-1];
  const keys: number[] = [-1];
  const intern = (path: string): number => {
    const known = idOf.get(path);
    if (known !== undefined) return known;
    // Up to the nearest known parent, then down again numbering the missing ones, in loops: a path
    // may be deeper than any call stack.
    const missing = [path];
    let above = parentPath(path);
    let parent = idOf.get(above);
    while (parent === undefined) {
      missing.push(above);
      above = parentPath(above);
      parent = idOf.get(above);
    }
    for (let i = missing.length - 1; i >= 0; i--) {
      const id = paths.length;
      idOf.set(missing[i]!, id);
      paths.push(missing[i]!);
      parents.push(parent);
      keys.push(-1);
      parent = id;
    }
    return parent;
  };
  stack.forEachHistory((path, key) => {
    keys[intern(path)] = key;
  });

  const size = paths.length;
  const parent = Int32Array.from(parents);
  const names = paths.map((p) => p.slice(p.lastIndexOf('/') + 1));
  names[0] = '/';
  const childLists: number[][] = Array.from({ length: size }, () => []);
  for (let id = 1; id < size; id++) childLists[parent[id]!]!.push(id);
  // Each directory's children sorted by name (bytewise): many small sorts, not one of every path.
  const children = childLists.map((list) => {
    if (list.length === 0) return NO_CHILDREN;
    const sorted = sortByKeyBytewise(list, (id) => names[id]!);
    return Int32Array.from(sorted);
  });
  const depth = new Int32Array(size);
  const rank = new Int32Array(size);
  const pending = [0];
  for (let next = 0; pending.length > 0; ) {
    const id = pending.pop()!;
    rank[id] = next++;
    const kids = children[id]!;
    for (let i = kids.length - 1; i >= 0; i--) {
      depth[kids[i]!] = depth[id]! + 1;
      pending.push(kids[i]!);
    }
  }
  const byRank = new Int32Array(size);
  for (let id = 0; id < size; id++) byRank[rank[id]!] = id;
  // Subtree sizes bottom-up: a child's id is always above its parent's.
  const subtreeEnd = new Int32Array(size).fill(1);
  for (let id = size - 1; id > 0; id--) subtreeEnd[parent[id]!]! += subtreeEnd[id]!;
  for (let id = 0; id < size; id++) subtreeEnd[id]! += rank[id]!;
  const historyKey = Int32Array.from(keys);
  const nodeOfKey = new Int32Array(historyKey.reduce((most, key) => Math.max(most, key + 1), 0)).fill(-1);
  historyKey.forEach((key, node) => {
    if (key >= 0) nodeOfKey[key] = node;
  });
  return {
    size,
    paths,
    names,
    parent,
    depth,
    children,
    idOf,
    rank,
    byRank,
    subtreeEnd,
    versions: stack.versions,
    historyKey,
    nodeOfKey,
  };
}
