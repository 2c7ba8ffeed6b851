import { describe, expect, it } from 'vitest';
import { computeExactWaste } from '../../src/analysis/waste/exact.js';
import type { TarEntry } from '../../src/layers/types.js';
import { stackLayers } from '../../src/tree/stack.js';
import { dir, file, hardlink, layers, naiveStack, opaque, randomLayers, sized, whiteout } from '../helpers/layers.js';

describe('computeExactWaste: properties over random stacks', () => {
  it('total = visible + Σ hidden, with visible found by walking the final filesystem', () => {
    let seedsWithHiddenData = 0;
    let seedsWithVisibleData = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const layerList = randomLayers(seed);
      const waste = computeExactWaste(stackLayers(layerList));

      // Independently: every regular-file entry is a piece; the final filesystem of the naive model says
      // which pieces a path still reaches (hardlinks resolved), each counted once.
      const pieces = layerList.flatMap((l) => l.entries.filter((e) => e.type === 'file' && !e.whiteout));
      const totalBytes = pieces.reduce((sum, piece) => sum + piece.size, 0);
      const naive = naiveStack(layerList);
      const reachable = new Set<TarEntry>();
      for (const state of naive.filesystems.at(-1)?.values() ?? []) if (state.piece) reachable.add(state.piece);
      const visibleBytes = [...reachable].reduce((sum, piece) => sum + piece.size, 0);

      const context = `seed ${seed}`;
      expect(waste.totalBytes, context).toBe(totalBytes);
      expect(waste.visibleBytes, context).toBe(visibleBytes);
      const hiddenSum = waste.hidden.reduce((sum, piece) => sum + piece.size, 0);
      expect(waste.totalBytes, context).toBe(waste.visibleBytes + hiddenSum);
      expect(waste.hiddenBytes, context).toBe(hiddenSum);
      expect(
        waste.hiddenLaterBytes.reduce((a, b) => a + b, 0),
        context,
      ).toBe(hiddenSum);
      expect(
        waste.shippedBytes.reduce((a, b) => a + b, 0),
        context,
      ).toBe(totalBytes);
      expect(waste.efficiency, context).toBe(totalBytes === 0 ? 1 : visibleBytes / totalBytes);
      if (hiddenSum > 0) seedsWithHiddenData++;
      if (visibleBytes > 0) seedsWithVisibleData++;
    }
    // The generator must actually exercise both sides.
    expect(seedsWithHiddenData).toBeGreaterThan(100);
    expect(seedsWithVisibleData).toBeGreaterThan(100);
  });

  it('hiddenBy is the first layer after which no path reaches the piece', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const layerList = randomLayers(seed);
      const stack = stackLayers(layerList);
      const naive = naiveStack(layerList);
      const reachableAfter = naive.filesystems.map((fs) => new Set([...fs.values()].map((s) => s.piece)));
      // Pieces are numbered in entry order across layers.
      const shipped = layerList.flatMap((l, n) =>
        l.entries.filter((e) => e.type === 'file' && !e.whiteout).map((entry) => ({ entry, n })),
      );
      expect(stack.pieces.length).toBe(shipped.length);
      shipped.forEach(({ entry, n }, id) => {
        let hiddenBy: number | null = null;
        for (let k = n; k < layerList.length; k++) {
          if (!reachableAfter[k]!.has(entry)) {
            hiddenBy = k;
            break;
          }
        }
        expect(stack.pieces[id]!.hiddenBy, `seed ${seed} piece ${id} ${entry.path}`).toBe(hiddenBy);
      });
    }
  });

  it('lists hidden pieces by size descending, then path', () => {
    const waste = computeExactWaste(
      stackLayers(
        layers(
          [sized('/b', 10), sized('/a', 10), sized('/c', 30), sized('/zero', 0)],
          [whiteout('/a'), whiteout('/b'), whiteout('/c'), whiteout('/zero')],
        ),
      ),
    );
    expect(waste.hidden.map((piece) => piece.path)).toEqual(['/c', '/a', '/b']);
    expect(waste.hiddenLaterBytes).toEqual([50, 0]);
  });
});

