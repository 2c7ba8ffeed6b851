import type { TarEntry } from '../layers/types.js';
import type { HiddenReason, Piece } from './types.js';

/**
 * Counts, for every piece of data, how many visible paths hold it, to find the layer where its last
 * path went away. A piece can drop to zero holders and be taken again within one layer (a hardlink made
 * to a file this same layer deletes), so fates are only settled once a layer is fully applied.
 * Paths are path-table ids.
 */
export class PieceLedger {
  private readonly entries: TarEntry[] = [];
  private readonly layers: number[] = [];
  private readonly holders: number[] = [];
  /** The last path that held the piece: decides 'overwritten' versus 'removed'. */
  private readonly lastHolder: number[] = [];
  private readonly hiddenBy: (number | null)[] = [];
  private readonly reasons: (HiddenReason | null)[] = [];
  /** Pieces that had no holder at some point in the current layer. */
  private pending: number[] = [];

  /** A regular-file entry at path `pathId` ships a new piece, held by nobody until its path is set. */
  ship(entry: TarEntry, pathId: number, layer: number): number {
    const id = this.entries.length;
    this.entries.push(entry);
    this.layers.push(layer);
    this.holders.push(0);
    this.lastHolder.push(pathId);
    this.hiddenBy.push(null);
    this.reasons.push(null);
    this.pending.push(id);
    return id;
  }

  hold(piece: number): void {
    if (piece >= 0) this.holders[piece]!++;
  }

  release(piece: number, pathId: number): void {
    if (piece < 0) return;
    if (--this.holders[piece]! === 0) {
      this.lastHolder[piece] = pathId;
      this.pending.push(piece);
    }
  }

  /**
   * Decides the fate of pieces left without a holder by `layer`. `hasOtherEntry(pathId)` tells whether the
   * path exists after the layer with a tar entry of its own.
   */
  settle(layer: number, hasOtherEntry: (pathId: number) => boolean): void {
    for (const piece of this.pending) {
      if (this.holders[piece] !== 0 || this.hiddenBy[piece] !== null) continue;
      this.hiddenBy[piece] = layer;
      this.reasons[piece] = hasOtherEntry(this.lastHolder[piece]!) ? 'overwritten' : 'removed';
    }
    this.pending = [];
  }

  toPieces(): Piece[] {
    return this.entries.map((entry, id) => ({
      id,
      path: entry.path,
      layer: this.layers[id]!,
      size: entry.size,
      hash: entry.hash,
      hiddenBy: this.hiddenBy[id] ?? null,
      reason: this.reasons[id] ?? null,
    }));
  }
}
