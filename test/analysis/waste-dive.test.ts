/**
 * dive v0.12 figures on hand-computed cases. Each comment gives the arithmetic, following dive's
 * filetree.Efficiency: leaves of each layer's own tree, whiteouts sized in the stack of the layers below.
 */
import { describe, expect, it } from 'vitest';
import { computeDiveEfficiency } from '../../src/analysis/waste/dive.js';
import {
  DivePaths,
  DiveStackedTree,
  buildDiveLayerTree,
  compareChildFirst,
  inChildFirstOrder,
  type DiveLayerTree,
} from '../../src/analysis/waste/dive-tree.js';
import { dir, layer, layers, opaque, sized, whiteout } from '../helpers/layers.js';

describe('computeDiveEfficiency', () => {
  it("reproduces dive's own TestEfficency case (score 0.75, one inefficient file of 7000)", () => {
    // dive/filetree/efficiency_test.go. The whiteout of /etc/nginx weighs 0: in the stack, /etc/nginx last
    // came from layer 1 as an implied parent (empty FileInfo, not a directory).
    const result = computeDiveEfficiency(
      layers(
        [sized('/etc/nginx/nginx.conf', 2000), sized('/etc/nginx/public', 3000)],
        [sized('/etc/nginx/nginx.conf', 5000), sized('/etc/athing', 10000)],
        [whiteout('/etc/nginx')],
      ),
    );
    // (2000 + 3000 + 10000 + 0) / (7000 + 3000 + 10000 + 0)
    expect(result.efficiency).toBe(0.75);
    expect(result.inefficientFiles).toEqual([{ path: '/etc/nginx/nginx.conf', count: 2, sizeBytes: 7000 }]);
    expect(result).toMatchObject({ wastedBytes: 7000, sizeBytes: 20000, userSizeBytes: 15000 });
    expect(result.userWastedPercent).toBe(7000 / 15000);
  });

  it('a whiteout of a directory with its own entry weighs everything under it', () => {
    const result = computeDiveEfficiency(
      layers(
        [sized('/etc/nginx/nginx.conf', 2000), sized('/etc/nginx/public', 3000)],
        [dir('/etc/nginx'), sized('/etc/nginx/nginx.conf', 5000), sized('/etc/athing', 10000)],
        [whiteout('/etc/nginx')],
      ),
    );
    // /etc/nginx weighs 5000 (nginx.conf, from layer 1) + 3000 (public, from layer 0) = 8000.
    expect(result.efficiency).toBe((2000 + 3000 + 10000 + 8000) / (7000 + 3000 + 10000 + 8000));
  });

  it('a directory that was only an implied parent in the last layer holding it weighs 0', () => {
    const weight = (middle: ReturnType<typeof sized>[]) =>
      computeDiveEfficiency(layers([dir('/d')], middle, [whiteout('/d')])).inefficientFiles;
    // Layer 0's empty /d is a leaf (0); the whiteout at layer 2 is /d's second visit.
    expect(weight([sized('/d/f', 10)])).toEqual([{ path: '/d', count: 2, sizeBytes: 0 }]);
    expect(weight([dir('/d'), sized('/d/f', 10)])).toEqual([{ path: '/d', count: 2, sizeBytes: 10 }]);
  });

  it('sums a removed directory at every depth, implied subdirectories included', () => {
    const result = computeDiveEfficiency(
      layers([dir('/a'), sized('/a/b/c', 5), sized('/a/d', 7)], [whiteout('/a')], [dir('/a')]),
    );
    expect(result.inefficientFiles).toEqual([{ path: '/a', count: 2, sizeBytes: 12 }]);
    // (5 + 7 + min(12, 0)) / (5 + 7 + 12)
    expect(result.efficiency).toBe(0.5);
    expect(result.wastedBytes).toBe(12);
  });

  it('a whiteout of a file weighs 0, but the removed file still counts as wasted', () => {
    const result = computeDiveEfficiency(layers([sized('/f', 100)], [whiteout('/f')]));
    expect(result.efficiency).toBe(0);
    expect(result.inefficientFiles).toEqual([{ path: '/f', count: 2, sizeBytes: 100 }]);
    expect(result.userWastedPercent).toBeNull(); // layer 1 has no bytes: dive divides by 0
  });

  it('a whiteout of a missing path stops the rest of that layer, and leaves a -1 in the score', () => {
    // Layer 1's leaves in dive's order: /.wh.b (fails: /b is nowhere), then /a and /c, never visited.
    const quirky = computeDiveEfficiency(
      layers([sized('/a', 100)], [whiteout('/b'), sized('/a', 100), sized('/c', 50)], [sized('/c', 50)]),
    );
    expect(quirky.inefficientFiles).toEqual([]);
    // /a: 100, /b: minimum -1 (its tally was created before the failure), /c: 50 (layer 2 only).
    expect(quirky.efficiency).toBe((100 - 1 + 50) / (100 + 0 + 50));
    expect(quirky).toMatchObject({ wastedBytes: 0, sizeBytes: 300, userSizeBytes: 200, userWastedPercent: 0 });

    const control = computeDiveEfficiency(
      layers([sized('/a', 100)], [sized('/a', 100), sized('/c', 50)], [sized('/c', 50)]),
    );
    expect(control.inefficientFiles).toEqual([
      { path: '/a', count: 2, sizeBytes: 200 },
      { path: '/c', count: 2, sizeBytes: 100 },
    ]);
  });

  it('visits children first in name order, not in full-path order', () => {
    // Tree order visits /a (and the failing /a/.wh.nothing in it) before /a-b; bytewise full paths would not.
    const result = computeDiveEfficiency(
      layers([sized('/a/x', 1)], [whiteout('/a/nothing'), sized('/a-b', 5)], [sized('/a-b', 5)]),
    );
    expect(result.inefficientFiles).toEqual([]);
    expect(result.efficiency).toBe((1 - 1 + 5) / (1 + 5));
  });

  it('a path whited out twice fails the second time, once the stack has removed it', () => {
    const result = computeDiveEfficiency(layers([sized('/k', 3)], [whiteout('/k')], [whiteout('/k'), sized('/z', 9)]));
    expect(result.inefficientFiles).toEqual([{ path: '/k', count: 2, sizeBytes: 3 }]);
    expect(result.efficiency).toBe(0); // /z was never visited
  });

  it("looks up layer 0's whiteouts in layer 0's own tree", () => {
    // Layer 0 holds both /x and .wh.x: two nodes. .wh.x (visited first) finds /x, a file: 0.
    const result = computeDiveEfficiency(layers([sized('/x', 10), whiteout('/x')]));
    expect(result.inefficientFiles).toEqual([{ path: '/x', count: 2, sizeBytes: 10 }]);
    expect(result.efficiency).toBe(0);
    expect(result.userWastedPercent).toBeNull();

    // A failing whiteout in layer 0 stops layer 0 too, and with nothing discovered the score is 1.
    const empty = computeDiveEfficiency(layers([whiteout('/y'), sized('/z', 5)]));
    expect(empty.efficiency).toBe(1);
  });

  it('opaque markers are not nodes, but the directory they sit in is', () => {
    // Layer 1: /d exists only because of the marker (an implied leaf of size 0); /e is still visited.
    const result = computeDiveEfficiency(
      layers([dir('/d'), sized('/d/f', 10)], [opaque('/d'), sized('/e', 1)], [sized('/d/f', 10)]),
    );
    expect(result.inefficientFiles).toEqual([{ path: '/d/f', count: 2, sizeBytes: 20 }]);
    // /d/f: 10 of 20, /d: 0 of 0, /e: 1 of 1
    expect(result.efficiency).toBe(11 / 21);
  });

  it('same-layer duplicates are one node, with the last size', () => {
    const result = computeDiveEfficiency(layers([sized('/f', 10), sized('/f', 30)], [sized('/f', 5)]));
    expect(result.inefficientFiles).toEqual([{ path: '/f', count: 2, sizeBytes: 35 }]);
    expect(result.efficiency).toBe(5 / 35);
    expect(result.sizeBytes).toBe(45); // layer sizes still count every header
  });

  it('counts leaves only; an empty directory is a leaf', () => {
    const both = [dir('/e'), dir('/p'), sized('/p/q', 4)];
    const result = computeDiveEfficiency(
      layers(
        both,
        both.map((entry) => ({ ...entry })),
      ),
    );
    expect(result.inefficientFiles).toEqual([
      { path: '/p/q', count: 2, sizeBytes: 8 },
      { path: '/e', count: 2, sizeBytes: 0 },
    ]);
    expect(result.efficiency).toBe(0.5);
  });

  it('orders inefficient files by size descending, then path', () => {
    const entries = () => [sized('/b', 5), sized('/a', 5), sized('/c', 1)];
    const result = computeDiveEfficiency(layers(entries(), entries()));
    expect(result.inefficientFiles.map((f) => f.path)).toEqual(['/a', '/b', '/c']);
    expect(result.wastedBytes).toBe(22);
    expect(result.userWastedPercent).toBe(2); // 22 / 11: dive's percentage can exceed 100%
  });

  it('handles an image with no layers', () => {
    expect(computeDiveEfficiency([])).toEqual({
      efficiency: 1,
      wastedBytes: 0,
      userWastedPercent: null,
      sizeBytes: 0,
      userSizeBytes: 0,
      inefficientFiles: [],
    });
  });
});

