/**
 * What goes into each layer of a benchmark image, decided up front from a seeded PRNG: paths,
 * sizes, content seeds, overwrites and whiteouts. No bytes here (see content.ts and archive.ts):
 * the plan is small (one object per entry) and deterministic, so the archive can be streamed
 * twice from it (once to get the diff_ids, once to write) without keeping any layer in memory.
 *
 * A model of the merged filesystem is kept while planning, so that every whiteout, opaque marker
 * and overwrite names a path that really exists in a lower layer at that point.
 */
import { Prng } from './prng.js';

export type PlanEntry =
  | { kind: 'dir'; path: string; mode: number }
  | { kind: 'file'; path: string; mode: number; size: number; seed: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'hardlink'; path: string; target: string }
  /** Hides `path` (file or directory) of the lower layers: tar name `<parent>/.wh.<base>`. */
  | { kind: 'whiteout'; path: string }
  /** Hides everything the lower layers have under the directory `path`: `<path>/.wh..wh..opq`. */
  | { kind: 'opaque'; path: string };

export interface LayerStats {
  /** Regular file entries (new files and overwrites, large files included). */
  files: number;
  /** Bytes of regular file content. */
  bytes: number;
  overwrites: number;
  /** Overwrites with the very same bytes (pure waste: a re-copy, a touch). */
  identicalOverwrites: number;
  whiteouts: number;
  dirWhiteouts: number;
  opaques: number;
  symlinks: number;
  hardlinks: number;
  dirs: number;
}

export interface LayerPlan {
  createdBy: string;
  /** In tar order: every directory before its children, as `docker save` layers are. */
  entries: PlanEntry[];
  stats: LayerStats;
}

export interface HistoryStep {
  createdBy: string;
  emptyLayer: boolean;
}

export interface ImagePlan {
  name: string;
  repoTag: string;
  created: string;
  runConfig: Record<string, unknown>;
  history: HistoryStep[];
  layers: LayerPlan[];
}

/** A big file placed by hand; bytes of these make most of `realistic1g`. */
export interface LargeFileSpec {
  path: string;
  size: number;
  layer: number;
  /** Whited out in this layer (its bytes stay in the image: waste). */
  removedIn?: number;
  /** Rewritten with other bytes in this layer. */
  overwrittenIn?: { layer: number; size: number };
}

export interface ImageSpec {
  name: string;
  seed: string;
  repoTag: string;
  /** RFC 3339 time of the last history step. */
  created: string;
  layers: number;
  /** Small regular files written by all layers together, overwrites included (large files not). */
  files: number;
  /** Share of `files` in layer 0 (the base). */
  baseShare: number;
  /** File sizes: log-normal with this median (bytes) and sigma, clamped to maxSize. */
  medianSize: number;
  sigma: number;
  maxSize: number;
  /** Share of empty files (`__init__.py`, lock files…). */
  emptyShare: number;
  /** Share of a layer's files that overwrite a live file of a lower layer. */
  overwriteShare: number;
  /** Share of those overwrites that write the same bytes again. */
  identicalShare: number;
  /** Whiteouts per layer from layer 1 on (±20 %), of which `dirWhiteoutShare` hide whole directories. */
  whiteoutsPerLayer: number;
  dirWhiteoutShare: number;
  /** One opaque directory every this many layers (0: none). */
  opaqueEvery: number;
  /** Symlinks, as a share of new files. */
  symlinkShare: number;
  hardlinksPerLayer: number;
  /** Share of packages with long names (paths over 100 bytes need ustar prefixes or PAX headers). */
  longNameShare: number;
  large: LargeFileSpec[];
  /** Layer-less history steps (ENV, LABEL…), placed after the step of layer `after`. */
  emptySteps: Array<{ after: number; createdBy: string }>;
  runConfig: Record<string, unknown>;
}

const ROOTS = [
  'usr/lib/python3.11/site-packages',
  'usr/lib/x86_64-linux-gnu',
  'usr/share/doc',
  'usr/share/locale',
  'usr/share/zoneinfo',
  'usr/include',
  'usr/local/lib/node_modules',
  'opt/app/node_modules',
  'opt/app/src',
  'var/lib/dpkg/info',
  'usr/share/man/man3',
  'etc',
];

const SYLLABLES = [
  'ab',
  'ac',
  'al',
  'an',
  'ar',
  'ba',
  'be',
  'bo',
  'ca',
  'co',
  'da',
  'de',
  'di',
  'el',
  'en',
  'er',
  'fa',
  'fi',
  'ga',
  'ge',
  'ha',
  'in',
  'io',
  'ka',
  'la',
  'le',
  'li',
  'lo',
  'ma',
  'me',
  'mi',
  'mo',
  'na',
  'ne',
  'no',
  'or',
  'pa',
  'pe',
  'po',
  'ra',
  're',
  'ri',
  'ro',
  'sa',
  'se',
  'si',
  'so',
  'ta',
  'te',
  'ti',
  'to',
  'un',
  'ur',
  'va',
  've',
  'xa',
  'yo',
  'za',
  'ze',
  'zu',
];

