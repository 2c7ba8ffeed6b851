import type { SortOrder, StatusVisibility } from '../model/flatten.js';
import type { ViewMode } from '../model/layer-view.js';

export type Pane = 'layers' | 'tree';

/** The list overlays: risks (`r`), waste (`w`), packages (`P`). */
export type ListName = 'risks' | 'waste' | 'packages';

/** What covers the panes, if anything. Each list overlay keeps its own cursor. */
export type Overlay =
  | { kind: 'help' }
  | { kind: 'find'; query: string; cursor: number }
  | { kind: 'list'; list: ListName; cursor: number }
  | { kind: 'history'; path: string };

/**
 * Everything the explorer's screen depends on besides the image itself. Derived data (the view of a
 * layer, the flattened rows) is never stored here: it is computed from this state and memoized.
 */
export interface TuiState {
  pane: Pane;
  /** The selected layer. */
  layer: number;
  layerCount: number;
  mode: ViewMode;
  show: StatusVisibility;
  sort: SortOrder;
  attributes: boolean;
  /** Node ids of collapsed directories (all are expanded at first, as in dive). */
  collapsed: ReadonlySet<number>;
  /** Node id under the tree cursor; 0 (the root) when the tree is empty. */
  cursor: number;
  /** First tree row on screen. */
  scroll: number;
  filter: { editing: boolean; text: string; error: string | null };
  overlay: Overlay | null;
  /** A one-line message for the status bar (a risk's reason after n/N); cleared by the next key. */
  message: string | null;
  columns: number;
  rows: number;
  /** Set by the quit key; the app leaves when it sees it. */
  quitting: boolean;
}

export function initialState(layerCount: number, columns: number, rows: number): TuiState {
  return {
    pane: 'layers',
    layer: 0,
    layerCount,
    mode: 'changes',
    show: { added: true, modified: true, removed: true, unmodified: true },
    sort: 'name',
    // Attribute columns fit comfortably from 120 columns on; below, the tree gets the room.
    attributes: columns >= 120,
    collapsed: new Set(),
    cursor: 0,
    scroll: 0,
    filter: { editing: false, text: '', error: null },
    overlay: null,
    message: null,
    columns,
    rows,
    quitting: false,
  };
}
