import { describe, expect, it } from 'vitest';
import { computeExactWaste } from '../../src/analysis/waste/exact.js';
import { stackLayers, type Stack } from '../../src/tree/index.js';
import { flattenTree, type FlatRows } from '../../src/tui/model/flatten.js';
import { computeLayerView, rowInfo, Status, type ViewMode } from '../../src/tui/model/layer-view.js';
import { compilePathFilter } from '../../src/tui/model/path-filter.js';
import { buildTreeIndex, type TreeIndex } from '../../src/tui/model/tree-index.js';
import { dir, file, hardlink, layers, randomLayers, sized, whiteout } from '../helpers/layers.js';

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

/** busybox and its applets: one file of 1000 bytes, hard-linked under three more names. */
function busyboxStack(): Stack {
  return stackLayers(
    layers(
      [
        dir('/bin'),
        sized('/bin/busybox', 1000),
        hardlink('/bin/sh', '/bin/busybox'),
        hardlink('/bin/ls', '/bin/busybox'),
        dir('/usr'),
        dir('/usr/bin'),
        hardlink('/usr/bin/env', '/bin/busybox'),
        file('/etc-motd', 'hi'),
      ],
      [dir('/usr'), dir('/usr/bin'), hardlink('/usr/bin/vi', '/bin/busybox'), sized('/usr/bin/new', 50)],
      [whiteout('/bin/busybox')],
    ),
  );
}

describe('directory sizes (each piece of data counted once)', () => {
  const stack = busyboxStack();
  const tree = buildTreeIndex(stack);
  const id = (path: string) => tree.idOf.get(path)!;

  it("count a hard-linked file once per directory, not once per link, in a layer's changes", () => {
    const rows = rowsOf(tree, stack, 0, 'changes');
    expect(rows.sizes.held[id('/bin')]).toBe(1000);
    expect(rows.sizes.held[id('/usr')]).toBe(1000); // /usr/bin/env holds the data too
    expect(rows.sizes.held[0]).toBe(1002);
    expect(rows.sizes.held[0]).toBe(computeExactWaste(stack).shippedBytes[0]);
  });

  it("leave out of a layer's directories the data a link made in it points to in a lower layer", () => {
    const rows = rowsOf(tree, stack, 1, 'changes');
    expect(rows.sizes.held[id('/usr/bin')]).toBe(50);
    expect(rows.sizes.held[0]).toBe(computeExactWaste(stack).shippedBytes[1]);
    // The link's row still shows the size of what it links to, and says it is a link.
    const view = computeLayerView(tree, stack, 1, 'changes');
    expect(rowInfo(tree, view, id('/usr/bin/vi'))).toMatchObject({ type: 'hardlink', size: 1000 });
  });

  it('count the stacked filesystem once, and keep data a link still holds after its first name is gone', () => {
    expect(rowsOf(tree, stack, 1, 'aggregated').sizes.held[0]).toBe(1052);
    const top = rowsOf(tree, stack, 2, 'aggregated');
    expect(top.sizes.held[0]).toBe(1052); // /bin/busybox is removed; sh, ls, env and vi still hold its data
    expect(top.sizes.held[id('/bin')]).toBe(1000);
  });

  it('never exceed the layer (changes) or the stacked filesystem, on random stacks with hard links', () => {
    let checked = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const random = stackLayers(randomLayers(seed));
      const randomTree = buildTreeIndex(random);
      const waste = computeExactWaste(random);
      for (let layer = 0; layer < random.layers.length; layer++) {
        const changes = rowsOf(randomTree, random, layer, 'changes');
        const stacked = rowsOf(randomTree, random, layer, 'aggregated');
        const shipped = waste.shippedBytes.slice(0, layer + 1).reduce((a, b) => a + b, 0);
        for (let node = 0; node < randomTree.size; node++) {
          expect(changes.sizes.held[node], `seed ${seed} layer ${layer}`).toBeLessThanOrEqual(
            waste.shippedBytes[layer]!,
          );
          expect(stacked.sizes.held[node], `seed ${seed} layer ${layer}`).toBeLessThanOrEqual(shipped);
          checked++;
        }
        // The stacked filesystem's total is each reachable piece once.
        const pieces = new Map<number, number>();
        const view = computeLayerView(randomTree, random, layer, 'aggregated');
        for (let node = 1; node < randomTree.size; node++) {
          if (view.status[node] === Status.absent || view.status[node] === Status.removed) continue;
          const state = random.versions.stateOf(view.version[node]!);
          if (state && state.piece >= 0) pieces.set(state.piece, random.pieces[state.piece]!.size);
        }
        expect(stacked.sizes.held[0], `seed ${seed} layer ${layer}`).toBe(
          [...pieces.values()].reduce((a, b) => a + b, 0),
        );
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('sizes of what a layer removed, and under a filter', () => {
  const stack = stackLayers(
    layers(
      [
        dir('/var'),
        dir('/var/lists'),
        sized('/var/lists/small', 10),
        sized('/var/lists/Packages', 5000),
        sized('/var/lists/Release', 300),
        dir('/usr'),
        sized('/usr/tool', 700),
      ],
      [
        whiteout('/var/lists/small'),
        whiteout('/var/lists/Packages'),
        whiteout('/var/lists/Release'),
        sized('/new', 100),
      ],
    ),
  );
  const tree = buildTreeIndex(stack);
  const paths = (rows: FlatRows) => Array.from(rows.node, (node) => tree.paths[node]!);

  it('sort removed rows by the size they removed, and a directory by what it shows', () => {
    const rows = rowsOf(tree, stack, 1, 'changes', { sort: 'size' });
    expect(paths(rows)).toEqual([
      '/var',
      '/var/lists',
      '/var/lists/Packages',
      '/var/lists/Release',
      '/var/lists/small',
      '/new',
    ]);
    // What the directory holds is still what the layer holds there: nothing.
    expect(rows.sizes.held[tree.idOf.get('/var')!]).toBe(0);
    expect(rows.sizes.held[0]).toBe(100);
  });

  it('size a directory under a / filter as the sum of the rows it shows', () => {
    const unfiltered = rowsOf(tree, stack, 0, 'changes');
    expect(unfiltered.sizes.held[tree.idOf.get('/var')!]).toBe(5310);
    const filtered = rowsOf(tree, stack, 0, 'changes', { filter: 'Release' });
    expect(paths(filtered)).toEqual(['/var', '/var/lists', '/var/lists/Release']);
    expect(filtered.sizes.held[tree.idOf.get('/var')!]).toBe(300);
    expect(filtered.sizes.held[0]).toBe(300);
    // And under the status toggles.
    const noAdded = rowsOf(tree, stack, 0, 'changes', { show: { ...all, added: false } });
    expect(noAdded.sizes.held[tree.idOf.get('/var')!]).toBe(0);
  });
});
