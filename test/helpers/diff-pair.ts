/**
 * A pair of images with known differences, on one shared base layer: every kind of change, and the
 * ones that are not changes (an identical rewrite, a new mtime, hardlinks swapped, a symlink to a
 * changed file, big files with the same bytes).
 */
import type { FileDiff } from '../../src/diff/index.js';
import { dir, file, hardlink, prngBytes, symlink, whiteout } from '../../scripts/fixtures/tar.js';

const bigChangedA = prngBytes('big-changed-a', 1_500_000);
const bigChangedB = prngBytes('big-changed-b', 1_500_000);
const bigSame = prngBytes('big-same', 1_600_000);

export const base = [
  dir('app'),
  dir('app/data'),
  file('app/data/one.txt', 'one'),
  file('app/data/two.txt', 'two'),
  file('app/same.txt', 'same content'),
  file('app/mtime.txt', 'mtime'),
  file('app/run.sh', '#!/bin/sh\necho run\n', 0o644),
  file('app/owned.txt', 'owned'),
  file('app/old.txt', 'old'),
  file('app/config', 'AAAA'),
  file('app/grow.txt', 'small'),
  dir('app/logs'),
  file('app/logs/app.log', 'log'),
  dir('app/bin'),
  file('app/bin/tool', 'tool v1', 0o755),
  hardlink('app/bin/tool-link', 'app/bin/tool'),
  symlink('app/current', 'v1'),
  symlink('app/latest', 'v1'),
  symlink('app/cfg-link', '/app/config'),
];

export const layerA = [
  file('app/a-only.txt', 'only in image A'),
  file('app/alias', 'alias A'),
  file('app/dup.txt', 'dup!'),
  file('app/hl-same', 'hardlink-same-content'),
  file('app/big-changed', bigChangedA),
  file('app/big-same', bigSame),
];

export const layerB = [
  whiteout('app/old.txt'),
  file('app/new.txt', 'new'),
  file('app/config', 'BBBB'),
  file('app/grow.txt', 'much bigger now'),
  file('app/same.txt', 'same content'),
  { ...file('app/mtime.txt', 'mtime'), mtime: new Date('2030-01-01T00:00:00Z') },
  file('app/run.sh', '#!/bin/sh\necho run\n', 0o755),
  file('app/owned.txt', 'owned', 0o644, { uid: 1000, gid: 1000 }),
  whiteout('app/data'),
  file('app/data', 'now a file'),
  whiteout('app/logs'),
  symlink('app/logs', '/var/log'),
  symlink('app/current', 'v2'),
  symlink('app/latest', 'v1'),
  file('app/bin/tool-link', 'tool v1', 0o755),
  hardlink('app/bin/tool', 'app/bin/tool-link'),
  hardlink('app/alias', 'app/new.txt', 0o644),
  file('app/dup-src.txt', 'dup!'),
  hardlink('app/dup.txt', 'app/dup-src.txt', 0o644),
  file('app/hl-src', 'hardlink-same-content'),
  hardlink('app/hl-same', 'app/hl-src', 0o644),
  file('app/big-changed', bigChangedB),
  file('app/big-same', bigSame),
];

/** What `files` must say, path by path (directories neither side changed are not listed). */
export const EXPECTED: Array<Pick<FileDiff, 'path' | 'change' | 'differences' | 'typeA' | 'typeB'>> = [
  { path: '/app/a-only.txt', change: 'removed', differences: [], typeA: 'file', typeB: null },
  { path: '/app/alias', change: 'modified', differences: ['content'], typeA: 'file', typeB: 'hardlink' },
  { path: '/app/big-changed', change: 'modified', differences: ['content'], typeA: 'file', typeB: 'file' },
  { path: '/app/config', change: 'modified', differences: ['content'], typeA: 'file', typeB: 'file' },
  { path: '/app/current', change: 'modified', differences: ['target'], typeA: 'symlink', typeB: 'symlink' },
  { path: '/app/data', change: 'modified', differences: ['type', 'mode'], typeA: 'dir', typeB: 'file' },
  { path: '/app/data/one.txt', change: 'removed', differences: [], typeA: 'file', typeB: null },
  { path: '/app/data/two.txt', change: 'removed', differences: [], typeA: 'file', typeB: null },
  { path: '/app/dup-src.txt', change: 'added', differences: [], typeA: null, typeB: 'file' },
  { path: '/app/grow.txt', change: 'modified', differences: ['content'], typeA: 'file', typeB: 'file' },
  { path: '/app/hl-src', change: 'added', differences: [], typeA: null, typeB: 'file' },
  { path: '/app/logs', change: 'modified', differences: ['type', 'mode'], typeA: 'dir', typeB: 'symlink' },
  { path: '/app/logs/app.log', change: 'removed', differences: [], typeA: 'file', typeB: null },
  { path: '/app/new.txt', change: 'added', differences: [], typeA: null, typeB: 'file' },
  { path: '/app/old.txt', change: 'removed', differences: [], typeA: 'file', typeB: null },
  { path: '/app/owned.txt', change: 'metadata', differences: ['owner'], typeA: 'file', typeB: 'file' },
  { path: '/app/run.sh', change: 'metadata', differences: ['mode'], typeA: 'file', typeB: 'file' },
];
