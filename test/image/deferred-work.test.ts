/**
 * Work a layer read in place leaves unfinished: big files' content hashes, left for later and
 * computed only where contents can be compared, and the layers' sha256, computed by a worker while
 * the image is analysed. Neither may change a result, and a digest that does not match must still
 * refuse the image.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LayerCache } from '../../src/cache/layer-cache.js';
import { openImage } from '../../src/image/open.js';
import type { ImageIndex } from '../../src/image/types.js';
import { xxh64OfRangeHere } from '../../src/layers/fast/hash-workers.js';
import type { LayerIndex, TarEntry } from '../../src/layers/types.js';
import { completeIndex, hashComparableFiles, unhashedInFile } from '../../src/layers/unhashed.js';
import { VerificationError } from '../../src/util/errors.js';
import { failure } from '../helpers/failure.js';
import { fixtures } from '../helpers/paths.js';
import { runCli } from '../helpers/cli.js';
import { buildTar } from '../helpers/tar.js';
import { checkDeferredHashes, plainTars, readDeferred, readStreamed, reports } from '../helpers/deferred.js';

const scratch = mkdtempSync(join(tmpdir(), 'strata-deferred-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('content hashes left for later', () => {
  const files = [...plainTars(fixtures('cases')), ...plainTars(fixtures('formats')), fixtures('demo/demo.tar')].filter(
    (f) => !f.endsWith('traversal.tar'),
  );
  let leftUnhashed = 0;

  it.each(files)(
    '%s: the same reports, and only files of a unique size stay unhashed',
    async (path) => {
      leftUnhashed += await checkDeferredHashes(path);
    },
    120_000,
  );

  it('left some files unhashed (the comparisons above are not vacuous)', () => {
    expect(leftUnhashed).toBeGreaterThan(10);
  });

  it('hashes exactly the files whose size another regular file shares, whatever layer it is in', async () => {
    const file = join(scratch, 'contents.bin');
    const bytes = Buffer.from('aaaa' + 'bbbb' + 'cccccc' + 'dddd' + 'ee');
    writeFileSync(file, bytes);
    const entry = (path: string, size: number, extra: Partial<TarEntry> = {}): TarEntry => ({
      path,
      type: 'file',
      size,
      mode: 0o644,
      uid: 0,
      gid: 0,
      ...extra,
    });
    const a = entry('/a', 4);
    const b = entry('/b', 4);
    const c = entry('/c', 6);
    const d = entry('/d', 4);
    const e = entry('/e', 2);
    const layerOf = (entries: TarEntry[], unhashed: Array<[TarEntry, number]>): LayerIndex => ({
      digest: '',
      diffId: '',
      mediaType: '',
      compression: 'none',
      compressedSize: 0,
      uncompressedSize: 0,
      entryCount: entries.length,
      headerSizeTotal: 0,
      entries,
      unhashed: unhashed.map(([en, offset]) => unhashedInFile(en, file, offset)),
    });
    // /a and /d (layer 1, hashed as read) share size 4; /b too; /c and /e are alone in their size,
    // and a whiteout's header size (2) does not count as a file.
    const lower = layerOf(
      [a, c, e],
      [
        [a, 0],
        [c, 8],
        [e, 18],
      ],
    );
    const upper = layerOf(
      [b, { ...d, hash: 'ffffffffffffffff' }, entry('/e', 2, { whiteout: 'file' }), entry('/dir', 0, { type: 'dir' })],
      [[b, 4]],
    );
    await hashComparableFiles([lower, upper]);
    expect(a.hash).toBe(await xxh64OfRangeHere(file, 0, 4));
    expect(b.hash).toBe(await xxh64OfRangeHere(file, 4, 4));
    expect(c.hash).toBeUndefined();
    expect(e.hash).toBeUndefined();
    expect(lower.unhashed!.map((u) => u.entry.path)).toStrictEqual(['/c', '/e']);
    expect(upper.unhashed).toBeUndefined();
    expect(await completeIndex(lower)).toBe(lower);
    expect(c.hash).toBe(await xxh64OfRangeHere(file, 8, 6));
    expect(e.hash).toBe(await xxh64OfRangeHere(file, 18, 2));
    expect(lower.unhashed).toBeUndefined();
  });

  it('the cache stores a layer as read: files left unhashed without a hash, the rest as streamed', async () => {
    const cache = new LayerCache({ dir: join(scratch, 'cache'), producer: 'deferred-test' });
    const path = fixtures('demo/demo.tar');
    const deferred = await readDeferred(path);
    const streamed = await readStreamed(path);
    const leftUnhashed = new Set(
      deferred.layers.flatMap((l) => (l.unhashed ?? []).map((u) => `${l.diffId} ${u.entry.path}`)),
    );
    expect(leftUnhashed.size).toBeGreaterThan(0);
    for (const layer of deferred.layers) expect(await cache.put(layer)).toBe('written');
    for (const [i, layer] of streamed.layers.entries()) {
      const cached = await cache.get(layer.diffId, layer.digest);
      const expected = layer.entries.map((entry) =>
        leftUnhashed.has(`${layer.diffId} ${entry.path}`) ? { ...entry, hash: undefined } : entry,
      );
      expect(cached?.entries, `layer ${i}`).toStrictEqual(expected);
    }
  });

  it('an entry with every hash is not replaced by one with fewer: what was left unhashed is hashed first', async () => {
    const cache = new LayerCache({ dir: join(scratch, 'cache-complete'), producer: 'deferred-test' });
    const path = fixtures('demo/demo.tar');
    const streamed = await readStreamed(path);
    const deferred = await readDeferred(path);
    const position = deferred.layers.findIndex((l) => l.unhashed !== undefined);
    const [complete, partial] = [streamed.layers[position]!, deferred.layers[position]!];
    // The same tar, recorded before from another blob (a registry's gzip) with every hash.
    expect(await cache.put({ ...complete, digest: sha(Buffer.from('a gzip blob')), compression: 'gzip' })).toBe(
      'written',
    );
    expect(await cache.put(partial)).toBe('written');
    expect(partial.unhashed).toBeUndefined();
    expect((await cache.get(complete.diffId, partial.digest))?.entries).toStrictEqual(complete.entries);
  });
});

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A docker archive of one layer of `size` bytes of data (big enough for the sha256 worker), its config naming
 * `diffId`. */
