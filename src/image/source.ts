import type { Readable } from 'node:stream';
import type { LayerIndex } from '../layers/types.js';
import type { ImageOptions } from './options.js';
import type { ProgressMeter } from './progress.js';
import type { ImageConfig, SourceKind } from './types.js';

/**
 * Where an image comes from: an archive (on disk or on stdin), an OCI layout directory, a registry or
 * an engine. Every source does the same three things, and `readImage` (src/image/read.ts) does the
 * rest for all of them: indexing, verifying, caching. See docs/sources.md.
 *
 * 1. `resolve`: find the image the reference names (an index resolved to one platform), read its
 *    manifest and config, and check their digests when verifying.
 * 2. `locateLayer`: say how a layer's blob is best read to index it.
 * 3. `openLayer`: the blob's stored bytes again, from the start, at any time after `resolve`, for
 *    any number of layers at once (the file viewer, extraction, concurrent inflation).
 */
export interface ImageSource {
  /** The options the source was opened with, defaults applied. */
  readonly options: ImageOptions;
  /** Layers indexed at once. */
  readonly concurrency: number;
  /**
   * Its layers come over a network: a layer the cache holds (by diffId and blob digest) is taken
   * from the cache instead of being read.
   */
  readonly remote: boolean;
  resolve(progress: ProgressMeter): Promise<ResolvedImage>;
  locateLayer(layer: SourceLayer): Promise<LayerLocation>;
  /**
   * The layer's blob as stored (compressed or not), from its first byte: a new stream on each call.
   * Throws an ImageReadError when the source cannot be read again (an image on stdin).
   */
  openLayer(layer: SourceLayer): Promise<Readable>;
  /** Releases what the source holds (connections). Layers cannot be opened afterwards. */
  close(): Promise<void>;
}

/** What `resolve` finds: the image's documents, and its layers before any is read. */
export interface ResolvedImage {
  kind: SourceKind;
  /** What the image is called: a reference, a tag found in the archive, or null. */
  reference: string | null;
  manifestDigest: string | null;
  configDigest: string;
  config: ImageConfig;
  layers: SourceLayer[];
  /** How a layer's media type is named when no descriptor gives it. */
  flavour: 'oci' | 'docker';
}

/** A layer as the manifest describes it. */
export interface SourceLayer {
  /** Its place in the manifest, 0-based. */
  position: number;
  /** The member that holds the blob (an archive's or layout's file name), or its digest (a registry). */
  member: string;
  /** The digest that names the blob, when something names it (a descriptor, a file name). */
  expectedDigest: string | null;
  /** The descriptor's media type, if there is a descriptor. */
  mediaType: string | null;
  /** The blob's size as the manifest gives it, if it does. */
  size: number | null;
  /** What an error about reading the blob starts with: "layer blobs/sha256/…", "layer 2 (sha256:…)". */
  label: string;
}

/**
 * How a layer's blob is read to index it:
 * - `file`: it lies, as stored, at a byte range of a local file, and is read in place (an uncompressed
 *   blob then also offers the byte range of each file it holds);
 * - `indexed`: a one-pass read (stdin, a compressed archive, an engine's export) indexed it as it went by;
 * - `stream`: read through `openLayer`.
 */
export type LayerLocation =
  | { kind: 'file'; file: LayerFile }
  | { kind: 'indexed'; index: LayerIndex }
  | { kind: 'stream' };

/** A blob stored in `size` bytes of a local file at `offset`. */
export interface LayerFile {
  path: string;
  offset: number;
  size: number;
}
