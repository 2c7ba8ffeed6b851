import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { sniffCompression } from '../layers/compression.js';
import type { CapturePredicate } from '../layers/capture.js';
import { ImageReadError, describeSystemError } from '../util/errors.js';
import { peekStream } from '../util/peek.js';
import { readDockerArchive } from './docker-archive.js';
import type { MemberStore } from './members.js';
import { readOciLayout, type Platform } from './oci-layout.js';
import { openSeekableArchive } from './seekable.js';
import type { ImageIndex, SourceKind } from './types.js';

export interface OpenOptions {
  verify?: boolean;
  platform?: Platform;
  capture?: CapturePredicate;
  /** Reading progress: stored bytes read so far, of `total` when known. */
  onProgress?: (progress: Progress) => void;
  /**
   * Called at most once, with the image as soon as its layers are read, while a worker may still be
   * checking their digests: work done here (an analysis) overlaps the hashing. The read still
   * resolves only once every digest is checked, and rejects if one does not match.
   */
  whileVerifying?: (image: ImageIndex) => void;
}

export interface Progress {
  bytesRead: number;
  totalBytes: number | null;
  layersDone: number;
  layersTotal: number | null;
}

const READ_CHUNK = 1024 * 1024;
const SNIFF_BYTES = 512;

/** Opens an image archive (any docker or OCI flavour, compressed or not), an OCI layout directory, or "-" for stdin. */
export async function openImage(path: string, options: OpenOptions = {}): Promise<ImageIndex> {
  const verify = options.verify ?? true;
  const progress: Progress = { bytesRead: 0, totalBytes: null, layersDone: 0, layersTotal: null };
  const report = (): void => options.onProgress?.({ ...progress });

  if (path === '-') {
    return readImageStream(process.stdin, { ...options, verify }, progress, report);
  }
  const info = await stat(path).catch((err) => {
    throw new ImageReadError(describeSystemError(err));
  });
  if (info.isDirectory()) {
    const { openDirectoryStore } = await import('./dir-store.js');
    const store = await openDirectoryStore(path, { hash: verify, capture: options.capture });
    return readStore(store, 'oci-dir', { ...options, verify }, progress, report);
  }
  if (!info.isFile()) throw new ImageReadError('not a regular file or directory');
  progress.totalBytes = info.size;
  const head = await readHead(path);
  describeNonArchive(head);
  if (sniffCompression(head) === 'none') {
    // A plain tar on disk: members are found at their offsets and only the layers the manifest
    // names are read, in place (compressed-as-a-whole archives and stdin stream, below).
    const onRead = (bytes: number): void => {
      progress.bytesRead += bytes;
      report();
    };
    const store = await openSeekableArchive(path, { hash: verify, capture: options.capture, onRead });
    return readStore(store, 'oci-archive', { ...options, verify }, progress, report);
  }
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK });
  return readImageStream(stream, { ...options, verify }, progress, report);
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r').catch((err) => {
    throw new ImageReadError(describeSystemError(err));
  });
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Names what a file is when it clearly is not an image archive, before anything is parsed. */
function describeNonArchive(head: Buffer): void {
  if (head.length === 0) throw new ImageReadError('empty file, not an image archive');
  if (sniffCompression(head) !== 'none') return;
  const first = head.toString('latin1').trimStart()[0];
  if (first === '{' || first === '[')
    throw new ImageReadError('a JSON document, not an image archive (give the archive or the layout directory)');
  if (head.length < SNIFF_BYTES || !isTarHeader(head))
    throw new ImageReadError('not an image archive: neither a tar nor gzip or zstd data');
}

/** A tar header's checksum field holds the sum of its bytes, with the field itself counted as spaces. */
function isTarHeader(block: Buffer): boolean {
  const stored = parseInt(block.toString('latin1', 148, 156).replace(/\0.*$/, '').trim(), 8);
  if (!Number.isFinite(stored)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum === stored;
}

/**
 * Reads an image archive from a non-seekable stream in one pass (stdin, an archive compressed as a
 * whole, an engine's `GET /images/{name}/get`): compressed or not, docker or OCI. `progress` is
 * updated in place and `report` called as bytes and layers arrive.
 */
export async function readImageStream(
  input: Readable,
  options: OpenOptions & { verify: boolean },
  progress: Progress,
  report: () => void,
): Promise<ImageIndex> {
  const countBytes = (chunk: Buffer): void => {
    progress.bytesRead += chunk.length;
    report();
  };
  // Loaded here, not at start-up: a plain archive on disk is read in place, without them.
  const [{ createDecompressor }, { readArchiveStream }] = await Promise.all([
    import('../layers/decompress.js'),
    import('./streamed-archive.js'),
  ]);
  // An archive compressed as a whole (`docker save | gzip`, or zstd): decompress on the way in.
  const { head, stream } = await peekStream(input, 4, countBytes);
  let source: Readable = stream;
  const decompressor = createDecompressor(sniffCompression(head));
  if (decompressor) {
    source.on('error', (err) => decompressor.destroy(err));
    source = source.pipe(decompressor);
  }
  const store = await readArchiveStream(source, { hash: options.verify, capture: options.capture });
  return readStore(store, 'oci-archive', options, progress, report);
}

/** Reads the image a store of members holds (docker-archive or OCI layout). */
export async function readStore(
  store: MemberStore,
  ociSource: SourceKind,
  options: OpenOptions & { verify: boolean },
  progress: Progress,
  report: () => void,
): Promise<ImageIndex> {
  const onLayer = (done: number, total: number): void => {
    progress.layersDone = done;
    progress.layersTotal = total;
    report();
  };
  const common = { verify: options.verify, concurrency: 2, onLayer, whileVerifying: options.whileVerifying };
  const dockerManifest = store.has('manifest.json');
  // Docker ≥ 25 writes both: its OCI layout carries the real media types and the manifest digest.
  if (store.has('index.json') && (store.has('oci-layout') || !dockerManifest)) {
    return readOciLayout(store, {
      ...common,
      platform: options.platform,
      source: dockerManifest ? 'docker-archive' : ociSource,
    });
  }
  if (dockerManifest) return readDockerArchive(store, common);
  const names = store.names();
  const held =
    names.length === 0 ? 'it is empty' : `it holds ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`;
  throw new ImageReadError(`not a container image: no manifest.json or index.json (${held})`);
}
