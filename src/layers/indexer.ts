import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { shouldCapture, type CapturePredicate } from './capture.js';
import { sniffCompression } from './compression.js';
import { contentHasher } from './content-hasher.js';
import { createDecompressor } from './decompress.js';
import { type BigFiles, LayerParser } from './fast/layer-parser.js';
import { describeLayerError } from './layer-errors.js';
import type { LayerIndex } from './types.js';
import { peekStream } from '../util/peek.js';

export interface IndexLayerOptions {
  /** Compute sha256 of the blob and of the uncompressed tar (needed to verify; skipped by --no-verify). */
  hash: boolean;
  /** Which small files to keep whole; defaults to the built-in list. */
  capture?: CapturePredicate;
  /** Called with the number of stored bytes consumed so far. */
  onBytes?: (bytes: number) => void;
}

/** A stream cannot be read twice: every file is hashed as it goes by, none is left for later. */
const NO_BIG_FILES: BigFiles = {
  threshold: Number.POSITIVE_INFINITY,
  readAt() {
    throw new Error('a streamed layer has no big files');
  },
  found() {},
};

/**
 * Indexes one layer blob as its bytes stream by: the blob is hashed as stored, decompressed (gzip
 * or zstd, told by magic bytes), hashed again as a tar, and parsed by the same parser that reads
 * layers in place. File contents are hashed (xxh64) and only their first bytes are kept, so memory
 * stays bounded by the number of entries, never by the size of the layer.
 *
 * The tar is pulled chunk by chunk by one loop that ends with the stream: when the input ends, errs
 * or is cut short, the returned promise settles, whatever the tar holds.
 */
export async function indexLayerBlob(
  source: AsyncIterable<Uint8Array> | Readable,
  options: IndexLayerOptions,
): Promise<LayerIndex> {
  const xx = await contentHasher();
  // Peek at the first bytes to pick the decompressor, then put them back in front.
  const { head, stream } = await peekStream(source, 4);
  const compression = sniffCompression(head);
  const decompressor = createDecompressor(compression);
  const stored = new Counter(options.hash);
  const uncompressed = decompressor ? new Counter(options.hash) : stored;
  const parser = new LayerParser(xx, options.capture ?? shouldCapture, NO_BIG_FILES);

  const countStored = async function* (blob: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of blob) {
      stored.add(chunk);
      options.onBytes?.(stored.bytes);
      yield chunk;
    }
  };
  const parse = async (tar: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of tar) {
      if (uncompressed !== stored) uncompressed.add(chunk);
      parser.push(chunk);
    }
    parser.end();
  };
  try {
    if (decompressor) await pipeline(stream, countStored, decompressor, parse);
    else await pipeline(stream, countStored, parse);
  } catch (err) {
    throw describeLayerError(err, compression);
  }

  const storedDigest = stored.digest();
  return {
    digest: storedDigest,
    diffId: uncompressed === stored ? storedDigest : uncompressed.digest(),
    mediaType: '',
    compression,
    compressedSize: stored.bytes,
    uncompressedSize: uncompressed.bytes,
    entryCount: parser.entryCount,
    headerSizeTotal: parser.headerSizeTotal,
    entries: parser.entries,
    digesting: undefined,
    unhashed: undefined,
  };
}

/** Counts bytes and, when asked, hashes them. */
class Counter {
  bytes = 0;
  private readonly sha: Hash | null;
  constructor(hash: boolean) {
    this.sha = hash ? createHash('sha256') : null;
  }
  add(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.sha?.update(chunk);
  }
  digest(): string {
    return this.sha ? `sha256:${this.sha.digest('hex')}` : '';
  }
}
