import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompressSync, brotliDecompress, constants as zlib } from 'node:zlib';
import { newTarEntry, type Compression, type EntryType, type LayerIndex, type TarEntry } from '../layers/types.js';
import { filesWithoutHash } from '../layers/unhashed.js';

/**
 * The on-disk form of one cached layer index. A file is:
 *
 *     strata-layer-index 3\n          magic and format version
 *     {header JSON}\n                 what the entry is: diffId, the blobs it was read from, sizes, checksum
 *     <brotli data>                   the entries (a JSON array of tuples, a newline, their heads and
 *                                     captured contents as raw bytes), compressed
 *
 * The header can be read without decompressing the body (to see whether a blob is recorded). Every
 * field is checked when an entry is read: anything unexpected makes it invalid, never trusted.
 * Bump FORMAT_VERSION whenever this layout or the indexer's output changes.
 */
export const MAGIC = 'strata-layer-index';
export const FORMAT_VERSION = 3;
/** At most this many blobs (compressions of the same tar) are recorded per diffId. */
export const MAX_BLOBS = 8;
/** Headers are small (a few blobs); anything longer is not one of ours. */
export const MAX_HEADER_BYTES = 16 * 1024;
/**
 * The largest entry file read: far above any layer's (a million entries make tens of MB, and captured
 * package databases are bounded), far below what would exhaust memory.
 */
export const MAX_ENTRY_BYTES = 1024 * 1024 * 1024;

/** One stored form of the layer: the blob a registry or archive holds. */
export interface BlobRecord {
  digest: string;
  compression: Compression;
  compressedSize: number;
}

export interface EntryHeader {
  /** The strata version that wrote the entry: another version's entries are rebuilt. */
  strata: string;
  diffId: string;
  blobs: BlobRecord[];
  uncompressedSize: number;
  entryCount: number;
  headerSizeTotal: number;
  /** Number of tuples in the body. */
  entries: number;
  /** How many of them are regular files stored without a content hash (left unhashed by their read). */
  unhashed: number;
  /** sha256 of the compressed body, "sha256:<hex>". */
  bodySha256: string;
  bodyBytes: number;
}

export class InvalidEntry extends Error {
  override readonly name = 'InvalidEntry';
}

const DIGEST = /^sha(256:[0-9a-f]{64}|512:[0-9a-f]{128})$/;
const COMPRESSIONS: readonly Compression[] = ['none', 'gzip', 'zstd'];
const TYPES: readonly EntryType[] = ['file', 'dir', 'symlink', 'hardlink', 'char', 'block', 'fifo'];

export const isDigest = (value: unknown): value is string => typeof value === 'string' && DIGEST.test(value);

const decompress = promisify(brotliDecompress);
/**
 * Brotli at quality 1 compresses the body as small as deflate at level 1, several times faster. A
 * 256 KiB window (the default is 4 MiB) compresses as small, and every layer's compressor holds that
 * much less while a first run writes them all at once.
 */
const COMPRESSION = { params: { [zlib.BROTLI_PARAM_QUALITY]: 1, [zlib.BROTLI_PARAM_LGWIN]: 18 } };
const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/**
 * Every field of a TarEntry and a LayerIndex is stored (or, for the index, rebuilt). These fail to
 * compile when a field is added that the cache does not know: store it, and bump FORMAT_VERSION.
 */
type StoredEntryField =
  | 'path'
  | 'type'
  | 'size'
  | 'mode'
  | 'uid'
  | 'gid'
  | 'linkTarget'
  | 'whiteout'
  | 'hash'
  | 'head'
  | 'content';
type StoredIndexField =
  | 'digest'
  | 'diffId'
  | 'mediaType'
  | 'compression'
  | 'compressedSize'
  | 'uncompressedSize'
  | 'entryCount'
  | 'headerSizeTotal'
  | 'entries';
