import type { XXHash, XXHashAPI } from 'xxhash-wasm';
import { captureMaxBytes, type CapturePredicate } from '../capture.js';
import { HEAD_BYTES, type EntryType, type TarEntry } from '../types.js';
import { decodeName, decodeNameAt, latin1, makeEntry } from './entry.js';
import {
  BLOCK,
  ERR_LONG_HEADER,
  ERR_SIZE,
  ERR_TRUNCATED,
  MAX_LONG_HEADER,
  T_BLOCK,
  T_CHAR,
  T_CONTIGUOUS,
  T_DIR,
  T_FIFO,
  T_FILE,
  T_LINK,
  T_SYMLINK,
  LongHeaderState,
  decodeHeader,
  isLongHeader,
  isZeroBlock,
  linkBytes,
  nameBytes,
  roundUp,
  wordsOf,
  type TarHeader,
} from './tar-header.js';

const enum State {
  /** A header block is due (possibly assembled across chunks in `scratch`). */
  Header,
  /** A regular file's data: hashed, its head and maybe all of it kept. */
  FileData,
  /** Data nobody needs (links, entries past the end marker), or padding. */
  Skip,
  /** A PAX or GNU long-name payload, padding included, collected whole. */
  LongData,
}

const EMPTY = new Uint8Array(0);

/** tar-stream's entry types, as the index names them; an unknown type flag is listed as a file. */
function entryType(typeflag: number): EntryType {
  switch (typeflag) {
    case T_FILE:
    case T_CONTIGUOUS:
      return 'file';
    case T_LINK:
      return 'hardlink';
    case T_SYMLINK:
      return 'symlink';
    case T_DIR:
      return 'dir';
    case T_CHAR:
      return 'char';
    case T_BLOCK:
      return 'block';
    case T_FIFO:
      return 'fifo';
    default:
      return 'file';
  }
}

/**
 * Parses an uncompressed layer tar pushed in chunks of any size, hashing file contents as it goes,
 * and builds the entries, counts and hashes of its index, but for the hashes of big files, which it
 * hands to `big` instead. Every reader parses layers with it: streamed (`indexLayerBlob`) or in place.
 * It reads tars as tar-stream does, quirks included (test/layers/fast-layer.test.ts checks it).
 *
 * Chunks are only borrowed: everything kept (names, heads, captured contents) is copied, so the
 * caller may reuse a chunk's buffer as soon as `push` returns.
 */
export class LayerParser {
  readonly entries: TarEntry[] = [];
  entryCount = 0;
  headerSizeTotal = 0;

  /** Stream offset of the next byte to be consumed. */
  private position = 0;
  private state = State.Header;
  /** Bytes left in FileData, Skip or LongData. */
  private remaining = 0;
  /** Padding to skip after the current file's data. */
  private padding = 0;

  /** A header block split across chunks. */
  private readonly scratch = Buffer.alloc(BLOCK);
  private scratchFill = 0;

  private readonly long = new LongHeaderState();
  private longType = 0;
  private longSize = 0;
  private longStart = 0;
  private longData: Buffer | null = null;
  private longFill = 0;

  // The file whose data spans chunks.
  private file: TarEntry | null = null;
  private hasher: XXHash<bigint> | null = null;
  private head = '';
  private kept: Buffer[] | null = null;

  // End marker: two all-zero blocks between the previous entry's data and a header.
  private previousEnd = 0;
  private ended = false;
  /** Offset of the last all-zero block seen where a header was due, and of the last pair of them. */
  private lastZero = -BLOCK * 4;
  private lastZeroPair = -BLOCK * 4;

  private readonly xx: XXHashAPI;
  private readonly capture: CapturePredicate;
  private readonly big: BigFiles;

  constructor(xx: XXHashAPI, capture: CapturePredicate, big: BigFiles) {
    this.xx = xx;
    this.capture = capture;
    this.big = big;
  }

