import type { FlatRows } from '../model/flatten.js';
import { compilePathFilter, type PackageOwner } from '../model/path-filter.js';
import type { TreeIndex } from '../model/tree-index.js';
import type { ListName, TuiState } from './state.js';
import type { LayerView } from '../model/layer-view.js';
import type { JumpTarget } from '../model/jump-target.js';
import { jumpTo, nextRisk, type RiskyNodes } from './jumps.js';

export type StatusName = 'added' | 'modified' | 'removed' | 'unmodified';

export type Action =
  | { type: 'switch-pane' }
  | { type: 'move'; by: number }
  | { type: 'move-to'; where: 'first' | 'last' }
  | { type: 'page'; direction: 1 | -1 }
  | { type: 'select-layer'; layer: number }
  | { type: 'step-layer'; by: 1 | -1 }
  | { type: 'parent' }
  | { type: 'expand' }
  | { type: 'toggle-collapse' }
  | { type: 'toggle-collapse-all' }
  | { type: 'toggle-mode' }
  | { type: 'toggle-status'; status: StatusName }
  | { type: 'only-changes' }
  | { type: 'toggle-sort' }
  | { type: 'toggle-attributes' }
  | { type: 'filter-open' }
  | { type: 'filter-edit'; text: string }
  | { type: 'filter-type'; text: string }
  | { type: 'filter-backspace' }
  | { type: 'filter-close'; keep: boolean }
  | { type: 'toggle-help' }
  | { type: 'close-overlay' }
  | { type: 'open-find' }
  | { type: 'find-type'; text: string }
  | { type: 'find-backspace' }
  | { type: 'open-list'; list: ListName }
  | { type: 'open-history' }
  | { type: 'overlay-move'; by: number }
  | { type: 'overlay-choose' }
  | { type: 'next-risk'; direction: 1 | -1 }
  | { type: 'jump'; target: JumpTarget }
  | { type: 'clear-message' }
  /** The open overlay's rows changed (find's fuzzy results arrived): its cursor is settled again. */
  | { type: 'overlay-rows-changed' }
  | { type: 'focus'; pane: 'layers' | 'tree' }
  | { type: 'cursor-to-row'; row: number }
  | { type: 'resize'; columns: number; rows: number };

/** What a reducer may read besides the state: the tree and the rows currently displayed. */
export interface ReduceContext {
  tree: TreeIndex;
  rows: FlatRows;
  /** Tree rows on screen (for paging and scrolling). */
  treeHeight: number;
  /** The view the rows come from. */
  view: LayerView;
  risky: RiskyNodes;
  /** The rows of the open list or find overlay: where Enter on each one leads (null for headings). */
  overlayTargets: ReadonlyArray<JumpTarget | null>;
  /** The package owning a final path, for `pkg:` filters. */
  ownerOf?: PackageOwner;
}