/** Work a reader left unfinished: finished before a layer is stored (`encodeEntry` refuses it otherwise). */
type UnfinishedIndexField = 'digesting';
/**
 * Not stored: the files a read left unhashed are stored without a hash (hashing them only for the
 * cache would slow every first read), and a reader that must compare them reads the layer again
 * (src/layers/unhashed.ts, `hashesByRereading`).
 */
type UnstoredIndexField = 'unhashed';
const everyEntryFieldStored: Record<Exclude<keyof TarEntry, StoredEntryField>, never> = {};
const everyIndexFieldStored: Record<
  Exclude<keyof LayerIndex, StoredIndexField | UnfinishedIndexField | UnstoredIndexField>,
  never
> = {};
void everyEntryFieldStored;
void everyIndexFieldStored;

/** An entry in the body: its fields, with the lengths of its head and content (their bytes follow the tuples). */
type Tuple = [
  string,
  EntryType,
  number,
  number,
  number,
  number,
  string | null,
  'file' | 'opaque' | null,
  string | null,
  number | null,
  number | null,
];

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const optionalString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const optionalCount = (v: unknown): v is number | null => v === null || isCount(v);

/**
 * Entries per piece of the body: a piece's tuples and JSON text are all the encoder holds on the heap at once
 * (the bytes go to buffers).
 */
const PIECE = 4096;

function toTuple(e: TarEntry): Tuple {
  const head = e.head === undefined ? null : e.head.length;
  const content = e.content === undefined ? null : e.content.byteLength;
  return [
    e.path,
    e.type,
    e.size,
    e.mode,
    e.uid,
    e.gid,
    e.linkTarget ?? null,
    e.whiteout ?? null,
    e.hash ?? null,
    head,
    content,
  ];
}

/**
 * The body, compressed: the tuples as one JSON line, then every head (latin1, as the indexer keeps
 * them) and every captured content, as raw bytes in entry order.
 *
 * - Raw bytes rather than base64 in the JSON: base64 made encoding several times slower.
 * - Compressed in one call, on this thread: streamed through an asynchronous compressor, this thread
 *   mostly waited on libuv's. Only one layer's body is whole at a time, so peak memory is unchanged.
 */
function compressedBody(entries: readonly TarEntry[]): Buffer {
  return brotliCompressSync(Buffer.concat([...bodyPieces(entries)]), COMPRESSION);
}

/** The body's bytes, in pieces of PIECE entries' tuples and heads. */
function* bodyPieces(entries: readonly TarEntry[]): Generator<Buffer> {
  yield Buffer.from('[');
  for (let start = 0; start < entries.length; start += PIECE) {
    const json = JSON.stringify(entries.slice(start, start + PIECE).map(toTuple));
    yield Buffer.from(`${start === 0 ? '' : ','}${json.slice(1, -1)}`);
  }
  yield Buffer.from(']\n');
  for (let start = 0; start < entries.length; start += PIECE) {
    let heads = '';
    for (let i = start; i < Math.min(start + PIECE, entries.length); i++) heads += entries[i]!.head ?? '';
    if (heads.length > 0) yield Buffer.from(heads, 'latin1');
  }
  for (const { content } of entries) {
    if (content !== undefined && content.byteLength > 0)
      yield Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  }
}

