import type { PackageItem, PackageReport } from '../packages/types.js';
import { compareVersions } from '../packages/version.js';
import type { PackageChange, PackageDiff } from './types.js';

/**
 * Packages installed in one image and not the other, or in another version (upgraded or downgraded
 * as dpkg orders versions). Null when neither image has a package database strata reads: there is
 * nothing to compare, which is not "no change".
 */
export function packageDiff(a: PackageReport, b: PackageReport): PackageDiff | null {
  if (a.managers.length === 0 && b.managers.length === 0) return null;
  const key = (item: PackageItem): string => `${item.manager}\0${item.name}\0${item.arch}`;
  const inA = new Map(a.items.map((item) => [key(item), item]));
  const inB = new Map(b.items.map((item) => [key(item), item]));
  const changes: PackageChange[] = [];
  const compare = (before: PackageItem | undefined, after: PackageItem | undefined): void => {
    if (before !== undefined && after !== undefined && before.version === after.version) return;
    const item = (after ?? before)!;
    let change: PackageChange['change'] = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
    if (before !== undefined && after !== undefined) {
      const order = compareVersions(after.version, before.version);
      change = order > 0 ? 'upgraded' : order < 0 ? 'downgraded' : 'changed';
    }
    changes.push({
      manager: item.manager,
      name: item.name,
      arch: item.arch,
      change,
      versionA: before?.version ?? null,
      versionB: after?.version ?? null,
      bytesA: before?.bytes ?? null,
      bytesB: after?.bytes ?? null,
    });
  };
  for (const [k, before] of inA) compare(before, inB.get(k));
  for (const [k, after] of inB) if (!inA.has(k)) compare(undefined, after);
  const order = (x: PackageChange): string => `${x.manager}\0${x.name}\0${x.arch}`;
  changes.sort((x, y) => (order(x) < order(y) ? -1 : order(x) > order(y) ? 1 : 0));
  const count = (kind: PackageChange['change']): number => changes.filter((c) => c.change === kind).length;
  return {
    added: count('added'),
    removed: count('removed'),
    changed: changes.length - count('added') - count('removed'),
    changes,
  };
}
