import { createReadStream, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import xxhash, { type XXHashAPI } from 'xxhash-wasm';
import { shouldCapture } from '../capture.js';
import { sniffCompression } from '../compression.js';
import { describeLayerError, indexLayerBlob, type IndexLayerOptions } from '../indexer.js';
import type { LayerIndex } from '../types.js';
import { LayerParser } from './layer-parser.js';
import { sha256OfRange } from './sha256-worker.js';

/** Bytes read at once; the next read is in flight while this one is parsed. */
export const DEFAULT_CHUNK = 1024 * 1024;
/** What a compressed layer is streamed through the existing indexer with. */
const STREAM_CHUNK = 1024 * 1024;

export interface RangeIndexOptions extends IndexLayerOptions {
  /** Read size (tests make it small to put files across chunk boundaries). */
  chunkSize?: number;
}

let xxhashApi: Promise<XXHashAPI> | null = null;
function contentHasher(): Promise<XXHashAPI> {
  xxhashApi ??= xxhash();
  return xxhashApi;
}

/**
 * Indexes the layer blob stored in `length` bytes of a file at `start` (a member of a seekable
 * archive, or a whole file). An uncompressed blob is read in place in large chunks and parsed by
 * the hand-written tar parser, its sha256 computed meanwhile by a worker thread; a compressed blob
 * goes through the streaming `indexLayerBlob`. Either way the result is what `indexLayerBlob` gives
 * for the same bytes, errors included.
 */
export async function indexLayerRange(path: string, start: number, length: number, options: RangeIndexOptions): Promise<LayerIndex> {
  const handle = await open(path, 'r');
  let closed = false;
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, Math.min(4, length), start);
    if (sniffCompression(magic.subarray(0, bytesRead)) !== 'none') {
      closed = true;
      await handle.close();
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

async function indexUncompressed(handle: FileHandle, path: string, start: number, length: number, options: RangeIndexOptions): Promise<LayerIndex> {
  // The worker reads and hashes the same range while this thread parses it.
  const digest = options.hash ? sha256OfRange(path, start, length) : null;
  digest?.catch(() => {}); // awaited below; a parse error may come first
  const xx = await contentHasher();
  const parser = new LayerParser(xx, options.capture ?? shouldCapture);
  if (process.env.STRATA_FAST_READ === 'sync') return indexSync(handle, digest, parser, start, length, options);
  const chunkSize = Math.max(1, Math.min(options.chunkSize ?? DEFAULT_CHUNK, Math.max(length, 1)));
  const buffers = [takeBuffer(chunkSize), takeBuffer(chunkSize)];
  try {
    let offset = 0;
    let which = 0;
    let pending = offset < length ? readFully(handle, buffers[which]!, start + offset, Math.min(chunkSize, length - offset)) : null;
    while (pending !== null) {
      const chunk = await pending;
      offset += chunk.length;
      which ^= 1;
      pending = offset < length ? readFully(handle, buffers[which]!, start + offset, Math.min(chunkSize, length - offset)) : null;
      try {
        parser.push(chunk);
      } catch (err) {
        await pending?.catch(() => {}); // let the read in flight finish before the handle closes
        throw err;
      }
      options.onBytes?.(offset);
    }
    parser.end();
  } catch (err) {
    throw describeLayerError(err, 'none');
  } finally {
    for (const buffer of buffers) giveBack(buffer);
  }
  const sha = digest ? `sha256:${await digest}` : '';
  return {
    digest: sha,
    diffId: sha,
    mediaType: '',
    compression: 'none',
    compressedSize: length,
    uncompressedSize: length,
    entryCount: parser.entryCount,
    headerSizeTotal: parser.headerSizeTotal,
    entries: parser.entries,
  };
}

async function indexSync(handle: FileHandle, digest: Promise<string> | null, parser: LayerParser, start: number, length: number, options: RangeIndexOptions): Promise<LayerIndex> {
  const chunkSize = Math.max(1, Math.min(options.chunkSize ?? Number(process.env.STRATA_FAST_CHUNK ?? 131072), Math.max(length, 1)));
  const buffer = Buffer.allocUnsafeSlow(chunkSize);
  try {
    let offset = 0;
    let since = 0;
    while (offset < length) {
      const want = Math.min(chunkSize, length - offset);
      let filled = 0;
      while (filled < want) {
        const n = readSync(handle.fd, buffer, filled, want - filled, start + offset + filled);
        if (n === 0) throw new Error('the file ended before the layer did (was it changed while being read?)');
        filled += n;
      }
      parser.push(buffer.subarray(0, want));
      offset += want;
      since += want;
      if (since >= 4 << 20) {
        since = 0;
        options.onBytes?.(offset);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    options.onBytes?.(offset);
    parser.end();
  } catch (err) {
    throw describeLayerError(err, 'none');
  }
  const sha = digest ? `sha256:${await digest}` : '';
  return {
    digest: sha,
    diffId: sha,
    mediaType: '',
    compression: 'none',
    compressedSize: length,
    uncompressedSize: length,
    entryCount: parser.entryCount,
    headerSizeTotal: parser.headerSizeTotal,
    entries: parser.entries,
  };
}

/**
 * Read buffers are reused from layer to layer (two per layer in flight): allocating 8 MiB twice per
 * layer costs more in GC than the parsing around it. They are dropped once reading stops.
 */
const pool: Buffer[] = [];
const POOL_MAX = 4;
let poolTimer: NodeJS.Timeout | null = null;

function takeBuffer(size: number): Buffer {
  const i = pool.findIndex((b) => b.length === size);
  if (i >= 0) return pool.splice(i, 1)[0]!;
  return Buffer.allocUnsafeSlow(size);
}

function giveBack(buffer: Buffer): void {
  if (buffer.length < 1 << 20 || pool.length >= POOL_MAX) return;
  pool.push(buffer);
  if (poolTimer) clearTimeout(poolTimer);
  poolTimer = setTimeout(() => {
    pool.length = 0;
    poolTimer = null;
  }, 1000);
  poolTimer.unref();
}

/** Reads exactly `length` bytes at `position` (a short read means the file shrank under us). */
async function readFully(handle: FileHandle, buffer: Buffer, position: number, length: number): Promise<Buffer> {
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) throw new Error('the file ended before the layer did (was it changed while being read?)');
    filled += bytesRead;
  }
  return buffer.subarray(0, length);
}
