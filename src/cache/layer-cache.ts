import { randomBytes } from 'node:crypto';
import { constants, readFileSync } from 'node:fs';
import { lstat, lutimes, mkdir, open, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { LayerIndex } from '../layers/types.js';
import { filesWithoutHash, hashUnhashed } from '../layers/unhashed.js';
import { describeSystemError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import {
  decodeEntry,
  decodeHeader,
  encodeEntry,
  InvalidEntry,
  isDigest,
  MAX_BLOBS,
  MAX_ENTRY_BYTES,
  MAX_HEADER_BYTES,
  type BlobRecord,
} from './format.js';

/**
 * The layer-index cache: the index of every verified layer, one file per diffId under `ROOT/layers/`,
 * recording the blob digests it was read from. docs/cache.md says when an entry is trusted; in short,
 * only a registry read uses one, and only when it records the manifest's blob digest. Entries are
 * renamed into place, so readers see a whole entry or none; a bad entry is deleted, never trusted, and
 * so is anything under an entry's name that is not a regular file of a sane size (a symlink, a FIFO, a
 * directory): it is never followed, waited on or read.
 */

export interface LayerCacheOptions {
  /** The cache root (`--cache-dir`); entries go in ROOT/layers/. */
  dir?: string;
  /** Environment for XDG_CACHE_HOME and HOME (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Told once when the cache cannot be written (then the cache stops writing); `put` may name another. */
  onWarning?: (message: string) => void;
  /** The writer's version, stored in every entry (default: strata's package version). */
  producer?: string;
}

export interface CacheInfo {
  /** The directory that holds the entries (ROOT/layers). */
  dir: string;
  entries: number;
  /** Bytes of every file of the cache (entries and left-over temporary files). */
  bytes: number;
  oldest: Date | null;
  newest: Date | null;
}

export interface PruneResult {
  removed: number;
  bytes: number;
}

/** What `put` did: wrote the entry, found it already recorded, or wrote nothing (cache unusable). */
export type PutResult = 'written' | 'present' | 'skipped';

const ENTRY_NAME = /^(sha256|sha512)-([0-9a-f]{64}|[0-9a-f]{128})\.idx$/;
const TEMP_NAME = /^\.tmp-.+\.idx$/;
/** Temporary files younger than this may belong to a writer still at work: prune leaves them. */
const TEMP_GRACE_MS = 10 * 60 * 1000;

/** `$XDG_CACHE_HOME/strata` (when set and absolute), else `~/.cache/strata`. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'strata');
  const home = env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir();
  return join(home, '.cache', 'strata');
}

let packageVersion: string | null = null;
function strataVersion(): string {
  packageVersion ??= (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string })
    .version;
  return packageVersion;
}

export class LayerCache {
  /** The cache root (what `--cache-dir` names). */
  readonly root: string;
  /** Where the entries are: ROOT/layers. */
  readonly dir: string;
  private readonly producer: string;
  private readonly onWarning?: (message: string) => void;
  private writable = true;

  constructor(options: LayerCacheOptions = {}) {
    this.root = options.dir ?? defaultCacheRoot(options.env ?? process.env);
    this.dir = join(this.root, 'layers');
    this.producer = options.producer ?? strataVersion();
    this.onWarning = options.onWarning;
  }

  /** The file of the entry for a diffId ("sha256:<hex>" → ROOT/layers/sha256-<hex>.idx). */
  entryPath(diffId: string): string {
    return join(this.dir, `${diffId.replace(':', '-')}.idx`);
  }

  /**
   * The index of the layer whose uncompressed tar hashes to `diffId`, as read from the blob
   * `blobDigest`; null when the cache has no such entry, or has it for other blobs only. A
   * corrupt or outdated entry is deleted and reported as missing.
   */
  async get(diffId: string, blobDigest: string): Promise<LayerIndex | null> {
    diffId = diffId.toLowerCase();
    blobDigest = blobDigest.toLowerCase();
    if (!isDigest(diffId) || !isDigest(blobDigest)) return null;
    const path = this.entryPath(diffId);
    const file = await readEntryFile(path, MAX_ENTRY_BYTES);
    if (file === null) return null;
    try {
      if (file.bytes === null) throw new InvalidEntry('not a regular file of a sane size');
      const { layer } = await decodeEntry(file.bytes, { diffId, strata: this.producer }, blobDigest);
      if (layer) await touch(path);
      return layer;
    } catch (err) {
      if (!(err instanceof InvalidEntry)) throw err;
      await this.discard(path, file.ino);
      return null;
    }
  }

  /**
   * Records a verified layer (its `digest` and `diffId` must be hashes of the bytes read, not
   * claims). Returns 'present' without writing when the entry already records that blob, with at
   * least as many content hashes.
   */
  async put(
    layer: LayerIndex,
    onWarning: ((message: string) => void) | undefined = this.onWarning,
  ): Promise<PutResult> {
    if (!this.writable) return 'skipped';
    const diffId = layer.diffId.toLowerCase();
    const digest = layer.digest.toLowerCase();
    if (!isDigest(diffId) || !isDigest(digest)) return 'skipped';
    const path = this.entryPath(diffId);
    const existing = await this.readHeader(path, diffId);
    const unhashed = filesWithoutHash(layer);
    if (existing?.blobs.some((b) => b.digest === digest) && existing.unhashed <= unhashed) {
      await touch(path);
      return 'present';
    }
    // An entry is never replaced by one with fewer hashes (the same tar read from a registry
    // before, now in place from an archive): the files this read left unhashed are hashed first.
    if (existing && existing.unhashed < unhashed) await hashUnhashed(layer);
    const blob: BlobRecord = { digest, compression: layer.compression, compressedSize: layer.compressedSize };
    const blobs = [...(existing?.blobs ?? []).filter((b) => b.digest !== digest), blob].slice(-MAX_BLOBS);
    const temp = join(
      this.dir,
      `.tmp-${diffId.slice(diffId.indexOf(':') + 1, diffId.indexOf(':') + 17)}-${process.pid}-` +
        `${randomBytes(6).toString('hex')}.idx`,
    );
    try {
      const bytes = encodeEntry({ ...layer, diffId, digest }, blobs, this.producer);
      await mkdir(this.dir, { recursive: true });
      await writeFile(temp, bytes, { flag: 'wx', mode: 0o644 });
      await rename(temp, path);
      return 'written';
    } catch (err) {
      await unlink(temp).catch(() => {});
      if (!this.writable) return 'skipped'; // another write of this batch failed first, and told
      this.writable = false;
      onWarning?.(
        `cannot write the layer cache in ${this.dir} (${describeSystemError(err)}); going on without it ` +
          '(--no-cache turns it off)',
      );
      return 'skipped';
    }
  }

  /**
   * Records every layer of an image read with verification on, all at once: the existing entries
   * are read and the new ones written concurrently; each is encoded and compressed on this thread.
   */
  async putAll(
    layers: readonly LayerIndex[],
    onWarning: ((message: string) => void) | undefined = this.onWarning,
  ): Promise<void> {
    const unique = new Map(layers.map((layer) => [`${layer.diffId} ${layer.digest}`, layer]));
    await Promise.all([...unique.values()].map((layer) => this.put(layer, onWarning)));
  }

  /** Entry count and size on disk (`strata cache info`). */
  async info(): Promise<CacheInfo> {
    const info: CacheInfo = { dir: this.dir, entries: 0, bytes: 0, oldest: null, newest: null };
    for (const { name, size, mtime } of await this.files()) {
      info.bytes += size;
      if (!ENTRY_NAME.test(name)) continue;
      info.entries++;
      if (info.oldest === null || mtime < info.oldest) info.oldest = mtime;
      if (info.newest === null || mtime > info.newest) info.newest = mtime;
    }
    return info;
  }

  /**
   * Removes every entry (`strata cache prune`), or those not written or used for `olderThanMs`
   * (`--older-than`). Only files named like the cache's own are touched; temporary files are
   * removed once they are old enough not to belong to a writer at work.
   */
  async prune(olderThanMs?: number, now: number = Date.now()): Promise<PruneResult> {
    const result: PruneResult = { removed: 0, bytes: 0 };
    for (const { name, size, mtime } of await this.files()) {
      const age = now - mtime.getTime();
      const entry = ENTRY_NAME.test(name);
      if (entry ? olderThanMs !== undefined && age <= olderThanMs : age <= Math.max(TEMP_GRACE_MS, olderThanMs ?? 0))
        continue;
      try {
        await unlink(join(this.dir, name));
        result.bytes += size;
        if (entry) result.removed++;
      } catch {
        // gone already (another prune), or not ours to remove
      }
    }
    return result;
  }

  private async files(): Promise<Array<{ name: string; size: number; mtime: Date }>> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const files: Array<{ name: string; size: number; mtime: Date }> = [];
    for (const name of names) {
      if (!ENTRY_NAME.test(name) && !TEMP_NAME.test(name)) continue;
      try {
        const s = await lstat(join(this.dir, name));
        if (s.isFile()) files.push({ name, size: s.size, mtime: s.mtime });
      } catch {
        // removed meanwhile
      }
    }
    return files;
  }

  /**
   * The header of an existing entry, or null (none, or invalid: it will be replaced). What is not a
   * regular file is removed at once: the new entry could not be renamed over a directory.
   */
  private async readHeader(path: string, diffId: string): Promise<ReturnType<typeof decodeHeader>['header'] | null> {
    const file = await readEntryFile(path, MAX_HEADER_BYTES + 64);
    if (file === null) return null;
    if (file.bytes === null) {
      await this.discard(path, file.ino);
      return null;
    }
    try {
      return decodeHeader(file.bytes, { diffId, strata: this.producer }).header;
    } catch {
      return null;
    }
  }

  /** Deletes an invalid entry, unless another process has meanwhile replaced it with a new file. */
  private async discard(path: string, ino: number): Promise<void> {
    try {
      const now = await lstat(path);
      if (now.ino !== ino) return;
      // Never followed: a symlink goes, not what it names; a directory goes with what it holds, all
      // of it under the entry's own name in the cache.
      await rm(path, { recursive: now.isDirectory(), force: true });
    } catch {
      // already gone
    }
  }
}

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = constants;

