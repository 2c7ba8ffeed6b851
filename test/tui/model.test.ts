import { describe, expect, it } from 'vitest';
import { flattenTree, treeGuide, visibleNodes } from '../../src/tui/model/flatten.js';
import { computeLayerView, deriveAggregatedView, rowInfo, Status } from '../../src/tui/model/layer-view.js';
import { stackLayers } from '../../src/tree/index.js';
import { randomLayers } from '../helpers/layers.js';
import { computeLayout } from '../../src/tui/model/layout.js';
import { compilePathFilter } from '../../src/tui/model/path-filter.js';
import { buildTreeIndex, type TreeIndex } from '../../src/tui/model/tree-index.js';
import { sampleStack } from '../helpers/tui.js';

const all = { added: true, modified: true, removed: true, unmodified: true };

/** Random stacks (seeds 1..count), each with its tree index. */
function* randomStacks(
  count: number,
): Generator<{ seed: number; stack: ReturnType<typeof stackLayers>; tree: TreeIndex }> {
  for (let seed = 1; seed <= count; seed++) {
    const stack = stackLayers(randomLayers(seed));
    yield { seed, stack, tree: buildTreeIndex(stack) };
  }
}

describe('tree index', () => {
  it('numbers every path ever shown, parents before children, children by name', () => {
    const tree = buildTreeIndex(sampleStack());
    expect(tree.paths[0]).toBe('/');
    const etc = tree.idOf.get('/etc')!;
    expect(Array.from(tree.children[etc]!, (id) => tree.names[id])).toEqual(['motd', 'passwd']);
    expect(tree.parent[tree.idOf.get('/opt/app/config/b.ini')!]).toBe(tree.idOf.get('/opt/app/config'));
    expect(tree.idOf.has('/var/lib/apt/lists/Packages')).toBe(true); // removed later, still a node
  });
});

describe('layer views', () => {
  const stack = sampleStack();
  const tree = buildTreeIndex(stack);
  const status = (view: ReturnType<typeof computeLayerView>, path: string) => view.status[tree.idOf.get(path)!];

  it("'changes' shows only what a layer touched, with directories above as context", () => {
    const view = computeLayerView(tree, stack, 2, 'changes');
    expect(status(view, '/var/lib/apt/lists/Packages')).toBe(Status.removed);
    expect(status(view, '/opt/app/config/a.ini')).toBe(Status.removed);
    expect(status(view, '/opt/app/config/b.ini')).toBe(Status.modified);
    expect(status(view, '/var')).toBe(Status.context);
    expect(status(view, '/etc/passwd')).toBe(Status.absent);
  });

  it("'aggregated' shows everything up to the layer, marked by its last change", () => {
    const view = computeLayerView(tree, stack, 1, 'aggregated');
    expect(status(view, '/etc/passwd')).toBe(Status.added);
    expect(status(view, '/etc/motd')).toBe(Status.modified);
    expect(status(view, '/var/lib/apt/lists/Packages')).toBe(Status.added);
    const later = computeLayerView(tree, stack, 2, 'aggregated');
    expect(status(later, '/var/lib/apt/lists/Packages')).toBe(Status.removed);
    // A removed path shows what was removed.
    expect(rowInfo(tree, later, tree.idOf.get('/var/lib/apt/lists/Packages')!)).toMatchObject({ size: 1000, layer: 2 });
  });

  it('sizes a directory as the sum of its visible descendants', () => {
    const held = (layer: number, path: string) => {
      const view = computeLayerView(tree, stack, layer, 'aggregated');
      return flattenTree(tree, view, { show: all, match: null, collapsed: new Set(), sort: 'name' }).sizes.held[
        tree.idOf.get(path)!
      ];
    };
    expect(held(1, '/var')).toBe(1000);
    expect(held(1, '/etc')).toBe('root:x:0:0'.length + 'welcome to strata'.length);
    expect(held(2, '/var')).toBe(0); // removed files do not count
  });
});

