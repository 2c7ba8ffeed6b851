import { describe, expect, it } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { openImage } from '../../src/image/open.js';
import { packageCounts } from '../../src/tui/components/layer-details.js';
import { OverlayData } from '../../src/tui/model/overlay-data.js';
import { compilePathFilter } from '../../src/tui/model/path-filter.js';
import { buildTreeIndex } from '../../src/tui/model/tree-index.js';
import { ViewCache } from '../../src/tui/model/view-cache.js';
import { applyKeys } from '../../src/tui/store/keys.js';
import { settle, type ReduceContext } from '../../src/tui/store/reducer.js';
import { initialState, type TuiState } from '../../src/tui/store/state.js';
import { fixtures } from '../helpers/paths.js';

async function explorerOn(name: string) {
  const image = await openImage(fixtures(name));
  const analysis = analyzeImage(image);
  const tree = buildTreeIndex(analysis.stack);
  const ownerOf = (path: string) => analysis.packages.ownerOf(path)?.name;
  const cache = new ViewCache(tree, analysis.stack, ownerOf);
  const overlays = new OverlayData(tree, analysis, image.layers.length);
  const context = (s: TuiState): ReduceContext => ({
    tree,
    rows: cache.rowsFor(s),
    treeHeight: 20,
    view: cache.viewFor(s),
    risky: overlays.riskyNodes(),
    overlayTargets: overlays.targets(s),
    ownerOf,
  });
  const first = initialState(image.layers.length, 100, 30);
  const state = settle(first, tree, cache.rowsFor(first), 20);
  const shownPaths = (s: TuiState) => {
    const rows = cache.rowsFor(s);
    return Array.from({ length: rows.count }, (_, i) => tree.paths[rows.node[i]!]!);
  };
  return { analysis, overlays, context, state, shownPaths };
}

describe('packages in the explorer', () => {
  it('P lists packages by bytes with their layer; enter filters the tree to its files', async () => {
    const { analysis, overlays, context, state, shownPaths } = await explorerOn('packages/dpkg.tar');
    const rows = overlays.packages();
    const entries = rows.filter((r) => r.kind === 'entry');
    expect(entries.map((r) => r.text.trim().split(/\s+/).slice(2, 3)[0])).toEqual(
      analysis.packages.items.filter((i) => i.files > 0).map((i) => i.name),
    );
    const curl = entries.find((r) => r.kind === 'entry' && r.text.includes(' curl '))!;
    const item = analysis.packages.items.find((i) => i.name === 'curl')!;
    expect(curl.kind === 'entry' && curl.detail).toBe(
      `L${item.layer} · ${item.files} file${item.files === 1 ? '' : 's'}`,
    );

    let s = applyKeys(state, [{ kind: 'text', text: 'P' }], context);
    expect(s.overlay).toMatchObject({ kind: 'list', list: 'packages' });
    const curlRow = rows.indexOf(curl);
    // Step until the cursor is on curl, whatever its place in the list.
    for (let i = 0; i < rows.length && s.overlay && 'cursor' in s.overlay && s.overlay.cursor !== curlRow; i++)
      s = applyKeys(s, [{ kind: 'key', name: s.overlay.cursor < curlRow ? 'down' : 'up' }], context);
    s = applyKeys(s, [{ kind: 'key', name: 'enter' }], context);
    expect(s.overlay).toBeNull();
    expect(s.filter.text).toBe('pkg:curl');
    expect(s.layer).toBe(s.layerCount - 1);
    expect(s.mode).toBe('aggregated');
    const shown = shownPaths(s);
    expect(shown).toContain('/usr/bin/curl');
    expect(shown).not.toContain('/usr/bin/bash');
    for (const path of shown) {
      const owned = analysis.packages.ownerOf(path)?.name === 'curl';
      const isParent = shown.some((p) => p.startsWith(`${path}/`));
      expect(owned || isParent).toBe(true);
    }
  });

  it('a pkg: filter keeps the files the owner function names, and nothing without one', () => {
    const owner = (path: string) => (path === '/usr/bin/curl' ? 'curl' : undefined);
    const filter = compilePathFilter('pkg:curl', owner);
    expect(filter.ok && filter.test?.('/usr/bin/curl')).toBe(true);
    expect(filter.ok && filter.test?.('/usr/bin/bash')).toBe(false);
    const none = compilePathFilter('pkg:curl');
    expect(none.ok && none.test?.('/usr/bin/curl')).toBe(false);
    // "pkg:" alone is a plain substring.
    const plain = compilePathFilter('pkg:');
    expect(plain.ok && plain.test?.('/a/pkg:/b')).toBe(true);
  });

  it('the layer details count packages added, upgraded and removed, only for a layer that changed them', () => {
    expect(packageCounts({ added: ['a', 'b'], upgraded: ['c'], removed: [] })).toBe('packages +2 ~1 -0');
    expect(packageCounts({ added: [], upgraded: [], removed: [] })).toBe('');
    expect(packageCounts(undefined)).toBe('');
  });
});
