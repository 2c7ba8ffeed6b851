import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { deflate, inflate, constants as zlib } from 'node:zlib';
import type { Compression, EntryType, LayerIndex, TarEntry } from '../layers/types.js';

/**
 * The on-disk form of one cached layer index. A file is:
 *
 *     strata-layer-index 1\n          magic and format version
 *     {header JSON}\n                 what the entry is: diffId, the blobs it was read from, sizes, checksum
 *     <zlib data>                     the entries, as a JSON array of tuples, deflated
 *
 * The header can be read without inflating the body (to see whether a blob is recorded). Every
 * field is checked when an entry is read: anything unexpected makes it invalid, never trusted.
 * Bump FORMAT_VERSION whenever this layout or the indexer's output changes.
 */
export const MAGIC = 'strata-layer-index';
export const FORMAT_VERSION = 1;
/** At most this many blobs (compressions of the same tar) are recorded per diffId. */
export const MAX_BLOBS = 8;
/** Headers are small (a few blobs); anything longer is not one of ours. */
export const MAX_HEADER_BYTES = 16 * 1024;

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
  /** sha256 of the deflated body, "sha256:<hex>". */
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

const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);
const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/**
 * Every field of a TarEntry and a LayerIndex is stored (or, for the index, rebuilt). These fail to
 * compile when a field is added that the cache does not know: store it, and bump FORMAT_VERSION.
 */
type StoredEntryField = 'path' | 'type' | 'size' | 'mode' | 'uid' | 'gid' | 'linkTarget' | 'whiteout' | 'hash' | 'head' | 'content';
type StoredIndexField = 'digest' | 'diffId' | 'mediaType' | 'compression' | 'compressedSize' | 'uncompressedSize' | 'entryCount' | 'headerSizeTotal' | 'entries';
/** Work a reader left unfinished: finished before a layer is stored (`encodeEntry` refuses it otherwise). */
type UnfinishedIndexField = 'digesting' | 'unhashed';
const everyEntryFieldStored: Record<Exclude<keyof TarEntry, StoredEntryField>, never> = {};
const everyIndexFieldStored: Record<Exclude<keyof LayerIndex, StoredIndexField | UnfinishedIndexField>, never> = {};
void everyEntryFieldStored;
void everyIndexFieldStored;

type Tuple = [string, EntryType, number, number, number, number, string | null, 'file' | 'opaque' | null, string | null, string | null, string | null];

