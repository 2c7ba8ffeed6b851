/**
 * Cross-checks computeDiveEfficiency against a literal port of dive v0.12's Go code (file_tree.go,
 * file_node.go, efficiency.go): node objects, `StackTreeRange` rebuilt from scratch for every whiteout.
 */
import { describe, expect, it } from 'vitest';
import { computeDiveEfficiency } from '../../src/analysis/waste/dive.js';
import { DivePaths, compareChildFirst } from '../../src/analysis/waste/dive-tree.js';
import type { LayerIndex } from '../../src/layers/types.js';
import { compareBytewise } from '../../src/tree/path-order.js';
import { prng, randomLayers } from '../helpers/layers.js';

interface GoFileInfo {
  size: number;
  isDir: boolean;
}

const EMPTY: GoFileInfo = { size: 0, isDir: false };

class GoNode {
  readonly children = new Map<string, GoNode>();
  constructor(
    readonly tree: GoTree,
    readonly parent: GoNode | null,
    readonly name: string,
    public info: GoFileInfo,
  ) {}

  isWhiteout(): boolean {
    return this.name.startsWith('.wh.');
  }

  path(): string {
    const names: string[] = [];
    for (let node: GoNode | null = this; node?.parent; node = node.parent) {
      names.unshift(node === this ? node.name.replace(/^\.wh\./, '') : node.name);
    }
    return '/' + names.join('/');
  }

  /** Returns false to stop (dive's visitor error). */
  visitChildFirst(visitor: (node: GoNode) => boolean, evaluator?: (node: GoNode) => boolean): boolean {
    for (const name of [...this.children.keys()].sort(compareBytewise)) {
      if (!this.children.get(name)!.visitChildFirst(visitor, evaluator)) return false;
    }
    if (this === this.tree.root) return true;
    if (!evaluator || evaluator(this)) return visitor(this);
    return true;
  }

  copy(tree: GoTree, parent: GoNode | null): GoNode {
    const copy = new GoNode(tree, parent, this.name, this.info);
    for (const [name, child] of this.children) copy.children.set(name, child.copy(tree, copy));
    return copy;
  }
}

class GoTree {
  root: GoNode = new GoNode(this, null, '', EMPTY);

  addPath(path: string, info: GoFileInfo): void {
    const names = path.split('/').filter((name) => name !== '');
    let node = this.root;
    for (const [index, name] of names.entries()) {
      let child = node.children.get(name);
      if (!child) {
        if (name.startsWith('.wh..wh..')) return;
        child = new GoNode(this, node, name, EMPTY);
        node.children.set(name, child);
      }
      node = child;
      if (index === names.length - 1) node.info = info;
    }
  }

  getNode(path: string): GoNode | undefined {
    let node: GoNode | undefined = this.root;
    for (const name of path.split('/').filter((n) => n !== '')) node = node?.children.get(name);
    return node;
  }

  removePath(path: string): void {
    const node = this.getNode(path);
    if (node?.parent) node.parent.children.delete(node.name);
  }

  copy(): GoTree {
    const tree = new GoTree();
    tree.root = this.root.copy(tree, null);
    return tree;
  }

  stack(upper: GoTree): void {
    upper.root.visitChildFirst((node) => {
      if (node.isWhiteout()) this.removePath(node.path());
      else this.addPath(node.path(), node.info);
      return true;
    });
  }
}

function goTreeOf(layer: LayerIndex): GoTree {
  const tree = new GoTree();
  for (const entry of layer.entries) {
    const info = { size: entry.size, isDir: entry.type === 'dir' };
    const slash = entry.path.lastIndexOf('/');
    if (entry.whiteout === 'opaque') tree.addPath(entry.path + '/.wh..wh..opq', info);
    else if (entry.whiteout === 'file')
      tree.addPath(entry.path.slice(0, slash) + '/.wh.' + entry.path.slice(slash + 1), info);
    else tree.addPath(entry.path, info);
  }
  return tree;
}

/** How often the quirky branches ran, so the random test can show it covers them. */
const coverage = { directoryWhiteouts: 0, failedLookups: 0 };

function goEfficiency(layers: LayerIndex[]): {
  efficiency: number;
  wasted: number;
  inefficient: [string, number, number][];
} {
  const trees = layers.map(goTreeOf);
  const data = new Map<string, { cumulative: number; min: number; nodes: number }>();
  trees.forEach((tree, current) => {
    tree.root.visitChildFirst(
      (node) => {
        const path = node.path();
        if (!data.has(path)) data.set(path, { cumulative: 0, min: -1, nodes: 0 });
        const entry = data.get(path)!;
        let size = 0;
        if (node.isWhiteout()) {
          const stacked = trees[0]!.copy();
          for (let i = 0; i <= current - 1; i++) stacked.stack(trees[i]!);
          const previous = stacked.getNode(path);
          if (!previous) {
            coverage.failedLookups++;
            return false;
          }
          if (previous.info.isDir) {
            coverage.directoryWhiteouts++;
            previous.visitChildFirst((n) => {
              size += n.info.size;
              return true;
            });
          }
        } else {
          size = node.info.size;
        }
        entry.cumulative += size;
        if (entry.min < 0 || size < entry.min) entry.min = size;
        entry.nodes++;
        return true;
      },
      (node) => node.children.size === 0,
    );
  });
  let min = 0;
  let total = 0;
  let wasted = 0;
  const inefficient: [string, number, number][] = [];
  for (const [path, d] of data) {
    min += d.min;
    total += d.cumulative;
    if (d.nodes >= 2) {
      wasted += d.cumulative;
      inefficient.push([path, d.nodes, d.cumulative]);
    }
  }
  inefficient.sort((a, b) => b[2] - a[2] || compareBytewise(a[0], b[0]));
  return { efficiency: total === 0 ? 1 : min / total, wasted, inefficient };
}

describe('computeDiveEfficiency matches a literal port of dive', () => {
  it('on random stacks', () => {
    let withInefficientFiles = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const layers = randomLayers(seed);
      const expected = goEfficiency(layers);
      const actual = computeDiveEfficiency(layers);
      const context = `seed ${seed}`;
      expect(actual.efficiency, context).toBe(expected.efficiency);
      expect(actual.wastedBytes, context).toBe(expected.wasted);
      expect(
        actual.inefficientFiles.map((f) => [f.path, f.count, f.sizeBytes]),
        context,
      ).toEqual(expected.inefficient);
      if (expected.inefficient.length > 0) withInefficientFiles++;
    }
    expect(withInefficientFiles).toBeGreaterThan(50);
    expect(coverage.directoryWhiteouts).toBeGreaterThan(50);
    expect(coverage.failedLookups).toBeGreaterThan(50);
  });
});

describe('child-first order', () => {
  it('sort keys agree with the plain comparator', () => {
    const random = prng(7);
    const alphabet = ['a', 'b', '-', '.', '/', 'a', 'z', '0'];
    const paths = new Set<string>();
    while (paths.size < 300) {
      let path = '/';
      const length = 1 + Math.floor(random() * 8);
      for (let i = 0; i < length; i++) path += alphabet[Math.floor(random() * alphabet.length)]!;
      if (!path.includes('//') && !path.endsWith('/')) paths.add(path);
    }
    const table = new DivePaths();
    const sorted = table.sortChildFirst([...paths].map((path) => table.intern(path))).map((id) => table.pathOf(id));
    expect(sorted).toEqual([...paths].sort(compareChildFirst));
  });
});