describe('flattening', () => {
  const stack = sampleStack();
  const tree = buildTreeIndex(stack);
  const paths = (rows: ReturnType<typeof flattenTree>) => Array.from(rows.node, (id) => tree.paths[id]!);

  it('lists rows depth-first, and skips collapsed directories', () => {
    const view = computeLayerView(tree, stack, 0, 'changes');
    const rows = flattenTree(tree, view, { show: all, match: null, collapsed: new Set(), sort: 'name' });
    expect(paths(rows).slice(0, 4)).toEqual(['/etc', '/etc/motd', '/etc/passwd', '/usr']);
    const collapsed = flattenTree(tree, view, {
      show: all,
      match: null,
      collapsed: new Set([tree.idOf.get('/etc')!]),
      sort: 'name',
    });
    expect(paths(collapsed).slice(0, 2)).toEqual(['/etc', '/usr']);
  });

  it('keeps the parents of filter matches, and only them', () => {
    const view = computeLayerView(tree, stack, 1, 'aggregated');
    const filter = compilePathFilter('run.sh');
    const rows = flattenTree(tree, view, {
      show: all,
      match: filter.ok ? filter.test : null,
      collapsed: new Set(),
      sort: 'name',
    });
    expect(paths(rows)).toEqual(['/opt', '/opt/app', '/opt/app/run.sh']);
  });

  it('hides statuses that are toggled off', () => {
    const view = computeLayerView(tree, stack, 1, 'aggregated');
    const rows = flattenTree(tree, view, {
      show: { ...all, added: false },
      match: null,
      collapsed: new Set(),
      sort: 'name',
    });
    expect(paths(rows)).toEqual(['/etc', '/etc/motd']);
  });

  it('sorts by size, largest first', () => {
    const view = computeLayerView(tree, stack, 1, 'aggregated');
    const rows = flattenTree(tree, view, { show: all, match: null, collapsed: new Set(), sort: 'size' });
    const top = paths(rows).filter((p) => p.split('/').length === 2);
    expect(top[0]).toBe('/var');
  });

  it('draws tree guides from parent rows', () => {
    const view = computeLayerView(tree, stack, 0, 'changes');
    const rows = flattenTree(tree, view, { show: all, match: null, collapsed: new Set(), sort: 'name' });
    const row = rows.rowOf[tree.idOf.get('/etc/passwd')!]!;
    expect(treeGuide(rows, row)).toBe('│   └── ');
    expect(treeGuide(rows, rows.rowOf[tree.idOf.get('/var')!]!)).toBe('└── ');
  });
});

describe('flattening, on random stacks', () => {
  /** The rows as a plain recursive walk over children by name makes them (the reference). */
  function walk(tree: TreeIndex, visible: Uint8Array, collapsed: ReadonlySet<number>): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    const visit = (id: number, parentRow: number): void => {
      for (const kid of tree.children[id]!) {
        if (!visible[kid]) continue;
        const row = out.length;
        out.push([kid, parentRow]);
        if (!collapsed.has(kid)) visit(kid, row);
      }
    };
    visit(0, -1);
    return out;
  }

  it('lists the visible nodes in tree order, skipping collapsed subtrees, whatever is shown or filtered', () => {
    let compared = 0;
    for (const { seed, stack, tree } of randomStacks(40)) {
      stack.layers.forEach((_, layer) => {
        for (const mode of ['changes', 'aggregated'] as const) {
          const view = computeLayerView(tree, stack, layer, mode);
          const dirs = Array.from({ length: tree.size }, (_, id) => id).filter((id) => tree.children[id]!.length > 0);
          const collapsed = new Set(dirs.filter((id) => (id * 7 + seed + layer) % 5 === 0));
          const show = { added: true, modified: (seed + layer) % 3 !== 0, removed: true, unmodified: layer % 2 === 0 };
          const match = seed % 4 === 0 ? (path: string) => path.includes('a') : null;
          const rows = flattenTree(tree, view, { show, match, collapsed, sort: 'name' });
          const want = walk(tree, visibleNodes(tree, view, { show, match }), collapsed);
          expect(Array.from(rows.node), `seed ${seed} layer ${layer} ${mode}`).toEqual(want.map(([id]) => id));
          expect(Array.from(rows.parentRow), `seed ${seed} layer ${layer} ${mode}`).toEqual(
            want.map(([, parentRow]) => parentRow),
          );
          want.forEach(([id], row) => expect(rows.rowOf[id]).toBe(row));
          expect(Array.from(rows.rowOf).filter((row) => row >= 0)).toHaveLength(want.length);
          compared++;
        }
      });
    }
    expect(compared).toBeGreaterThan(200);
  });
});