describe('dive trees', () => {
  const pathsOf = (paths: DivePaths, tree: DiveLayerTree) => tree.order.map((id) => paths.pathOf(id));

  it('names whiteout nodes .wh.NAME and refuses opaque markers, keeping their parents', () => {
    const paths = new DivePaths();
    const tree = buildDiveLayerTree(layer([whiteout('/a/b'), opaque('/c/d')]), paths);
    expect(pathsOf(paths, tree)).toEqual(['/a/.wh.b', '/a', '/c/d', '/c']);
    expect(tree.infos).toEqual([{ size: 0, isDir: false }, null, null, null]);
    expect(tree.leaves).toEqual([true, false, true, false]);
  });

  it('orders children first, by name', () => {
    const paths = new DivePaths();
    const tree = inChildFirstOrder(
      buildDiveLayerTree(
        layer([sized('/a-b', 1), sized('/a/x', 1), sized('/ab', 1), dir('/a'), sized('/a/x/y', 1)]),
        paths,
      ),
      paths,
    );
    expect(pathsOf(paths, tree)).toEqual(['/a/x/y', '/a/x', '/a', '/a-b', '/ab']);
    expect(tree.leaves).toEqual([true, false, false, true, true]);
    expect(tree.infos.map((info) => info?.size ?? null)).toEqual([1, 1, 0, 1, 1]);
  });

  it('orders non-ASCII names by bytes, like Go', () => {
    const paths = new DivePaths();
    const tree = inChildFirstOrder(
      buildDiveLayerTree(layer([sized('/\u{1F600}', 1), sized('/\uFFFD/x', 1), sized('/a', 1)]), paths),
      paths,
    );
    expect(pathsOf(paths, tree)).toEqual(['/a', '/\uFFFD/x', '/\uFFFD', '/\u{1F600}']);
    expect(compareChildFirst('/a/x', '/a-b')).toBeLessThan(0);
    expect(compareChildFirst('/a', '/a/x')).toBeGreaterThan(0);
    expect(compareChildFirst('/a', '/ab')).toBeLessThan(0);
  });

  it('keeps tar order unless the layer puts something at or under a path it whites out', () => {
    const paths = new DivePaths();
    const plain = buildDiveLayerTree(layer([sized('/b', 1), whiteout('/a/x'), sized('/a/y', 1)]), paths);
    expect(plain.ordered).toBe(false);
    expect(pathsOf(paths, plain)).toEqual(['/b', '/a/.wh.x', '/a', '/a/y']);
    expect(plain.leaves).toEqual([true, true, false, true]);
    // "/a/-x" sorts before "/a/.wh.-x": dive adds it, then removes it, and the order must be dive's.
    const readded = buildDiveLayerTree(layer([whiteout('/a/-x'), sized('/a/-x/f', 1)]), paths);
    expect(readded.ordered).toBe(true);
    expect(pathsOf(paths, readded)).toEqual(['/a/-x/f', '/a/-x', '/a/.wh.-x', '/a']);
  });

  it('stacking overwrites info with implied parents and removes whited-out subtrees', () => {
    const paths = new DivePaths();
    const lower = DiveStackedTree.copyOf(
      buildDiveLayerTree(layer([dir('/d'), sized('/d/f', 4), sized('/g', 1)]), paths),
      paths,
    );
    const d = paths.intern('/d');
    expect(lower.info(d)).toEqual({ size: 0, isDir: true });
    lower.stack(buildDiveLayerTree(layer([sized('/d/h', 2), whiteout('/g')]), paths));
    expect(lower.info(d)).toBeNull();
    expect(lower.has(paths.intern('/g'))).toBe(false);
    expect(lower.subtreeSize(d)).toBe(6);
  });
});

