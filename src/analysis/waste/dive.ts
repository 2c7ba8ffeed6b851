import { bytewiseComparatorFor } from '../../tree/path-order.js';
import {
  DivePaths,
  DiveStackedTree,
  buildDiveLayerTree,
  inChildFirstOrder,
  type DiveLayer,
  type DiveLayerTree,
} from './dive-tree.js';

export interface DiveInefficientFile {
  path: string;
  /** How many layers' trees had a leaf at this path (dive's `len(Nodes)`). */
  count: number;
  /** dive's `CumulativeSize`. */
  sizeBytes: number;
}

/** dive v0.12's image figures (`dive --ci`, `--json`), reproduced with their quirks. */
export interface DiveEfficiency {
  efficiency: number;
  wastedBytes: number;
  /** wastedBytes / userSizeBytes, as a fraction; null when there are no user bytes (dive would print NaN or +Inf). */
  userWastedPercent: number | null;
  sizeBytes: number;
  userSizeBytes: number;
  /** By sizeBytes descending, then path bytewise. */
  inefficientFiles: DiveInefficientFile[];
}

/** dive's `EfficiencyData`, per path id. */
class Tallies {
  readonly ids: number[] = [];
  readonly cumulativeSize: number[] = [];
  /** -1 until a size is discovered; a path whose only visit failed keeps -1, and dive adds it to the score. */
  readonly minSize: number[] = [];
  readonly count: number[] = [];

  /** Creates the tally on first sight, before the size is known (as dive does). */
  open(id: number): void {
    if (this.count[id] !== undefined) return;
    this.ids.push(id);
    this.cumulativeSize[id] = 0;
    this.minSize[id] = -1;
    this.count[id] = 0;
  }

  add(id: number, size: number): void {
    this.cumulativeSize[id]! += size;
    const min = this.minSize[id]!;
    if (min < 0 || size < min) this.minSize[id] = size;
    this.count[id]!++;
  }
}

/**
 * dive's `filetree.Efficiency` plus `image.Analyze`.
 *
 * For each layer, dive visits the leaves of that layer's own tree, children first in name order, and adds
 * each leaf's size to its path's tally. A whiteout's size is looked up in the stack of layers 0..current−1
 * (`StackTreeRange(trees, 0, current-1)`, which starts from a copy of layer 0 and stacks layer 0 on it
 * again; for layer 0 itself it is just that copy): a directory that has its own tar entry weighs the sum of
 * everything under it, anything else 0, and a path missing there is an error that stops the visit of the
 * rest of that layer. dive rebuilds that stack for every whiteout; here it is kept up to date as the layers
 * advance, so each layer is stacked once, and a whiteout costs the size of what it hides.
 */
export function computeDiveEfficiency(layers: readonly DiveLayer[]): DiveEfficiency {
  const paths = new DivePaths();
  const tallies = new Tallies();
  let stacked: DiveStackedTree | undefined;
  let previous: DiveLayerTree | undefined;

  for (const layer of layers) {
    let tree = buildDiveLayerTree(layer, paths);
    if (stacked === undefined) stacked = DiveStackedTree.copyOf(tree, paths);
    else if (previous !== undefined) stacked.stack(previous);
    // Where the visit stops depends on the order: then, and only then, visit in dive's order.
    if (stopsEarly(tree, stacked, paths)) tree = inChildFirstOrder(tree, paths);
    tallyLayer(tree, stacked, paths, tallies);
    previous = tree;
  }

  return summarize(
    layers.map((layer) => layer.headerSizeTotal),
    tallies,
    paths,
  );
}

/** Whether a whiteout of the layer names a path missing below (dive's visit stops there). */
function stopsEarly(tree: DiveLayerTree, lower: DiveStackedTree, paths: DivePaths): boolean {
  for (let position = 0; position < tree.order.length; position++) {
    if (!tree.leaves[position]) continue;
    const target = paths.whiteoutTarget(tree.order[position]!);
    if (target >= 0 && !lower.has(target)) return true;
  }
  return false;
}

function tallyLayer(tree: DiveLayerTree, lower: DiveStackedTree, paths: DivePaths, tallies: Tallies): void {
  const { order, infos, leaves } = tree;
  for (let position = 0; position < order.length; position++) {
    if (!leaves[position]) continue;
    const id = order[position]!;
    const whiteoutTarget = paths.whiteoutTarget(id);
    const pathId = whiteoutTarget >= 0 ? whiteoutTarget : id;
    tallies.open(pathId);
    let size: number;
    if (whiteoutTarget >= 0) {
      if (!lower.has(pathId)) return; // dive's visitor error: the rest of this layer is not visited.
      size = lower.info(pathId)?.isDir ? lower.subtreeSize(pathId) : 0;
    } else {
      size = infos[position]?.size ?? 0;
    }
    tallies.add(pathId, size);
  }
}

function summarize(headerSizes: readonly number[], tallies: Tallies, paths: DivePaths): DiveEfficiency {
  let minimumSizes = 0;
  let discoveredSizes = 0;
  let wastedBytes = 0;
  const inefficientFiles: DiveInefficientFile[] = [];
  for (const id of tallies.ids) {
    const cumulative = tallies.cumulativeSize[id]!;
    minimumSizes += tallies.minSize[id]!;
    discoveredSizes += cumulative;
    const count = tallies.count[id]!;
    if (count >= 2) {
      wastedBytes += cumulative;
      inefficientFiles.push({ path: paths.pathOf(id), count, sizeBytes: cumulative });
    }
  }
  const comparePaths = bytewiseComparatorFor(inefficientFiles.map((file) => file.path));
  inefficientFiles.sort((a, b) => b.sizeBytes - a.sizeBytes || comparePaths(a.path, b.path));

  const sizeBytes = headerSizes.reduce((sum, size) => sum + size, 0);
  const userSizeBytes = sizeBytes - (headerSizes[0] ?? 0);
  return {
    efficiency: discoveredSizes === 0 ? 1 : minimumSizes / discoveredSizes,
    wastedBytes,
    userWastedPercent: userSizeBytes === 0 ? null : wastedBytes / userSizeBytes,
    sizeBytes,
    userSizeBytes,
    inefficientFiles,
  };
}
