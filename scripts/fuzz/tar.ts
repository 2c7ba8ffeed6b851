/**
 * Raw tar headers, for mutating fields in place: the checksum is recomputed after each edit so the
 * header still parses and the mutation reaches the code behind the header check.
 */

export const BLOCK = 512;

/** Offset and width of each ustar header field. */
export const FIELDS = {
  name: [0, 100],
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  checksum: [148, 8],
  typeflag: [156, 1],
  linkname: [157, 100],
  magic: [257, 6],
  version: [263, 2],
  uname: [265, 32],
  gname: [297, 32],
  devmajor: [329, 8],
  devminor: [337, 8],
  prefix: [345, 155],
} as const;

export type FieldName = keyof typeof FIELDS;

/** One 512-byte header of a tar stream (PAX and GNU long-name headers included, each on its own). */
export interface RawHeader {
  offset: number;
  typeflag: string;
  size: number;
  dataOffset: number;
  /** Where the next header starts. */
  end: number;
}

export function checksumOf(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum;
}

export function hasValidChecksum(block: Buffer): boolean {
  if (block.length < BLOCK) return false;
  const text = block.toString('latin1', 148, 156).replace(/\0.*$/s, '').trim();
  if (!/^[0-7]+$/.test(text)) return false;
  return parseInt(text, 8) === checksumOf(block);
}

/** Writes the checksum as GNU tar does: six octal digits, NUL, space. */
export function fixChecksum(block: Buffer): void {
  block.write(`${checksumOf(block).toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
}

export function parseSize(block: Buffer): number {
  const [start, width] = FIELDS.size;
  if (block[start]! & 0x80) {
    let n = 0;
    for (let i = start + 1; i < start + width; i++) n = n * 256 + block[i]!;
    return n;
  }
  const text = block
    .toString('latin1', start, start + width)
    .replace(/\0.*$/s, '')
    .trim();
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : 0;
}

/** Every header of a tar, in order, until the end marker or the first block that is not a header. */
export function walkHeaders(tar: Buffer): RawHeader[] {
  const headers: RawHeader[] = [];
  let off = 0;
  while (off + BLOCK <= tar.length) {
    const block = tar.subarray(off, off + BLOCK);
    if (!hasValidChecksum(block)) break;
    const size = parseSize(block);
    const typeflag = String.fromCharCode(block[156]!);
    const dataOffset = off + BLOCK;
    // Only regular files, PAX and long-name headers carry data blocks in what the generator writes.
    const carries = '0\x007xgLK'.includes(typeflag);
    const end = dataOffset + (carries ? Math.ceil(size / BLOCK) * BLOCK : 0);
    headers.push({ offset: off, typeflag, size, dataOffset, end });
    if (end > tar.length) break;
    off = end;
  }
  return headers;
}

/** Whether these bytes start like a tar: a first header whose checksum holds. */
export function looksLikeTar(data: Buffer): boolean {
  return data.length >= BLOCK && hasValidChecksum(data.subarray(0, BLOCK));
}

/** Sets a field to `value` (latin1 bytes, cut or NUL-padded to the field's width) and fixes the checksum. */
export function setField(tar: Buffer, headerOffset: number, field: FieldName, value: Buffer | string): Buffer {
  const out = Buffer.from(tar);
  const [start, width] = FIELDS[field];
  const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const at = headerOffset + start;
  out.fill(0, at, at + width);
  bytes.copy(out, at, 0, Math.min(width, bytes.length));
  fixChecksum(out.subarray(headerOffset, headerOffset + BLOCK));
  return out;
}

/** A PAX extended header ('x', or 'g' for global) holding `records`, as blocks ready to splice in. */
export function paxBlocks(records: string | Buffer, typeflag: 'x' | 'g' = 'x'): Buffer {
  const body = typeof records === 'string' ? Buffer.from(records, 'utf8') : records;
  const header = Buffer.alloc(BLOCK);
  header.write('PaxHeader/fuzz', 0, 'latin1');
  header.write('0000644\0', 100, 'latin1');
  header.write('0000000\0', 108, 'latin1');
  header.write('0000000\0', 116, 'latin1');
  header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write('00000000000\0', 136, 'latin1');
  header.write(typeflag, 156, 'latin1');
  header.write('ustar\x0000', 257, 'latin1');
  fixChecksum(header);
  const padded = Buffer.alloc(Math.ceil(body.length / BLOCK) * BLOCK);
  body.copy(padded);
  return Buffer.concat([header, padded]);
}

/** One PAX record, its length prefix counting itself: "<len> key=value\n". */
export function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(rest) + 1;
  while (String(len).length + Buffer.byteLength(rest) !== len) len = String(len).length + Buffer.byteLength(rest);
  return `${len}${rest}`;
}