/** All state changes are this one pure function. */
export function reduce(state: TuiState, action: Action, ctx: ReduceContext): TuiState {
  switch (action.type) {
    case 'switch-pane':
      return { ...state, pane: state.pane === 'layers' ? 'tree' : 'layers' };
    case 'move':
      return state.pane === 'layers' ? selectLayer(state, state.layer + action.by) : moveCursor(state, ctx, action.by);
    case 'move-to':
      if (state.pane === 'layers') return selectLayer(state, action.where === 'first' ? 0 : state.layerCount - 1);
      return moveCursor(state, ctx, action.where === 'first' ? -Infinity : Infinity);
    case 'page': {
      const by = action.direction * Math.max(1, ctx.treeHeight - 1);
      return state.pane === 'layers'
        ? selectLayer(state, state.layer + action.direction * 5)
        : moveCursor(state, ctx, by);
    }
    case 'select-layer':
      return selectLayer(state, action.layer);
    case 'step-layer':
      return selectLayer(state, state.layer + action.by);
    case 'parent':
      return goToParent(state, ctx);
    case 'expand':
      return expand(state, ctx);
    case 'toggle-collapse':
      return toggleCollapse(state, ctx);
    case 'toggle-collapse-all':
      return toggleCollapseAll(state, ctx);
    case 'toggle-mode':
      return { ...state, mode: state.mode === 'changes' ? 'aggregated' : 'changes' };
    case 'toggle-status':
      return { ...state, show: { ...state.show, [action.status]: !state.show[action.status] } };
    case 'only-changes': {
      // "Only changes" hides unmodified entries; pressed again, it shows everything.
      const only = state.show.added && state.show.modified && state.show.removed && !state.show.unmodified;
      return { ...state, show: { added: true, modified: true, removed: true, unmodified: only } };
    }
    case 'toggle-sort':
      return { ...state, sort: state.sort === 'name' ? 'size' : 'name' };
    case 'toggle-attributes':
      return { ...state, attributes: !state.attributes };
    case 'filter-open':
      return { ...state, filter: { ...state.filter, editing: true } };
    case 'filter-edit':
      return editFilter(state, action.text);
    case 'filter-type':
      return editFilter(state, state.filter.text + action.text);
    case 'filter-backspace':
      return editFilter(state, [...state.filter.text].slice(0, -1).join(''));
    case 'filter-close':
      return action.keep
        ? { ...state, filter: { ...state.filter, editing: false } }
        : { ...state, filter: { editing: false, text: '', error: null } };
    case 'toggle-help':
      return { ...state, overlay: state.overlay?.kind === 'help' ? null : { kind: 'help' } };
    case 'close-overlay':
      return { ...state, overlay: null };
    case 'open-find':
      return { ...state, overlay: { kind: 'find', query: '', cursor: 0 } };
    case 'find-type':
      return state.overlay?.kind === 'find'
        ? { ...state, overlay: { kind: 'find', query: state.overlay.query + action.text, cursor: 0 } }
        : state;
    case 'find-backspace':
      return state.overlay?.kind === 'find'
        ? { ...state, overlay: { kind: 'find', query: [...state.overlay.query].slice(0, -1).join(''), cursor: 0 } }
        : state;
    case 'open-list':
      // The cursor lands on the first entry once settle() sees the list's rows.
      return { ...state, overlay: { kind: 'list', list: action.list, cursor: 0 } };
    case 'open-history':
      return state.cursor > 0
        ? { ...state, overlay: { kind: 'history', path: ctx.tree.paths[state.cursor]! } }
        : { ...state, message: 'no file selected: tab to the tree first' };
    case 'overlay-move':
      return moveOverlayCursor(state, ctx, action.by);
    case 'overlay-choose': {
      const cursor = state.overlay && 'cursor' in state.overlay ? state.overlay.cursor : -1;
      const target = ctx.overlayTargets[cursor];
      return target ? jumpTo(state, ctx.tree, target, ctx.ownerOf) : state;
    }
    case 'next-risk':
      return nextRisk(state, ctx.tree, ctx.view, ctx.risky, action.direction, ctx.ownerOf);
    case 'jump':
      return jumpTo(state, ctx.tree, action.target, ctx.ownerOf);
    case 'focus':
      return state.pane === action.pane ? state : { ...state, pane: action.pane };
    case 'cursor-to-row': {
      const node = ctx.rows.node[action.row];
      return node === undefined ? state : { ...state, cursor: node };
    }
    case 'overlay-rows-changed':
      return { ...state };
    case 'clear-message':
      return state.message === null ? state : { ...state, message: null };
    case 'resize':
      return { ...state, columns: action.columns, rows: action.rows };
  }
}

/** Moves a list's cursor by `by` entries, stepping over headings, clamped at the ends. */
function moveOverlayCursor(state: TuiState, ctx: ReduceContext, by: number): TuiState {
  const overlay = state.overlay;
  if (!overlay || !('cursor' in overlay)) return state;
  const targets = ctx.overlayTargets;
  let cursor = overlay.cursor;
  const step = Math.sign(by);
  for (let moved = 0; moved < Math.abs(by); ) {
    let next = cursor + step;
    while (next >= 0 && next < targets.length && targets[next] === null) next += step;
    if (next < 0 || next >= targets.length) break;
    cursor = next;
    moved++;
  }
  return cursor === overlay.cursor ? state : { ...state, overlay: { ...overlay, cursor } };
}

function editFilter(state: TuiState, text: string): TuiState {
  const compiled = compilePathFilter(text);
  return { ...state, filter: { editing: true, text, error: compiled.ok ? null : compiled.error } };
}

function selectLayer(state: TuiState, layer: number): TuiState {
  const clamped = Math.max(0, Math.min(state.layerCount - 1, layer));
  return clamped === state.layer ? state : { ...state, layer: clamped };
}

