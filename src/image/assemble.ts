import type { LayerIndex } from '../layers/types.js';
import { hashComparableFiles } from '../layers/unhashed.js';
import { VerificationError } from '../util/errors.js';
import { historyForLayers } from './config.js';
import type { SourceLayer } from './source.js';
import type { ImageConfig, ImageIndex, ImageLayer } from './types.js';
import { quoteInput } from '../util/escape.js';

export interface AssembleOptions {
  verify: boolean;
  /** How a layer's blob is read and indexed. */
  readLayer: (layer: SourceLayer) => Promise<LayerIndex>;
  inferMediaType: (index: LayerIndex) => string;
  /** Layers read at once (the store may index on demand). */
  concurrency: number;
}

/** The layers of an image, read, and the check of their digests, which may still be running. */
export interface AssembledLayers {
  layers: ImageLayer[];
  /**
   * Settles once every layer's digest is checked, rejecting with a VerificationError on a mismatch.
   * A layer whose sha256 a worker computes (`LayerIndex.digesting`) is named by the digests the
   * image claims until then: they are the ones it must hash to.
   */
  verification: Promise<void>;
}

/**
 * Reads the layers a manifest lists, verifies each against the digest that names it and against
 * the config's diff_ids, and attaches its history entry. Content hashes a
 * reader left for later are computed where the analysis may compare them (`hashComparableFiles`).
 */
export async function assembleLayers(
  refs: SourceLayer[],
  config: ImageConfig,
  options: AssembleOptions,
): Promise<AssembledLayers> {
  if (refs.length !== config.diffIds.length) {
    throw new VerificationError(
      `the manifest lists ${refs.length} layers but the config has ${config.diffIds.length} diff_ids`,
    );
  }
  const indexes = await mapLimited(refs, options.concurrency, (ref) => options.readLayer(ref));
  await hashComparableFiles(indexes);
  const history = historyForLayers(config, refs.length);
  const checks: Array<Promise<void>> = [];
  const layers = indexes.map((index, i): ImageLayer => {
    const ref = refs[i]!;
    const expectedDiffId = config.diffIds[i]!;
    const { digesting, ...layer } = index;
    if (options.verify) {
      const label = `layer ${i} (${quoteInput(ref.expectedDigest ?? ref.member)})`;
      const check = (digest: string, diffId: string): void => {
        if (ref.expectedDigest && ref.expectedDigest.toLowerCase() !== digest) {
          throw new VerificationError(`${label} does not match its digest: its content hashes to ${digest}`);
        }
        if (expectedDiffId.toLowerCase() !== diffId) {
          throw new VerificationError(
            `${label} does not match the config's diff_id ${quoteInput(expectedDiffId)}: its tar hashes to ${diffId}`,
          );
        }
      };
      if (digesting === undefined) {
        check(index.digest, index.diffId);
      } else {
        // An uncompressed blob: its sha256 is both its digest and its diffId, once the worker has it.
        layer.digest = (ref.expectedDigest ?? expectedDiffId).toLowerCase();
        layer.diffId = expectedDiffId.toLowerCase();
        checks.push(digesting.then((sha) => check(sha, sha)));
      }
    } else {
      // Without hashing, report what the image claims.
      layer.digest = ref.expectedDigest ?? expectedDiffId;
      layer.diffId = expectedDiffId;
    }
    layer.mediaType = ref.mediaType ?? options.inferMediaType(index);
    return imageLayer(layer, i, history[i]!);
  });
  const verification = Promise.all(checks).then(() => undefined);
  verification.catch(() => {}); // awaited by the reader (whenVerified); no unhandled rejection meanwhile
  return { layers, verification };
}

/**
 * The layer with its place in the image, built field by field: every layer then has the same hidden
 * class (a spread copies whichever optional fields the index happens to hold), and the analysis's
 * per-layer loops are not recompiled when a layer with big files follows one without.
 */
function imageLayer(
  layer: Omit<LayerIndex, 'digesting'>,
  index: number,
  history: { command: string; created: string | null },
): ImageLayer {
  return {
    digest: layer.digest,
    diffId: layer.diffId,
    mediaType: layer.mediaType,
    compression: layer.compression,
    compressedSize: layer.compressedSize,
    uncompressedSize: layer.uncompressedSize,
    entryCount: layer.entryCount,
    headerSizeTotal: layer.headerSizeTotal,
    entries: layer.entries,
    digesting: undefined,
    unhashed: layer.unhashed,
    index,
    command: history.command,
    created: history.created,
  };
}

/**
 * Resolves with the image once its digests are checked, after handing it to `whileVerifying` (if
 * given) meanwhile: an analysis of the image can run while a worker still hashes its layers. If a
 * digest does not match, the image is refused all the same, and whatever was made of it is dropped.
 */
export async function whenVerified(
  image: ImageIndex,
  verification: Promise<void>,
  whileVerifying?: (image: ImageIndex) => void,
): Promise<ImageIndex> {
  whileVerifying?.(image);
  await verification;
  return image;
}

/** Maps with at most `limit` calls in flight, keeping the order of results. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
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
