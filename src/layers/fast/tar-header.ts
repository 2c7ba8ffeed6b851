/**
 * A hand-written tar header decoder (ustar, GNU and PAX), for the fast paths that read tars at
 * known offsets instead of through tar-stream.
 *
 * It deliberately follows tar-stream 3 decision for decision (same number parsing, same checksum
 * rule, same notion of a "null" block, same long-name and PAX precedence, same error messages), so
 * that a layer read either way gives an identical index and an identical error. Where tar-stream
 * has a quirk, the quirk is kept and named in a comment.
 */

export const BLOCK = 512;

/** The longest PAX or GNU long-name payload accepted (tar-stream's MAX_HEADER_SIZE). */
export const MAX_LONG_HEADER = 4 * 1024 * 1024;

/** tar-stream's messages, which `describeLayerError` and the archive reader turn into user words. */
export const ERR_TRUNCATED = 'Unexpected end of data';
export const ERR_CHECKSUM = 'Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?';
export const ERR_UNKNOWN_FORMAT = 'Invalid tar header: unknown format.';
export const ERR_LONG_HEADER = 'Header exceeds max size';
export const ERR_SIZE = 'Invalid header';

/**
 * Type flags as tar-stream numbers them: the flag byte minus '0', a NUL byte being 0. Only the ones
 * the readers act on are named.
 */
export const T_FILE = 0;
export const T_LINK = 1;
export const T_SYMLINK = 2;
export const T_CHAR = 3;
export const T_BLOCK = 4;
export const T_DIR = 5;
export const T_FIFO = 6;
export const T_CONTIGUOUS = 7;
export const T_GNU_LONG_LINK = 27; // 'K'
export const T_GNU_LONG_PATH = 28; // 'L'
export const T_GNU_LONG_PATH_OLD = 30; // 'N'
export const T_PAX_GLOBAL = 55; // 'g'
export const T_PAX = 72; // 'x'

/**
 * One decoded header block. Text fields are left in place as offsets into `buf` (valid until the
 * buffer is reused); `apply` of LongHeaderState then fills in the long names, PAX records and final
 * size, turning it into the entry's header.
 */
export interface TarHeader {
  typeflag: number;
  buf: Buffer;
  /** The name field is buf[off, nameEnd): up to its first NUL. */
  off: number;
  nameEnd: number;
  /** The ustar prefix is buf[off + 345, prefixEnd), or -1 when the block is not ustar or it is empty. */
  prefixEnd: number;
  /** The linkname is buf[off + 157, linkEnd), or -1 when its first byte is NUL (tar-stream's null). */
  linkEnd: number;
  /** Numbers as tar-stream decodes them: null for a malformed base-256 field, NaN for garbage. */
  mode: number | null;
  uid: number | null;
  gid: number | null;
  size: number | null;
  /** Set by `apply`: a GNU long name or link (non-empty, copied), the PAX records that applied. */
  longName: Uint8Array | null;
  longLink: Uint8Array | null;
  pax: Record<string, string> | null;
}

/** Whether a type flag introduces a long-name or PAX block rather than an entry. */
export function isLongHeader(typeflag: number): boolean {
  return (
    typeflag === T_PAX ||
    typeflag === T_PAX_GLOBAL ||
    typeflag === T_GNU_LONG_PATH ||
    typeflag === T_GNU_LONG_PATH_OLD ||
    typeflag === T_GNU_LONG_LINK
  );
}

/**
 * The sum of a block's bytes with the checksum field counted as eight spaces. With a 32-bit view
 * of the buffer (and an aligned block) it adds four bytes at a time, two per 16-bit lane.
 */
function checksumOf(buf: Buffer, off: number, words: Uint32Array | null): number {
  let sum = 0;
  if (words !== null && (off & 3) === 0) {
    let even = 0;
    let odd = 0;
    for (let k = off >> 2, end = k + 128; k < end; k++) {
      const w = words[k]!;
      even += w & 0x00ff00ff;
      odd += (w >>> 8) & 0x00ff00ff;
    }
    // Each lane holds at most 128 × 255: no carry from one lane into the next.
    sum = (even & 0xffff) + (even >>> 16) + (odd & 0xffff) + (odd >>> 16);
    for (let i = off + 148; i < off + 156; i++) sum -= buf[i]!;
  } else {
    for (let i = off, end = off + 148; i < end; i++) sum += buf[i]!;
    for (let i = off + 156, end = off + BLOCK; i < end; i++) sum += buf[i]!;
  }
  return sum + 8 * 32;
}

/** A 32-bit view of a buffer for `decodeHeader`, when the buffer is 4-byte aligned. */
export function wordsOf(buf: Buffer): Uint32Array | null {
  return (buf.byteOffset & 3) === 0 ? new Uint32Array(buf.buffer, buf.byteOffset, buf.length >>> 2) : null;
}

