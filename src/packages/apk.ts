import { type DatabaseFiles, readText, unreadNote } from './files.js';
import type { InstalledPackage, PackageDatabase } from './types.js';

const INSTALLED = '/lib/apk/db/installed';

export function hasApk(files: DatabaseFiles): boolean {
  return files.exists(INSTALLED);
}

/**
 * apk's installed database: blank-line separated records of one-letter fields. `P:` name, `V:`
 * version, `A:` arch, `F:` a directory (relative to /), and the `R:` files after it belong to it.
 */
export function readApk(files: DatabaseFiles, withPaths: boolean): PackageDatabase {
  const text = readText(files, INSTALLED);
  if (text === undefined) return { manager: 'apk', packages: [], notes: [unreadNote(INSTALLED)] };
  const packages: InstalledPackage[] = [];
  let current: InstalledPackage | null = null;
  let dir = '';
  const finish = () => {
    if (current !== null && current.name !== '') packages.push(current);
    current = null;
    dir = '';
  };
  for (const line of text.split('\n')) {
    if (line === '') {
      finish();
      continue;
    }
    if (line.length < 2 || line[1] !== ':') continue;
    current ??= { manager: 'apk', name: '', version: '', arch: '', paths: [] };
    const value = line.slice(2);
    switch (line[0]) {
      case 'P':
        current.name = value;
        break;
      case 'V':
        current.version = value;
        break;
      case 'A':
        current.arch = value;
        break;
      case 'F':
        dir = value.replace(/^\/+|\/+$/g, '');
        if (withPaths) current.paths.push(`/${dir}`);
        break;
      case 'R':
        if (withPaths) current.paths.push(dir === '' ? `/${value}` : `/${dir}/${value}`);
        break;
    }
  }
  finish();
  return { manager: 'apk', packages, notes: [] };
}
