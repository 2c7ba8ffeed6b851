/**
 * The reference the layer parser is checked against: a layer index built by tar-stream, an
 * independent tar implementation, exactly as strata's streaming indexer once built it (with a
 * directory's size ignored, as GNU tar does, where tar-stream would wait for its data forever).
 */
import { createHash, type Hash } from 'node:crypto';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import xxhash from 'xxhash-wasm';
import { captureMaxBytes, shouldCapture } from '../../src/layers/capture.js';
import { sniffCompression } from '../../src/layers/compression.js';
import { createDecompressor } from '../../src/layers/decompress.js';
import { makeEntry } from '../../src/layers/fast/entry.js';
import type { IndexLayerOptions } from '../../src/layers/indexer.js';
import { describeLayerError } from '../../src/layers/layer-errors.js';
import { decodeNameBytes } from '../../src/layers/path.js';
import { HEAD_BYTES, type EntryType, type LayerIndex, type TarEntry } from '../../src/layers/types.js';
import { peekStream } from '../../src/util/peek.js';
import { EndMarkerWatch } from './end-marker.js';

/** Counts and hashes bytes on their way through. */
class Tap extends Transform {
  bytes = 0;
  private readonly sha: Hash | null;
  constructor(hash: boolean) {
    super();
    this.sha = hash ? createHash('sha256') : null;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.sha?.update(chunk);
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

export async function tarStreamIndex(
  source: AsyncIterable<Uint8Array> | Readable,
  options: IndexLayerOptions,
): Promise<LayerIndex> {
  const xx = await xxhash();
  const capture = options.capture ?? shouldCapture;
  const { head, stream } = await peekStream(source, 4);
  const compression = sniffCompression(head);
  const stored = new Tap(options.hash);
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
    body.on('error', () => {});
    const isDir = header.type === 'directory';
    // A malformed base-256 size (decoded as null) passes tar-stream's check on a directory, and
    // stalls it on anything else: strata's parser refuses it everywhere, as a broken header.
    if (header.size === null) return next(new Error('Invalid header'));
    const size = isDir ? 0 : (header.size ?? 0);
    // tar-stream never ends a directory's body: its "data" is the next header.
    const skip = (): void => {
      if (isDir) next();
      else body.on('end', next).resume();
    };
    const headerStart = dataStart(header) - 512;
    if (!ended && watch.endMarkerBetween(previousEnd, headerStart)) ended = true;
    previousEnd = dataStart(header) + roundUp(size);
    if (ended) return skip();
    entryCount++;
    headerSizeTotal += size;
    const entry = toEntry(header, size);
    if (entry === null) return skip();
    entries.push(entry);
    if (entry.type !== 'file' || entry.whiteout) return skip();
    const hasher = xx.create64();
    const keepWhole = entry.size <= captureMaxBytes(entry.path) && capture(entry.path);
    const kept: Buffer[] = [];
    let text = '';
    let seen = 0;
    body.on('data', (data: unknown) => {
      const chunk = data as Buffer;
      hasher.update(chunk);
      if (seen < HEAD_BYTES) text += chunk.toString('latin1', 0, Math.min(chunk.length, HEAD_BYTES - seen));
      if (keepWhole) kept.push(Buffer.from(chunk));
      seen += chunk.length;
    });
    body.on('end', () => {
      entry.hash = hasher.digest().toString(16).padStart(16, '0');
      entry.head = text;
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

function toEntry(h: tar.Header, size: number): TarEntry | null {
  const header = h as Header;
  const type = TYPE_OF[header.type ?? 'file'] ?? 'file';
  const link =
    type === 'symlink' || type === 'hardlink'
      ? entryName(header.linkname ?? '', header.pax?.linkpath !== undefined)
      : undefined;
  return makeEntry(
    entryName(header.name, header.pax?.path !== undefined),
    type,
    size,
    header.mode ?? 0,
    header.uid ?? 0,
    header.gid ?? 0,
    link,
  );
}
