/**
 * Tar blocks written by hand, for the edge cases tar-stream's packer never writes: GNU long names,
 * base-256 numbers, PAX globals, unknown type flags, bad checksums.
 */

export interface RawSpec {
  name?: string | Buffer;
  /** The type flag character ('0', '5', 'x', 'L', …) or a raw byte value. */
  type?: string | number;
  size?: number;
  mode?: number;
  uid?: number;
  gid?: number;
  linkname?: string | Buffer;
  prefix?: string | Buffer;
  format?: 'ustar' | 'gnu' | 'v7';
  /** Write the size field in base-256 (GNU) even when it fits in octal. */
  base256Size?: boolean;
  /** Overwrite a field after the rest is written, before the checksum: [offset, bytes]. */
  patch?: Array<[number, Buffer | number[]]>;
  /** Corrupt the checksum. */
  badChecksum?: boolean;
}

const bytes = (v: string | Buffer): Buffer => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);

function octal(buf: Buffer, off: number, len: number, value: number): void {
  const text = value.toString(8).padStart(len - 1, '0');
  buf.write(text, off, 'latin1');
  buf[off + len - 1] = 0;
}

export function header(spec: RawSpec): Buffer {
  const block = Buffer.alloc(512);
  bytes(spec.name ?? '').copy(block, 0, 0, 100);
  octal(block, 100, 8, spec.mode ?? 0o644);
  octal(block, 108, 8, spec.uid ?? 0);
  octal(block, 116, 8, spec.gid ?? 0);
  const size = spec.size ?? 0;
  if (spec.base256Size || size > 0o77777777777) {
    block[124] = 0x80;
    let n = size;
    for (let i = 11; i > 0; i--) {
      block[124 + i] = n % 256;
      n = Math.floor(n / 256);
    }
  } else {
    octal(block, 124, 12, size);
  }
  octal(block, 136, 12, 0);
  const type = spec.type ?? '0';
  block[156] = typeof type === 'number' ? type : type.charCodeAt(0);
  if (spec.linkname !== undefined) bytes(spec.linkname).copy(block, 157, 0, 100);
  const format = spec.format ?? 'ustar';
  if (format === 'ustar') {
    block.write('ustar\u000000', 257, 'latin1');
    if (spec.prefix !== undefined) bytes(spec.prefix).copy(block, 345, 0, 155);
  } else if (format === 'gnu') {
    block.write('ustar  \u0000', 257, 'latin1');
  }
  for (const [off, patch] of spec.patch ?? []) Buffer.from(patch).copy(block, off);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  if (spec.badChecksum) sum += 1;
  block.write(sum.toString(8).padStart(6, '0'), 148, 'latin1');
  block[154] = 0;
  block[155] = 0x20;
  return block;
}

export function pad(data: Buffer): Buffer {
  const rest = data.length % 512;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(512 - rest)]);
}

/** A header and its padded data. */
export function member(spec: RawSpec, data: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = bytes(data);
  return Buffer.concat([header({ ...spec, size: spec.size ?? body.length }), pad(body)]);
}

/** One PAX record, its length prefix included. */
export function paxRecord(key: string, value: string): string {
  const text = ` ${key}=${value}\n`;
  const n = Buffer.byteLength(text);
  let length = n + 1;
  while (String(length).length + n !== length) length = String(length).length + n;
  return `${length}${text}`;
}

export function paxHeader(records: Record<string, string>, type: 'x' | 'g' = 'x'): Buffer {
  const data = Buffer.from(
    Object.entries(records)
      .map(([k, v]) => paxRecord(k, v))
      .join(''),
    'utf8',
  );
  return member({ name: 'PaxHeader', type }, data);
}

export function gnuLong(type: 'L' | 'K', name: string | Buffer): Buffer {
  const data = Buffer.concat([bytes(name), Buffer.from([0])]);
  return member({ name: '././@LongLink', type, format: 'gnu' }, data);
}

export const END = Buffer.alloc(1024);
