import type { ImageIndex } from '../image/types.js';
import type { TarEntry } from '../layers/types.js';
import { hashUnhashed } from '../layers/unhashed.js';
import type { PathState, Stack } from '../tree/types.js';

/**
 * Content hashes of one image's files, for comparing them with another image's. A read leaves the
 * hash of a big file for later when no other file of its image has its size (src/layers/unhashed.ts):
 * within the image nothing compares it, but the other image may have a file of that size at the
 * same path. Such files are hashed here, only those, and once; the stack's states keep the hash they
 * were made with, so the hash is read from the tar entry that holds the data.
 */
export class ContentHashes {
  constructor(
    private readonly image: ImageIndex,
    private readonly stack: Stack,
  ) {}

  /** The content hash of a regular file or hardlink's data, if known yet. */
  known(state: PathState): string | undefined {
    return state.hash ?? this.entryOf(state)?.hash;
  }

  /** Hashes, on every layer at once, the data of these states whose hash is not known yet. */
  async complete(states: readonly PathState[]): Promise<void> {
    const wanted = new Map<number, Set<TarEntry>>();
    for (const state of states) {
      if (this.known(state) !== undefined) continue;
      const entry = this.entryOf(state);
      if (entry === undefined) continue;
      const layer = this.stack.pieces[state.piece]!.layer;
      let entries = wanted.get(layer);
      if (entries === undefined) wanted.set(layer, (entries = new Set()));
      entries.add(entry);
    }
    await Promise.all(
      [...wanted].map(([layer, entries]) => hashUnhashed(this.image.layers[layer]!, (entry) => entries.has(entry))),
    );
  }

  /**
   * The regular-file entry whose data a state holds. A file's own entry; for a hardlink, its piece's:
   * every regular-file entry ships one piece, numbered in tar order within its layer, so the piece's
   * rank among its layer's pieces of that path is the entry's rank among its layer's entries of it.
   */
  private entryOf(state: PathState): TarEntry | undefined {
    if (state.type === 'file') return state.entry ?? undefined;
    if (state.type !== 'hardlink' || state.piece < 0) return undefined;
    const pieces = this.stack.pieces;
    const piece = pieces[state.piece]!;
    let rank = 0;
    for (let id = piece.id - 1; id >= 0 && pieces[id]!.layer === piece.layer; id--)
      if (pieces[id]!.path === piece.path) rank++;
    for (const entry of this.image.layers[piece.layer]!.entries) {
      if (entry.type !== 'file' || entry.whiteout !== undefined || entry.path !== piece.path) continue;
      if (rank-- === 0) return entry;
    }
    return undefined;
  }
}
