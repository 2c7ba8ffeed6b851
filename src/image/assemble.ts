import type { LayerIndex } from '../layers/types.js';
import { VerificationError } from '../util/errors.js';
import { historyForLayers } from './config.js';
import type { ImageConfig, ImageLayer } from './types.js';

/** A layer as the manifest describes it, before its blob is read. */
export interface LayerRef {
  /** Member name of the blob in the store. */
  member: string;
  /** The digest that names the blob, when something names it (an OCI descriptor, a file name). */
  expectedDigest: string | null;
  /** The descriptor's media type, if there is a descriptor. */
  mediaType: string | null;
}

export interface AssembleOptions {
  verify: boolean;
  /** How layers are fetched from the store; receives the layer's position. */
  readLayer: (ref: LayerRef, position: number) => Promise<LayerIndex>;
  inferMediaType: (index: LayerIndex) => string;
  /** Layers read at once (the store may index on demand). */
  concurrency: number;
}

/**
 * Reads the layers a manifest lists, verifies each against the digest that names it and against
 * the config's diff_ids, and attaches its history entry. Shared by every source.
 */
export async function assembleLayers(refs: LayerRef[], config: ImageConfig, options: AssembleOptions): Promise<ImageLayer[]> {
  if (refs.length !== config.diffIds.length) {
    throw new VerificationError(`the manifest lists ${refs.length} layers but the config has ${config.diffIds.length} diff_ids`);
  }
  const indexes = await mapLimited(refs, options.concurrency, (ref, i) => options.readLayer(ref, i));
  const history = historyForLayers(config, refs.length);
  return indexes.map((index, i): ImageLayer => {
    const ref = refs[i]!;
    const expectedDiffId = config.diffIds[i]!;
    const layer = { ...index };
    if (options.verify) {
      const label = `layer ${i} (${ref.expectedDigest ?? ref.member})`;
      if (ref.expectedDigest && ref.expectedDigest.toLowerCase() !== index.digest) {
        throw new VerificationError(`${label} does not match its digest: its content hashes to ${index.digest}`);
      }
      if (expectedDiffId.toLowerCase() !== index.diffId) {
        throw new VerificationError(`${label} does not match the config's diff_id ${expectedDiffId}: its tar hashes to ${index.diffId}`);
      }
    } else {
      // Without hashing, report what the image claims.
      layer.digest = ref.expectedDigest ?? expectedDiffId;
      layer.diffId = expectedDiffId;
    }
    layer.mediaType = ref.mediaType ?? options.inferMediaType(index);
    return { ...layer, index: i, command: history[i]!.command, created: history[i]!.created };
  });
}

/** Maps with at most `limit` calls in flight, keeping the order of results. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
