import type { LayerIndex, TarEntry } from '../../layers/types.js';
import { PathTable } from '../../tree/path-table.js';
import { baseName, joinPath, parentOf } from '../../layers/path.js';
import { compareBytewise, compareNative } from '../../tree/path-order.js';

/**
 * A model of dive v0.12's `filetree.FileTree`, just detailed enough to reproduce its efficiency figures.
 *
 * Nodes are tree paths where a whiteout keeps its on-disk name: `.wh.X` in "/a" is the node "/a/.wh.X",
 * which dive's `FileNode.Path()` reports as "/a/X" (`lookupPath`). A node's info is null when dive holds an
 * empty `FileInfo{}` for it: an intermediate directory `AddPath` created because a deeper path needed it,
 * which therefore reports size 0 and `IsDir == false`.
 *
 * Paths are interned in a `DivePaths` table shared by all layers, so trees are arrays indexed by id.
 */

/** What dive reads of a layer: its entries' names, sizes and kinds, and its tar-header sizes. */
export interface DiveLayer {
  readonly entries: readonly Pick<TarEntry, 'path' | 'size' | 'type' | 'whiteout'>[];
  readonly headerSizeTotal: LayerIndex['headerSizeTotal'];
}

export interface DiveInfo {
  readonly size: number;
  readonly isDir: boolean;
}

const WHITEOUT_PREFIX = '.wh.';
/** dive's AddPath/AddChild refuse to create nodes with this prefix (opaque markers, `.wh..wh..opq`). */
const DOUBLE_WHITEOUT_PREFIX = '.wh..wh..';

/** Tree paths interned for all layers, with what dive derives from a node's name, cached per id. */
export class DivePaths {
  readonly table = new PathTable();
  /** Id → the id of `Path()` for a whiteout node, -1 for other nodes; -2 until computed. */
  private readonly lookupIds: number[] = [];
  /** Id → the last layer tree that held it (a stamp), and its info there: scratch for `buildDiveLayerTree`. */
  readonly inTree: number[] = [];
  readonly treeInfo: (DiveInfo | null)[] = [];
  /** Id → the last layer tree in which it had a child, or was a whiteout's target: scratch too. */
  readonly hasChild: number[] = [];
  readonly whitedOut: number[] = [];
  /** Id → the last layer tree in which neither it nor any of its parents was whited out: scratch too. */
  readonly clearOfWhiteouts: number[] = [];
  private trees = 0;

  /** Starts a new layer tree: returns its stamp. */
  nextTree(): number {
    return this.trees++;
  }

  intern(path: string): number {
    return this.table.intern(path);
  }

  pathOf(id: number): string {
    return this.table.paths[id]!;
  }

  parentOf(id: number): number {
    return this.table.parents[id]!;
  }

  /** dive's `IsWhiteout()` and `Path()`: the id of the path a whiteout node stands for, or -1. */
  whiteoutTarget(id: number): number {
    let cached = this.lookupIds[id];
    if (cached === undefined || cached === -2) {
      while (this.lookupIds.length <= id) this.lookupIds.push(-2);
      const path = this.pathOf(id);
      const name = baseName(path);
      cached = name.startsWith(WHITEOUT_PREFIX)
        ? this.intern(joinPath(parentOf(path), name.slice(WHITEOUT_PREFIX.length)))
        : -1;
      this.lookupIds[id] = cached;
    }
    return cached;
  }

  /**
   * Sorts ids into dive's `VisitDepthChildFirst` order: children by name (byte order) before their
   * parent, which is `compareChildFirst` order. It is a depth-first walk of the tree the ids and their
   * parents make, each directory's children sorted by name: a sort of whole paths would compare (or
   * build keys of) every deep path in full, and a path may be thousands of directories deep.
   */
  sortChildFirst(ids: number[]): number[] {
    const wanted = new Set(ids);
    const placed = new Set<number>();
    const childrenOf = new Map<number, number[]>();
    for (const id of ids) {
      // Up to the first node already placed: every node joins its parent's list once.
      for (let at = id; at > 0 && !placed.has(at); at = this.parentOf(at)) {
        placed.add(at);
        const parent = this.parentOf(at);
        const siblings = childrenOf.get(parent);
        if (siblings === undefined) childrenOf.set(parent, [at]);
        else siblings.push(at);
      }
    }
    // Go compares names as bytes: code points, natively when no path holds a code unit where they differ.
    const compare = this.table.needsCarefulOrder ? compareBytewise : compareNative;
    // Children first, by name: the reverse of a walk that lists a node, then its children from the last.
    const order: number[] = [];
    const pending = [0];
    while (pending.length > 0) {
      const id = pending.pop()!;
      if (wanted.has(id)) order.push(id);
      const children = childrenOf.get(id);
      if (children === undefined) continue;
      const names = new Map(children.map((child) => [child, baseName(this.pathOf(child))]));
      children.sort((a, b) => compare(names.get(a)!, names.get(b)!));
      for (const child of children) pending.push(child);
    }
    return order.reverse();
  }
}