/**
 * Up to `limit` bytes of the entry file at `path` (all of it when it is shorter), with its inode; null
 * when there is none. Only a regular file is read, and only when it holds at most MAX_ENTRY_BYTES: a
 * symlink is not followed (O_NOFOLLOW), a FIFO not waited on (O_NONBLOCK opens it at once), and for
 * those, as for anything else, `bytes` is null.
 */
async function readEntryFile(path: string, limit: number): Promise<{ bytes: Buffer | null; ino: number } | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // A symlink (ELOOP), or something that cannot be opened: whatever it is, it is not an entry.
    const ino = await lstat(path).then(
      (s) => s.ino,
      () => null,
    );
    return ino === null ? null : { bytes: null, ino };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size > MAX_ENTRY_BYTES) return { bytes: null, ino: stats.ino };
    // The stat size bounds the read: a file that grows meanwhile is read as it was.
    const bytes = Buffer.allocUnsafe(Math.min(stats.size, limit));
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { bytes: bytes.subarray(0, filled), ino: stats.ino };
  } catch {
    return null;
  } finally {
    await handle.close().catch(() => {});
  }
}

/** Marks an entry as used now (what `prune --older-than` goes by); a symlink put there meanwhile is not followed. */
async function touch(path: string): Promise<void> {
  const now = new Date();
  await lutimes(path, now, now).catch(() => {});
}
