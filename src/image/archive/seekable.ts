import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  BLOCK,
  ERR_LONG_HEADER,
  ERR_SIZE,
  ERR_TRUNCATED,
  MAX_LONG_HEADER,
  T_CONTIGUOUS,
  T_FILE,
  T_LINK,
  T_SYMLINK,
  LongHeaderState,
  decodeHeader,
  hasData,
  isLongHeader,
  linkBytes,
  roundUp,
  type TarHeader,
} from '../../layers/fast/tar-header.js';
import { parentOf } from '../../layers/path.js';
import { ImageReadError, describeSystemError } from '../../util/errors.js';
import { quoteInput } from '../../util/escape.js';
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

/** Header reads fetch this much at once, so neighbouring small members come with one read. */
const WINDOW = 64 * 1024;
/** Bytes looked at to tell a document from a layer. */
const SNIFF = 4096;

/**
 * A plain (not compressed-as-a-whole) image archive on disk, read in place: the outer tar's
 * headers are walked at their offsets (member data is skipped, not read), small documents are read
 * by offset when asked for, and a layer is located at its byte range, so only the layers the
 * manifest names are read, each where it lies.
 *
 * The walk follows tar-stream's reading of the outer tar (the streamed reader's), so a member list,
 * a name, and an error are the same either way.
 */
export async function openSeekableArchive(path: string): Promise<MemberStore> {
  return new SeekableStore(path, await readMemberTable(path));
}

export type Member = { kind: 'file'; offset: number; size: number } | MemberLink;

/** The outer archive's members by name (the last one wins), in the order they first appear. */
export async function readMemberTable(path: string): Promise<Map<string, Member>> {
  const handle = await open(path, 'r').catch((err) => {
    throw new ImageReadError(describeSystemError(err));
  });
  try {
    const { size } = await handle.stat();
    return await walk(new WindowReader(handle, size), size);
  } finally {
    await handle.close();
  }
}

