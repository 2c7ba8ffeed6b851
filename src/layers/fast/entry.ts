import { decodeNameBytes, normalizePath, whiteoutOf } from '../path.js';
import { newTarEntry, type EntryType, type TarEntry } from '../types.js';

/**
 * The TarEntry for one tar header, once its name and link target are decoded (by the layer parser,
 * and by the tests' tar-stream reference, so both list entries the same way). Returns null for
 * what is counted but not listed (the root's own entry, AUFS bookkeeping whiteouts).
 */
export function makeEntry(
  name: string,
  type: EntryType,
  size: number,
  mode: number,
  uid: number,
  gid: number,
  linkTarget: string | undefined,
): TarEntry | null {
  const path = normalizeName(name);
  if (path === '/') return null; // the root's own entry: counted, not listed
  const entry = newTarEntry(path, type, size, mode & 0o7777, uid, gid);
  if (type === 'symlink' || type === 'hardlink') {
    const target = linkTarget ?? '';
    entry.linkTarget = type === 'hardlink' ? normalizeName(target) : target;
  }
  // Only a base name starting with ".wh." can be a whiteout: skip the general check otherwise.
  if (!path.startsWith('.wh.', path.lastIndexOf('/') + 1)) return entry;
  const whiteout = whiteoutOf(path);
  if (whiteout?.kind === 'meta') return null;
  if (whiteout?.kind === 'file') {
    entry.path = whiteout.hidden;
    entry.whiteout = 'file';
  } else if (whiteout?.kind === 'opaque') {
    entry.path = whiteout.dir;
    entry.whiteout = 'opaque';
  }
  return entry;
}

/**
 * `normalizePath`, with a shortcut for the usual tar name ("usr/bin/x", "./usr/bin/x", "etc/"):
 * when no segment is empty, "." or "..", the result is the name with "./" and a trailing "/"
 * dropped, so the split and join are skipped.
 */
export function normalizeName(name: string): string {
  const n = name.length;
  let start = 0;
  if (n >= 2 && name.charCodeAt(0) === 0x2e && name.charCodeAt(1) === 0x2f) start = 2;
  let end = n;
  if (end > start && name.charCodeAt(end - 1) === 0x2f) end--;
  if (end === start) return normalizePath(name);
  let segment = start;
  for (let k = start; k <= end; k++) {
    if (k < end && name.charCodeAt(k) !== 0x2f) continue;
    const length = k - segment;
    if (length === 0) return normalizePath(name);
    if (length <= 2 && name.charCodeAt(segment) === 0x2e && (length === 1 || name.charCodeAt(segment + 1) === 0x2e))
      return normalizePath(name);
    segment = k + 1;
  }
  return start === 0 && end === n ? `/${name}` : `/${name.slice(start, end)}`;
}

/** `decodeNameBytes` of buf[start, end), with a shortcut for the common all-ASCII name (the same string). */
export function decodeNameAt(buf: Buffer, start: number, end: number): string {
  for (let i = start; i < end; i++) {
    if (buf[i]! >= 0x80) return decodeNameBytes(buf.subarray(start, end));
  }
  return (buf as unknown as Latin1Slice).latin1Slice(start, end);
}

/** `decodeNameBytes`, with the same shortcut. */
export function decodeName(bytes: Uint8Array): string {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return decodeNameAt(buf, 0, buf.length);
}

/** Bytes as tar-stream's latin1 decoding gives them: one char per byte. */
export function latin1(bytes: Uint8Array | null): string {
  return bytes === null ? '' : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Node's latin1 decoder without toString's argument checks (a stable, if undocumented, Buffer method). */
interface Latin1Slice {
  latin1Slice(start: number, end: number): string;
}
