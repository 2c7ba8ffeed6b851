import { xxh64OfRange } from './fast/hash-workers.js';
import type { LayerIndex, TarEntry } from './types.js';

/**
 * Content hashes left for later. A layer read in place (src/layers/fast/) does not hash its big
 * files as it parses them: it records where their bytes lie, and skips them. Most never need a hash:
 * contents are only ever compared between two regular files of the same size (a change of size is a
 * modification whatever the bytes), so a file whose size no other file of the image has is never
 * compared with anything. Hashing only the others saves reading most of an image's bytes twice.
 */

/** A regular file whose content hash was left for later: its bytes lie at `offset` in `file`. */
export interface UnhashedFile {
  readonly entry: TarEntry;
  readonly file: string;
  readonly offset: number;
}

/**
 * Hashes, across the layers of one image, the files left unhashed whose size another regular file
 * of the image shares: every hash the image's analysis can compare. The others stay unhashed, in
 * `unhashed`, until something needs all of them (`completeIndex`, the layer cache).
 */
export async function hashComparableFiles(layers: readonly LayerIndex[]): Promise<void> {
  let smallest = Infinity;
  for (const layer of layers) for (const { entry } of layer.unhashed ?? []) smallest = Math.min(smallest, entry.size);
  if (smallest === Infinity) return;
  // Only sizes an unhashed file can have matter: every such size is at least the smallest of them.
  const filesOfSize = new Map<number, number>();
  for (const layer of layers) {
    for (const entry of layer.entries) {
      if (entry.type === 'file' && entry.whiteout === undefined && entry.size >= smallest) filesOfSize.set(entry.size, (filesOfSize.get(entry.size) ?? 0) + 1);
    }
  }
  // A blob an image lists twice is one index: its files are hashed once.
  await Promise.all([...new Set(layers)].map((layer) => hashUnhashed(layer, (entry) => filesOfSize.get(entry.size)! > 1)));
}

/** Hashes the files the index left unhashed (those `which` selects, or all), and drops them from `unhashed`. */
export async function hashUnhashed(index: LayerIndex, which: (entry: TarEntry) => boolean = () => true): Promise<void> {
  const pending = index.unhashed;
  if (pending === undefined) return;
  const chosen = pending.filter((file) => which(file.entry));
  if (chosen.length === 0) return;
  await Promise.all(
    chosen.map(async ({ entry, file, offset }) => {
      entry.hash = await xxh64OfRange(file, offset, entry.size);
    }),
  );
  const left = pending.filter(({ entry }) => entry.hash === undefined);
  if (left.length > 0) index.unhashed = left;
  else delete index.unhashed;
}

/**
 * The index complete, as the streaming indexer gives it: its sha256 known (digest and diffId) and
 * every file hashed. Returns the same object.
 */
export async function completeIndex(index: LayerIndex): Promise<LayerIndex> {
  if (index.digesting !== undefined) {
    const sha = await index.digesting;
    index.digest = sha;
    index.diffId = sha;
    delete index.digesting;
  }
  await hashUnhashed(index);
  return index;
}