const EXTENSIONS = [
  '.py',
  '.pyc',
  '.so',
  '.h',
  '.js',
  '.json',
  '.txt',
  '.md',
  '.mo',
  '.gz',
  '.conf',
  '.list',
  '',
  '.d.ts',
  '.map',
  '.rb',
  '.pm',
];

function word(rng: Prng, min = 2, max = 4): string {
  let w = '';
  const n = rng.range(min, max);
  for (let i = 0; i < n; i++) w += rng.pick(SYLLABLES);
  return w;
}

/** Keys with O(1) add, delete and uniform random pick (swap-remove), in a deterministic order. */
class LiveSet<T> {
  private readonly keys: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly values = new Map<string, T>();

  get size(): number {
    return this.keys.length;
  }
  has(key: string): boolean {
    return this.index.has(key);
  }
  get(key: string): T | undefined {
    return this.values.get(key);
  }
  set(key: string, value: T): void {
    if (!this.index.has(key)) {
      this.index.set(key, this.keys.length);
      this.keys.push(key);
    }
    this.values.set(key, value);
  }
  delete(key: string): boolean {
    const i = this.index.get(key);
    if (i === undefined) return false;
    const last = this.keys.pop() as string;
    if (last !== key) {
      this.keys[i] = last;
      this.index.set(last, i);
    }
    this.index.delete(key);
    this.values.delete(key);
    return true;
  }
  randomKey(rng: Prng): string | undefined {
    return this.keys.length === 0 ? undefined : this.keys[rng.int(this.keys.length)];
  }
  /** Deletes every key under `dir/`; returns how many. */
  deleteUnder(dir: string): number {
    const prefix = `${dir}/`;
    const doomed = this.keys.filter((k) => k.startsWith(prefix));
    for (const k of doomed) this.delete(k);
    return doomed.length;
  }
}

interface LiveFile {
  kind: 'file' | 'symlink' | 'hardlink';
  size: number;
  seed: number;
  mode: number;
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** The name an entry has in the layer tar. */
export function tarName(e: PlanEntry): string {
  switch (e.kind) {
    case 'dir':
      return `${e.path}/`;
    case 'whiteout': {
      const parent = parentOf(e.path);
      const base = e.path.slice(parent.length === 0 ? 0 : parent.length + 1);
      return parent ? `${parent}/.wh.${base}` : `.wh.${base}`;
    }
    case 'opaque':
      return `${e.path}/.wh..wh..opq`;
    default:
      return e.path;
  }
}

/** Collects one layer's entries, adds the parent directories of each, and sorts them dirs-first. */
class LayerBuilder {
  private readonly entries = new Map<string, PlanEntry>();
  readonly stats: LayerStats = {
    files: 0,
    bytes: 0,
    overwrites: 0,
    identicalOverwrites: 0,
    whiteouts: 0,
    dirWhiteouts: 0,
    opaques: 0,
    symlinks: 0,
    hardlinks: 0,
    dirs: 0,
  };

  /** Whether `dir` already has an entry here (as a directory of its own or a parent of another entry). */
  hasDir(dir: string): boolean {
    return this.entries.has(`${dir}/`);
  }

  add(entry: PlanEntry): void {
    for (let p = parentOf(entry.path); p !== ''; p = parentOf(p)) {
      const name = `${p}/`;
      if (this.entries.has(name)) break;
      this.entries.set(name, { kind: 'dir', path: p, mode: 0o755 });
    }
    this.entries.set(tarName(entry), entry);
    switch (entry.kind) {
      case 'file':
        this.stats.files++;
        this.stats.bytes += entry.size;
        break;
      case 'symlink':
        this.stats.symlinks++;
        break;
      case 'hardlink':
        this.stats.hardlinks++;
        break;
      case 'whiteout':
        this.stats.whiteouts++;
        break;
      case 'opaque':
        this.stats.opaques++;
        break;
      case 'dir':
        break;
    }
  }

