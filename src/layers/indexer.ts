import { createHash, type Hash } from 'node:crypto';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import xxhash, { type XXHashAPI } from 'xxhash-wasm';
import { sniffCompression } from './compression.js';
import { createDecompressor } from './decompress.js';
import { describeLayerError } from './layer-errors.js';
import { EndMarkerWatch } from './end-marker.js';
import { peekStream } from '../util/peek.js';
import { decodeNameBytes } from './path.js';
import { makeEntry } from './fast/entry.js';
import { captureMaxBytes, shouldCapture, type CapturePredicate } from './capture.js';
import { HEAD_BYTES, type EntryType, type LayerIndex, type TarEntry } from './types.js';

export interface IndexLayerOptions {
  /** Compute sha256 of the blob and of the uncompressed tar (needed to verify; skipped by --no-verify). */
  hash: boolean;
  /** Which small files to keep whole; defaults to the built-in list. */
  capture?: CapturePredicate;
  /** Called with the number of stored bytes consumed so far. */
  onBytes?: (bytes: number) => void;
}

let xxhashApi: Promise<XXHashAPI> | null = null;
function contentHasher(): Promise<XXHashAPI> {
  xxhashApi ??= xxhash();
  return xxhashApi;
}

/** Counts and hashes bytes on their way through. */
class Tap extends Transform {
  bytes = 0;
  private readonly sha: Hash | null;
  constructor(
    hash: boolean,
    private readonly onBytes?: (bytes: number) => void,
  ) {
    super();
    this.sha = hash ? createHash('sha256') : null;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.sha?.update(chunk);
    this.onBytes?.(this.bytes);
    done(null, chunk);
  }
  digest(): string {
    return this.sha ? `sha256:${this.sha.digest('hex')}` : '';
  }
}

const TYPE_OF: Record<string, EntryType | undefined> = {
  file: 'file',
  'contiguous-file': 'file',
  link: 'hardlink',
  symlink: 'symlink',
  directory: 'dir',
  'character-device': 'char',
  'block-device': 'block',
  fifo: 'fifo',
};

/**
 * Indexes one layer blob as its bytes stream by: the blob is hashed as stored, decompressed
 * (gzip or zstd, told by magic bytes), hashed again as a tar, and parsed by tar-stream. File
 * contents are hashed (xxh64) and only their first bytes are kept, so memory stays bounded by the
 * number of entries, never by the size of the layer.
 */
export async function indexLayerBlob(
  source: AsyncIterable<Uint8Array> | Readable,
  options: IndexLayerOptions,
): Promise<LayerIndex> {
  const xx = await contentHasher();
  const capture = options.capture ?? shouldCapture;

  // Peek at the first bytes to pick the decompressor, then put them back in front.
  const { head, stream } = await peekStream(source, 4);
  const compression = sniffCompression(head);
  const stored = new Tap(options.hash, options.onBytes);
  const decompressor = createDecompressor(compression);
  const uncompressed = decompressor ? new Tap(options.hash) : null;
  const watch = new EndMarkerWatch();
  // latin1 keeps one char per byte, so names that are not UTF-8 can be shown escaped, not mangled.
  const extract = tar.extract({ filenameEncoding: 'latin1' } as Parameters<typeof tar.extract>[0]);

  const entries: TarEntry[] = [];
  let entryCount = 0;
  let headerSizeTotal = 0;
  let previousEnd = 0;
  let ended = false;

  extract.on('entry', (header, body, next) => {
    // A truncated layer destroys the entry's body with the same error the pipeline reports: the
    // listener keeps it from also surfacing as an uncaught exception.
    body.on('error', () => {});
    // PAX and GNU long-name blocks may sit in the gap, but they are never all zeros.
    const headerStart = dataStart(header) - 512;
    if (!ended && watch.endMarkerBetween(previousEnd, headerStart)) ended = true;
    previousEnd = dataStart(header) + roundUp(header.size ?? 0);
    if (ended) {
      body.on('end', next).resume();
      return;
    }
    entryCount++;
    headerSizeTotal += header.size ?? 0;
    const entry = toEntry(header);
    if (entry === null) {
      body.on('end', next).resume();
      return;
    }
    entries.push(entry);
    if (entry.type !== 'file' || entry.whiteout) {
      body.on('end', next).resume();
      return;
    }
    const hasher = xx.create64();
    const keepWhole = entry.size <= captureMaxBytes(entry.path) && capture(entry.path);
    const kept: Buffer[] = [];
    let head = '';
    let seen = 0;
    body.on('data', (data: unknown) => {
      const chunk = data as Buffer;
      hasher.update(chunk);
      if (seen < HEAD_BYTES) {
        head += chunk.toString('latin1', 0, Math.min(chunk.length, HEAD_BYTES - seen));
      }
      if (keepWhole) kept.push(Buffer.from(chunk));
      seen += chunk.length;
    });
    body.on('end', () => {
      entry.hash = hasher.digest().toString(16).padStart(16, '0');
      entry.head = head;
      if (keepWhole) entry.content = Buffer.concat(kept);
      next();
    });
  });

  const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream> = [stream, stored];
  if (decompressor && uncompressed) stages.push(decompressor, uncompressed);
  stages.push(watch, extract);
  try {
    await (pipeline as (...s: unknown[]) => Promise<void>)(...stages);
  } catch (err) {
    throw describeLayerError(err, compression);
  }

  const storedDigest = stored.digest();
  return {
    digest: storedDigest,
    diffId: uncompressed ? uncompressed.digest() : storedDigest,
    mediaType: '',
    compression,
    compressedSize: stored.bytes,
    uncompressedSize: uncompressed ? uncompressed.bytes : stored.bytes,
    entryCount,
    headerSizeTotal,
    entries,
    digesting: undefined,
    unhashed: undefined,
  };
}

interface Header {
  name: string;
  size?: number;
  mode?: number;
  uid?: number;
  gid?: number;
  type?: string | null;
  linkname?: string | null;
  pax?: Record<string, string> | null;
  byteOffset?: number;
}

// tar-stream records where an entry's data starts; its header block(s) lie just before.
function dataStart(header: tar.Header): number {
  return (header as Header).byteOffset ?? 0;
}
function roundUp(size: number): number {
  return Math.ceil(size / 512) * 512;
}

/** Names arrive as latin1 (one char per byte) unless a PAX record gave them, which is UTF-8 by spec. */
function entryName(raw: string, fromPax: boolean): string {
  return fromPax ? raw : decodeNameBytes(Buffer.from(raw, 'latin1'));
}

function toEntry(h: tar.Header): TarEntry | null {
  const header = h as Header;
  const type = TYPE_OF[header.type ?? 'file'] ?? 'file';
  const link =
    type === 'symlink' || type === 'hardlink'
      ? entryName(header.linkname ?? '', header.pax?.linkpath !== undefined)
      : undefined;
  return makeEntry(
    entryName(header.name, header.pax?.path !== undefined),
    type,
    header.size ?? 0,
    header.mode ?? 0,
    header.uid ?? 0,
    header.gid ?? 0,
    link,
  );
}