async function bigLayerArchive(name: string, diffId: (layer: Buffer) => string): Promise<string> {
  const data = Buffer.alloc(5 * 1024 * 1024);
  for (let i = 0; i < data.length; i += 4096) data.writeUInt32LE((i * 2654435761) >>> 0, i);
  const layer = await buildTar([
    { name: 'data/', type: 'directory' },
    { name: 'data/blob.bin', content: data },
    { name: 'data/small.txt', content: 'hello' },
  ]);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [diffId(layer)] },
      history: [{ created_by: 'ADD data /data' }],
    }),
  );
  const archive = await buildTar([
    { name: `${sha(config).slice(7)}.json`, content: config },
    { name: 'layer0/layer.tar', content: layer },
    {
      name: 'manifest.json',
      content: JSON.stringify([
        { Config: `${sha(config).slice(7)}.json`, RepoTags: ['big:1'], Layers: ['layer0/layer.tar'] },
      ]),
    },
  ]);
  const path = join(scratch, name);
  writeFileSync(path, archive);
  return path;
}

describe('digests checked while the image is analysed', () => {
  it('the image handed over meanwhile is the one the read resolves with, named by its verified digests', async () => {
    const path = await bigLayerArchive('good.tar', sha);
    const seen: ImageIndex[] = [];
    const image = await openImage(path, { whileVerifying: (read) => seen.push(read) });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(image);
    const streamed = await readStreamed(path);
    expect(image.layers.map((l) => [l.digest, l.diffId])).toStrictEqual(
      streamed.layers.map((l) => [l.digest, l.diffId]),
    );
    expect(image.layers[0]!.digesting).toBeUndefined();
    expect(reports(image)).toBe(reports(streamed));
  });

  it('a layer that does not hash to its diff_id is refused, although it was analysed meanwhile', async () => {
    const path = await bigLayerArchive('corrupt.tar', () => sha(Buffer.from('something else')));
    const seen: ImageIndex[] = [];
    const err = await failure(openImage(path, { whileVerifying: (read) => seen.push(read) }));
    expect(err).toBeInstanceOf(VerificationError);
    expect(err.message).toMatch(
      new RegExp(
        String.raw`^layer 0 \(layer0/layer\.tar\) does not match the config's diff_id sha256:[0-9a-f]{64}: ` +
          'its tar hashes to sha256:[0-9a-f]{64}$',
      ),
    );
    expect(seen).toHaveLength(1);
  });

  it('through the CLI: --json prints nothing and exits 1 with one line', async () => {
    const path = await bigLayerArchive('corrupt-cli.tar', () => sha(Buffer.from('something else')));
    const r = await runCli('--json', '--no-cache', path);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/does not match the config's diff_id/);
  });

  it('a read failing for another reason meanwhile fails with its own error, with no unhandled rejection', async () => {
    const path = await bigLayerArchive('corrupt-throws.tar', () => sha(Buffer.from('something else')));
    const err = await failure(
      openImage(path, {
        whileVerifying: () => {
          throw new Error('the analysis failed');
        },
      }),
    );
    expect(err.message).toBe('the analysis failed');
  });
});
