/**
 * `strata diff A B` on generated pairs with known answers: every kind of change, the ones that are
 * not changes (an identical rewrite, a new mtime, hardlinks swapped, a symlink to a changed file),
 * big files whose hashes the read left for later, and a shared base layer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { diffImages, type FileDiff } from '../../src/diff/index.js';
import { openImage } from '../../src/image/open.js';
import { newTarEntry } from '../../src/layers/types.js';
import { filesWithoutHash } from '../../src/layers/unhashed.js';
import { runCli } from '../helpers/cli.js';
import { writeTestImage } from '../helpers/diff-images.js';
import { base, EXPECTED, layerA, layerB } from '../helpers/diff-pair.js';
import { imageOf, layer } from '../helpers/layers.js';

const scratch = mkdtempSync(join(tmpdir(), 'strata-diff-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let pathA = '';
let pathB = '';
let pathBase = '';

beforeAll(async () => {
  pathBase = await writeTestImage(scratch, { name: 'base', layers: [base] });
  pathA = await writeTestImage(scratch, {
    name: 'a',
    layers: [base, layerA],
    runConfig: { User: 'root', Env: ['PATH=/bin', 'MODE=a'], Labels: { version: '1.0', keep: 'x' } },
    created: '2024-06-01T12:00:00Z',
  });
  pathB = await writeTestImage(scratch, {
    name: 'b',
    layers: [base, layerB],
    runConfig: {
      User: 'app',
      Env: ['PATH=/bin', 'MODE=b', 'API_TOKEN=s3cr3t-t0ken-value-1234'],
      Labels: { version: '1.1', keep: 'x' },
    },
    created: '2024-06-11T12:00:00Z',
  });
});

async function diffJson(...args: string[]) {
  const result = await runCli('diff', '--no-cache', '--json', ...args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

const pick = (f: FileDiff) => ({
  path: f.path,
  change: f.change,
  differences: f.differences,
  typeA: f.typeA,
  typeB: f.typeB,
});

describe('strata diff on a generated pair with known answers', () => {
  it('lists exactly the paths that differ, each with what differs, sorted by path', async () => {
    const json = await diffJson(pathA, pathB);
    expect(json.files.map(pick)).toEqual(EXPECTED);
    expect(json.sharedLayers).toBe(1);
    expect(json.summary).toMatchObject({ added: 3, removed: 5, modified: 7, metadata: 2 });
  });

  it('reports sizes before and after, and the size delta as B minus A', async () => {
    const json = await diffJson(pathA, pathB);
    const byPath = new Map<string, FileDiff>(json.files.map((f: FileDiff) => [f.path, f]));
    expect(byPath.get('/app/grow.txt')).toMatchObject({ sizeA: 5, sizeB: 15 });
    expect(byPath.get('/app/new.txt')).toMatchObject({ sizeA: null, sizeB: 3 });
    expect(byPath.get('/app/old.txt')).toMatchObject({ sizeA: 3, sizeB: null });
    expect(byPath.get('/app/big-changed')).toMatchObject({ sizeA: 1_500_000, sizeB: 1_500_000, layerA: 1, layerB: 1 });
    expect(byPath.get('/app/run.sh')).toMatchObject({ modeA: 0o644, modeB: 0o755 });
    expect(byPath.get('/app/owned.txt')).toMatchObject({ uidA: 0, uidB: 1000, gidA: 0, gidB: 1000 });
    expect(byPath.get('/app/current')).toMatchObject({ linkTargetA: 'v1', linkTargetB: 'v2' });
    expect(json.summary.sizeDelta).toBe(json.b.size - json.a.size);
    expect(json.summary.filesystemDelta).toBe(json.b.filesystemSize - json.a.filesystemSize);
    const directorySum = json.directories.reduce((sum: number, d: { delta: number }) => sum + d.delta, 0);
    expect(directorySum).toBe(json.summary.filesystemDelta);
    expect(json.directories.map((d: { path: string }) => d.path)).toEqual(['/app']);
  });

  it('lists the shared layer, then each image own, with their commands', async () => {
    const json = await diffJson(pathA, pathB);
    expect(json.layers.shared).toHaveLength(1);
    expect(json.layers.a.map((l: { index: number; command: string }) => [l.index, l.command])).toEqual([
      [1, '/bin/sh -c #(nop) COPY a-layer-1 /'],
    ]);
    expect(json.layers.b.map((l: { index: number; command: string }) => [l.index, l.command])).toEqual([
      [1, '/bin/sh -c #(nop) COPY b-layer-1 /'],
    ]);
  });

  it('compares the configuration: user, labels, ENV (secrets masked) and creation dates', async () => {
    const json = await diffJson(pathA, pathB);
    expect(json.audit.user).toEqual({ a: 'root', b: 'app', rootA: true, rootB: false });
    expect(json.audit.ageDeltaDays).toBe(10);
    expect(json.audit.labels).toEqual([{ name: 'version', change: 'changed', a: '1.0', b: '1.1', masked: false }]);
    expect(json.audit.env.map((e: { name: string; change: string }) => [e.name, e.change])).toEqual([
      ['API_TOKEN', 'added'],
      ['MODE', 'changed'],
    ]);
    expect(JSON.stringify(json)).not.toContain('s3cr3t-t0ken-value-1234');
    expect(json.audit.findings.gone.map((f: { check: string }) => f.check)).toContain('root-user');
    expect(json.audit.findings.new.map((f: { check: string }) => f.check)).toContain('env-secret');
  });

  it('says nothing changed between an image and itself, or one with the same layers', async () => {
    const json = await diffJson(pathA, pathA);
    expect(json.files).toEqual([]);
    expect(json.sharedLayers).toBe(2);
    expect(json.summary).toMatchObject({ added: 0, removed: 0, modified: 0, metadata: 0, sizeDelta: 0 });
  });

  it('starts from a shared base layer: what B adds on top of it', async () => {
    const json = await diffJson(pathBase, pathB);
    expect(json.sharedLayers).toBe(1);
    expect(json.layers.a).toEqual([]);
    const paths = json.files.map((f: FileDiff) => f.path);
    expect(paths).toContain('/app/new.txt');
    expect(paths).not.toContain('/app/same.txt');
    expect(paths).not.toContain('/app/bin/tool');
  });

  it('reverses: what B added, A removes', async () => {
    const forward = await diffJson(pathA, pathB);
    const backward = await diffJson(pathB, pathA);
    const flip = { added: 'removed', removed: 'added', modified: 'modified', metadata: 'metadata' } as const;
    expect(backward.files.map((f: FileDiff) => [f.path, f.change])).toEqual(
      forward.files.map((f: FileDiff) => [f.path, flip[f.change]]),
    );
    expect(backward.summary.sizeDelta).toBe(-forward.summary.sizeDelta);
  });
});

describe('content hashes left for later', () => {
  /** Read in place with every file's hash left for later, as the diff may meet any file. */
  async function readDeferred(path: string) {
    const image = await openImage(path, { inPlace: { bigFile: 1, workerMin: 0 } });
    return { image, analysis: analyzeImage(image) };
  }

  it('are computed where a file of A and one of B may hold the same bytes, and only there', async () => {
    const a = await readDeferred(pathA);
    const b = await readDeferred(pathB);
    const unhashedBefore = a.image.layers.reduce((n, layer) => n + filesWithoutHash(layer), 0);
    const diff = await diffImages(a, b);
    expect(diff.files.map(pick)).toEqual(EXPECTED);
    // /app/hl-same (21 bytes, unique in each image) had to be hashed, through B's hardlink to /app/hl-src.
    const hlSame = a.image.layers[1]!.entries.find((entry) => entry.path === '/app/hl-same');
    expect(hlSame?.hash).toBeDefined();
    // A file nothing compares keeps its hash for later: A's /app/a-only.txt has nothing in B.
    const aOnly = a.image.layers[1]!.entries.find((entry) => entry.path === '/app/a-only.txt');
    expect(aOnly?.hash).toBeUndefined();
    const unhashedAfter = a.image.layers.reduce((n, layer) => n + filesWithoutHash(layer), 0);
    expect(unhashedAfter).toBeLessThan(unhashedBefore);
    expect(unhashedAfter).toBeGreaterThan(0);
  });

  it('mark B against A through a path lookup', async () => {
    const diff = await diffImages(await readDeferred(pathA), await readDeferred(pathB));
    expect(diff.changes.get('/app/config')?.change).toBe('modified');
    expect(diff.changes.get('/app/old.txt')?.change).toBe('removed');
    expect(diff.changes.has('/app/same.txt')).toBe(false);
  });
});