  finish(createdBy: string): LayerPlan {
    const sorted = [...this.entries.entries()]
      .map(([name, entry]) => ({ key: name.replaceAll('/', '\u0000'), entry }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((x) => x.entry);
    this.stats.dirs = sorted.filter((e) => e.kind === 'dir').length;
    return { createdBy, entries: sorted, stats: this.stats };
  }
}

/** Splits `total` into `parts` positive integers with some jitter, deterministically. */
function split(rng: Prng, total: number, parts: number): number[] {
  if (parts <= 0) return [];
  const weights = Array.from({ length: parts }, () => 0.5 + rng.float());
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.floor((w / sum) * total));
  let rest = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % parts, rest--) out[i] = (out[i] ?? 0) + 1;
  return out;
}

export function planImage(spec: ImageSpec): ImagePlan {
  const rng = new Prng(`${spec.seed}/plan`);
  const liveFiles = new LiveSet<LiveFile>();
  /** Package directories (never the roots): the candidates of dir whiteouts, opaque markers and new files. */
  const liveDirs = new LiveSet<true>();
  const usedPaths = new Set<string>();
  let nextSeed = 1;

  const unique = (path: string): string => {
    let p = path;
    for (let n = 2; usedPaths.has(p); n++) p = `${path}-${n}`;
    usedPaths.add(p);
    return p;
  };
  const sampleSize = (): number => {
    if (rng.chance(spec.emptyShare)) return 0;
    return Math.max(1, Math.min(spec.maxSize, Math.round(rng.logNormal(spec.medianSize, spec.sigma))));
  };
  const fileName = (): string =>
    `${word(rng, 1, 3)}${rng.chance(0.3) ? `_${word(rng, 1, 2)}` : ''}${rng.pick(EXTENSIONS)}`;

  const baseFiles = Math.round(spec.files * spec.baseShare);
  const perLayer = [baseFiles, ...split(rng, spec.files - baseFiles, spec.layers - 1)];
  const layers: LayerPlan[] = [];

  for (let l = 0; l < spec.layers; l++) {
    const layer = new LayerBuilder();
    const newThisLayer: string[] = [];

    const writeFile = (path: string, size: number, seed: number, mode: number, track = true): void => {
      layer.add({ kind: 'file', path, mode, size, seed });
      if (track) liveFiles.set(path, { kind: 'file', size, seed, mode });
    };
    /** A live package directory this layer does not touch yet (whiteouts must not nest). */
    const untouchedDir = (): string | undefined => {
      for (let tries = 0; tries < 50; tries++) {
        const dir = liveDirs.randomKey(rng);
        if (dir === undefined) return undefined;
        if (!layer.hasDir(dir)) return dir;
      }
      return undefined;
    };
    const removeDir = (dir: string): void => {
      liveFiles.deleteUnder(dir);
      liveDirs.deleteUnder(dir);
    };

    if (l > 0) {
      const whiteouts = Math.max(0, Math.round(spec.whiteoutsPerLayer * (0.8 + 0.4 * rng.float())));
      const dirWhiteouts = Math.round(whiteouts * spec.dirWhiteoutShare);
      // Directories first, so that no file whiteout of this layer sits inside a hidden directory.
      for (let i = 0; i < dirWhiteouts; i++) {
        const dir = untouchedDir();
        if (dir === undefined) break;
        layer.add({ kind: 'whiteout', path: dir });
        layer.stats.dirWhiteouts++;
        liveDirs.delete(dir);
        removeDir(dir);
      }
      if (spec.opaqueEvery > 0 && l % spec.opaqueEvery === 0) {
        const dir = untouchedDir();
        if (dir !== undefined) {
          layer.add({ kind: 'opaque', path: dir });
          layer.add({ kind: 'dir', path: dir, mode: 0o755 });
          removeDir(dir);
          for (let i = 0; i < 2; i++) {
            const path = unique(`${dir}/${fileName()}`);
            writeFile(path, sampleSize(), nextSeed++, 0o644);
            newThisLayer.push(path);
          }
        }
      }
      for (let i = dirWhiteouts; i < whiteouts; i++) {
        const path = liveFiles.randomKey(rng);
        if (path === undefined) break;
        layer.add({ kind: 'whiteout', path });
        liveFiles.delete(path);
      }
    }

    // Large files placed by hand, outside the packages and the live set: nothing random touches them.
    for (const big of spec.large) {
      if (big.layer === l) writeFile(big.path, big.size, nextSeed++, 0o644, false);
      if (big.removedIn === l) layer.add({ kind: 'whiteout', path: big.path });
      if (big.overwrittenIn?.layer === l) {
        writeFile(big.path, big.overwrittenIn.size, nextSeed++, 0o644, false);
        layer.stats.overwrites++;
      }
    }

    const files = perLayer[l] ?? 0;
    const overwrites = l === 0 ? 0 : Math.round(files * spec.overwriteShare);
    const touched = new Set<string>();
    let overwritten = 0;
    for (let tries = 0; overwritten < overwrites && tries < overwrites * 20; tries++) {
      const path = liveFiles.randomKey(rng);
      if (path === undefined) break;
      const live = liveFiles.get(path);
      if (live?.kind !== 'file' || touched.has(path)) continue;
      touched.add(path);
      if (rng.chance(spec.identicalShare)) {
        writeFile(path, live.size, live.seed, live.mode);
        layer.stats.identicalOverwrites++;
      } else {
        writeFile(path, sampleSize(), nextSeed++, live.mode);
      }
      layer.stats.overwrites++;
      overwritten++;
    }

    // New files: mostly whole new packages (a directory tree under one of the roots), some dropped
    // into directories that lower layers created.
    let remaining = Math.max(0, files - overwritten - newThisLayer.length);
    while (remaining > 0) {
      if (l > 0 && liveDirs.size > 0 && rng.chance(0.1)) {
        const dir = liveDirs.randomKey(rng) as string;
        const path = unique(`${dir}/${fileName()}`);
        writeFile(path, sampleSize(), nextSeed++, rng.chance(0.05) ? 0o755 : 0o644);
        newThisLayer.push(path);
        remaining--;
        continue;
      }
      const long = rng.chance(spec.longNameShare);
      const pkgName = long
        ? `${word(rng, 4, 6)}-${word(rng, 4, 6)}-${word(rng, 4, 6)}-${word(rng, 3, 5)}`
        : `${word(rng)}${rng.chance(0.3) ? `-${word(rng, 1, 3)}` : ''}`;
      const pkg = unique(`${rng.pick(ROOTS)}/${pkgName}`);
      const count = Math.min(remaining, 200, 1 + Math.floor(rng.logNormal(10, 0.9)));
      const dirs = [pkg];
      const subdirs = Math.min(12, Math.floor(count / 6));
      for (let s = 0; s < subdirs; s++) {
        const parent = rng.pick(dirs);
        dirs.push(unique(`${parent}/${long ? word(rng, 4, 7) : word(rng, 1, 3)}`));
      }
      for (const d of dirs) {
        layer.add({ kind: 'dir', path: d, mode: 0o755 });
        liveDirs.set(d, true);
      }
      for (let f = 0; f < count; f++) {
        const path = unique(`${rng.pick(dirs)}/${fileName()}`);
        writeFile(path, sampleSize(), nextSeed++, rng.chance(0.05) ? 0o755 : 0o644);
        newThisLayer.push(path);
      }
      remaining -= count;
    }

    const symlinks = Math.round(newThisLayer.length * spec.symlinkShare);
    for (let i = 0; i < symlinks; i++) {
      const target = liveFiles.randomKey(rng);
      const dir = liveDirs.randomKey(rng);
      if (target === undefined || dir === undefined) break;
      const path = unique(`${dir}/${word(rng, 1, 3)}.link`);
      layer.add({ kind: 'symlink', path, target: `/${target}` });
      liveFiles.set(path, { kind: 'symlink', size: 0, seed: 0, mode: 0o777 });
    }
    for (let i = 0; i < spec.hardlinksPerLayer && newThisLayer.length > 0; i++) {
      const target = rng.pick(newThisLayer);
      const live = liveFiles.get(target);
      if (live?.kind !== 'file') continue;
      // Named after its target, so it sorts after it: the target is in the tar before the link.
      const path = unique(`${target}.${i + 1}`);
      layer.add({ kind: 'hardlink', path, target });
      liveFiles.set(path, { kind: 'hardlink', size: live.size, seed: live.seed, mode: live.mode });
    }

    layers.push(layer.finish(createdByFor(spec, l, rng)));
  }

  const history: HistoryStep[] = [];
  for (let l = 0; l < spec.layers; l++) {
    history.push({ createdBy: layers[l]?.createdBy ?? '', emptyLayer: false });
    for (const step of spec.emptySteps)
      if (step.after === l) history.push({ createdBy: step.createdBy, emptyLayer: true });
  }
  return { name: spec.name, repoTag: spec.repoTag, created: spec.created, runConfig: spec.runConfig, history, layers };
}

function createdByFor(spec: ImageSpec, l: number, rng: Prng): string {
  if (l === 0) return `/bin/sh -c #(nop) ADD file:${hex(rng, 64)} in / `;
  const verbs = [
    () =>
      `/bin/sh -c apt-get update && apt-get install -y --no-install-recommends ${word(rng)} ${word(rng)} ${word(rng)}`,
    () => `/bin/sh -c pip install --no-cache-dir ${word(rng)}==${rng.range(1, 9)}.${rng.range(0, 30)}`,
    () => `/bin/sh -c #(nop) COPY dir:${hex(rng, 64)} in /opt/app/ `,
    () => `/bin/sh -c npm ci --omit=dev && rm -rf /root/.npm`,
    () => `/bin/sh -c rm -rf /var/lib/apt/lists/* /tmp/* && ${word(rng)} --configure`,
  ];
  return `${rng.pick(verbs)()}${spec.large.some((b) => b.layer === l) ? ' # adds large files' : ''}`;
}

function hex(rng: Prng, length: number): string {
  let s = '';
  while (s.length < length) s += rng.next().toString(16).padStart(8, '0');
  return s.slice(0, length);
}