/** The child-first order of two paths, for paths the sort keys cannot carry (works on code points). */
export function compareChildFirst(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) {
      if (x === 0x2f) return -1;
      if (y === 0x2f) return 1;
      return x - y;
    }
    if (x > 0xffff) i++;
  }
  if (a.length === b.length) return 0;
  // One is a prefix of the other: a path under the other comes first, a longer name comes after.
  if (a.length < b.length) return b.charCodeAt(length) === 0x2f ? 1 : -1;
  return a.charCodeAt(length) === 0x2f ? -1 : 1;
}

/**
 * One layer's own tree, as dive builds it from the tar, flattened.
 *
 * dive visits it children first, in name order, and the order matters in two cases only: when the
 * layer both whites out a path and puts something at or under it (stacking it removes or keeps that,
 * depending on which comes first), and when a whiteout names a path missing below (the visit stops
 * there). A layer's tree is sorted up front in the first case, and on demand (`inChildFirstOrder`) in
 * the second; every other layer is used in tar order, which gives the same figures without the sort.
 */
export interface DiveLayerTree {
  /** Every node, never the root: children first in name order when `ordered`, else in tar order. */
  readonly order: readonly number[];
  /** Per position in `order`: the node's info (null for an implied parent). */
  readonly infos: readonly (DiveInfo | null)[];
  /** Per position in `order`: whether the node has no children. */
  readonly leaves: readonly boolean[];
  readonly ordered: boolean;
}

/**
 * dive's `processLayerTar`: every tar entry is `AddPath`ed in tar order, so the last duplicate wins, and
 * missing parents are created with an empty FileInfo. An opaque marker is refused by AddPath after its
 * parents were created, so its directory is a node even without a tar entry of its own.
 */
export function buildDiveLayerTree(layer: DiveLayer, paths: DivePaths): DiveLayerTree {
  const stamp = paths.nextTree();
  const { inTree, treeInfo, hasChild, whitedOut } = paths;
  const nodes: number[] = [];
  const addNode = (id: number, info: DiveInfo | null): void => {
    if (inTree[id] !== stamp) {
      inTree[id] = stamp;
      nodes.push(id);
    }
    treeInfo[id] = info;
  };
  const addWithParents = (id: number, info: DiveInfo | null, refused: boolean): void => {
    if (!refused) addNode(id, info);
    for (let parent = paths.parentOf(id); parent > 0 && inTree[parent] !== stamp; parent = paths.parentOf(parent)) {
      addNode(parent, null);
    }
  };
  for (const entry of layer.entries) {
    const info: DiveInfo = { size: entry.size, isDir: entry.type === 'dir' };
    if (entry.whiteout === 'opaque') {
      addWithParents(paths.intern(joinPath(entry.path, DOUBLE_WHITEOUT_PREFIX + 'opq')), info, true);
      continue;
    }
    const treePath =
      entry.whiteout === 'file' ? joinPath(parentOf(entry.path), WHITEOUT_PREFIX + baseName(entry.path)) : entry.path;
    // A name that starts like an opaque marker is refused by AddPath too (the reader should never decode one).
    const refused = treePath.startsWith(DOUBLE_WHITEOUT_PREFIX, treePath.lastIndexOf('/') + 1);
    addWithParents(paths.intern(treePath), info, refused);
  }

  let whiteouts = false;
  for (const id of nodes) {
    hasChild[paths.parentOf(id)] = stamp;
    const target = paths.whiteoutTarget(id);
    if (target >= 0) {
      whitedOut[target] = stamp;
      whiteouts = true;
    }
  }
  const tree: DiveLayerTree = {
    order: nodes,
    infos: nodes.map((id) => treeInfo[id] ?? null),
    leaves: nodes.map((id) => hasChild[id] !== stamp),
    ordered: false,
  };
  return whiteouts && addsUnderWhiteout(nodes, paths, stamp) ? inChildFirstOrder(tree, paths) : tree;
}

