import { Box } from 'ink';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ImageAnalysis } from '../analysis/analyze.js';
import type { ImageIndex } from '../image/types.js';
import { FileTree } from './components/file-tree.js';
import { FilterBar } from './components/filter-bar.js';
import { FindOverlay } from './components/find-overlay.js';
import { HelpOverlay } from './components/help-overlay.js';
import { HistoryOverlay } from './components/history-overlay.js';
import { ListOverlay } from './components/list-overlay.js';
import { ImageDetails } from './components/image-details.js';
import { LayerDetails } from './components/layer-details.js';
import { LayersPane, windowStart } from './components/layers-pane.js';
import { StatusBar } from './components/status-bar.js';
import type { KeyEvent } from './input/parse-keys.js';
import { useKeypress } from './input/use-keypress.js';
import { computeLayout, hitTest, type Layout } from './model/layout.js';
import { OverlayData } from './model/overlay-data.js';
import { historyRows } from './model/overlay-items.js';
import { formatBytes, plural } from '../util/format.js';
import { buildTreeIndex } from './model/tree-index.js';
import { ViewCache } from './model/view-cache.js';
import { applyKeys, type HitTest } from './store/keys.js';
import { reduce, settle, type Action, type ReduceContext } from './store/reducer.js';
import { initialState, type TuiState } from './store/state.js';
import type { Theme } from './theme.js';

/** How long typing must pause before find's fuzzy fallback runs (it may take a few hundred ms). */
export const FIND_SETTLE_MS = 120;

/** Runs `task` once `ms` have passed, unless the returned function cancels it first. */
export type Timer = (ms: number, task: () => void) => () => void;

const realTimer: Timer = (ms, task) => {
  const timer = setTimeout(task, ms);
  return () => clearTimeout(timer);
};

export interface ExplorerProps {
  image: ImageIndex;
  analysis: ImageAnalysis;
  columns: number;
  rows: number;
  theme: Theme;
  onQuit: () => void;
  now?: Date;
  /** The clock that waits for typing to pause (tests advance one by hand). */
  timer?: Timer;
}

function countByCategory(analysis: ImageAnalysis): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const risk of analysis.risks) counts.set(risk.category, (counts.get(risk.category) ?? 0) + 1);
  return [...counts];
}

/** Whichever overlay is open, full width over the panes. */
function OverlayView({
  state,
  overlays,
  analysis,
  image,
  width,
  height,
  theme,
}: {
  state: TuiState;
  overlays: OverlayData;
  analysis: ImageAnalysis;
  image: ImageIndex;
  width: number;
  height: number;
  theme: Theme;
}) {
  const overlay = state.overlay!;
  switch (overlay.kind) {
    case 'help':
      return <HelpOverlay width={width} height={height} theme={theme} />;
    case 'find':
      return (
        <FindOverlay
          query={overlay.query}
          found={overlays.findCounts(overlay.query)}
          rows={overlays.findRows(overlay.query)}
          settled={overlays.findSettled(overlay.query)}
          cursor={overlay.cursor}
          width={width}
          height={height}
          theme={theme}
        />
      );
    case 'list':
      if (overlay.list === 'packages')
        return (
          <ListOverlay
            title={packagesTitle(analysis)}
            empty="no package database found in this image"
            hint="↑↓ choose · enter shows only its files · esc closes"
            rows={overlays.packages()}
            cursor={overlay.cursor}
            width={width}
            height={height}
            theme={theme}
          />
        );
      return overlay.list === 'risks' ? (
        <ListOverlay
          title={`risky files (${analysis.risks.length})`}
          empty="no risky files found"
          rows={overlays.risks()}
          cursor={overlay.cursor}
          width={width}
          height={height}
          theme={theme}
        />
      ) : (
        <ListOverlay
          title={`waste: ${formatBytes(analysis.exact.hiddenBytes)} shipped but hidden`}
          empty="nothing is hidden: every byte shipped is reachable"
          rows={overlays.waste()}
          cursor={overlay.cursor}
          width={width}
          height={height}
          theme={theme}
        />
      );
    case 'history':
      return (
        <HistoryOverlay
          path={overlay.path}
          rows={historyRows(analysis.stack, overlay.path)}
          layers={image.layers}
          width={width}
          height={height}
          theme={theme}
        />
      );
  }
}

function bottomLines(state: TuiState): number {
  return 1 + (state.filter.editing || state.filter.text !== '' ? 1 : 0);
}

function layoutOf(state: TuiState): Layout {
  return computeLayout(state.columns, state.rows, state.layerCount, bottomLines(state));
}

