import type { ImageAnalysis } from '../analysis/analyze.js';
import type { ImageIndex } from '../image/types.js';
import type { DiffLayer, LayerDiff } from './types.js';

/** How many layers both images start with: the same diff_ids, in the same order. */
export function sharedPrefix(a: ImageIndex, b: ImageIndex): number {
  const length = Math.min(a.layers.length, b.layers.length);
  let shared = 0;
  while (shared < length && a.layers[shared]!.diffId === b.layers[shared]!.diffId) shared++;
  return shared;
}

/** The shared layers, then each image's own, with their commands and sizes. */
export function layerDiff(
  a: { image: ImageIndex; analysis: ImageAnalysis },
  b: { image: ImageIndex; analysis: ImageAnalysis },
  shared: number,
): LayerDiff {
  const list = (side: { image: ImageIndex; analysis: ImageAnalysis }, from: number, to: number): DiffLayer[] =>
    side.image.layers.slice(from, to).map((layer) => ({
      index: layer.index,
      diffId: layer.diffId,
      digest: layer.digest,
      command: layer.command,
      created: layer.created,
      size: side.analysis.exact.shippedBytes[layer.index] ?? 0,
      compressedSize: layer.compressedSize,
    }));
  return {
    shared: list(a, 0, shared),
    a: list(a, shared, a.image.layers.length),
    b: list(b, shared, b.image.layers.length),
  };
}
