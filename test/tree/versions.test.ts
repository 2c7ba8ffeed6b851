import { describe, expect, it } from 'vitest';
import { stackLayers } from '../../src/tree/stack.js';
import { VersionLog } from '../../src/tree/versions.js';
import type { PathState } from '../../src/tree/types.js';
import { dir, file, layers, whiteout } from '../helpers/layers.js';

const state = (layer: number): PathState => ({
  type: 'file',
  mode: 0o644,
  uid: 0,
  gid: 0,
  size: layer,
  hash: undefined,
  linkTarget: undefined,
  piece: -1,
  layer,
  entry: null,
});

describe('VersionTable', () => {
  // Versions arrive interleaved across paths, each path's in layer order, as stacking makes them.
  const log = new VersionLog();
  log.add(2, 0, 'added', state(0));
  log.add(1, 0, null, state(0));
  log.add(2, 3, 'modified', state(3));
  log.add(3, 3, 'added', state(3));
  log.add(2, 5, 'removed', null);
  log.add(2, 7, 'added', state(7));
  const table = log.seal(5);

  it('groups versions by key, in the order each path got them', () => {
    expect(table.versions(2)).toEqual([
      { layer: 0, status: 'added', state: state(0) },
      { layer: 3, status: 'modified', state: state(3) },
      { layer: 5, status: 'removed', state: null },
      { layer: 7, status: 'added', state: state(7) },
    ]);
    expect(table.versions(1)).toEqual([{ layer: 0, status: null, state: state(0) }]);
    expect([0, 1, 2, 3, 4].map((key) => table.count(key))).toEqual([0, 1, 4, 1, 0]);
    expect(table.versions(4)).toEqual([]);
  });

  it('finds the version in force after any layer', () => {
    const at = (key: number, layer: number): string => {
      const index = table.indexAt(key, layer);
      return index < 0
        ? 'none'
        : `${table.layerOf(index)} ${table.statusOf(index)} ${table.stateOf(index)?.layer ?? '-'}`;
    };
    expect([0, 1, 2, 3, 4, 5, 6, 7, 9].map((layer) => at(2, layer))).toEqual([
      '0 added 0',
      '0 added 0',
      '0 added 0',
      '3 modified 3',
      '3 modified 3',
      '5 removed -',
      '5 removed -',
      '7 added 7',
      '7 added 7',
    ]);
    expect(at(3, 2)).toBe('none');
    expect(at(1, 4)).toBe('0 null 0');
    expect(at(0, 9)).toBe('none');
    expect(at(-1, 9)).toBe('none');
    expect(at(99, 9)).toBe('none');
  });
});

describe('Stack history', () => {
  const stack = stackLayers(
    layers([dir('/etc'), file('/etc/a', 'a')], [whiteout('/etc/a')], [file('/etc/a', 'again'), file('/opt/x', 'x')]),
  );

  it('lists every path ever visible, parents first, and each one’s versions', () => {
    const seen: string[] = [];
    stack.forEachHistory((path, key) => seen.push(`${path} ${stack.versions.count(key)}`));
    expect(seen).toEqual(['/etc 1', '/etc/a 3', '/opt 1', '/opt/x 1']);
    expect(stack.versionsOf('/etc/a').map((v) => `${v.layer} ${v.status}`)).toEqual([
      '0 added',
      '1 removed',
      '2 added',
    ]);
    expect(stack.versionsOf('/opt').map((v) => `${v.layer} ${v.status}`)).toEqual(['2 null']);
  });

  it('has no history for a path never visible', () => {
    expect(stack.historyKey('/nowhere')).toBeUndefined();
    expect(stack.versionsOf('/nowhere')).toEqual([]);
  });
});
