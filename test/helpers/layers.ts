/**
 * In-memory layer fixtures: build TarEntry lists the way the layer reader would produce them
 * (absolute paths, whiteouts decoded, content hashed), without any tar.
 */
import { createHash } from 'node:crypto';
import type { ImageConfig, ImageIndex, ImageLayer } from '../../src/image/types.js';
import type { EntryType, LayerIndex, TarEntry } from '../../src/layers/types.js';
import { compareBytewise } from '../../src/tree/path-order.js';
import type { ChangeStatus, FileChange } from '../../src/tree/types.js';

interface Meta {
  mode?: number;
  uid?: number;
  gid?: number;
}

function base(path: string, type: EntryType, meta: Meta, defaultMode: number): TarEntry {
  return { path, type, size: 0, mode: meta.mode ?? defaultMode, uid: meta.uid ?? 0, gid: meta.gid ?? 0 };
}

export function hashOf(content: string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}

/** A regular file; `content` gives both its size (in UTF-8 bytes) and its hash. */
export function file(path: string, content: string, meta: Meta = {}): TarEntry {
  return { ...base(path, 'file', meta, 0o644), size: Buffer.byteLength(content), hash: hashOf(content) };
}

/** A regular file of a given size whose content is described by `tag` (same tag and size, same content). */
export function sized(path: string, size: number, tag = path, meta: Meta = {}): TarEntry {
  return { ...base(path, 'file', meta, 0o644), size, hash: hashOf(`${tag}:${size}`) };
}

export function dir(path: string, meta: Meta = {}): TarEntry {
  return base(path, 'dir', meta, 0o755);
}

export function symlink(path: string, target: string, meta: Meta = {}): TarEntry {
  return { ...base(path, 'symlink', meta, 0o777), linkTarget: target };
}

export function hardlink(path: string, target: string, meta: Meta = {}): TarEntry {
  return { ...base(path, 'hardlink', meta, 0o644), linkTarget: target };
}

/** `.wh.NAME`: decoded to the path it hides. */
export function whiteout(path: string): TarEntry {
  return { ...base(path, 'file', {}, 0o644), whiteout: 'file' };
}

/** `DIR/.wh..wh..opq`: decoded to its directory. */
export function opaque(dirPath: string): TarEntry {
  return { ...base(dirPath, 'file', {}, 0o644), whiteout: 'opaque' };
}

let layerCounter = 0;

export function layer(entries: TarEntry[]): LayerIndex {
  const id = (++layerCounter).toString(16).padStart(64, '0');
  return {
    digest: `sha256:${id}`,
    diffId: `sha256:${id}`,
    mediaType: 'application/vnd.oci.image.layer.v1.tar',
    compression: 'none',
    compressedSize: 0,
    uncompressedSize: 0,
    entryCount: entries.length,
    headerSizeTotal: entries.reduce((sum, entry) => sum + entry.size, 0),
    entries,
  };
}

export function layers(...entryLists: TarEntry[][]): LayerIndex[] {
  return entryLists.map(layer);
}

/** Mulberry32: a tiny seeded PRNG, so randomized tests replay exactly. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- Naive reference model and random stacks, for property tests ----

export interface NaiveState {
  type: EntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  hash: string | undefined;
  linkTarget: string | undefined;
  /** The regular-file entry whose data this path holds. */
  piece: TarEntry | null;
  implied: boolean;
}

interface NaiveContent {
  piece: TarEntry | null;
  size: number;
  hash: string | undefined;
}

const NOTHING: NaiveContent = { piece: null, size: 0, hash: undefined };

/**
 * A deliberately naive reference model of layer stacking: copies the whole filesystem for every layer
 * and removes subtrees by scanning every path. Slow, but simple enough to trust. Same semantics as
 * stackLayers: whiteouts hide lower paths only; last entry wins; hardlinks resolve in tar order within the
 * layer, then below, then later in the layer; implied parents are 0755 root dirs and are not listed.
 */