function decodeBody(body: Buffer, count: number): TarEntry[] {
  // JSON never holds a raw newline: the first one ends the tuples.
  const end = body.indexOf(0x0a);
  let tuples: unknown;
  try {
    tuples = end < 0 ? null : JSON.parse(body.toString('utf8', 0, end));
  } catch {
    tuples = null;
  }
  if (!Array.isArray(tuples)) throw new InvalidEntry('the body does not start with the entries as JSON');
  if (tuples.length !== count) throw new InvalidEntry('the body does not hold the entries the header counts');
  const entries = tuples.map(fromTuple);
  // Then the heads, then the contents, each as long as its tuple says, and nothing more.
  let at = end + 1;
  const take = (length: number): number => {
    const start = at;
    at += length;
    if (at > body.length) throw new InvalidEntry('the body is shorter than its entries say');
    return start;
  };
  entries.forEach((entry, i) => {
    const length = (tuples as Tuple[])[i]![9];
    if (length !== null) entry.head = body.toString('latin1', take(length), at);
  });
  entries.forEach((entry, i) => {
    const length = (tuples as Tuple[])[i]![10];
    // A copy: the content outlives the body.
    if (length !== null) entry.content = Buffer.from(body.subarray(take(length), at));
  });
  if (at !== body.length) throw new InvalidEntry('the body is longer than its entries say');
  return entries;
}

/** A tuple → the entry, its fields checked; the head and content are read from the body after. */
function fromTuple(value: unknown): TarEntry {
  if (!Array.isArray(value) || value.length !== 11) throw new InvalidEntry('an entry is not an 11-field tuple');
  const [path, type, size, mode, uid, gid, linkTarget, whiteout, hash, head, content] = value as unknown[];
  if (typeof path !== 'string' || !path.startsWith('/')) throw new InvalidEntry('an entry has no absolute path');
  if (!TYPES.includes(type as EntryType)) throw new InvalidEntry('an entry has an unknown type');
  if (!isCount(size) || !isCount(mode) || mode > 0o7777 || !isCount(uid) || !isCount(gid))
    throw new InvalidEntry('an entry has an invalid number');
  if (!optionalString(linkTarget) || !optionalString(hash) || !optionalCount(head) || !optionalCount(content))
    throw new InvalidEntry('an entry has an invalid field');
  if (whiteout !== null && whiteout !== 'file' && whiteout !== 'opaque')
    throw new InvalidEntry('an entry has an invalid whiteout');
  if (hash !== null && !/^[0-9a-f]{16}$/.test(hash)) throw new InvalidEntry('an entry has an invalid content hash');
  const entry = newTarEntry(path, type as EntryType, size, mode, uid, gid);
  if (linkTarget !== null) entry.linkTarget = linkTarget;
  if (whiteout !== null) entry.whiteout = whiteout;
  if (hash !== null) entry.hash = hash;
  return entry;
}

/** Serializes a layer index (read from `blob`) into the bytes of a cache file. */
export function encodeEntry(layer: LayerIndex, blobs: BlobRecord[], strata: string): Buffer {
  if (layer.digesting !== undefined) throw new Error('a layer is stored once its digest is known');
  const body = compressedBody(layer.entries);
  const header: EntryHeader = {
    strata,
    diffId: layer.diffId,
    blobs,
    uncompressedSize: layer.uncompressedSize,
    entryCount: layer.entryCount,
    headerSizeTotal: layer.headerSizeTotal,
    entries: layer.entries.length,
    unhashed: filesWithoutHash(layer),
    bodySha256: sha256(body),
    bodyBytes: body.length,
  };
  return Buffer.concat([Buffer.from(`${MAGIC} ${FORMAT_VERSION}\n${JSON.stringify(header)}\n`), body]);
}

function checkBlob(value: unknown): BlobRecord {
  const b = value as Partial<BlobRecord> | null;
  if (
    typeof b !== 'object' ||
    b === null ||
    !isDigest(b.digest) ||
    !COMPRESSIONS.includes(b.compression as Compression) ||
    !isCount(b.compressedSize)
  ) {
    throw new InvalidEntry('a blob record is invalid');
  }
  return { digest: b.digest, compression: b.compression as Compression, compressedSize: b.compressedSize };
}

/**
 * The header of a cache file (from its first bytes), checked: magic, format version, the strata
 * version and the diffId the file name promises. Returns the header and where the body starts.
 */
