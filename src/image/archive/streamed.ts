import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { createDecompressor } from '../../layers/decompress.js';
import { sniffCompression } from '../../layers/compression.js';
import { indexLayerBlob, type IndexLayerOptions } from '../../layers/indexer.js';
import { parentOf } from '../../layers/path.js';
import type { LayerIndex } from '../../layers/types.js';
import { ImageReadError } from '../../util/errors.js';
import { quoteInput } from '../../util/escape.js';
import { peekStream } from '../../util/peek.js';
import type { LayerLocation } from '../source.js';
import {
  archiveError,
  looksLikeDocument,
  memberName,
  MemberTable,
  SMALL_DOCUMENT_MAX,
  type MemberLink,
  type MemberStore,
} from './members.js';

/** The n-th member of that name in the archive (a name may come more than once; the last one counts). */
type Occurrence = { occurrence: number };

type MemberContent =
  | { kind: 'document'; bytes: Buffer }
  | { kind: 'layer'; index: LayerIndex }
  | { kind: 'unreadable'; error: Error };
type Member = Occurrence & MemberContent;

/**
 * The archive again, from its first byte, compressed or not (a file read again, an engine asked
 * again), or null when it cannot be had twice (stdin): its members are then read once, in
 * `readArchiveStream`, and never reopened.
 */
export type Reopen = (() => Promise<Readable>) | null;

/**
 * An archive read from a non-seekable stream in one pass (stdin, an archive compressed as a whole,
 * an engine's `GET /images/{name}/get`), compressed or not, docker or OCI: decompressed on the way
 * in, then read member by member (`readArchiveStream`). `onChunk` sees every stored chunk, for
 * progress.
 */
export async function readCompressedArchiveStream(
  input: AsyncIterable<Uint8Array>,
  options: IndexLayerOptions,
  reopen: Reopen,
  onChunk?: (chunk: Buffer) => void,
): Promise<MemberStore> {
  return readArchiveStream(await decompressed(input, onChunk), options, reopen);
}

/** The archive's tar: gzip or zstd (told by magic bytes) decompressed on the way. */
async function decompressed(input: AsyncIterable<Uint8Array>, onChunk?: (chunk: Buffer) => void): Promise<Readable> {
  const { head, stream } = await peekStream(input, 4, onChunk);
  const decompressor = createDecompressor(sniffCompression(head));
  if (!decompressor) return stream;
  stream.on('error', (err) => decompressor.destroy(err));
  return stream.pipe(decompressor);
}

/**
 * Reads a whole image archive in one pass, as its bytes arrive: documents are kept, and every other
 * member is indexed as a layer right away (manifests come last in docker archives, and OCI blobs in
 * digest order, so the layer order is only known at the end). It is one sequential read for files.
 */
export async function readArchiveStream(
  input: Readable,
  options: IndexLayerOptions,
  reopen: Reopen,
): Promise<MemberStore> {
  const members = new Map<string, Member | MemberLink>();
  const seen = new Map<string, number>();
  const extract = tar.extract();
  let sawEntry = false;

  const consume = (async () => {
    for await (const entry of extract) {
      sawEntry = true;
      const header = entry.header;
      const name = memberName(header.name);
      if (header.type === 'symlink' || header.type === 'link') {
        const link = header.linkname ?? '';
        // Symlinks are relative to the link's directory; hardlinks name a member of the archive.
        const target = header.type === 'symlink' ? memberName(`${parentOf('/' + name)}/${link}`) : memberName(link);
        members.set(name, { kind: 'link', target });
        entry.resume();
        continue;
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        entry.resume();
        continue;
      }
      const occurrence = seen.get(name) ?? 0;
      seen.set(name, occurrence + 1);
      members.set(name, { occurrence, ...(await readMember(entry as unknown as Readable, header.size ?? 0, options)) });
    }
  })();

  try {
    await Promise.all([pipeline(input, extract), consume]);
  } catch (err) {
    throw archiveError(err, sawEntry);
  }
  return new StreamedStore(members, options, reopen);
}