  push(input: Uint8Array): void {
    const chunk = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    const words = wordsOf(chunk);
    const length = chunk.length;
    let i = 0;
    while (i < length) {
      switch (this.state) {
        case State.Header: {
          if (this.scratchFill === 0 && length - i >= BLOCK) {
            i = this.header(chunk, i, words);
            break;
          }
          const take = Math.min(BLOCK - this.scratchFill, length - i);
          chunk.copy(this.scratch, this.scratchFill, i, i + take);
          this.scratchFill += take;
          i += take;
          if (this.scratchFill === BLOCK) {
            this.scratchFill = 0;
            this.header(this.scratch, 0, null);
          }
          break;
        }
        case State.FileData: {
          const take = Math.min(this.remaining, length - i);
          this.fileData(chunk, i, i + take);
          i += take;
          this.position += take;
          this.remaining -= take;
          if (this.remaining === 0) {
            this.finishFile();
            this.skip(this.padding);
          }
          break;
        }
        case State.Skip: {
          const take = Math.min(this.remaining, length - i);
          i += take;
          this.position += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = State.Header;
          break;
        }
        case State.LongData: {
          const take = Math.min(this.remaining, length - i);
          chunk.copy(this.longData!, this.longFill, i, i + take);
          this.longFill += take;
          i += take;
          this.position += take;
          this.remaining -= take;
          if (this.remaining === 0) this.finishLong();
          break;
        }
      }
    }
  }

  /**
   * Bytes the parser will not look at from here on (the rest of a big file handed to `big`, data
   * nobody needs): the reader may skip them and call `skipped`.
   */
  skippable(): number {
    return this.state === State.Skip ? this.remaining : 0;
  }

  skipped(bytes: number): void {
    this.position += bytes;
    this.remaining -= bytes;
    if (this.remaining === 0) this.state = State.Header;
  }

  /** The input ended: anything but a clean block boundary between entries is a truncation. */
  end(): void {
    if (this.state !== State.Header || this.scratchFill !== 0) throw new Error(ERR_TRUNCATED);
  }

  private skip(bytes: number): void {
    if (bytes > 0) {
      this.state = State.Skip;
      this.remaining = bytes;
    } else {
      this.state = State.Header;
    }
  }

  /**
   * The header block at buf[off] (a chunk, or the scratch block); returns the offset in buf past
   * what it consumed: the block, and the whole entry when its data lies in the same chunk.
   */
  private header(buf: Buffer, off: number, words: Uint32Array | null): number {
    const at = this.position;
    this.position += BLOCK;
    const next = off + BLOCK;
    const raw = decodeHeader(buf, off, words);
    if (raw === null) {
      this.gapBlock(at, buf[off + 148] === 0 && isZeroBlock(buf, off));
      return next;
    }
    if (isLongHeader(raw.typeflag)) {
      const size = raw.size;
      if (size === null || !(size >= 0)) throw new Error(ERR_SIZE);
      if (size > MAX_LONG_HEADER) throw new Error(ERR_LONG_HEADER);
      this.longType = raw.typeflag;
      this.longSize = size;
      this.longStart = this.position;
      const padded = roundUp(size);
      if (padded === 0) {
        // An empty long header. tar-stream never decodes one (and loses track of its own state
        // after it); here it is an empty payload: no name, no records.
        this.long.accept(raw.typeflag, EMPTY);
        return next;
      }
      this.longData = Buffer.allocUnsafe(padded);
      this.longFill = 0;
      this.remaining = padded;
      this.state = State.LongData;
      return next;
    }

    const h = this.long.apply(raw);
    if (!this.ended && this.lastZeroPair >= this.previousEnd) this.ended = true;
    const dataStart = this.position;
    // A directory's size field is ignored, as GNU tar does: no data follows its header, the next
    // header does (4096, or any number a broken writer put there).
    const size = h.typeflag === T_DIR ? 0 : h.size;
    this.previousEnd = dataStart + roundUp(size);
    if (this.ended) {
      this.skip(roundUp(size));
      return next;
    }
    this.entryCount++;
    this.headerSizeTotal += size;
    const entry = this.toEntry(h, size);
    if (entry !== null) this.entries.push(entry);
    if (entry === null || entry.type !== 'file' || entry.whiteout) {
      this.skip(roundUp(size));
      return next;
    }
    const keepWhole = entry.size <= captureMaxBytes(entry.path) && this.capture(entry.path);
    if (size === 0) {
      entry.hash = hex(this.xx.h64Raw(EMPTY));
      entry.head = '';
      if (keepWhole) entry.content = Buffer.alloc(0);
      this.state = State.Header;
      return next;
    }
    const padded = roundUp(size);
    if (size >= this.big.threshold && !keepWhole) {
      // A big file: its head is kept here, its content hashed later if at all, its data skipped.
      const headLength = Math.min(HEAD_BYTES, size);
      entry.head = (
        buf !== this.scratch && buf.length - next >= headLength
          ? buf.subarray(next, next + headLength)
          : this.big.readAt(dataStart, headLength)
      ).toString('latin1');
      this.big.found(entry, dataStart, size);
      this.skip(padded);
      return next;
    }
    if (buf !== this.scratch && buf.length - next >= size) {
      // The whole file lies in this chunk: hash it in one call.
      const end = next + size;
      entry.hash = hex(this.xx.h64Raw(new Uint8Array(buf.buffer, buf.byteOffset + next, size)));
      entry.head = buf.toString('latin1', next, Math.min(end, next + HEAD_BYTES));
      if (keepWhole) entry.content = copyOf(buf, next, end);
      const inChunk = Math.min(padded, buf.length - next);
      this.position += inChunk;
      this.skip(padded - inChunk);
      return next + inChunk;
    }
    // It spans chunks: hash it incrementally.
    this.file = entry;
    this.hasher = this.xx.create64();
    this.head = '';
    this.kept = keepWhole ? [] : null;
    this.state = State.FileData;
    this.remaining = size;
    this.padding = padded - size;
    return next;
  }

