import { sortBytewise } from '../../tree/index.js';
import type { Stack } from '../../tree/index.js';

/**
 * Every path the image ever shows, as a tree of numbered nodes, built once per image. Views (a
 * layer's changes, the filesystem up to a layer) are then typed arrays over these node ids, so a
 * layer switch or a filter never rebuilds strings, maps or sorted lists.
 */
export interface TreeIndex {
  /** Node count; node 0 is the root "/". */
  size: number;
  paths: string[];
  names: string[];
  parent: Int32Array;
  depth: Uint16Array;
  /** Children of each node, sorted by name (bytewise). */
  children: Int32Array[];
  idOf: Map<string, number>;
  /** Position of each node in a depth-first walk with children by name: "tree order". */
  rank: Int32Array;
}

const NO_CHILDREN = new Int32Array(0);

export function buildTreeIndex(stack: Stack): TreeIndex {
  const all = new Set<string>();
  for (const path of stack.history.keys()) all.add(path);
  // Ancestors of every path, in case a history lacks an implied parent.
  for (const path of [...all]) {
    for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
      const parent = path.slice(0, i);
      if (all.has(parent)) break;
      all.add(parent);
    }
  }
  const sorted = sortBytewise([...all]);
  const size = sorted.length + 1;
  const paths = ['/', ...sorted];
  const idOf = new Map<string, number>();
  paths.forEach((p, i) => idOf.set(p, i));
  const parent = new Int32Array(size).fill(-1);
  const depth = new Uint16Array(size);
  const names = new Array<string>(size);
  names[0] = '/';
  const childLists: number[][] = Array.from({ length: size }, () => []);
  // Bytewise order of full paths keeps each directory's children in name order once grouped.
  for (let id = 1; id < size; id++) {
    const path = paths[id]!;
    const cut = path.lastIndexOf('/');
    const parentId = cut === 0 ? 0 : idOf.get(path.slice(0, cut))!;
    parent[id] = parentId;
    depth[id] = depth[parentId]! + 1;
    names[id] = path.slice(cut + 1);
    childLists[parentId]!.push(id);
  }
  const children = childLists.map((list) => (list.length === 0 ? NO_CHILDREN : Int32Array.from(list)));
  const rank = new Int32Array(size);
  const pending = [0];
  for (let next = 0; pending.length > 0; ) {
    const id = pending.pop()!;
    rank[id] = next++;
    const kids = children[id]!;
    for (let i = kids.length - 1; i >= 0; i--) pending.push(kids[i]!);
  }
  return { size, paths, names, parent, depth, children, idOf, rank };
}
