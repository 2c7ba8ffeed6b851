import type { UnhashedFile } from './unhashed.js';

/**
 * The layer index: the one interface every later feature (diffs, waste, risks, reports, TUI) reads.
 * It is produced by streaming a layer's tar once; no layer is ever held in memory.
 */

export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

/** One tar entry of a layer, after path normalization. */
export interface TarEntry {
  /**
   * Absolute, lexically normalized path: "/etc/passwd". Never "/" (the root's own entry is not listed).
   * For a whiteout (`.wh.NAME`) this is the path it hides; for an opaque marker (`.wh..wh..opq`) its directory.
   */
  path: string;
  type: EntryType;
  /** Size from the tar header (0 for everything but regular files in practice). */
  size: number;
  /** Permission bits, masked to 0o7777 (setuid, setgid and sticky included). */
  mode: number;
  uid: number;
  gid: number;
  /** Symlink: the target as written. Hardlink: the target, normalized to an absolute path. */
  linkTarget?: string;
  /** Set on whiteout entries: `file` hides `path`, `opaque` hides everything lower-layered under `path`. */
  whiteout?: 'file' | 'opaque';
  /**
   * Regular files: content hash (xxh64, 16 hex digits). Equal hashes mean equal content. A big file
   * read in place has none until something may compare it (see `LayerIndex.unhashed`): in an image's
   * index, a file without a hash is one whose size no other file of the image shares.
   */
  hash?: string;
  /**
   * Regular files: the first bytes (at most HEAD_BYTES), one character per byte (latin1): ELF magic,
   * shebang, PEM headers. A string rather than bytes because every file has one: a short string
   * costs a fraction of a small Uint8Array, which matters at hundreds of thousands of files.
   */
  head?: string;
  /** Regular files whose path matches the capture list and whose size is at most CAPTURE_MAX_BYTES. */
  content?: Uint8Array;
}

/**
 * A new entry, every optional field present (undefined until set): entries made anywhere then share
 * one hidden class, and the loops over them (stacking, dive's figures, risks) stay monomorphic. With
 * fields added as found, entries had up to seven shapes, and V8 threw away and recompiled those loops
 * as each new shape turned up.
 */
export function newTarEntry(
  path: string,
  type: EntryType,
  size: number,
  mode: number,
  uid: number,
  gid: number,
): TarEntry {
  return {
    path,
    type,
    size,
    mode,
    uid,
    gid,
    linkTarget: undefined,
    whiteout: undefined,
    hash: undefined,
    head: undefined,
    content: undefined,
  };
}

export const HEAD_BYTES = 64;
export const CAPTURE_MAX_BYTES = 64 * 1024;

/**
 * What the indexer learns from one layer blob. Every index is made with all of these fields, the
 * optional ones undefined (and set to undefined, never deleted, when done with): see `newTarEntry`.
 */
export interface LayerIndex {
  /** sha256 of the blob as stored (compressed or not), "sha256:<hex>"; empty while `digesting`. */
  digest: string;
  /** sha256 of the uncompressed tar, "sha256:<hex>"; empty while `digesting`. */
  diffId: string;
  /** The descriptor's media type, or one inferred from the blob's magic bytes. */
  mediaType: string;
  compression: Compression;
  /** Bytes of the blob as stored. */
  compressedSize: number;
  /** Bytes of the uncompressed tar stream (everything hashed, including data past the end marker). */
  uncompressedSize: number;
  /** Number of tar entries, long-name and PAX headers not counted, root entry counted. */
  entryCount: number;
  /** Sum of every entry's tar-header size (dive's notion of a layer's size). */
  headerSizeTotal: number;
  /** Entries in tar order; same-layer duplicates are kept (the last one wins when stacking). */
  entries: TarEntry[];
  /**
   * Set while the sha256 of an uncompressed blob read in place is still being computed, beside the
   * parse, by a worker thread: settles with "sha256:<hex>", both its digest and its diffId, which are
   * empty until then. The image's reader checks it while the image is analysed (src/image/assemble.ts).
   */
  digesting?: Promise<string>;
  /** Big files whose content hash was left for later (src/layers/unhashed.ts); undefined when none is. */
  unhashed?: UnhashedFile[];
}

export type Compression = 'none' | 'gzip' | 'zstd';