/** Whether a node that stacking adds is a path the same layer whites out, or lies under one. */
function addsUnderWhiteout(nodes: readonly number[], paths: DivePaths, stamp: number): boolean {
  const { whitedOut, clearOfWhiteouts: clear } = paths;
  for (const id of nodes) {
    if (paths.whiteoutTarget(id) >= 0) continue;
    // Up to a node known to be clear: each node is looked at once, however deep the paths. (Marking a
    // node clear before its parents are seen is safe: a whited-out parent ends the search at once.)
    for (let at = id; at > 0 && clear[at] !== stamp; at = paths.parentOf(at)) {
      if (whitedOut[at] === stamp) return true;
      clear[at] = stamp;
    }
  }
  return false;
}

/** The tree in dive's visiting order: children first, by name. */
export function inChildFirstOrder(tree: DiveLayerTree, paths: DivePaths): DiveLayerTree {
  if (tree.ordered) return tree;
  const infoOf = new Map<number, DiveInfo | null>();
  tree.order.forEach((id, position) => infoOf.set(id, tree.infos[position] ?? null));
  const order = paths.sortChildFirst([...tree.order]);
  // In child-first order, a node with children comes right after its last child.
  const leaves = order.map((id, position) => position === 0 || paths.parentOf(order[position - 1]!) !== id);
  return { order, infos: order.map((id) => infoOf.get(id) ?? null), leaves, ordered: true };
}

/** dive's stacked tree (the result of `StackTreeRange`), kept up to date layer after layer. */
export class DiveStackedTree {
  /** Id → the node's info; undefined when the node is absent, null for an empty FileInfo. */
  private readonly infos: (DiveInfo | null | undefined)[] = [];
  private readonly children: (Set<number> | undefined)[] = [];

  constructor(private readonly paths: DivePaths) {}

  /** dive's `FileTree.Copy` of one layer's tree: every node, whiteout nodes included. */
  static copyOf(tree: DiveLayerTree, paths: DivePaths): DiveStackedTree {
    const stacked = new DiveStackedTree(paths);
    tree.order.forEach((id, position) => {
      stacked.infos[id] = tree.infos[position] ?? null;
      stacked.attach(id);
    });
    return stacked;
  }

  has(id: number): boolean {
    return this.infos[id] !== undefined;
  }

  info(id: number): DiveInfo | null {
    return this.infos[id] ?? null;
  }

  /**
   * dive's `Stack(upper)`: visits the upper tree child-first; a whiteout removes its path (a failure is
   * only logged), any other node, implied parents included, is added or has its info overwritten.
   */
  stack(upper: DiveLayerTree): void {
    upper.order.forEach((id, position) => {
      const target = this.paths.whiteoutTarget(id);
      if (target >= 0) this.remove(target);
      else this.add(id, upper.infos[position] ?? null);
    });
  }

  /** The sum of the sizes of a node and everything under it (dive's whiteout "sizer"). */
  subtreeSize(id: number): number {
    let total = 0;
    const pending = [id];
    while (pending.length > 0) {
      const current = pending.pop()!;
      total += this.infos[current]?.size ?? 0;
      const below = this.children[current];
      if (below) for (const child of below) pending.push(child);
    }
    return total;
  }

  /** dive's `AddPath`: missing parents get an empty FileInfo; the node gets `info`, existing or not. */
  private add(id: number, info: DiveInfo | null): void {
    if (this.infos[id] === undefined) {
      // The missing parents, top-down, in a loop: a path may be deeper than any call stack.
      const missing = [id];
      for (let at = this.paths.parentOf(id); at > 0 && this.infos[at] === undefined; at = this.paths.parentOf(at))
        missing.push(at);
      for (let i = missing.length - 1; i >= 0; i--) {
        this.infos[missing[i]!] = null;
        this.attach(missing[i]!);
      }
    }
    this.infos[id] = info;
  }

  /** dive's `RemovePath`, for a path that may be absent. */
  private remove(id: number): void {
    if (this.infos[id] === undefined) return;
    const pending = [id];
    while (pending.length > 0) {
      const current = pending.pop()!;
      const below = this.children[current];
      if (below) for (const child of below) pending.push(child);
      this.children[current] = undefined;
      this.infos[current] = undefined;
    }
    this.children[this.paths.parentOf(id)]?.delete(id);
  }

  private attach(id: number): void {
    (this.children[this.paths.parentOf(id)] ??= new Set()).add(id);
  }
}