function cursorRow(state: TuiState, rows: FlatRows): number {
  return state.cursor > 0 ? (rows.rowOf[state.cursor] ?? -1) : -1;
}

function moveCursor(state: TuiState, ctx: ReduceContext, by: number): TuiState {
  const { rows } = ctx;
  if (rows.count === 0) return state;
  const from = Math.max(0, cursorRow(state, rows));
  const to = by === Infinity ? rows.count - 1 : by === -Infinity ? 0 : Math.max(0, Math.min(rows.count - 1, from + by));
  return { ...state, cursor: rows.node[to]! };
}

function isDirectoryRow(ctx: ReduceContext, node: number): boolean {
  return ctx.tree.children[node]!.length > 0;
}

function goToParent(state: TuiState, ctx: ReduceContext): TuiState {
  if (state.pane !== 'tree') return state;
  const row = cursorRow(state, ctx.rows);
  if (row < 0) return state;
  const parentRow = ctx.rows.parentRow[row]!;
  return parentRow < 0 ? state : { ...state, cursor: ctx.rows.node[parentRow]! };
}

function expand(state: TuiState, ctx: ReduceContext): TuiState {
  if (state.pane !== 'tree') return state;
  const node = state.cursor;
  if (!isDirectoryRow(ctx, node)) return state;
  if (state.collapsed.has(node)) {
    const collapsed = new Set(state.collapsed);
    collapsed.delete(node);
    return { ...state, collapsed };
  }
  // Already open: step into its first child, like a file manager.
  const row = cursorRow(state, ctx.rows);
  const next = row + 1;
  return next < ctx.rows.count && ctx.rows.parentRow[next] === row ? { ...state, cursor: ctx.rows.node[next]! } : state;
}

function toggleCollapse(state: TuiState, ctx: ReduceContext): TuiState {
  if (state.pane !== 'tree' || !isDirectoryRow(ctx, state.cursor)) return state;
  const collapsed = new Set(state.collapsed);
  if (collapsed.has(state.cursor)) collapsed.delete(state.cursor);
  else collapsed.add(state.cursor);
  return { ...state, collapsed };
}

function toggleCollapseAll(state: TuiState, ctx: ReduceContext): TuiState {
  if (state.collapsed.size > 0) return { ...state, collapsed: new Set() };
  const collapsed = new Set<number>();
  for (let id = 1; id < ctx.tree.size; id++) if (ctx.tree.children[id]!.length > 0) collapsed.add(id);
  // Collapsing hides the cursor's row: put the cursor on its top-level ancestor.
  let cursor = state.cursor;
  while (cursor > 0 && ctx.tree.parent[cursor]! > 0) cursor = ctx.tree.parent[cursor]!;
  return { ...state, collapsed, cursor };
}

/**
 * After the rows change (a layer switch, a filter, a collapse), keeps the cursor on a shown row —
 * its node if still shown, else its nearest shown ancestor, else the first row — and scrolls so
 * that it is on screen.
 */
export function settle(
  state: TuiState,
  tree: TreeIndex,
  rows: FlatRows,
  treeHeight: number,
  overlayTargets: ReadonlyArray<JumpTarget | null> = [],
): TuiState {
  const overlay = state.overlay;
  if (overlay && 'cursor' in overlay && overlayTargets[overlay.cursor] === null) {
    // A list's cursor never rests on a heading: move it to the next entry.
    const entry = overlayTargets.findIndex((t, i) => i > overlay.cursor && t !== null);
    if (entry >= 0) state = { ...state, overlay: { ...overlay, cursor: entry } };
  }
  let cursor = state.cursor;
  while (cursor > 0 && rows.rowOf[cursor]! < 0) cursor = tree.parent[cursor]!;
  if (cursor === 0 && rows.count > 0) cursor = rows.node[0]!;
  const row = cursor > 0 ? rows.rowOf[cursor]! : 0;
  const height = Math.max(1, treeHeight);
  let scroll = Math.min(state.scroll, Math.max(0, rows.count - height));
  if (row < scroll) scroll = row;
  else if (row >= scroll + height) scroll = row - height + 1;
  scroll = Math.max(0, scroll);
  return cursor === state.cursor && scroll === state.scroll ? state : { ...state, cursor, scroll };
}
