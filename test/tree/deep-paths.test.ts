/**
 * Paths far deeper than any call stack: nothing that walks a path or a tree may recurse once per
 * level. A PAX path of 16,000 components once ended in `internal error: Maximum call stack size
 * exceeded` (PathTable.intern called itself for each ancestor).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildImage, dockerPodmanArchive } from '../../scripts/fixtures/layouts.js';
import { computeDiveEfficiency } from '../../src/analysis/waste/dive.js';
import { stackLayers } from '../../src/tree/index.js';
import { PathTable } from '../../src/tree/path-table.js';
import { flattenTree, treeGuide } from '../../src/tui/model/flatten.js';
import { computeLayerView } from '../../src/tui/model/layer-view.js';
import { buildTreeIndex } from '../../src/tui/model/tree-index.js';
import { member, paxHeader, END } from '../helpers/raw-tar.js';
import { runCli } from '../helpers/cli.js';
import { file, layers, whiteout } from '../helpers/layers.js';

const scratch = mkdtempSync(join(tmpdir(), 'strata-deep-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Far past the depth at which a recursion per level overflows Node's default stack. */
const DEPTH = 100_000;
const deep = (depth: number, leaf: string): string => `/${'d/'.repeat(depth)}${leaf}`;

describe('a path 100,000 directories deep', () => {
  it('is interned with every ancestor', () => {
    const table = new PathTable();
    const id = table.intern(deep(DEPTH, 'leaf'));
    expect(table.size).toBe(DEPTH + 2);
    let depth = 0;
    for (let at = id; at > 0; at = table.parents[at]!) depth++;
    expect(depth).toBe(DEPTH + 1);
    expect(table.intern(deep(DEPTH / 2, 'other'))).toBe(DEPTH + 2);
  });

  it('is stacked, numbered, viewed and flattened by the explorer', () => {
    const stack = stackLayers(layers([file(deep(DEPTH, 'leaf'), 'one')], [file(deep(DEPTH, 'leaf'), 'two')]));
    const tree = buildTreeIndex(stack);
    expect(tree.size).toBe(DEPTH + 2);
    const leaf = tree.idOf.get(deep(DEPTH, 'leaf'))!;
    expect(tree.depth[leaf]).toBe(DEPTH + 1);
    const view = computeLayerView(tree, stack, 1, 'aggregated');
    const rows = flattenTree(tree, view, {
      show: { added: true, modified: true, removed: true, unmodified: true },
      match: null,
      collapsed: new Set(),
      sort: 'size',
    });
    expect(rows.count).toBe(DEPTH + 1);
    expect(rows.node[rows.count - 1]).toBe(leaf);
    expect(treeGuide(rows, rows.count - 1).length).toBeGreaterThan(DEPTH);
  });

  it("is measured by dive's figures, deleted and all", () => {
    const path = deep(DEPTH, 'leaf');
    const image = layers([file(path, 'x'.repeat(100))], [file(path, 'y'.repeat(100))], [whiteout(path)]);
    expect(computeDiveEfficiency(image).wastedBytes).toBe(200);
  });
});

describe('an image with a PAX path 16,000 directories deep', () => {
  it('is read by every command and report', async () => {
    const path = `${'a/'.repeat(16_000)}leaf`;
    const layer = Buffer.concat([paxHeader({ path }), member({ name: 'placeholder' }, 'deep\n'), END]);
    const img = buildImage({
      repoTag: 'deep:1',
      architecture: 'amd64',
      os: 'linux',
      created: '2024-06-01T12:00:00Z',
      runConfig: {},
      history: [{ createdBy: 'RUN mkdir -p a/a/a' }],
      layers: [layer],
    });
    const archive = join(scratch, 'deep.tar');
    writeFileSync(archive, await dockerPodmanArchive(img));
    for (const args of [
      ['--json'],
      ['report', '--format', 'text', '--all-layers'],
      ['report', '--format', 'markdown'],
      ['ci'],
    ]) {
      const r = await runCli('--no-cache', ...args, archive);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
    const json = JSON.parse((await runCli('--no-cache', '--json', archive)).stdout) as {
      layers: Array<{ files: Array<{ path: string }> }>;
    };
    expect(json.layers[0]!.files.map((f) => f.path)).toEqual([`/${path}`]);
  });
});