const b64 = (bytes: Uint8Array | undefined): string | null => (bytes === undefined ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'));

function toTuple(e: TarEntry): Tuple {
  const head = e.head === undefined ? null : Buffer.from(e.head, 'latin1').toString('base64');
  return [e.path, e.type, e.size, e.mode, e.uid, e.gid, e.linkTarget ?? null, e.whiteout ?? null, e.hash ?? null, head, b64(e.content)];
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const optionalString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function fromTuple(value: unknown): TarEntry {
  if (!Array.isArray(value) || value.length !== 11) throw new InvalidEntry('an entry is not an 11-field tuple');
  const [path, type, size, mode, uid, gid, linkTarget, whiteout, hash, head, content] = value as unknown[];
  if (typeof path !== 'string' || !path.startsWith('/')) throw new InvalidEntry('an entry has no absolute path');
  if (!TYPES.includes(type as EntryType)) throw new InvalidEntry('an entry has an unknown type');
  if (!isCount(size) || !isCount(mode) || mode > 0o7777 || !isCount(uid) || !isCount(gid)) throw new InvalidEntry('an entry has an invalid number');
  if (!optionalString(linkTarget) || !optionalString(hash) || !optionalString(head) || !optionalString(content)) throw new InvalidEntry('an entry has an invalid field');
  if (whiteout !== null && whiteout !== 'file' && whiteout !== 'opaque') throw new InvalidEntry('an entry has an invalid whiteout');
  if (hash !== null && !/^[0-9a-f]{16}$/.test(hash)) throw new InvalidEntry('an entry has an invalid content hash');
  const entry: TarEntry = { path, type: type as EntryType, size, mode, uid, gid };
  if (linkTarget !== null) entry.linkTarget = linkTarget;
  if (whiteout !== null) entry.whiteout = whiteout;
  if (hash !== null) entry.hash = hash;
  for (const [key, text] of [['head', head], ['content', content]] as const) {
    if (text !== null && !BASE64.test(text)) throw new InvalidEntry(`an entry's ${key} is not base64`);
  }
  // As the indexer makes them: the head as a latin1 string, the content as a Buffer.
  if (head !== null) entry.head = Buffer.from(head, 'base64').toString('latin1');
  if (content !== null) entry.content = Buffer.from(content, 'base64');
  return entry;
}

/** Serializes a layer index (read from `blob`) into the bytes of a cache file. */
export async function encodeEntry(layer: LayerIndex, blobs: BlobRecord[], strata: string): Promise<Buffer> {
  if (layer.digesting !== undefined || layer.unhashed !== undefined) throw new Error('a layer is stored once its digest is known and every file hashed');
  const body = await deflateAsync(Buffer.from(JSON.stringify(layer.entries.map(toTuple))), { level: zlib.Z_BEST_SPEED });
  const header: EntryHeader = {
    strata,
    diffId: layer.diffId,
    blobs,
    uncompressedSize: layer.uncompressedSize,
    entryCount: layer.entryCount,
    headerSizeTotal: layer.headerSizeTotal,
    entries: layer.entries.length,
    bodySha256: sha256(body),
    bodyBytes: body.length,
  };
  return Buffer.concat([Buffer.from(`${MAGIC} ${FORMAT_VERSION}\n${JSON.stringify(header)}\n`), body]);
}

function checkBlob(value: unknown): BlobRecord {
  const b = value as Partial<BlobRecord> | null;
  if (typeof b !== 'object' || b === null || !isDigest(b.digest) || !COMPRESSIONS.includes(b.compression as Compression) || !isCount(b.compressedSize)) {
    throw new InvalidEntry('a blob record is invalid');
  }
  return { digest: b.digest, compression: b.compression as Compression, compressedSize: b.compressedSize };
}

/**
 * The header of a cache file (from its first bytes), checked: magic, format version, the strata
 * version and the diffId the file name promises. Returns the header and where the body starts.
 */
export function decodeHeader(bytes: Buffer, expected: { diffId: string; strata: string }): { header: EntryHeader; bodyStart: number } {
  const firstLine = bytes.indexOf(0x0a);
  if (firstLine < 0) throw new InvalidEntry('no format line');
  const magic = bytes.toString('latin1', 0, firstLine);
  if (!magic.startsWith(`${MAGIC} `)) throw new InvalidEntry('not a strata layer index');
  if (magic !== `${MAGIC} ${FORMAT_VERSION}`) throw new InvalidEntry(`format ${magic.slice(MAGIC.length + 1)}, not ${FORMAT_VERSION}`);
  const secondLine = bytes.indexOf(0x0a, firstLine + 1);
  if (secondLine < 0 || secondLine - firstLine > MAX_HEADER_BYTES) throw new InvalidEntry('no header line');
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(bytes.toString('utf8', firstLine + 1, secondLine)) as Record<string, unknown>;
  } catch {
    throw new InvalidEntry('the header is not JSON');
  }
  if (typeof raw !== 'object' || raw === null) throw new InvalidEntry('the header is not an object');
  if (raw.strata !== expected.strata) throw new InvalidEntry(`written by strata ${String(raw.strata)}, not ${expected.strata}`);
  if (raw.diffId !== expected.diffId) throw new InvalidEntry('the header names another diffId');
  if (!Array.isArray(raw.blobs) || raw.blobs.length === 0 || raw.blobs.length > MAX_BLOBS) throw new InvalidEntry('the header lists no blobs');
  for (const key of ['uncompressedSize', 'entryCount', 'headerSizeTotal', 'entries', 'bodyBytes'] as const) {
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
    bodySha256: raw.bodySha256,
    bodyBytes: raw.bodyBytes as number,
  };
  return { header, bodyStart: secondLine + 1 };
}

/** A whole cache file → the layer index as read from `blobDigest`, or InvalidEntry. */
export async function decodeEntry(bytes: Buffer, expected: { diffId: string; strata: string }, blobDigest: string): Promise<{ layer: LayerIndex | null; header: EntryHeader }> {
  const { header, bodyStart } = decodeHeader(bytes, expected);
  const body = bytes.subarray(bodyStart);
  if (body.length !== header.bodyBytes) throw new InvalidEntry(`the body has ${body.length} bytes, the header says ${header.bodyBytes}`);
  if (sha256(body) !== header.bodySha256) throw new InvalidEntry('the body does not match its checksum');
  const blob = header.blobs.find((b) => b.digest === blobDigest);
  if (!blob) return { layer: null, header };
  let tuples: unknown;
  try {
    tuples = JSON.parse((await inflateAsync(body)).toString('utf8'));
  } catch {
    throw new InvalidEntry('the body does not inflate to JSON');
  }
  if (!Array.isArray(tuples) || tuples.length !== header.entries) throw new InvalidEntry('the body does not hold the entries the header counts');
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
      entries: tuples.map(fromTuple),
    },
  };
}
