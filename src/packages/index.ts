import type { Stack } from '../tree/types.js';
import { hasApk, readApk } from './apk.js';
import { hasDpkg, readDpkg } from './dpkg.js';
import type { DatabaseFiles } from './files.js';
import { ParentResolver } from './resolve.js';
import { hasRpm, readRpm, RPMDB_SQLITE } from './rpm/index.js';
import { loadSqlite, sqliteIfLoaded } from './rpm/sqlite.js';
import { databasePaths, filesAfter, layerTouches } from './snapshot.js';
import type {
  InstalledPackage,
  LayerPackageChanges,
  PackageDatabase,
  PackageItem,
  PackageManager,
  PackageReport,
} from './types.js';

export type { LayerPackageChanges, PackageItem, PackageManager, PackageReport } from './types.js';

const READERS: ReadonlyArray<{
  manager: PackageManager;
  present: (files: DatabaseFiles) => boolean;
  read: (files: DatabaseFiles, withPaths: boolean) => PackageDatabase;
}> = [
  { manager: 'dpkg', present: hasDpkg, read: readDpkg },
  { manager: 'apk', present: hasApk, read: readApk },
  { manager: 'rpm', present: hasRpm, read: readRpm },
];

/**
 * Loads what reading the databases needs beyond plain JavaScript (SQLite, for rpm) before the
 * synchronous analysis, only when some layer ships an rpmdb. True when it loaded something now, so
 * an analysis made before has its packages read again.
 */
export async function preparePackageReaders(layers: ReadonlyArray<{ entries: ReadonlyArray<{ path: string }> }>) {
  if (sqliteIfLoaded() !== null) return false;
  const needsSqlite = layers.some((layer) => layer.entries.some((entry) => RPMDB_SQLITE.includes(entry.path)));
  if (!needsSqlite) return false;
  await loadSqlite();
  return true;
}

function readAll(files: DatabaseFiles, withPaths: boolean): PackageDatabase[] {
  return READERS.filter((r) => r.present(files)).map((r) => r.read(files, withPaths));
}

const keyOf = (p: InstalledPackage) => `${p.manager}\0${p.name}\0${p.arch}`;

/**
 * Which package shipped which bytes: the databases of every layer's stacked filesystem give what each
 * layer installed, removed and upgraded; the final one's file lists give each visible file's owner.
 */
export function analyzePackages(stack: Stack): PackageReport {
  const layerCount = stack.layers.length;
  const paths = databasePaths(stack);
  const noChanges = (): LayerPackageChanges => ({ added: [], removed: [], upgraded: [] });
  if (paths.size === 0 || layerCount === 0) {
    return emptyReport(stack, Array.from({ length: layerCount }, noChanges));
  }

  const layers: LayerPackageChanges[] = [];
  const lastChanged = new Map<string, number>();
  let previous = new Map<string, InstalledPackage>();
  for (let layer = 0; layer < layerCount; layer++) {
    if (!layerTouches(stack, paths, layer)) {
      layers.push(noChanges());
      continue;
    }
    const current = new Map<string, InstalledPackage>();
    for (const db of readAll(filesAfter(stack, paths, layer), false)) {
      for (const p of db.packages) current.set(keyOf(p), p);
    }
    const changes = noChanges();
    for (const [key, p] of current) {
      const before = previous.get(key);
      if (before === undefined) changes.added.push(p.name);
      else if (before.version !== p.version) changes.upgraded.push(p.name);
      if (before === undefined || before.version !== p.version) lastChanged.set(key, layer);
    }
    for (const [key, p] of previous) if (!current.has(key)) changes.removed.push(p.name);
    for (const list of [changes.added, changes.removed, changes.upgraded]) list.sort();
    layers.push(changes);
    previous = current;
  }

  const databases = readAll(filesAfter(stack, paths, layerCount - 1), true);
  return attribute(stack, databases, layers, lastChanged);
}

function attribute(
  stack: Stack,
  databases: PackageDatabase[],
  layers: LayerPackageChanges[],
  lastChanged: Map<string, number>,
): PackageReport {
  const final = stack.final;
  const resolver = new ParentResolver(final);
  const owner = new Map<string, PackageItem>();
  const claimed = new Set<number>();
  const items: PackageItem[] = [];
  for (const db of databases) {
    for (const p of db.packages) {
      const item: PackageItem = {
        manager: p.manager,
        name: p.name,
        version: p.version,
        arch: p.arch,
        layer: lastChanged.get(keyOf(p)) ?? 0,
        files: 0,
        bytes: 0,
        hiddenBytes: 0,
      };
      items.push(item);
      for (const listed of p.paths) {
        // A path that is in the final filesystem as listed has no symlinked parent: most are so.
        let path = listed;
        let state = final.get(listed);
        if (state === undefined) {
          path = resolver.resolve(listed);
          state = final.get(path);
        }
        if (state === undefined || state.type === 'dir') continue;
        if (!owner.has(path)) owner.set(path, item);
        if (state.type !== 'file' && state.type !== 'hardlink') continue;
        item.files++;
        // A hardlink group is one piece of data: counted once, for the first package that lists it.
        if (state.piece >= 0 && !claimed.has(state.piece)) {
          claimed.add(state.piece);
          item.bytes += stack.pieces[state.piece]!.size;
        }
      }
    }
  }

  let unownedBytes = 0;
  const unowned = new LargestFiles(UNOWNED_LISTED);
  for (const piece of stack.pieces) {
    if (piece.hiddenBy === null) {
      if (!claimed.has(piece.id)) {
        unownedBytes += piece.size;
        unowned.offer(piece.path, piece.size);
      }
      continue;
    }
    const item = owner.get(piece.path) ?? owner.get(resolver.resolve(piece.path));
    if (item !== undefined) item.hiddenBytes += piece.size;
  }

  items.sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
  return {
    managers: databases.map((db) => db.manager),
    items,
    unownedBytes,
    largestUnowned: managersFound(databases) ? unowned.list() : [],
    unreadable: databases.flatMap((db) => db.notes),
    layers,
    ownerOf: (path) => owner.get(path),
  };
}

function emptyReport(stack: Stack, layers: LayerPackageChanges[]): PackageReport {
  let unownedBytes = 0;
  for (const piece of stack.pieces) if (piece.hiddenBy === null) unownedBytes += piece.size;
  return {
    managers: [],
    items: [],
    unownedBytes,
    largestUnowned: [],
    unreadable: [],
    layers,
    ownerOf: () => undefined,
  };
}

/** How many of the largest unowned files a report lists. */
const UNOWNED_LISTED = 10;

const managersFound = (databases: PackageDatabase[]) => databases.some((db) => db.packages.length > 0);

/** Keeps the `limit` largest files offered, without sorting every file of the image. */
class LargestFiles {
  private readonly files: Array<{ path: string; size: number }> = [];

  constructor(private readonly limit: number) {}

  offer(path: string, size: number): void {
    if (this.files.length === this.limit && size <= this.files[this.files.length - 1]!.size) return;
    let at = this.files.length;
    while (at > 0 && this.files[at - 1]!.size < size) at--;
    this.files.splice(at, 0, { path, size });
    if (this.files.length > this.limit) this.files.pop();
  }

  list(): Array<{ path: string; size: number }> {
    return [...this.files];
  }
}