describe("dive's test-docker-image.tar, reconstructed from its layer commands", () => {
  // dive/image/docker/image_archive_analysis_test.go and runtime/export/export_test.go publish, for
  // .data/test-docker-image.tar: efficiency 0.9844212134184309, sizeBytes 1220598, userSizeBytes 66237,
  // wastedBytes 32025, wastedPercent 0.4834911001404049, and three inefficient files. The layers below
  // follow the published commands and per-layer sizes; layer 0 (busybox, 1154361 bytes) is stood in for
  // by one file of that size, since none of its paths is touched again.
  const file6405 = (path: string, mode = 0o644) => sized(path, 6405, 'somefile', { mode });
  const root = dir('/root', { mode: 0o700 });
  const example = dir('/root/example');
  const image = layers(
    [dir('/bin'), sized('/bin/busybox', 1154361), dir('/root', { mode: 0o700 }), dir('/tmp', { mode: 0o1777 })],
    [file6405('/somefile.txt')], // ADD somefile.txt
    [root, example, dir('/root/example/really'), dir('/root/example/really/nested')], // mkdir -p
    [root, example, file6405('/root/example/somefile1.txt')], // cp
    [root, example, file6405('/root/example/somefile1.txt', 0o444)], // chmod 444
    [root, example, file6405('/root/example/somefile2.txt')], // cp
    [root, example, file6405('/root/example/somefile3.txt')], // cp
    [root, example, whiteout('/root/example/somefile3.txt'), file6405('/root/saved.txt')], // mv
    [root, file6405('/root/.saved.txt')], // cp
    [root, whiteout('/root/example')], // rm -rf /root/example/
    [root, dir('/root/.data'), sized('/root/.data/tag.sh', 1000), sized('/root/.data/test.sh', 1187)], // ADD dir
    [dir('/tmp', { mode: 0o1777 }), file6405('/tmp/saved.again1.txt')], // cp
    [root, dir('/root/.data'), file6405('/root/.data/saved.again2.txt')], // cp
    [root, file6405('/root/saved.txt', 0o755)], // chmod +x
  );

  it('gives the published figures', () => {
    const result = computeDiveEfficiency(image);
    expect(result.efficiency).toBe(0.9844212134184309);
    expect(result.sizeBytes).toBe(1220598);
    expect(result.userSizeBytes).toBe(66237);
    expect(result.wastedBytes).toBe(32025);
    expect(result.userWastedPercent).toBe(0.4834911001404049);
    expect(result.inefficientFiles).toEqual([
      { path: '/root/example/somefile1.txt', count: 2, sizeBytes: 12810 },
      { path: '/root/saved.txt', count: 2, sizeBytes: 12810 },
      { path: '/root/example/somefile3.txt', count: 2, sizeBytes: 6405 },
    ]);
  });
});