describe('path filter', () => {
  it('is a substring by default and a regex between slashes', () => {
    const sub = compilePathFilter('apt');
    expect(sub.ok && sub.test!('/var/lib/apt')).toBe(true);
    const re = compilePathFilter('/\\.ini$/');
    expect(re.ok && re.test!('/opt/app/config/a.ini')).toBe(true);
    expect(re.ok && re.test!('/opt/app/config/a.ini.bak')).toBe(false);
  });
  it('reports an invalid regex instead of throwing', () => {
    const bad = compilePathFilter('/(unclosed/');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^invalid regex: /);
  });
});

describe('layout', () => {
  it.each([
    [80, 24],
    [120, 40],
    [200, 60],
  ])('fills %ix%i without overflowing (rows − 1 tall)', (columns, rows) => {
    const layout = computeLayout(columns, rows, 14, 1);
    expect(layout.height).toBe(rows - 1);
    expect(layout.leftWidth + layout.treeWidth).toBe(columns);
    expect(layout.layersHeight + layout.detailsHeight + layout.imageHeight).toBe(layout.mainHeight);
    expect(layout.mainHeight + 1).toBe(layout.height);
    expect(layout.treeRows).toBeGreaterThan(5);
  });
});

describe('row details', () => {
  it("in a layer's changes, each row shows what its change lists (a removed path: what was removed)", () => {
    let compared = 0;
    for (const { seed, stack, tree } of randomStacks(30)) {
      stack.layers.forEach((changes, layer) => {
        const view = computeLayerView(tree, stack, layer, 'changes');
        for (const change of changes.list()) {
          const { type, size, mode, uid, gid, linkTarget } = change;
          const shown = rowInfo(tree, view, tree.idOf.get(change.path)!);
          expect(shown, `seed ${seed} layer ${layer} ${change.path}`).toMatchObject({
            type,
            size,
            mode,
            uid,
            gid,
            layer,
          });
          expect(shown?.linkTarget, `seed ${seed} layer ${layer} ${change.path}`).toBe(linkTarget);
          compared++;
        }
      });
    }
    expect(compared).toBeGreaterThan(500);
  });
});

describe('derived stacked views', () => {
  it('equal freshly computed ones, from any layer to any other, on random stacks', () => {
    let compared = 0;
    for (const { seed, stack, tree } of randomStacks(40)) {
      const count = stack.layers.length;
      for (let from = 0; from < count; from++) {
        const start = computeLayerView(tree, stack, from, 'aggregated');
        for (let to = 0; to < count; to++) {
          const derived = deriveAggregatedView(tree, stack, start, to);
          const fresh = computeLayerView(tree, stack, to, 'aggregated');
          expect(Array.from(derived.status), `seed ${seed} ${from}→${to}`).toEqual(Array.from(fresh.status));
          for (const field of ['size', 'isDir', 'counted'] as const)
            expect(Array.from(derived[field]), `${field}: seed ${seed} ${from}→${to}`).toEqual(
              Array.from(fresh[field]),
            );
          expect(derived.shared, `seed ${seed} ${from}→${to}`).toEqual(fresh.shared);
          expect(Array.from(derived.version), `seed ${seed} ${from}→${to}`).toEqual(Array.from(fresh.version));
          for (let id = 0; id < tree.size; id++) expect(rowInfo(tree, derived, id)).toEqual(rowInfo(tree, fresh, id));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
