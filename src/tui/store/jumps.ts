import { Status, type LayerView } from '../model/layer-view.js';
import type { JumpTarget } from '../model/jump-target.js';
import { compilePathFilter, type PackageOwner } from '../model/path-filter.js';
import type { TreeIndex } from '../model/tree-index.js';
import type { TuiState } from './state.js';

/** Risky files as tree nodes, in tree order, with the line the status bar shows for each. */
export interface RiskyNodes {
  nodes: readonly number[];
  describe: ReadonlyMap<number, string>;
}

/**
 * Moves to a path in a layer and view: selects them, opens every directory above the path, makes
 * sure the filter and the status toggles show it, and puts the cursor on it.
 */
export function jumpTo(state: TuiState, tree: TreeIndex, target: JumpTarget, ownerOf?: PackageOwner): TuiState {
  const node = tree.idOf.get(target.path);
  if (node === undefined) return { ...state, overlay: null, message: `${target.path} is not in this image` };
  const collapsed = new Set(state.collapsed);
  for (let p = tree.parent[node]!; p > 0; p = tree.parent[p]!) collapsed.delete(p);
  if (target.filter !== undefined) state = { ...state, filter: { editing: false, text: target.filter, error: null } };
  const filter = compilePathFilter(state.filter.text, ownerOf);
  const filterHides = filter.ok && filter.test !== null && !filter.test(target.path);
  return {
    ...state,
    layer: Math.max(0, Math.min(state.layerCount - 1, target.layer)),
    mode: target.mode,
    pane: 'tree',
    overlay: null,
    collapsed,
    cursor: node,
    show: { added: true, modified: true, removed: true, unmodified: true },
    filter: filterHides ? { editing: false, text: '', error: null } : { ...state.filter, editing: false },
    message: filterHides ? 'filter cleared to show the file' : state.message,
  };
}

function shownIn(view: LayerView, node: number): boolean {
  const status = view.status[node]!;
  return status !== Status.absent && status !== Status.context;
}

/**
 * n / N: the next risky file after the cursor in tree order, among those the current view shows.
 * When the view shows none, the stacked view of the top layer (the final filesystem) is used.
 */
export function nextRisk(
  state: TuiState,
  tree: TreeIndex,
  view: LayerView,
  risky: RiskyNodes,
  direction: 1 | -1,
  ownerOf?: PackageOwner,
): TuiState {
  if (risky.nodes.length === 0) return { ...state, message: 'no risky files found in this image' };
  let candidates = risky.nodes.filter((n) => shownIn(view, n));
  let landing: Pick<JumpTarget, 'layer' | 'mode'> = { layer: state.layer, mode: state.mode };
  if (candidates.length === 0) {
    candidates = [...risky.nodes];
    landing = { layer: state.layerCount - 1, mode: 'aggregated' };
  }
  const here = tree.rank[state.cursor]!;
  const ordered = direction === 1 ? candidates : [...candidates].reverse();
  const next = ordered.find((n) => (direction === 1 ? tree.rank[n]! > here : tree.rank[n]! < here)) ?? ordered[0]!;
  const jumped = jumpTo(state, tree, { path: tree.paths[next]!, ...landing }, ownerOf);
  return { ...jumped, message: risky.describe.get(next) ?? null };
}
