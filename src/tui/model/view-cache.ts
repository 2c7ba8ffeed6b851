import type { Stack } from '../../tree/index.js';
import type { TuiState } from '../store/state.js';
import { flattenTree, type FlatRows } from './flatten.js';
import { computeLayerView, deriveAggregatedView, type LayerView } from './layer-view.js';
import { compilePathFilter, type PackageOwner } from './path-filter.js';
import type { TreeIndex } from './tree-index.js';

/**
 * Derives the view and the rows from the state, recomputing only what an action invalidated:
 * a cursor move reuses both, a filter keystroke reuses the view, a layer switch recomputes both.
 */
export class ViewCache {
  private viewKey = '';
  private view: LayerView | null = null;
  private rowsInputs: unknown[] = [];
  private rows: FlatRows | null = null;
  private lastAggregated: LayerView | null = null;

  constructor(
    private readonly tree: TreeIndex,
    private readonly stack: Stack,
    private readonly ownerOf?: PackageOwner,
  ) {}

  viewFor(state: TuiState): LayerView {
    const key = `${state.mode}:${state.layer}`;
    if (this.view === null || key !== this.viewKey) {
      this.view = this.nextView(state);
      if (this.view.mode === 'aggregated') this.lastAggregated = this.view;
      this.viewKey = key;
      this.rows = null;
    }
    return this.view;
  }

  /** A stacked view is derived from the last one when the layers in between changed few paths. */
  private nextView(state: TuiState): LayerView {
    const from = this.lastAggregated;
    if (state.mode === 'aggregated' && from) {
      let touched = 0;
      for (let l = Math.min(from.layer, state.layer) + 1; l <= Math.max(from.layer, state.layer); l++)
        touched += this.stack.layers[l]?.count ?? 0;
      if (touched < this.tree.size / 4) return deriveAggregatedView(this.tree, this.stack, from, state.layer);
    }
    return computeLayerView(this.tree, this.stack, state.layer, state.mode);
  }

  rowsFor(state: TuiState): FlatRows {
    const view = this.viewFor(state);
    const inputs = [view, state.show, state.filter.text, state.collapsed, state.sort];
    if (this.rows === null || inputs.some((v, i) => v !== this.rowsInputs[i])) {
      const filter = compilePathFilter(state.filter.text, this.ownerOf);
      // While a regex is invalid, keep showing what the last valid filter showed.
      if (!filter.ok && this.rows) return this.rows;
      this.rows = flattenTree(this.tree, view, {
        show: state.show,
        match: filter.ok ? filter.test : null,
        collapsed: state.collapsed,
        sort: state.sort,
      });
      this.rowsInputs = inputs;
    }
    return this.rows;
  }
}