/**
 * Decodes the header block at `buf[off..off+512)`. Returns null for a block tar-stream skips (every
 * byte outside the checksum field zero, which includes the end marker's zero blocks). Throws
 * tar-stream's error on a bad checksum or an unknown magic.
 */
export function decodeHeader(buf: Buffer, off: number, words: Uint32Array | null = null): TarHeader | null {
  const sum = checksumOf(buf, off, words);
  if (sum === 8 * 32) return null;
  if (sum !== decodeOct(buf, off + 148, 8)) throw new Error(ERR_CHECKSUM);

  let prefixEnd = -1;
  if (isMagic(buf, off, 0x00)) {
    // ustar (POSIX): a non-empty prefix is prepended with a slash.
    if (buf[off + 345] !== 0) prefixEnd = nul(buf, off + 345, off + 500);
  } else if (!(isMagic(buf, off, 0x20) && buf[off + 263] === 0x20 && buf[off + 264] === 0x00)) {
    // Neither ustar nor GNU ("ustar " + " \0"): tar-stream refuses it.
    throw new Error(ERR_UNKNOWN_FORMAT);
  }
  const flag = buf[off + 156]!;
  return {
    // tar-stream reads the flag as `byte - '0'` (so 'x' is 72), a NUL byte as 0. A name ending in
    // "/" stays a file: tar-stream computes the type before its own trailing-slash rule.
    typeflag: flag === 0 ? 0 : flag - 48,
    buf,
    off,
    nameEnd: nul(buf, off, off + 100),
    prefixEnd,
    linkEnd: buf[off + 157] === 0 ? -1 : nul(buf, off + 157, off + 257),
    mode: decodeOct(buf, off + 100, 8),
    uid: decodeOct(buf, off + 108, 8),
    gid: decodeOct(buf, off + 116, 8),
    size: decodeOct(buf, off + 124, 12),
    longName: null,
    longLink: null,
    pax: null,
  };
}

/** The name's bytes as the header blocks give them: the GNU long name, or prefix + "/" + name. */
export function nameBytes(h: TarHeader): Uint8Array {
  if (h.longName !== null) return h.longName;
  const name = h.buf.subarray(h.off, h.nameEnd);
  if (h.prefixEnd < 0) return name;
  const prefix = h.buf.subarray(h.off + 345, h.prefixEnd);
  const out = new Uint8Array(prefix.length + 1 + name.length);
  out.set(prefix, 0);
  out[prefix.length] = 0x2f;
  out.set(name, prefix.length + 1);
  return out;
}

/** The linkname's bytes (the GNU long link when there is one), or null. */
export function linkBytes(h: TarHeader): Uint8Array | null {
  if (h.longLink !== null) return h.longLink;
  return h.linkEnd < 0 ? null : h.buf.subarray(h.off + 157, h.linkEnd);
}

/** "ustar" followed by `sixth` (NUL for POSIX, space for GNU) at offset 257. */
function isMagic(buf: Uint8Array, off: number, sixth: number): boolean {
  const m = off + 257;
  return (
    buf[m] === 0x75 &&
    buf[m + 1] === 0x73 &&
    buf[m + 2] === 0x74 &&
    buf[m + 3] === 0x61 &&
    buf[m + 4] === 0x72 &&
    buf[m + 5] === sixth
  );
}

/** Index of the first NUL in [from, end), or end. */
function nul(buf: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) if (buf[i] === 0) return i;
  return end;
}

/**
 * A numeric field, exactly as tar-stream reads it: base-256 when the high bit of the first byte is
 * set (0x80 positive, 0xff negative, anything else null); otherwise octal text after leading spaces
 * and NULs, up to the first space, parsed like `parseInt(text, 8)` (NaN when there is no digit).
 */
export function decodeOct(buf: Uint8Array, off: number, length: number): number | null {
  const end = off + length;
  if (buf[off]! & 0x80) return parse256(buf, off, end);
  let i = off;
  while (i < end && buf[i] === 32) i++;
  // tar-stream cuts the text at the first space after the leading ones and skips leading NULs; a
  // space or NUL is not a digit, so one pass tells the same.
  while (i < end && buf[i] === 0) i++;
  if (i === end || buf[i] === 32) return 0;
  const first = buf[i]!;
  if (first >= 0x30 && first <= 0x37) {
    // The common case: digits, then a NUL, a space or the end. parseInt stops at the first non-digit.
    let value = first - 0x30;
    for (let k = i + 1; k < end; k++) {
      const c = buf[k]!;
      if (c < 0x30 || c > 0x37) break;
      value = value * 8 + (c - 0x30);
    }
    return value;
  }
  // Anything else (a sign, other whitespace, garbage): let parseInt decide, as tar-stream does.
  let stop = i;
  while (stop < end && buf[stop] !== 32) stop++;
  return parseInt(Buffer.from(buf.buffer, buf.byteOffset + i, stop - i).toString('utf8'), 8);
}

