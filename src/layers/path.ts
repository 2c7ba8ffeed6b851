/**
 * Tar entry names → the absolute, lexically normalized paths the index uses.
 * Paths are never resolved through symlinks: an image's symlinks point into a filesystem that does
 * not exist on this machine, and following them is how extractors get tricked.
 */
import { hexEscape } from '../util/escape.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes raw name bytes. Valid UTF-8 is kept; otherwise every byte that is not part of a valid
 * sequence is shown as `\xNN`, so that a name is never silently altered and stays printable.
 */
export function decodeNameBytes(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    let out = '';
    let i = 0;
    while (i < bytes.length) {
      const len = utf8SequenceLength(bytes, i);
      if (len > 0) {
        out += utf8.decode(bytes.subarray(i, i + len));
        i += len;
      } else {
        out += hexEscape(bytes[i]!);
        i += 1;
      }
    }
    return out;
  }
}

/** Length of the valid UTF-8 sequence starting at i, or 0 when the byte there does not start one. */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (len === 0 || i + len > b.length) return 0;
  for (let k = 1; k < len; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  try {
    utf8.decode(b.subarray(i, i + len)); // rejects overlongs and surrogates
    return len;
  } catch {
    return 0;
  }
}

/**
 * "./a/../b/" → "/b". Drops leading "./" and "/", resolves "." and ".." lexically, and clamps ".."
 * at the root, so "../../etc/x" is "/etc/x". The root itself is "/".
 */
export function normalizePath(name: string): string {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

/** The root of an image's filesystem: the parent of every top-level path. */
export const ROOT = '/';

/**
 * The parent directory of an absolute path: "/a/b" → "/a", "/a" → "/". It slices at the last "/"
 * instead of splitting, because it sits in hot loops.
 */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? ROOT : path.slice(0, slash);
}

/** The last component of a path: "/a/b" → "b". */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Joins a directory and a name: ("/", "a") → "/a", ("/a", "b") → "/a/b". */
export function joinPath(dir: string, name: string): string {
  return dir === ROOT ? ROOT + name : dir + '/' + name;
}

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';

export type WhiteoutKind = { kind: 'file'; hidden: string } | { kind: 'opaque'; dir: string } | { kind: 'meta' };

/**
 * Reads overlay whiteouts from a normalized path (OCI image spec, "Whiteouts").
 * `meta` is any other `.wh..wh.` name (AUFS bookkeeping such as `.wh..wh.plnk`), which carries no
 * file and is not part of the image's filesystem.
 */
export function whiteoutOf(path: string): WhiteoutKind | null {
  const base = baseName(path);
  if (!base.startsWith(WHITEOUT_PREFIX)) return null;
  const dir = parentOf(path);
  if (base === OPAQUE_MARKER) return { kind: 'opaque', dir };
  if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) return { kind: 'meta' };
  const name = base.slice(WHITEOUT_PREFIX.length);
  if (name === '' || name === '.' || name === '..') return { kind: 'meta' };
  return { kind: 'file', hidden: dir === '/' ? `/${name}` : `${dir}/${name}` };
}
