import type { DatabaseFiles } from '../files.js';
import { unreadNote } from '../files.js';
import type { InstalledPackage, PackageDatabase } from '../types.js';
import { HeaderError, RpmHeader, TAG } from './header.js';
import { sqliteIfLoaded } from './sqlite.js';

export const RPMDB_SQLITE = ['/var/lib/rpm/rpmdb.sqlite', '/usr/lib/sysimage/rpm/rpmdb.sqlite'];
const BERKELEY = ['/var/lib/rpm/Packages', '/usr/lib/sysimage/rpm/Packages'];
const NDB = ['/var/lib/rpm/Packages.db', '/usr/lib/sysimage/rpm/Packages.db'];

export function hasRpm(files: DatabaseFiles): boolean {
  return [...RPMDB_SQLITE, ...BERKELEY, ...NDB].some((path) => files.exists(path));
}

export function readRpm(files: DatabaseFiles, withPaths: boolean): PackageDatabase {
  const path = RPMDB_SQLITE.find((p) => files.exists(p));
  if (path === undefined) {
    const berkeley = BERKELEY.some((p) => files.exists(p));
    const note = berkeley ? 'rpm database in Berkeley DB format: not read' : 'rpm database in NDB format: not read';
    return { manager: 'rpm', packages: [], notes: [note] };
  }
  const bytes = files.read(path);
  if (bytes === undefined) return { manager: 'rpm', packages: [], notes: [unreadNote(path)] };
  const sqlite = sqliteIfLoaded();
  if (sqlite === null) return { manager: 'rpm', packages: [], notes: [`${path}: the SQLite reader was not loaded`] };
  const notes: string[] = [];
  const packages: InstalledPackage[] = [];
  let db: InstanceType<typeof sqlite.Database> | null = null;
  try {
    db = new sqlite.Database(bytes);
    const statement = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum');
    try {
      while (statement.step()) {
        const [hnum, blob] = statement.get();
        if (!(blob instanceof Uint8Array)) {
          notes.push(`${path}: package ${String(hnum)} has no header`);
          continue;
        }
        try {
          packages.push(packageOf(new RpmHeader(blob), withPaths));
        } catch (err) {
          if (!(err instanceof HeaderError)) throw err;
          notes.push(`${path}: package ${String(hnum)}: ${err.message}`);
        }
      }
    } finally {
      statement.free();
    }
  } catch (err) {
    notes.push(`${path}: not a readable rpm database (${(err as Error).message.slice(0, 120)})`);
  } finally {
    db?.close();
  }
  return { manager: 'rpm', packages, notes };
}

function packageOf(header: RpmHeader, withPaths: boolean): InstalledPackage {
  const name = header.string(TAG.name);
  if (!name) throw new HeaderError('a package without a name');
  const epoch = header.numbers(TAG.epoch)[0];
  const version = `${epoch === undefined ? '' : `${epoch}:`}${header.string(TAG.version) ?? ''}-${
    header.string(TAG.release) ?? ''
  }`;
  return {
    manager: 'rpm',
    name,
    version,
    arch: header.string(TAG.arch) ?? '',
    paths: withPaths ? filePaths(header) : [],
  };
}

function filePaths(header: RpmHeader): string[] {
  const baseNames = header.strings(TAG.baseNames);
  if (baseNames.length === 0) return header.strings(TAG.oldFileNames);
  const dirNames = header.strings(TAG.dirNames);
  const dirIndexes = header.numbers(TAG.dirIndexes);
  return baseNames.map((base, i) => {
    const dir = dirNames[dirIndexes[i] ?? -1];
    if (dir === undefined) throw new HeaderError('a file whose directory index is out of range');
    return `${dir}${base}`;
  });
}
