import { xxh64OfRange } from './fast/hash-workers.js';
import type { LayerIndex, TarEntry } from './types.js';

/**
 * Content hashes left for later. A layer read in place (src/layers/fast/) does not hash its big
 * files as it parses them: it records where their bytes lie, and skips them. Most never need a hash:
 * contents are only ever compared between two regular files of the same size (a change of size is a
 * modification whatever the bytes), so a file whose size no other file of the image has is never
 * compared with anything. Hashing only the others saves reading most of an image's bytes twice.
 *
 * The layer cache stores such files without a hash too. The same layer in another image may have
 * to compare them; the registry reader then reads the layer again (`hashesByRereading`).
 */

/** A regular file whose content hash was left for later, and how to compute it. */
export interface UnhashedFile {
  readonly entry: TarEntry;
  readonly hash: () => Promise<string>;
}

/** A big file of a layer read in place: its bytes lie at `offset` in `file`. */
export function unhashedInFile(entry: TarEntry, file: string, offset: number): UnhashedFile {
  return { entry, hash: () => xxh64OfRange(file, offset, entry.size) };
}

/**
 * Hashes, across the layers of one image, the files left unhashed whose size another regular file
 * of the image shares: every hash the image's analysis can compare. The others stay unhashed, in
 * `unhashed`, until something needs all of them (`completeIndex`).
 */
export async function hashComparableFiles(layers: readonly LayerIndex[]): Promise<void> {
  let smallest = Infinity;
  for (const layer of layers) for (const { entry } of layer.unhashed ?? []) smallest = Math.min(smallest, entry.size);
  if (smallest === Infinity) return;
  // Only sizes an unhashed file can have matter: every such size is at least the smallest of them.
  const filesOfSize = new Map<number, number>();
  for (const layer of layers) {
    for (const entry of layer.entries) {
      if (isRegularFile(entry) && entry.size >= smallest)
        filesOfSize.set(entry.size, (filesOfSize.get(entry.size) ?? 0) + 1);
    }
  }
  // A blob an image lists twice is one index: its files are hashed once.
  await Promise.all(
    [...new Set(layers)].map((layer) => hashUnhashed(layer, (entry) => filesOfSize.get(entry.size)! > 1)),
  );
}

/** Hashes the files the index left unhashed (those `which` selects, or all), and drops them from `unhashed`. */
export async function hashUnhashed(index: LayerIndex, which: (entry: TarEntry) => boolean = () => true): Promise<void> {
  const pending = index.unhashed;
  if (pending === undefined) return;
  const chosen = pending.filter((file) => which(file.entry));
  if (chosen.length === 0) return;
  await Promise.all(
    chosen.map(async ({ entry, hash }) => {
      entry.hash = await hash();
    }),
  );
  const left = pending.filter(({ entry }) => entry.hash === undefined);
  // Set to undefined rather than deleted: a deleted field turns an image's layer into a slow dictionary.
  index.unhashed = left.length > 0 ? left : undefined;
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
    index.digesting = undefined;
  }
  await hashUnhashed(index);
  return index;
}

/**
 * Marks the regular files of an index that have no content hash (a cache entry written from a
 * read that left them unhashed) as left for later, their hashes to come from `reread`: the same
 * layer indexed again from its bytes. The first hash asked for fills in all of them, so the index
 * is then complete (and the cache can store it so). `reread` must give the index of the same tar
 * (the caller checks its digest): its entries are the same, in the same order.
 */
export function hashesByRereading(index: LayerIndex, reread: () => Promise<LayerIndex>): void {
  const missing: number[] = [];
  index.entries.forEach((entry, position) => {
    if (isRegularFile(entry) && entry.hash === undefined) missing.push(position);
  });
  if (missing.length === 0) return;
  let filled: Promise<void> | null = null;
  const fill = async (): Promise<void> => {
    const fresh = await reread();
    for (const position of missing) {
      const entry = index.entries[position]!;
      const again = fresh.entries[position];
      if (again?.path !== entry.path || again.hash === undefined)
        throw new Error(`the layer read again does not list ${entry.path} where its index did`);
      entry.hash = again.hash;
    }
  };
  index.unhashed = missing.map((position) => {
    const entry = index.entries[position]!;
    return {
      entry,
      async hash() {
        filled ??= fill();
        await filled;
        return entry.hash!;
      },
    };
  });
}

/** How many regular files of the index have no content hash (yet). */
export function filesWithoutHash(index: LayerIndex): number {
  let count = 0;
  for (const entry of index.entries) if (isRegularFile(entry) && entry.hash === undefined) count++;
  return count;
}

/** A regular file with contents of its own: what has a content hash once every file is hashed. */
function isRegularFile(entry: TarEntry): boolean {
  return entry.type === 'file' && entry.whiteout === undefined;
}
