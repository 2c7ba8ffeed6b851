import { bytewiseComparatorFor } from '../../tree/path-order.js';
import type { HiddenReason, Stack } from '../../tree/types.js';

/** A piece of data shipped by some layer that no path of the final filesystem reaches. */
export interface HiddenPiece {
  /** The path of the entry that shipped it. */
  path: string;
  size: number;
  /** The layer that shipped it. */
  layer: number;
  /** The layer at which its last path went away (its own layer for a same-layer duplicate). */
  hiddenBy: number;
  reason: HiddenReason;
}

export interface ExactWaste {
  /** Sum over every piece of data (regular-file entry) of every layer. */
  totalBytes: number;
  /** Sum over the pieces still reachable from some path of the final filesystem. */
  visibleBytes: number;
  hiddenBytes: number;
  /** visible / total, or 1 when nothing was shipped. */
  efficiency: number;
  /** Every unreachable piece of size > 0, by size descending, then path bytewise, then layer. */
  hidden: HiddenPiece[];
  /** Per layer: bytes of regular-file data it shipped. */
  shippedBytes: number[];
  /** Per layer: bytes it shipped that nothing reaches at the top. */
  hiddenLaterBytes: number[];
}

/**
 * Exact wasted space: what the image carries but no final path can reach. Each regular-file entry is one
 * piece (hardlinks share their target's); the stack already knows, per piece, the layer where its last
 * path went away, so this is a single pass over the pieces.
 */
export function computeExactWaste(stack: Stack): ExactWaste {
  const layerCount = stack.layers.length;
  const shippedBytes = new Array<number>(layerCount).fill(0);
  const hiddenLaterBytes = new Array<number>(layerCount).fill(0);
  const hidden: HiddenPiece[] = [];
  let totalBytes = 0;
  let hiddenBytes = 0;

  for (const piece of stack.pieces) {
    totalBytes += piece.size;
    shippedBytes[piece.layer] = (shippedBytes[piece.layer] ?? 0) + piece.size;
    if (piece.hiddenBy === null || piece.reason === null) continue;
    hiddenBytes += piece.size;
    hiddenLaterBytes[piece.layer] = (hiddenLaterBytes[piece.layer] ?? 0) + piece.size;
    if (piece.size > 0) {
      hidden.push({
        path: piece.path,
        size: piece.size,
        layer: piece.layer,
        hiddenBy: piece.hiddenBy,
        reason: piece.reason,
      });
    }
  }

  const comparePaths = bytewiseComparatorFor(hidden.map((piece) => piece.path));
  hidden.sort((a, b) => b.size - a.size || comparePaths(a.path, b.path) || a.layer - b.layer);
  const visibleBytes = totalBytes - hiddenBytes;
  return {
    totalBytes,
    visibleBytes,
    hiddenBytes,
    efficiency: totalBytes === 0 ? 1 : visibleBytes / totalBytes,
    hidden,
    shippedBytes,
    hiddenLaterBytes,
  };
}
