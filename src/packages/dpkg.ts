import { parseParagraphs } from './deb822.js';
import { type DatabaseFiles, readText, unreadNote } from './files.js';
import type { InstalledPackage, PackageDatabase } from './types.js';

const STATUS = '/var/lib/dpkg/status';
const STATUS_D = '/var/lib/dpkg/status.d';
const INFO = '/var/lib/dpkg/info';
const DIVERSIONS = '/var/lib/dpkg/diversions';

/** Whether this filesystem has a dpkg database at all. */
export function hasDpkg(files: DatabaseFiles): boolean {
  return files.exists(STATUS) || files.list(STATUS_D).length > 0;
}

/**
 * Reads dpkg's database: the status file (and distroless's status.d), and, with `withPaths`, each
 * package's file list (`info/<pkg>[:arch].list`, else the paths of its md5sums) with diversions applied.
 */
export function readDpkg(files: DatabaseFiles, withPaths: boolean): PackageDatabase {
  const notes: string[] = [];
  const packages: InstalledPackage[] = [];
  const fromStatusD = new Set<InstalledPackage>();
  const statusText = readText(files, STATUS);
  if (statusText === undefined && files.exists(STATUS)) notes.push(unreadNote(STATUS));
  if (statusText !== undefined) packages.push(...installedIn(statusText));
  for (const path of files.list(STATUS_D)) {
    if (path.endsWith('.md5sums')) continue;
    const text = readText(files, path);
    if (text === undefined) {
      notes.push(unreadNote(path));
      continue;
    }
    for (const p of installedIn(text)) {
      packages.push(p);
      fromStatusD.add(p);
    }
  }
  if (withPaths) {
    const diversions = readDiversions(files);
    for (const p of packages) {
      p.paths = listedPaths(files, p, fromStatusD.has(p), notes).map((path) => diverted(path, p.name, diversions));
    }
  }
  return { manager: 'dpkg', packages, notes };
}

function installedIn(text: string): InstalledPackage[] {
  const found: InstalledPackage[] = [];
  for (const record of parseParagraphs(text)) {
    const name = record.get('Package');
    const status = record.get('Status');
    // dpkg-query lists a package as installed when the last word of its status says so.
    if (!name || !status || !/(^|\s)installed$/.test(status)) continue;
    found.push({
      manager: 'dpkg',
      name: name.split(':')[0] ?? name,
      version: record.get('Version') ?? '',
      arch: record.get('Architecture') ?? '',
      paths: [],
    });
  }
  return found;
}

function listedPaths(files: DatabaseFiles, p: InstalledPackage, distroless: boolean, notes: string[]): string[] {
  const dirs = distroless ? [STATUS_D, INFO] : [INFO];
  for (const dir of dirs) {
    for (const stem of [`${p.name}:${p.arch}`, p.name]) {
      const list = readText(files, `${dir}/${stem}.list`);
      if (list !== undefined) return list.split('\n').filter((line) => line.startsWith('/'));
      const sums = readText(files, `${dir}/${stem}.md5sums`);
      if (sums !== undefined) return md5sumsPaths(sums);
      if (files.exists(`${dir}/${stem}.list`)) notes.push(unreadNote(`${dir}/${stem}.list`));
    }
  }
  return [];
}

/** md5sums lines are `<md5>  <path relative to />`. */
function md5sumsPaths(text: string): string[] {
  const paths: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^[0-9a-f]{32} [ *]?(.+)$/.exec(line);
    if (match?.[1]) paths.push(`/${match[1].replace(/^\/+/, '')}`);
  }
  return paths;
}

interface Diversion {
  to: string;
  by: string;
}

/** `diversions` holds triples of lines: the diverted path, where it now lives, and the diverting package. */
function readDiversions(files: DatabaseFiles): Map<string, Diversion> {
  const diversions = new Map<string, Diversion>();
  const text = readText(files, DIVERSIONS);
  if (text === undefined) return diversions;
  const lines = text.split('\n');
  for (let i = 0; i + 2 < lines.length; i += 3) {
    const from = lines[i]!;
    const to = lines[i + 1]!;
    if (from.startsWith('/') && to.startsWith('/')) diversions.set(from, { to, by: lines[i + 2]! });
  }
  return diversions;
}

/** A path another package diverted is found where the diversion sent it, except for the diverter itself. */
function diverted(path: string, owner: string, diversions: Map<string, Diversion>): string {
  const diversion = diversions.get(path);
  return diversion !== undefined && diversion.by !== owner ? diversion.to : path;
}
