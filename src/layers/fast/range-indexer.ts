import { createHash } from 'node:crypto';
import { createReadStream, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { shouldCapture } from '../capture.js';
import { contentHasher } from '../content-hasher.js';
import { sniffCompression } from '../compression.js';
import type { IndexLayerOptions } from '../indexer.js';
import { describeLayerError } from '../layer-errors.js';
import type { LayerIndex } from '../types.js';
import { completeIndex, unhashedInFile, type UnhashedFile } from '../unhashed.js';
import { sha256OfRange } from './hash-workers.js';
import { LayerParser, type BigFiles } from './layer-parser.js';

/**
 * Bytes read at once. Reads are synchronous and small on purpose: a block that fits in the L2
 * cache is still there when it is parsed and hashed, and a synchronous read costs no thread-pool
 * round trip (larger asynchronous double-buffered reads cost more CPU).
 */
export const DEFAULT_CHUNK = 128 * 1024;
/** The event loop gets a turn after this many bytes (another layer, worker replies, progress). */
const YIELD_EVERY = 4 * 1024 * 1024;
/** Layers at least this big are hashed by the worker thread; smaller ones on this thread. */
const WORKER_MIN = 4 * 1024 * 1024;
/**
 * Files at least this big are not hashed as they are read: their content hash is left for later
 * (`LayerIndex.unhashed`), and their data skipped when the sha256 does not need it here. Big files
 * hold most of the bytes of most images, and most never need a hash: contents are only compared
 * between files of equal size (src/layers/unhashed.ts).
 */
const BIG_FILE = 1024 * 1024;
/** What a compressed layer is streamed through the existing indexer with. */
const STREAM_CHUNK = 1024 * 1024;

export interface RangeIndexOptions extends IndexLayerOptions {
  /** Read size (tests make it small to put files across chunk boundaries). */
  chunkSize?: number;
  /** Smallest layer hashed by the sha256 worker (tests set 0 to use it for every layer). */
  workerMin?: number;
  /** Smallest file whose content hash is left for later (tests make it small). */
  bigFile?: number;
}

/**
 * Indexes the layer blob stored in `length` bytes of a file at `start` (a member of a seekable
 * archive, or a whole file), and returns exactly what `indexLayerBlob` gives for the same bytes,
 * errors included: `indexLayerRangeEarly`, then what it left finished.
 */
export async function indexLayerRange(
  path: string,
  start: number,
  length: number,
  options: RangeIndexOptions,
): Promise<LayerIndex> {
  return completeIndex(await indexLayerRangeEarly(path, start, length, options));
}

/**
 * Indexes a layer blob in place, returning as soon as it is parsed. An uncompressed blob is read
 * block by block and parsed by the hand-written tar parser; its sha256 may still be computing on a
 * worker thread (`digesting`), and big files' content hashes are left for later (`unhashed`). A
 * compressed blob goes through the streaming `indexLayerBlob` and comes back complete.
 */
export async function indexLayerRangeEarly(
  path: string,
  start: number,
  length: number,
  options: RangeIndexOptions,
): Promise<LayerIndex> {
  const handle = await open(path, 'r');
  let closed = false;
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, Math.min(4, length), start);
    if (sniffCompression(magic.subarray(0, bytesRead)) !== 'none') {
      closed = true;
      await handle.close();
      // The streaming indexer (and the decompressors) is loaded only for a compressed layer.
      const { indexLayerBlob } = await import('../indexer.js');
      return indexLayerBlob(rangeStream(path, start, length), options);
    }
    return await indexUncompressed(handle, path, start, length, options);
  } finally {
    if (!closed) await handle.close();
  }
}

function rangeStream(path: string, start: number, length: number): Readable {
  if (length === 0) return Readable.from([]);
  return createReadStream(path, { start, end: start + length - 1, highWaterMark: STREAM_CHUNK });
}

async function indexUncompressed(
  handle: FileHandle,
  path: string,
  start: number,
  length: number,
  options: RangeIndexOptions,
): Promise<LayerIndex> {
  // A big layer is hashed by the sha256 worker, which reads the same range while this thread parses
  // it (and goes on while the image is analysed); a small one here, from the blocks being parsed (not
  // worth a thread, or its start-up). Reading once, in the worker, and handing the blocks to this
  // thread through a shared-memory ring is slower: the page cache serves both readers for free.
  const digest =
    options.hash && length >= (options.workerMin ?? WORKER_MIN) ? sha256OfRange(path, start, length) : null;
  digest?.catch(() => {}); // handed on below; a parse error may come first
  const here = options.hash && digest === null ? createHash('sha256') : null;
  const fd = handle.fd;

  // Big files keep their head here; their content hash is left for later, and their data skipped
  // unless this thread computes the sha256.
  const unhashed: UnhashedFile[] = [];
  const big: BigFiles = {
    threshold: options.bigFile ?? BIG_FILE,
    readAt(position, wanted) {
      // Never past the layer: a file cut short is a truncation the parser reports at the end.
      const bytes = Buffer.allocUnsafe(Math.max(0, Math.min(wanted, length - position)));
      readFully(fd, bytes, start + position, bytes.length);
      return bytes;
    },
    found(entry, dataStart, size) {
      if (dataStart + size > length) return; // truncated: the parse fails before this matters
      unhashed.push(unhashedInFile(entry, path, start + dataStart));
    },
  };

  const parser = new LayerParser(await contentHasher(), options.capture ?? shouldCapture, big);
  const chunkSize = Math.max(1, Math.min(options.chunkSize ?? DEFAULT_CHUNK, Math.max(length, 1)));
  const buffer = Buffer.allocUnsafeSlow(chunkSize);
  try {
    let offset = 0;
    let sinceYield = 0;
    while (offset < length) {
      const want = Math.min(chunkSize, length - offset);
      readFully(fd, buffer, start + offset, want);
      const block = want === chunkSize ? buffer : buffer.subarray(0, want);
      here?.update(block);
      parser.push(block);
      offset += want;
      sinceYield += want;
      // Jump over what the parser does not need (a big file's data), when it lies in the layer.
      const skippable = parser.skippable();
      if (here === null && skippable >= chunkSize && offset + skippable <= length) {
        parser.skipped(skippable);
        offset += skippable;
      }
      if (sinceYield >= YIELD_EVERY && offset < length) {
        sinceYield = 0;
        options.onBytes?.(offset);
        // Let the other layer being read, the workers' replies and a progress display run.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    options.onBytes?.(offset);
    parser.end();
  } catch (err) {
    throw describeLayerError(err, 'none');
  }
  const sha = here ? `sha256:${here.digest('hex')}` : '';
  const index: LayerIndex = {
    digest: sha,
    diffId: sha,
    mediaType: '',
    compression: 'none',
    compressedSize: length,
    uncompressedSize: length,
    entryCount: parser.entryCount,
    headerSizeTotal: parser.headerSizeTotal,
    entries: parser.entries,
    digesting: digest?.then((hex) => `sha256:${hex}`),
    unhashed: unhashed.length > 0 ? unhashed : undefined,
  };
  index.digesting?.catch(() => {}); // whoever settles the index awaits it; until then, no unhandled rejection
  return index;
}

/** Reads exactly `length` bytes at `position` (a short read means the file shrank under us). */
function readFully(fd: number, buffer: Buffer, position: number, length: number): void {
  let filled = 0;
  while (filled < length) {
    const bytesRead = readSync(fd, buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) throw new Error('the file ended before the layer did (was it changed while being read?)');
    filled += bytesRead;
  }
}
