import type { Readable } from 'node:stream';
import { layerMediaType } from '../layers/compression.js';
import { indexLayerRangeEarly } from '../layers/fast/range-indexer.js';
import type { LayerIndex } from '../layers/types.js';
import { hashesByRereading } from '../layers/unhashed.js';
import { ImageReadError, VerificationError } from '../util/errors.js';
import { assembleLayers, whenVerified } from './assemble.js';
import { ProgressMeter } from './progress.js';
import type { ImageSource, LayerFile, ResolvedImage, SourceLayer } from './source.js';
import type { ImageIndex } from './types.js';

/**
 * Reads the image a source holds, the same way for every source: resolve it, index each layer where
 * it is best read (from the cache for a remote source, in place from a local file, as a one-pass
 * read left it, or streamed), check every digest, and record the layers in the cache once verified.
 * The source stays open: its layers can be read again (see src/contents/).
 */
export async function readImage(source: ImageSource): Promise<ImageIndex> {
  const { options } = source;
  const progress = new ProgressMeter(options.onProgress);
  const resolved = await source.resolve(progress);
  // A blob an image lists twice is read once, and is one index.
  const indexes = new Map<string, Promise<LayerIndex>>();
  const { layers, verification } = await assembleLayers(resolved.layers, resolved.config, {
    verify: options.verify,
    concurrency: source.concurrency,
    readLayer: async (layer) => {
      let index = indexes.get(layer.member);
      if (index === undefined) {
        index = indexLayer(source, resolved, layer, progress);
        indexes.set(layer.member, index);
      }
      const read = await index;
      progress.layerDone(resolved.layers.length);
      return read;
    },
    inferMediaType: (index) => layerMediaType(index.compression, resolved.flavour),
  });
  const image: ImageIndex = {
    source: resolved.kind,
    reference: resolved.reference,
    manifestDigest: resolved.manifestDigest,
    configDigest: resolved.configDigest,
    config: resolved.config,
    layers,
    verified: options.verify,
  };
  await whenVerified(image, verification, options.whileVerifying);
  if (options.cache && image.verified) await options.cache.putAll(image.layers, options.onNotice);
  return image;
}

async function indexLayer(
  source: ImageSource,
  resolved: ResolvedImage,
  layer: SourceLayer,
  progress: ProgressMeter,
): Promise<LayerIndex> {
  const { cache } = source.options;
  if (source.remote && cache && layer.expectedDigest !== null) {
    // Safe without reading the blob: the entry's diffId and blob digest were hashed from the bytes
    // when it was written, and the config (verified against the manifest) names that diffId.
    const cached = await cache.get(resolved.config.diffIds[layer.position] ?? '', layer.expectedDigest);
    if (cached) {
      hashesByRereading(cached, rereadFor(source, layer, cached));
      progress.addBytes(layer.size ?? cached.compressedSize);
      return cached;
    }
  }
  const location = await source.locateLayer(layer);
  switch (location.kind) {
    case 'indexed':
      return location.index;
    case 'file':
      return indexInPlace(source, layer, location.file, progress);
    case 'stream':
      return indexStreamed(source, layer, source.options.verify, progress);
  }
}

/**
 * A blob in a local file, indexed where it lies. Returned once parsed: the reader finishes what the
 * index leaves (its sha256, big files' hashes) where it needs them.
 */
async function indexInPlace(
  source: ImageSource,
  layer: SourceLayer,
  file: LayerFile,
  progress: ProgressMeter,
): Promise<LayerIndex> {
  const { verify, capture, inPlace } = source.options;
  let reported = 0;
  const onBytes = (bytes: number): void => {
    progress.addBytes(bytes - reported);
    reported = bytes;
  };
  try {
    return await indexLayerRangeEarly(file.path, file.offset, file.size, {
      ...inPlace,
      hash: verify,
      capture,
      onBytes,
    });
  } catch (err) {
    throw inWords(err, layer);
  }
}

/** A blob streamed from the source and indexed as it arrives. */
async function indexStreamed(
  source: ImageSource,
  layer: SourceLayer,
  hash: boolean,
  progress: ProgressMeter | null,
): Promise<LayerIndex> {
  const { indexLayerBlob } = await import('../layers/indexer.js');
  const stream = await source.openLayer(layer);
  // An error of the source's own (a network failure, a blob longer than its descriptor) is reported
  // as the source words it, not as a layer that does not parse.
  let sourceError: unknown = null;
  const guarded = async function* (): AsyncGenerator<Buffer> {
    try {
      yield* stream as AsyncIterable<Buffer>;
    } catch (err) {
      sourceError = err;
      throw err;
    }
  };
  let reported = 0;
  const onBytes = (bytes: number): void => {
    progress?.addBytes(bytes - reported);
    reported = bytes;
  };
  try {
    return await indexLayerBlob(guarded(), { hash, capture: source.options.capture, onBytes });
  } catch (err) {
    throw sourceError instanceof ImageReadError ? sourceError : inWords(err, layer);
  } finally {
    (stream as Readable).destroy();
  }
}

/**
 * A cached index lacks the hashes of big files its first read left unhashed (their size was unique
 * in that image). Should this image compare one, the layer is read after all, and checked to be the
 * very blob and tar the entry records.
 */
function rereadFor(source: ImageSource, layer: SourceLayer, cached: LayerIndex): () => Promise<LayerIndex> {
  return async () => {
    const fresh = await indexStreamed(source, layer, true, null);
    if (fresh.digest !== layer.expectedDigest || fresh.diffId !== cached.diffId) {
      throw new VerificationError(
        `${layer.label}: read again, its bytes hash to ${fresh.digest} (tar ${fresh.diffId})`,
      );
    }
    return fresh;
  };
}

/** An error while indexing a layer, as one line naming the layer. */
function inWords(err: unknown, layer: SourceLayer): ImageReadError {
  if (err instanceof ImageReadError) return err;
  return new ImageReadError(`${layer.label}: ${(err as Error)?.message ?? String(err)}`);
}