async function readMember(entry: Readable, size: number, options: IndexLayerOptions): Promise<MemberContent> {
  const iterator = entry[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : (first.value as Buffer);
  const rest = (async function* () {
    if (!first.done) yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value as Buffer;
    }
  })();
  if (size <= SMALL_DOCUMENT_MAX && looksLikeDocument(head, size)) {
    const chunks: Buffer[] = [];
    for await (const chunk of rest) chunks.push(chunk);
    return { kind: 'document', bytes: Buffer.concat(chunks) };
  }
  try {
    return { kind: 'layer', index: await indexLayerBlob(rest, options) };
  } catch (err) {
    // Not every member is a layer (a README, a VERSION file): only a layer that is referenced
    // and unreadable is an error, so keep the reason until the manifest says.
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      // drain the rest of this member so the archive reader can move on
    }
    return { kind: 'unreadable', error: err as Error };
  }
}

class StreamedStore extends MemberTable<Member> implements MemberStore {
  constructor(
    members: Map<string, Member | MemberLink>,
    private readonly options: IndexLayerOptions,
    private readonly reopen: Reopen,
  ) {
    super(members);
  }

  async bytes(name: string): Promise<Buffer> {
    const member = this.resolve(name);
    if (member?.kind === 'document') return member.bytes;
    if (member === undefined) throw new ImageReadError(`${quoteInput(name)} is missing from the archive`);
    throw new ImageReadError(`${quoteInput(name)} is not a JSON document`);
  }

  async locate(name: string): Promise<LayerLocation> {
    const member = this.resolve(name);
    if (member === undefined) throw new ImageReadError(`layer ${quoteInput(name)} is missing from the archive`);
    if (member.kind === 'layer') return { kind: 'indexed', index: member.index };
    if (member.kind === 'unreadable') throw new ImageReadError(`layer ${quoteInput(name)}: ${member.error.message}`);
    // A layer small enough to be kept as a document (a gzipped empty tar is about 30 bytes):
    // index it from the bytes kept.
    try {
      return { kind: 'indexed', index: await indexLayerBlob(Readable.from([member.bytes]), this.options) };
    } catch (err) {
      throw err instanceof ImageReadError
        ? err
        : new ImageReadError(`layer ${quoteInput(name)}: ${(err as Error).message}`);
    }
  }

  async open(name: string): Promise<Readable> {
    const member = this.resolve(name);
    if (member === undefined) throw new ImageReadError(`layer ${quoteInput(name)} is missing from the archive`);
    if (member.kind === 'document') return Readable.from([member.bytes]);
    if (this.reopen === null)
      throw new ImageReadError(
        'the image was read from standard input, which cannot be read a second time: save it to a file first',
      );
    return memberOf(await decompressed(await this.reopen()), this.canonical(name), member.occurrence);
  }
}

/**
 * The stream of one member of an archive read from its start: the `occurrence`-th member of that
 * name. The archive is read up to it and dropped once the member has been read (or its reader gives up).
 */
function memberOf(archive: Readable, name: string, occurrence: number): Promise<Readable> {
  return new Promise<Readable>((resolve, reject) => {
    const extract = tar.extract();
    let seen = 0;
    let found: PassThrough | null = null;
    let sawEntry = false;
    const stop = (): void => {
      archive.destroy();
      extract.destroy();
    };
    extract.on('entry', (header, body, next) => {
      sawEntry = true;
      const file = header.type === 'file' || header.type === 'contiguous-file';
      if (found === null && file && memberName(header.name) === name && seen++ === occurrence) {
        const out = new PassThrough();
        found = out;
        body.on('error', (err) => out.destroy(err));
        body.pipe(out);
        // Read to its end, or given up by its reader: the rest of the archive is not needed.
        out.on('close', stop);
        body.on('end', () => setImmediate(stop));
        resolve(out);
        return;
      }
      body.on('end', next);
      body.resume();
    });
    const fail = (err: unknown): void => {
      const error = archiveError(err, sawEntry);
      if (found === null) reject(error);
      else found.destroy(error);
    };
    extract.on('error', fail);
    archive.on('error', fail);
    extract.on('finish', () => {
      if (found === null)
        reject(new ImageReadError(`layer ${quoteInput(name)} is missing from the archive read again`));
    });
    archive.pipe(extract);
  });
}
