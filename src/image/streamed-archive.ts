import { quoteInput } from '../util/escape.js';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { indexLayerBlob, type IndexLayerOptions } from '../layers/indexer.js';
import { parentOf } from '../layers/path.js';
import type { LayerIndex } from '../layers/types.js';
import { ImageReadError } from '../util/errors.js';
import {
  archiveError,
  looksLikeDocument,
  memberName,
  MemberTable,
  SMALL_DOCUMENT_MAX,
  type MemberLink,
  type MemberStore,
} from './members.js';

type Member =
  | { kind: 'document'; bytes: Buffer }
  | { kind: 'layer'; index: LayerIndex }
  | { kind: 'unreadable'; error: Error };

/**
 * Reads a whole image archive in one pass, as its bytes arrive: documents are kept, and every other
 * member is indexed as a layer right away (manifests come last in docker archives, and OCI blobs in
 * digest order, so the layer order is only known at the end). This is the path for non-seekable
 * input (stdin, an engine's stream, a compressed archive), and it is one sequential read for files.
 */
export async function readArchiveStream(input: Readable, options: IndexLayerOptions): Promise<MemberStore> {
  const members = new Map<string, Member | MemberLink>();
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
      members.set(name, await readMember(entry as unknown as Readable, header.size ?? 0, options));
    }
  })();

  try {
    await Promise.all([pipeline(input, extract), consume]);
  } catch (err) {
    throw archiveError(err, sawEntry);
  }
  return new StreamedStore(members, options);
}

async function readMember(entry: Readable, size: number, options: IndexLayerOptions): Promise<Member> {
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
  ) {
    super(members);
  }

  async bytes(name: string): Promise<Buffer> {
    const member = this.resolve(name);
    if (member?.kind === 'document') return member.bytes;
    if (member === undefined) throw new ImageReadError(`${quoteInput(name)} is missing from the archive`);
    throw new ImageReadError(`${quoteInput(name)} is not a JSON document`);
  }

  async layer(name: string): Promise<LayerIndex> {
    const member = this.resolve(name);
    if (member === undefined) throw new ImageReadError(`layer ${quoteInput(name)} is missing from the archive`);
    if (member.kind === 'layer') return member.index;
    if (member.kind === 'unreadable') throw new ImageReadError(`layer ${quoteInput(name)}: ${member.error.message}`);
    // A layer small enough to be kept as a document (a gzipped empty tar is about 30 bytes):
    // index it from the bytes kept.
    try {
      return await indexLayerBlob(
        Readable.from([member.kind === 'document' ? member.bytes : Buffer.alloc(0)]),
        this.options,
      );
    } catch (err) {
      throw err instanceof ImageReadError
        ? err
        : new ImageReadError(`layer ${quoteInput(name)}: ${(err as Error).message}`);
    }
  }
}
