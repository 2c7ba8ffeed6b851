import type { PackageReport } from '../packages/index.js';
import { compareVersions } from '../packages/version.js';
import type { PackageChange, PackageDiff } from './types.js';

/** Packages added, removed, upgraded and downgraded from A to B; null when neither image has a database. */
export function packageDiff(a: PackageReport, b: PackageReport): PackageDiff | null {
  if (a.managers.length === 0 && b.managers.length === 0) return null;
  const key = (p: { manager: string; name: string; arch: string }) => `${p.manager}\0${p.name}\0${p.arch}`;
  const before = new Map(a.items.map((p) => [key(p), p]));
  const after = new Map(b.items.map((p) => [key(p), p]));
  const changes: PackageChange[] = [];
  for (const [k, p] of after) {
    const old = before.get(k);
    if (old === undefined) {
      changes.push({ manager: p.manager, name: p.name, change: 'added', versionA: null, versionB: p.version });
    } else if (old.version !== p.version) {
      const order = compareVersions(p.version, old.version);
      const change = order > 0 ? 'upgraded' : order < 0 ? 'downgraded' : 'changed';
      changes.push({ manager: p.manager, name: p.name, change, versionA: old.version, versionB: p.version });
    }
  }
  for (const [k, p] of before) {
    if (!after.has(k)) {
      changes.push({ manager: p.manager, name: p.name, change: 'removed', versionA: p.version, versionB: null });
    }
  }
  changes.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.manager < y.manager ? -1 : 1));
  const count = (kind: PackageChange['change']) => changes.filter((c) => c.change === kind).length;
  return {
    added: count('added'),
    removed: count('removed'),
    changed: changes.length - count('added') - count('removed'),
    changes,
  };
}