export function naiveStack(layerList: LayerIndex[]): {
  filesystems: Map<string, NaiveState>[];
  changes: FileChange[][];
} {
  const filesystems: Map<string, NaiveState>[] = [];
  const changes: FileChange[][] = [];
  let current = new Map<string, NaiveState>();

  layerList.forEach((lyr, layerNumber) => {
    const before = current;
    const next = new Map(before);
    const latest = new Map<string, NaiveContent>();
    const effective = new Map<string, { entry: TarEntry; content: NaiveContent | undefined }>();
    const whiteouts: string[] = [];
    const opaques: string[] = [];
    for (const entry of lyr.entries) {
      if (entry.whiteout === 'file') whiteouts.push(entry.path);
      else if (entry.whiteout === 'opaque') opaques.push(entry.path);
      else {
        let content: NaiveContent | undefined = NOTHING;
        if (entry.type === 'file') content = { piece: entry, size: entry.size, hash: entry.hash };
        if (entry.type === 'hardlink') {
          const lower = before.get(entry.linkTarget!);
          content =
            latest.get(entry.linkTarget!) ??
            (lower === undefined
              ? undefined
              : lower.type === 'file' || lower.type === 'hardlink'
                ? { piece: lower.piece, size: lower.size, hash: lower.hash }
                : NOTHING);
        }
        latest.set(entry.path, content ?? NOTHING);
        effective.set(entry.path, { entry, content });
      }
    }
    for (const [path, planned] of effective) {
      if (planned.content !== undefined) continue;
      const target = effective.get(planned.entry.linkTarget!);
      planned.content = target && target.entry !== planned.entry ? (target.content ?? NOTHING) : NOTHING;
      effective.set(path, planned);
    }

    const removeUnder = (prefix: string) => {
      for (const key of [...next.keys()]) if (key.startsWith(prefix)) next.delete(key);
    };
    for (const path of whiteouts) {
      next.delete(path);
      removeUnder(path + '/');
    }
    for (const path of opaques) removeUnder(path === '/' ? '/' : path + '/');

    const implied: NaiveState = {
      type: 'dir',
      mode: 0o755,
      uid: 0,
      gid: 0,
      size: 0,
      hash: undefined,
      linkTarget: undefined,
      piece: null,
      implied: true,
    };
    for (const path of [...effective.keys()].sort(compareBytewise)) {
      const parts = path.split('/').slice(1);
      for (let depth = 1; depth < parts.length; depth++) {
        const ancestor = '/' + parts.slice(0, depth).join('/');
        if (next.get(ancestor)?.type !== 'dir') next.set(ancestor, { ...implied });
      }
      const { entry, content } = effective.get(path)!;
      const holds = entry.type === 'file' || entry.type === 'hardlink';
      const state: NaiveState = {
        type: entry.type,
        mode: entry.mode,
        uid: entry.uid,
        gid: entry.gid,
        size: holds ? content!.size : 0,
        hash: holds ? content!.hash : undefined,
        linkTarget: entry.linkTarget,
        piece: holds ? content!.piece : null,
        implied: false,
      };
      if (next.get(path)?.type === 'dir' && state.type !== 'dir') removeUnder(path + '/');
      next.set(path, state);
    }

    const layerChanges: FileChange[] = [];
    const paths = [...new Set([...before.keys(), ...next.keys()])].sort(compareBytewise);
    for (const path of paths) {
      const b = before.get(path);
      const a = next.get(path);
      // A layer touches the paths it has entries for, and the lower paths it hides; merely implied parents are not
      // listed.
      if (b === a || (b === undefined && a?.implied && !effective.has(path))) continue;
      const status: ChangeStatus = !b ? 'added' : !a ? 'removed' : same(b, a) ? 'unmodified' : 'modified';
      const shown = status === 'removed' ? b! : a!;
      const change: FileChange = {
        path,
        status,
        type: shown.type,
        size: shown.size,
        mode: shown.mode,
        uid: shown.uid,
        gid: shown.gid,
        layer: layerNumber,
      };
      if (shown.linkTarget !== undefined) change.linkTarget = shown.linkTarget;
      layerChanges.push(change);
    }
    changes.push(layerChanges);
    filesystems.push(next);
    current = next;
  });
  return { filesystems, changes };
}

function same(b: NaiveState, a: NaiveState): boolean {
  if (b.type !== a.type || b.mode !== a.mode || b.uid !== a.uid || b.gid !== a.gid) return false;
  if (b.type === 'dir') return true;
  return b.size === a.size && b.hash === a.hash && (b.type !== 'symlink' || b.linkTarget === a.linkTarget);
}

const NAMES = ['a', 'b', 'c'];
const CONTENTS = ['', 'x', 'yy', 'zzz', 'wwww'];

function randomPath(random: () => number): string {
  const depth = 1 + Math.floor(random() * 3);
  let path = '';
  for (let i = 0; i < depth; i++) path += '/' + NAMES[Math.floor(random() * NAMES.length)]!;
  return path;
}

export function randomLayers(seed: number): LayerIndex[] {
  const random = prng(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const layerCount = 1 + Math.floor(random() * 6);
  const result: LayerIndex[] = [];
  for (let l = 0; l < layerCount; l++) {
    const entries: TarEntry[] = [];
    const count = Math.floor(random() * 14);
    for (let i = 0; i < count; i++) {
      const path = randomPath(random);
      const meta = { mode: pick([0o644, 0o600, 0o755]), uid: pick([0, 0, 1]) };
      const roll = random();
      if (roll < 0.4) entries.push(file(path, pick(CONTENTS), meta));
      else if (roll < 0.58) entries.push(dir(path, meta));
      else if (roll < 0.65) entries.push(symlink(path, pick(NAMES), meta));
      else if (roll < 0.77) entries.push(hardlink(path, randomPath(random), meta));
      else if (roll < 0.92) entries.push(whiteout(path));
      else entries.push(opaque(random() < 0.1 ? '/' : path));
    }
    result.push(layer(entries));
  }
  return result;
}

/** An image config with neutral defaults; `config` overrides any field. */
export function makeConfig(config: Partial<ImageConfig> = {}): ImageConfig {
  return {
    os: 'linux',
    architecture: 'amd64',
    created: '2026-01-01T00:00:00Z',
    user: '',
    labels: {},
    env: [],
    cmd: null,
    entrypoint: null,
    workingDir: '',
    exposedPorts: [],
    healthcheck: null,
    history: [],
    diffIds: [],
    ...config,
  };
}

export interface ImageOptions {
  /** `commands[i]` is layer i's `created_by` ("" when missing). */
  commands?: readonly string[];
  /** Layer i's `created` date. */
  created?: (i: number) => string | null;
  config?: Partial<ImageConfig>;
  image?: Partial<Pick<ImageIndex, 'source' | 'reference' | 'manifestDigest' | 'configDigest'>>;
}

/** An image made of in-memory layers, as the readers would hand it to the analysis. */
export function imageOf(layerList: readonly LayerIndex[], options: ImageOptions = {}): ImageIndex {
  const imageLayers: ImageLayer[] = layerList.map((l, index) => ({
    ...l,
    index,
    command: options.commands?.[index] ?? '',
    created: options.created?.(index) ?? null,
  }));
  return {
    source: 'oci-archive',
    reference: null,
    manifestDigest: null,
    configDigest: 'sha256:' + 'c'.repeat(64),
    ...options.image,
    config: makeConfig({ diffIds: layerList.map((l) => l.diffId), ...options.config }),
    layers: imageLayers,
    verified: true,
  };
}