export function Explorer({ image, analysis, columns, rows, theme, onQuit, now, timer = realTimer }: ExplorerProps) {
  const tree = useMemo(() => buildTreeIndex(analysis.stack), [analysis]);
  const ownerOf = useCallback((path: string) => analysis.packages.ownerOf(path)?.name, [analysis]);
  const cache = useMemo(() => new ViewCache(tree, analysis.stack, ownerOf), [tree, analysis, ownerOf]);
  const overlays = useMemo(() => new OverlayData(tree, analysis, image.layers.length), [tree, analysis, image]);
  const [state, setState] = useState(() => {
    const first = initialState(image.layers.length, columns, rows);
    return settle(first, tree, cache.rowsFor(first), layoutOf(first).treeRows);
  });

  const contextFor = useCallback(
    (s: TuiState): ReduceContext => ({
      tree,
      rows: cache.rowsFor(s),
      treeHeight: layoutOf(s).treeRows,
      view: cache.viewFor(s),
      risky: overlays.riskyNodes(),
      overlayTargets: overlays.targets(s),
      ownerOf,
    }),
    [tree, cache, overlays, ownerOf],
  );

  const dispatch = useCallback(
    (action: Action) =>
      setState((previous) => {
        const next = reduce(previous, action, contextFor(previous));
        if (next === previous) return previous;
        const ctx = contextFor(next);
        return settle(next, tree, ctx.rows, ctx.treeHeight, ctx.overlayTargets);
      }),
    [tree, cache, contextFor],
  );

  useEffect(() => {
    if (columns !== state.columns || rows !== state.rows) dispatch({ type: 'resize', columns, rows });
  }, [columns, rows, state.columns, state.rows, dispatch]);

  useEffect(() => {
    if (state.quitting) onQuit();
  }, [state.quitting, onQuit]);

  useEffect(() => overlays.warmUp(), [overlays]);

  // Find shows substring matches at once; the fuzzy fallback runs when typing pauses.
  const findQuery = state.overlay?.kind === 'find' ? state.overlay.query : null;
  useEffect(() => {
    if (findQuery === null || overlays.findSettled(findQuery)) return;
    return timer(FIND_SETTLE_MS, () => {
      if (overlays.settleFind(findQuery)) dispatch({ type: 'overlay-rows-changed' });
    });
  }, [findQuery, overlays, timer, dispatch]);

  // Key bursts are applied in the state updater, key by key, so no key sees a stale state.
  const onKey = useCallback(
    (event: KeyEvent) =>
      setState((previous) => {
        const layout = layoutOf(previous);
        const rows = cache.rowsFor(previous);
        const hit: HitTest = (x, y) =>
          hitTest(
            layout,
            x,
            y,
            windowStart(previous.layer, previous.layerCount, layout.layerRows),
            previous.layerCount,
            previous.scroll,
            rows.count,
          );
        return applyKeys(previous, [event], contextFor, hit);
      }),
    [contextFor, cache],
  );
  useKeypress(onKey);

  const riskCounts = useMemo(() => countByCategory(analysis), [analysis]);
  const riskyPaths = overlays.riskyNodes().describe;
  const layout = layoutOf(state);
  const view = cache.viewFor(state);
  const flat = cache.rowsFor(state);
  const layer = image.layers[state.layer]!;
  const changes = analysis.stack.layers[state.layer]!;
  const hiding = (['added', 'modified', 'removed', 'unmodified'] as const)
    .filter((s) => !state.show[s])
    .map((s) => s[0]!.toUpperCase());
  const subtitle = [
    state.mode === 'changes' ? `changes of layer ${state.layer}` : `layers 0..${state.layer} stacked`,
    plural(flat.count, 'row'),
    state.sort === 'size' ? 'by size' : '',
    hiding.length ? `hiding ${hiding.join('')}` : '',
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      {state.overlay ? (
        <OverlayView
          state={state}
          overlays={overlays}
          analysis={analysis}
          image={image}
          width={layout.width}
          height={layout.mainHeight}
          theme={theme}
        />
      ) : (
        <Box flexDirection="row" height={layout.mainHeight}>
          <Box flexDirection="column" width={layout.leftWidth}>
            <LayersPane
              layers={image.layers}
              shippedBytes={analysis.exact.shippedBytes}
              hiddenLaterBytes={analysis.exact.hiddenLaterBytes}
              selected={state.layer}
              mode={state.mode}
              focused={state.pane === 'layers'}
              width={layout.leftWidth}
              height={layout.layersHeight}
              visibleRows={layout.layerRows}
              theme={theme}
            />
            <LayerDetails
              layer={layer}
              counts={changes.counts}
              packages={analysis.packages.layers[state.layer]}
              shipped={analysis.exact.shippedBytes[state.layer] ?? 0}
              hiddenLater={analysis.exact.hiddenLaterBytes[state.layer] ?? 0}
              width={layout.leftWidth}
              height={layout.detailsHeight}
              theme={theme}
            />
            <ImageDetails
              image={image}
              analysis={analysis}
              riskCounts={riskCounts}
              width={layout.leftWidth}
              height={layout.imageHeight}
              theme={theme}
              now={now}
            />
          </Box>
          <FileTree
            tree={tree}
            view={view}
            rows={flat}
            cursor={state.cursor}
            scroll={state.scroll}
            visibleRows={layout.treeRows}
            attributes={state.attributes}
            risky={riskyPaths}
            owner={state.cursor > 0 ? ownerOf(tree.paths[state.cursor]!) : undefined}
            focused={state.pane === 'tree'}
            title="Files"
            subtitle={subtitle}
            width={layout.treeWidth}
            height={layout.mainHeight}
            theme={theme}
          />
        </Box>
      )}
      {(state.filter.editing || state.filter.text !== '') && (
        <FilterBar
          text={state.filter.text}
          editing={state.filter.editing}
          error={state.filter.error}
          matches={flat.count}
          width={layout.width}
          theme={theme}
        />
      )}
      <StatusBar pane={state.pane} width={layout.width} message={state.message ?? undefined} theme={theme} />
    </Box>
  );
}

function packagesTitle(analysis: ImageAnalysis): string {
  return `packages: ${analysis.packages.items.length}, ${formatBytes(analysis.packages.unownedBytes)} unowned`;
}