describe('computeExactWaste: cases', () => {
  it('an empty image wastes nothing and is fully efficient', () => {
    expect(computeExactWaste(stackLayers([]))).toMatchObject({
      totalBytes: 0,
      visibleBytes: 0,
      hiddenBytes: 0,
      efficiency: 1,
      hidden: [],
    });
    expect(computeExactWaste(stackLayers(layers([dir('/d')])))).toMatchObject({ totalBytes: 0, efficiency: 1 });
  });

  it('a whiteout removes: reason removed, hidden by the whiteout layer', () => {
    const waste = computeExactWaste(
      stackLayers(layers([sized('/tmp/cache.tgz', 500)], [file('/x', 'x')], [whiteout('/tmp/cache.tgz')])),
    );
    expect(waste.hidden).toEqual([{ path: '/tmp/cache.tgz', size: 500, layer: 0, hiddenBy: 2, reason: 'removed' }]);
    expect(waste.hiddenLaterBytes).toEqual([500, 0, 0]);
    expect(waste).toMatchObject({ totalBytes: 501, visibleBytes: 1, hiddenBytes: 500 });
  });

  it('a rewrite with new content overwrites', () => {
    const waste = computeExactWaste(
      stackLayers(layers([sized('/app.jar', 100, 'v1')], [sized('/app.jar', 120, 'v2')])),
    );
    expect(waste.hidden).toEqual([{ path: '/app.jar', size: 100, layer: 0, hiddenBy: 1, reason: 'overwritten' }]);
  });

  it('an opaque directory removes the lower files inside it', () => {
    const waste = computeExactWaste(
      stackLayers(layers([sized('/d/a', 7), sized('/d/b', 9)], [dir('/d'), opaque('/d'), sized('/d/b', 9)])),
    );
    expect(waste.hidden).toEqual([
      { path: '/d/b', size: 9, layer: 0, hiddenBy: 1, reason: 'overwritten' },
      { path: '/d/a', size: 7, layer: 0, hiddenBy: 1, reason: 'removed' },
    ]);
  });

  it('data stays visible while any hardlink reaches it, and is hidden when the last one goes', () => {
    const stack = stackLayers(layers([sized('/a', 100), hardlink('/b', '/a')], [whiteout('/a')], [whiteout('/b')]));
    const waste = computeExactWaste(stack);
    expect(waste.hidden).toEqual([{ path: '/a', size: 100, layer: 0, hiddenBy: 2, reason: 'removed' }]);
    expect(waste.totalBytes).toBe(100);
  });

  it('the reason looks at the last path that held the data', () => {
    // /a is overwritten at 1 while /h keeps the old data; /h goes at 2, so the old data was removed.
    const stack = stackLayers(
      layers([sized('/a', 10, 'old'), hardlink('/h', '/a')], [sized('/a', 10, 'new')], [whiteout('/h')]),
    );
    expect(computeExactWaste(stack).hidden).toEqual([
      { path: '/a', size: 10, layer: 0, hiddenBy: 2, reason: 'removed' },
    ]);
  });

  it('a same-layer duplicate is hidden by its own layer, as overwritten', () => {
    const waste = computeExactWaste(stackLayers(layers([file('/f', 'first'), file('/f', 'second')])));
    expect(waste.hidden).toEqual([{ path: '/f', size: 5, layer: 0, hiddenBy: 0, reason: 'overwritten' }]);
    expect(waste.hiddenLaterBytes).toEqual([5]);
  });

  it('a same-layer duplicate still reached by a hardlink made before it is not hidden', () => {
    const waste = computeExactWaste(
      stackLayers(layers([file('/f', 'first'), hardlink('/h', '/f'), file('/f', 'second')])),
    );
    expect(waste.hidden).toEqual([]);
    expect(waste.visibleBytes).toBe(11);
  });
});
