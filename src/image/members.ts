import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { indexLayerBlob, type IndexLayerOptions } from '../layers/indexer.js';
import type { LayerIndex } from '../layers/types.js';
import { normalizePath, parentOf } from '../layers/path.js';
import { ImageReadError } from '../util/errors.js';

/**
 * The members of an image archive or layout, as the assemblers (docker, OCI) need them: small JSON
 * documents whole, and layer blobs as finished indexes. Both a streamed tar and a directory offer
 * this, so the docker and OCI logic exists once.
 */
export interface MemberStore {
  /** Every member name (relative, no leading "./"), links included. */
  names(): string[];
  has(name: string): boolean;
  /** The member a name refers to once links are followed (podman's `<id>/layer.tar` → `<diffid>.tar`). */
  canonical(name: string): string;
  /** The bytes of a small member (a manifest, index or config). */
  bytes(name: string): Promise<Buffer>;
  /**
   * The index of a layer blob. A layer read in place may leave its sha256 (`digesting`) and big files'
   * hashes (`unhashed`) unfinished: the image's reader (assembleLayers) finishes what it needs.
   */
  layer(name: string): Promise<LayerIndex>;
}

/** Members at most this big that start like JSON are kept whole: manifests, configs, indexes. */
const SMALL_DOCUMENT_MAX = 8 * 1024 * 1024;

type Member =
  | { kind: 'document'; bytes: Buffer }
  | { kind: 'layer'; index: LayerIndex }
  | { kind: 'unreadable'; error: Error };

/** Names inside an archive, normalized the same way as layer paths but without the leading "/". */
export function memberName(raw: string): string {
  return normalizePath(raw).slice(1);
}

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

/** An archive link: a member name that stands for another. */
export type MemberLink = { kind: 'link'; target: string };

/**
 * The members of an archive by name, links followed: what every store of the readers shares
 * (the streamed one keeps documents and layer indexes, the seekable one offsets).
 */
export abstract class MemberTable<M extends { kind: string }> {
  constructor(protected readonly members: Map<string, M | MemberLink>) {}

  names(): string[] {
    return [...this.members.keys()];
  }

  has(name: string): boolean {
    return this.resolve(name) !== undefined;
  }

  /** The member a name leads to once archive links are followed (bounded, so a link loop cannot hang). */
  canonical(name: string): string {
    let current = name;
    for (let hops = 0; hops < 16; hops++) {
      const found = this.members.get(current);
      if (found?.kind !== 'link') return current;
      current = (found as MemberLink).target;
    }
    return current;
  }

  /** The member itself, links followed; undefined when missing (or a link that leads nowhere). */
  protected resolve(name: string): M | undefined {
    const member = this.members.get(this.canonical(name));
    return member === undefined || member.kind === 'link' ? undefined : (member as M);
  }
}

/** JSON, or tiny text files such as VERSION: kept whole rather than indexed as a layer. */
export function looksLikeDocument(head: Buffer, size: number): boolean {
  if (size <= 64) return true;
  for (const byte of head) {
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
    return byte === 0x7b /* { */ || byte === 0x5b /* [ */;
  }
  return false;
}

class StreamedStore extends MemberTable<Member> implements MemberStore {
  constructor(members: Map<string, Member | MemberLink>, private readonly options: IndexLayerOptions) {
    super(members);
  }

  async bytes(name: string): Promise<Buffer> {
    const member = this.resolve(name);
    if (member?.kind === 'document') return member.bytes;
    if (member === undefined) throw new ImageReadError(`${name} is missing from the archive`);
    throw new ImageReadError(`${name} is not a JSON document`);
  }

  async layer(name: string): Promise<LayerIndex> {
    const member = this.resolve(name);
    if (member === undefined) throw new ImageReadError(`layer ${name} is missing from the archive`);
    if (member.kind === 'layer') return member.index;
    if (member.kind === 'unreadable') throw new ImageReadError(`layer ${name}: ${member.error.message}`);
    // A layer small enough to be kept as a document (a gzipped empty tar is about 30 bytes):
    // index it from the bytes kept.
    try {
      return await indexLayerBlob(Readable.from([member.kind === 'document' ? member.bytes : Buffer.alloc(0)]), this.options);
    } catch (err) {
      throw err instanceof ImageReadError ? err : new ImageReadError(`layer ${name}: ${(err as Error).message}`);
    }
  }
}

/** An error of the outer archive's tar parser, in words (shared by the streamed and seekable readers). */
export function archiveError(err: unknown, sawEntry: boolean): ImageReadError {
  if (err instanceof ImageReadError) return err;
  const message = (err as Error)?.message ?? String(err);
  if (/Unexpected end of data/i.test(message)) return new ImageReadError('truncated archive: it ends inside a tar entry');
  if (/Invalid tar header|Unknown format|checksum/i.test(message)) {
    return new ImageReadError(sawEntry ? 'corrupt archive: invalid tar header' : 'not a tar archive');
  }
  if (/unexpected end of file/i.test(message)) return new ImageReadError('truncated compressed archive');
  if (/incorrect header check|invalid (block|code|distance|stored)|zstd/i.test(message)) return new ImageReadError(`corrupt compressed archive (${message})`);
  return new ImageReadError(message);
}