/** Reads byte ranges of a file through a window, for the header walk. */
class WindowReader {
  private window = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  async read(position: number, length: number): Promise<Buffer> {
    const offset = position - this.windowStart;
    if (offset >= 0 && offset + length <= this.window.length) return this.window.subarray(offset, offset + length);
    const want = Math.min(Math.max(length, WINDOW), this.size - position);
    const buffer = Buffer.allocUnsafe(want);
    let filled = 0;
    while (filled < want) {
      const { bytesRead } = await this.handle.read(buffer, filled, want - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    this.window = buffer.subarray(0, filled);
    this.windowStart = position;
    if (filled < length) throw new Error(ERR_TRUNCATED);
    return this.window.subarray(0, length);
  }
}

const utf8 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');

/** Names in the outer archive are decoded as UTF-8 (tar-stream's default), prefix and name apart. */
function outerName(h: TarHeader): string {
  if (h.pax?.path) return h.pax.path;
  if (h.longName !== null) return utf8(h.longName);
  const name = h.buf.toString('utf8', h.off, h.nameEnd);
  return h.prefixEnd < 0 ? name : `${h.buf.toString('utf8', h.off + 345, h.prefixEnd)}/${name}`;
}

function outerLink(h: TarHeader): string {
  if (h.pax?.linkpath) return h.pax.linkpath;
  const bytes = linkBytes(h);
  return bytes === null ? '' : utf8(bytes);
}

async function walk(reader: WindowReader, size: number): Promise<Map<string, Member>> {
  const members = new Map<string, Member>();
  const long = new LongHeaderState();
  let sawEntry = false;
  let position = 0;
  try {
    while (position < size) {
      // tar-stream ends with "Unexpected end of data" when bytes are left that make no whole block.
      if (size - position < BLOCK) throw new Error(ERR_TRUNCATED);
      const raw = decodeHeader(await reader.read(position, BLOCK), 0);
      if (raw === null) {
        position += BLOCK; // a zero block: tar-stream reads on to the end of the file
        continue;
      }
      if (isLongHeader(raw.typeflag)) {
        const longSize = raw.size;
        if (longSize === null || !(longSize >= 0)) throw new Error(ERR_SIZE);
        if (longSize > MAX_LONG_HEADER) throw new Error(ERR_LONG_HEADER);
        const end = position + BLOCK + roundUp(longSize);
        if (end > size) throw new Error(ERR_TRUNCATED);
        long.accept(raw.typeflag, await reader.read(position + BLOCK, longSize));
        position = end;
        continue;
      }
      const h = long.apply(raw);
      sawEntry = true;
      const dataStart = position + BLOCK;
      const end = hasData(h) ? dataStart + roundUp(h.size) : dataStart;
      if (end > size) throw new Error(ERR_TRUNCATED);
      const name = memberName(outerName(h));
      if (h.typeflag === T_SYMLINK || h.typeflag === T_LINK) {
        const link = outerLink(h);
        // Symlinks are relative to the link's directory; hardlinks name a member of the archive.
        const target = h.typeflag === T_SYMLINK ? memberName(`${parentOf('/' + name)}/${link}`) : memberName(link);
        members.set(name, { kind: 'link', target });
      } else if (h.typeflag === T_FILE || h.typeflag === T_CONTIGUOUS) {
        members.set(name, { kind: 'file', offset: dataStart, size: h.size });
      }
      position = end;
    }
  } catch (err) {
    throw archiveError(err, sawEntry);
  }
  return members;
}

/** The members of a seekable archive: documents read and layers located by offset, on demand. */
class SeekableStore extends MemberTable<Exclude<Member, MemberLink>> implements MemberStore {
  private readonly documents = new Map<string, Promise<boolean>>();

  constructor(
    private readonly path: string,
    members: Map<string, Member>,
  ) {
    super(members);
  }

  private async read(offset: number, length: number): Promise<Buffer> {
    const handle = await open(this.path, 'r');
    try {
      const buffer = Buffer.alloc(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled);
        if (bytesRead === 0)
          throw new ImageReadError('the archive changed while being read (it is shorter than its tar headers say)');
        filled += bytesRead;
      }
      return buffer;
    } finally {
      await handle.close();
    }
  }

  /** Whether the streamed reader would have kept this member as a document rather than indexed it as a layer. */
  private isDocument(name: string, member: { offset: number; size: number }): Promise<boolean> {
    let known = this.documents.get(name);
    if (known === undefined) {
      known =
        member.size > SMALL_DOCUMENT_MAX
          ? Promise.resolve(false)
          : member.size <= 64
            ? Promise.resolve(true)
            : this.read(member.offset, Math.min(member.size, SNIFF)).then((head) =>
                looksLikeDocument(head, member.size),
              );
      this.documents.set(name, known);
    }
    return known;
  }

  async bytes(name: string): Promise<Buffer> {
    const member = this.resolve(name);
    if (member === undefined) throw new ImageReadError(`${quoteInput(name)} is missing from the archive`);
    if (!(await this.isDocument(this.canonical(name), member)))
      throw new ImageReadError(`${quoteInput(name)} is not a JSON document`);
    return this.read(member.offset, member.size);
  }

  async locate(name: string): Promise<LayerLocation> {
    const member = this.resolve(name);
    if (member === undefined) throw new ImageReadError(`layer ${quoteInput(name)} is missing from the archive`);
    return { kind: 'file', file: { path: this.path, offset: member.offset, size: member.size } };
  }

  async open(name: string): Promise<Readable> {
    const member = this.resolve(name);
    if (member === undefined) throw new ImageReadError(`layer ${quoteInput(name)} is missing from the archive`);
    if (member.size === 0) return Readable.from([]);
    return createReadStream(this.path, { start: member.offset, end: member.offset + member.size - 1 });
  }
}