function parse256(buf: Uint8Array, off: number, end: number): number | null {
  const lead = buf[off];
  let positive: boolean;
  if (lead === 0x80) positive = true;
  else if (lead === 0xff) positive = false;
  else return null;
  let sum = 0;
  let scale = 1;
  for (let i = end - 1; i > off; i--) {
    const byte = buf[i]!;
    sum += (positive ? byte : 0xff - byte) * scale;
    scale *= 256;
  }
  return positive ? sum : -1 * sum;
}

/** PAX records ("<len> <key>=<value>\n"), decoded exactly as tar-stream does (UTF-8, stops at the first bad record). */
export function decodePax(data: Uint8Array): Record<string, string> {
  const result: Record<string, string> = {};
  let buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  while (buf.length) {
    let i = 0;
    while (i < buf.length && buf[i] !== 32) i++;
    const len = parseInt(buf.toString('utf8', 0, i), 10);
    if (!len) return result;
    const b = buf.subarray(i + 1, len - 1).toString('utf8');
    const keyIndex = b.indexOf('=');
    if (keyIndex === -1) return result;
    result[b.slice(0, keyIndex)] = b.slice(keyIndex + 1);
    buf = buf.subarray(len);
  }
  return result;
}

/** A GNU long name or link: its payload up to the first NUL. */
export function decodeLongName(data: Uint8Array): Uint8Array {
  return data.subarray(0, nul(data, 0, data.length));
}

/**
 * The long-name and PAX state carried from one header to the next, as tar-stream keeps it: a GNU
 * long name or link applies to the next entry only; a local PAX header too, merged over the last
 * global one; a global header alone applies to nothing (tar-stream only merges it into local ones).
 */
export class LongHeaderState {
  private longPath: Uint8Array | null = null;
  private longLink: Uint8Array | null = null;
  private pax: Record<string, string> | null = null;
  private paxGlobal: Record<string, string> | null = null;

  /** Records a long header's payload (exactly `size` bytes; copied where it must outlive the chunk). */
  accept(typeflag: number, data: Uint8Array): void {
    switch (typeflag) {
      case T_GNU_LONG_PATH:
      case T_GNU_LONG_PATH_OLD:
        this.longPath = Uint8Array.from(decodeLongName(data));
        break;
      case T_GNU_LONG_LINK:
        this.longLink = Uint8Array.from(decodeLongName(data));
        break;
      case T_PAX_GLOBAL:
        this.paxGlobal = decodePax(data);
        break;
      case T_PAX:
        this.pax = this.paxGlobal === null ? decodePax(data) : Object.assign({}, this.paxGlobal, decodePax(data));
        break;
    }
  }

  /**
   * Applies (and clears) the pending long names and PAX records to an entry's header, setting its
   * final size; throws tar-stream's error on a bad size. PAX `path` and `linkpath` are left to the
   * readers (they are strings, not bytes).
   */
  apply(h: TarHeader): TarHeader & { size: number } {
    // An empty long name is ignored, as tar-stream tests the decoded string for truthiness.
    if (this.longPath !== null) {
      if (this.longPath.length > 0) h.longName = this.longPath;
      this.longPath = null;
    }
    if (this.longLink !== null) {
      if (this.longLink.length > 0) h.longLink = this.longLink;
      this.longLink = null;
    }
    if (this.pax !== null) {
      if (this.pax.size) h.size = parseInt(this.pax.size, 10);
      h.pax = this.pax;
      this.pax = null;
    }
    // tar-stream rejects a size that is not a number ≥ 0 (a malformed base-256 size, which it
    // decodes as null, would stall it; here it is the same error).
    if (h.size === null || !(h.size >= 0)) throw new Error(ERR_SIZE);
    return h as TarHeader & { size: number };
  }
}

/**
 * Whether data follows this entry's header: an empty entry has none, and a directory never has any,
 * whatever its size field says (GNU tar and tar-stream read the next header there).
 */
export function hasData(header: TarHeader & { size: number }): boolean {
  return header.size > 0 && header.typeflag !== T_DIR;
}

export function roundUp(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

/** Whether the block at buf[off..off+512) is all zeros. */
export function isZeroBlock(buf: Uint8Array, off: number): boolean {
  for (let i = off, end = off + BLOCK; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}
