import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { sniffCompression } from '../../layers/compression.js';
import { ImageReadError, StrataError, describeSystemError } from '../../util/errors.js';
import type { ImageOptions } from '../options.js';
import type { ProgressMeter } from '../progress.js';
import type { ArchiveFormat } from '../reference.js';
import type { ImageSource, LayerLocation, ResolvedImage, SourceLayer } from '../source.js';
import type { SourceKind } from '../types.js';
import { resolveDockerArchive } from './docker-archive.js';
import type { MemberStore } from './members.js';
import { resolveOciLayout } from './oci-layout.js';

const READ_CHUNK = 1024 * 1024;
const SNIFF_BYTES = 512;

/** An archive or layout on this machine, or on stdin: how it is found, and what it is read as. */
export interface ArchiveTarget {
  /** A file, a directory, or "-" for stdin. */
  path: string;
  /** What an explicit prefix (`docker-archive:`, `oci-archive:`, `oci:`) promised; `auto` otherwise. */
  format: ArchiveFormat;
  /** `oci:DIR:tag`. */
  tag: string | null;
}

/**
 * The source for an archive (any docker or OCI flavour, compressed or not), an OCI layout directory,
 * or "-" for stdin. What the path is decides how it is read: a directory and a plain tar on disk in
 * place, an archive compressed as a whole and stdin in one pass.
 */
export async function openArchiveSource(target: ArchiveTarget, options: ImageOptions): Promise<ImageSource> {
  const { path, format } = target;
  if (path === '-') {
    if (format === 'oci') throw new StrataError('oci: needs a directory, not stdin');
    return oneReading(options, (progress) => streamedStore(options.stdin, options, null, (n) => progress.addBytes(n)));
  }
  const info = await stat(path).catch((err) => {
    throw new ImageReadError(describeSystemError(err));
  });
  if (format === 'oci' && !info.isDirectory())
    throw new ImageReadError('oci: expects an OCI layout directory, and this is not a directory');
  if (format !== 'auto' && format !== 'oci' && info.isDirectory())
    throw new ImageReadError(`${format}: expects an archive file, and this is a directory`);
  if (info.isDirectory()) {
    return new ArchiveSource(options, 'oci-dir', target.tag, async () => {
      const { openDirectoryStore } = await import('./directory.js');
      return openDirectoryStore(path);
    });
  }
  if (!info.isFile()) throw new ImageReadError('not a regular file or directory');
  const head = await readHead(path);
  describeNonArchive(head);
  if (sniffCompression(head) === 'none') {
    // A plain tar on disk: members are found at their offsets and only the layers the manifest
    // names are read, in place.
    return new ArchiveSource(options, 'oci-archive', null, async (progress) => {
      progress.expect(info.size, null);
      const { openSeekableArchive } = await import('./seekable.js');
      return openSeekableArchive(path);
    });
  }
  // Compressed as a whole: one pass to read it, and another from the start to read a layer again.
  const file = (): Readable => createReadStream(path, { highWaterMark: READ_CHUNK });
  return oneReading(options, (progress) => {
    progress.expect(info.size, null);
    return streamedStore(
      file(),
      options,
      async () => file(),
      (n) => progress.addBytes(n),
    );
  });
}

/** An archive read in one pass from a stream (stdin, a compressed file, an engine's export). */
export function oneReading(
  options: ImageOptions,
  store: (progress: ProgressMeter) => Promise<MemberStore>,
): ArchiveSource {
  return new ArchiveSource(options, 'oci-archive', null, store);
}

/** Reads the stream's archive; `onBytes` is told of every stored chunk's size. */
export async function streamedStore(
  input: Readable,
  options: ImageOptions,
  reopen: (() => Promise<Readable>) | null,
  onBytes: (bytes: number) => void,
): Promise<MemberStore> {
  // Loaded here, not at start-up: a plain archive on disk is read in place, without tar-stream.
  const { readCompressedArchiveStream } = await import('./streamed.js');
  return readCompressedArchiveStream(input, { hash: options.verify, capture: options.capture }, reopen, (chunk) =>
    onBytes(chunk.length),
  );
}

/**
 * An image in an archive or a layout: its members (a `MemberStore`) hold either a docker archive's
 * manifest.json or an OCI layout's index.json, and its layers are the members they name.
 */
export class ArchiveSource implements ImageSource {
  readonly remote = false;
  readonly concurrency = 2;
  private store: MemberStore | null = null;

  constructor(
    readonly options: ImageOptions,
    /** What an OCI layout here is reported as: an `oci-archive` or an `oci-dir`. */
    private readonly layoutKind: SourceKind,
    private readonly tag: string | null,
    private readonly openStore: (progress: ProgressMeter) => Promise<MemberStore>,
  ) {}

  async resolve(progress: ProgressMeter): Promise<ResolvedImage> {
    const store = await this.openStore(progress);
    this.store = store;
    const { verify, platform } = this.options;
    if (this.tag !== null) {
      if (!store.has('index.json'))
        throw new ImageReadError('oci: expects an OCI layout directory, and this one has no index.json');
      return resolveOciLayout(store, { verify, platform, kind: this.layoutKind, tag: this.tag });
    }
    const dockerManifest = store.has('manifest.json');
    // Docker ≥ 25 writes both: its OCI layout carries the real media types and the manifest digest.
    if (store.has('index.json') && (store.has('oci-layout') || !dockerManifest)) {
      const kind = dockerManifest ? 'docker-archive' : this.layoutKind;
      return resolveOciLayout(store, { verify, platform, kind, tag: null });
    }
    if (dockerManifest) return resolveDockerArchive(store, verify);
    const names = store.names();
    const held =
      names.length === 0 ? 'it is empty' : `it holds ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`;
    throw new ImageReadError(`not a container image: no manifest.json or index.json (${held})`);
  }

  locateLayer(layer: SourceLayer): Promise<LayerLocation> {
    return this.resolved().locate(layer.member);
  }

  openLayer(layer: SourceLayer): Promise<Readable> {
    return this.resolved().open(layer.member);
  }

  async close(): Promise<void> {}

  private resolved(): MemberStore {
    if (this.store === null) throw new Error('a layer was asked for before the image was resolved');
    return this.store;
  }
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