export function decodeHeader(
  bytes: Buffer,
  expected: { diffId: string; strata: string },
): { header: EntryHeader; bodyStart: number } {
  const firstLine = bytes.indexOf(0x0a);
  if (firstLine < 0) throw new InvalidEntry('no format line');
  const magic = bytes.toString('latin1', 0, firstLine);
  if (!magic.startsWith(`${MAGIC} `)) throw new InvalidEntry('not a strata layer index');
  if (magic !== `${MAGIC} ${FORMAT_VERSION}`)
    throw new InvalidEntry(`format ${magic.slice(MAGIC.length + 1)}, not ${FORMAT_VERSION}`);
  const secondLine = bytes.indexOf(0x0a, firstLine + 1);
  if (secondLine < 0 || secondLine - firstLine > MAX_HEADER_BYTES) throw new InvalidEntry('no header line');
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(bytes.toString('utf8', firstLine + 1, secondLine)) as Record<string, unknown>;
  } catch {
    throw new InvalidEntry('the header is not JSON');
  }
  if (typeof raw !== 'object' || raw === null) throw new InvalidEntry('the header is not an object');
  if (raw.strata !== expected.strata)
    throw new InvalidEntry(`written by strata ${String(raw.strata)}, not ${expected.strata}`);
  if (raw.diffId !== expected.diffId) throw new InvalidEntry('the header names another diffId');
  if (!Array.isArray(raw.blobs) || raw.blobs.length === 0 || raw.blobs.length > MAX_BLOBS)
    throw new InvalidEntry('the header lists no blobs');
  for (const key of [
    'uncompressedSize',
    'entryCount',
    'headerSizeTotal',
    'entries',
    'unhashed',
    'bodyBytes',
  ] as const) {
    if (!isCount(raw[key])) throw new InvalidEntry(`the header's ${key} is invalid`);
  }
  if (!isDigest(raw.bodySha256)) throw new InvalidEntry("the header's body checksum is invalid");
  const header: EntryHeader = {
    strata: expected.strata,
    diffId: expected.diffId,
    blobs: raw.blobs.map(checkBlob),
    uncompressedSize: raw.uncompressedSize as number,
    entryCount: raw.entryCount as number,
    headerSizeTotal: raw.headerSizeTotal as number,
    entries: raw.entries as number,
    unhashed: raw.unhashed as number,
    bodySha256: raw.bodySha256,
    bodyBytes: raw.bodyBytes as number,
  };
  return { header, bodyStart: secondLine + 1 };
}

/** A whole cache file → the layer index as read from `blobDigest`, or InvalidEntry. */
export async function decodeEntry(
  bytes: Buffer,
  expected: { diffId: string; strata: string },
  blobDigest: string,
): Promise<{ layer: LayerIndex | null; header: EntryHeader }> {
  const { header, bodyStart } = decodeHeader(bytes, expected);
  const body = bytes.subarray(bodyStart);
  if (body.length !== header.bodyBytes)
    throw new InvalidEntry(`the body has ${body.length} bytes, the header says ${header.bodyBytes}`);
  if (sha256(body) !== header.bodySha256) throw new InvalidEntry('the body does not match its checksum');
  const blob = header.blobs.find((b) => b.digest === blobDigest);
  if (!blob) return { layer: null, header };
  let raw: Buffer;
  try {
    // Bounded as the file is: a body that inflates past it is not one of ours.
    raw = await decompress(body, { maxOutputLength: MAX_ENTRY_BYTES });
  } catch {
    throw new InvalidEntry('the body does not decompress');
  }
  const entries = decodeBody(raw, header.entries);
  return {
    header,
    layer: {
      digest: blob.digest,
      diffId: header.diffId,
      mediaType: '',
      compression: blob.compression,
      compressedSize: blob.compressedSize,
      uncompressedSize: header.uncompressedSize,
      entryCount: header.entryCount,
      headerSizeTotal: header.headerSizeTotal,
      entries,
      digesting: undefined,
      unhashed: undefined,
    },
  };
}
