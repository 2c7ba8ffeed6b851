/**
 * Randomized cross-check of stackLayers against a deliberately naive model (test/helpers/layers.ts) that
 * copies the whole filesystem for every layer and removes subtrees by scanning every path.
 */
import { describe, expect, it } from 'vitest';
import { stackLayers } from '../../src/tree/stack.js';
import { filesystemAt, stateAt } from '../../src/tree/view.js';
import { naiveStack, randomLayers } from '../helpers/layers.js';

describe('stackLayers matches a naive model on random stacks', () => {
  it('per-layer changes, and the filesystem as of every layer', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const layerList = randomLayers(seed);
      const stack = stackLayers(layerList);
      const naive = naiveStack(layerList);
      layerList.forEach((_, n) => {
        expect(stack.layers[n]!.list(), `seed ${seed} layer ${n}`).toEqual(naive.changes[n]);
        const view = filesystemAt(stack, n);
        const expected = naive.filesystems[n]!;
        expect([...view.keys()].sort(), `seed ${seed} layer ${n}`).toEqual([...expected.keys()].sort());
        for (const [path, state] of expected) {
          const actual = view.get(path)!;
          expect({
            type: actual.type,
            mode: actual.mode,
            size: actual.size,
            hash: actual.hash,
            implied: actual.entry === null,
          }).toEqual({
            type: state.type,
            mode: state.mode,
            size: state.size,
            hash: state.hash,
            implied: state.implied,
          });
          expect(stateAt(stack, path, n)).toBe(actual);
        }
      });
      // The final view is the live filesystem left after the last layer.
      expect(new Map(stack.final)).toEqual(filesystemAt(stack, layerList.length - 1));
    }
  });

  it('counts only non-directory changes', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const stack = stackLayers(randomLayers(seed));
      for (const layer of stack.layers) {
        const expected = { added: 0, modified: 0, removed: 0, unmodified: 0 };
        for (const change of layer.list()) if (change.type !== 'dir') expected[change.status]++;
        const { counts } = layer;
        expect(counts).toEqual(expected);
      }
    }
  });
});
