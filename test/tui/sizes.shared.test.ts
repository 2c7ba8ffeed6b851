import { describe, expect, it } from 'vitest';
import { computeExactWaste } from '../../src/analysis/waste/exact.js';
import { stackLayers, type Stack } from '../../src/tree/index.js';
import { flattenTree, type FlatRows } from '../../src/tui/model/flatten.js';
import { computeLayerView, type ViewMode } from '../../src/tui/model/layer-view.js';
import { compilePathFilter } from '../../src/tui/model/path-filter.js';
import { buildTreeIndex, type TreeIndex } from '../../src/tui/model/tree-index.js';
import { openImage } from '../../src/image/open.js';
import { hasShared, shared } from '../helpers/paths.js';

const all = { added: true, modified: true, removed: true, unmodified: true };

function rowsOf(
  tree: TreeIndex,
  stack: Stack,
  layer: number,
  mode: ViewMode,
  options: { filter?: string; sort?: 'name' | 'size'; show?: typeof all } = {},
): FlatRows {
  const view = computeLayerView(tree, stack, layer, mode);
  const filter = compilePathFilter(options.filter ?? '');
  return flattenTree(tree, view, {
    show: options.show ?? all,
    match: filter.ok ? filter.test : null,
    collapsed: new Set(),
    sort: options.sort ?? 'name',
  });
}

describe.skipIf(!hasShared)("on dive's test-docker-image.tar", () => {
  it('no directory holds more than its layer (changes), nor than the layers up to it (stacked)', async () => {
    const image = await openImage(shared('peer-images/dive/test-docker-image.tar'));
    const stack = stackLayers(image.layers);
    const tree = buildTreeIndex(stack);
    const shipped = computeExactWaste(stack).shippedBytes;
    for (let layer = 0; layer < stack.layers.length; layer++) {
      const changes = rowsOf(tree, stack, layer, 'changes');
      const stacked = rowsOf(tree, stack, layer, 'aggregated');
      const upTo = shipped.slice(0, layer + 1).reduce((a, b) => a + b, 0);
      expect(Math.max(...changes.sizes.held), `layer ${layer}`).toBeLessThanOrEqual(shipped[layer]!);
      expect(Math.max(...stacked.sizes.held), `layer ${layer}`).toBeLessThanOrEqual(upTo);
    }
    // busybox's hundreds of links: /bin holds about the layer's 1.15 MB, not hundreds of MB.
    expect(rowsOf(tree, stack, 0, 'changes').sizes.held[tree.idOf.get('/bin')!]).toBeLessThanOrEqual(shipped[0]!);
  });
});