describe('a hardlink whose data was left unhashed', () => {
  /** A big file of a layer, its hash left for later: `hash()` gives `hash` and counts its calls. */
  function unhashedFile(path: string, size: number, hash: string, calls: string[]) {
    const entry = newTarEntry(path, 'file', size, 0o644, 0, 0);
    return {
      entry,
      unhashed: {
        entry,
        hash: async () => {
          calls.push(hash);
          return hash;
        },
      },
    };
  }

  it("is compared by the data of the very entry it links to, a same-layer duplicate's included", async () => {
    const calls: string[] = [];
    // Layer 0 of A writes /x twice; /y links to the first /x, which the second then replaces.
    const first = unhashedFile('/x', 5, 'first-bytes', calls);
    const link = { ...newTarEntry('/y', 'hardlink', 0, 0o644, 0, 0), linkTarget: '/x' };
    const second = unhashedFile('/x', 5, 'second-bytes', calls);
    const layerOfA = { ...layer([first.entry, link, second.entry]), unhashed: [first.unhashed, second.unhashed] };
    const imageA = imageOf([layerOfA]);
    // B has /y as a plain file with the first /x's bytes, and /x with other bytes of the same size.
    const sameAsFirst = { ...newTarEntry('/y', 'file', 5, 0o644, 0, 0), hash: 'first-bytes' };
    const other = { ...newTarEntry('/x', 'file', 5, 0o644, 0, 0), hash: 'other-bytes' };
    const imageB = imageOf([layer([sameAsFirst, other])]);
    const diff = await diffImages(
      { image: imageA, analysis: analyzeImage(imageA) },
      { image: imageB, analysis: analyzeImage(imageB) },
    );
    expect(diff.files.map((f) => [f.path, f.change])).toEqual([['/x', 'modified']]);
    expect(calls.sort()).toEqual(['first-bytes', 'second-bytes']);
  });
});