  private fileData(buf: Buffer, start: number, end: number): void {
    this.hasher!.update(new Uint8Array(buf.buffer, buf.byteOffset + start, end - start));
    const seen = this.file!.size - this.remaining;
    if (seen < HEAD_BYTES) {
      this.head += buf.toString('latin1', start, Math.min(end, start + HEAD_BYTES - seen));
    }
    if (this.kept) this.kept.push(copyOf(buf, start, end));
  }

  private finishFile(): void {
    const entry = this.file!;
    entry.hash = hex(this.hasher!.digest());
    entry.head = this.head;
    if (this.kept) entry.content = Buffer.concat(this.kept);
    this.file = null;
    this.hasher = null;
    this.head = '';
    this.kept = null;
  }

  private finishLong(): void {
    const data = this.longData!;
    // Zero blocks inside a long header's payload count towards an end marker, as in the stream.
    for (let o = 0; o < data.length; o += BLOCK) this.gapBlock(this.longStart + o, isZeroBlock(data, o));
    this.long.accept(this.longType, data.subarray(0, this.longSize));
    this.longData = null;
    this.state = State.Header;
  }

  /** A block where a header was due (or a long header's payload): tracks runs of zero blocks. */
  private gapBlock(at: number, zero: boolean): void {
    if (!zero) return;
    if (this.lastZero === at - BLOCK) this.lastZeroPair = at - BLOCK;
    this.lastZero = at;
  }

  private toEntry(h: TarHeader, size: number): TarEntry | null {
    const type = entryType(h.typeflag);
    const pax = h.pax;
    let name: string;
    // Names are bytes (shown escaped when not UTF-8) unless a PAX record gave them, which is UTF-8.
    // A PAX `path` that is empty is not applied, but the raw name is then kept as tar-stream's
    // latin1 string, exactly as tar-stream gives it.
    if (pax !== null && pax.path !== undefined) name = pax.path ? pax.path : latin1(nameBytes(h));
    else if (h.longName === null && h.prefixEnd < 0) name = decodeNameAt(h.buf, h.off, h.nameEnd);
    else name = decodeName(nameBytes(h));
    let link: string | undefined;
    if (type === 'symlink' || type === 'hardlink') {
      const bytes = linkBytes(h);
      if (pax !== null && pax.linkpath !== undefined) link = pax.linkpath ? pax.linkpath : latin1(bytes);
      else link = bytes === null ? '' : decodeName(bytes);
    }
    return makeEntry(name, type, size, h.mode ?? 0, h.uid ?? 0, h.gid ?? 0, link);
  }
}

/** Where big files go: their contents are not hashed here, but later (if at all) from the same file. */
export interface BigFiles {
  /** Files of at least this many bytes are big. */
  threshold: number;
  /** Bytes at a stream offset (a big file's head, when it is not in the chunk at hand). */
  readAt(position: number, length: number): Buffer;
  /** A big file's entry (without a hash), where its data starts in the stream, and its size. */
  found(entry: TarEntry, dataStart: number, size: number): void;
}

/** A copy of buf[start, end) in its own small buffer (from Node's pool, like Buffer.from). */
function copyOf(buf: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  buf.copy(out, 0, start, end);
  return out;
}

function hex(value: bigint): string {
  return value.toString(16).padStart(16, '0');
}
