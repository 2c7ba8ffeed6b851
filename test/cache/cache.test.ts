import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cache/duration.js';
import { decodeEntry, FORMAT_VERSION } from '../../src/cache/format.js';
import { defaultCacheRoot, LayerCache } from '../../src/cache/layer-cache.js';
import { hostPlatform } from '../../src/image/platform.js';
import { openImage } from '../../src/image/open.js';
import type { ImageIndex } from '../../src/image/types.js';
import type { LayerIndex } from '../../src/layers/types.js';
import { StrataError, VerificationError } from '../../src/util/errors.js';
import { runCli } from '../helpers/cli.js';
import { fixtures, repoRoot } from '../helpers/paths.js';
import {
  blobDataPath,
  hasRegistry,
  pushLayout,
  startFront,
  startRegistry,
  type FrontServer,
  type RunningRegistry,
} from '../helpers/registry.js';
import { failure } from '../helpers/failure.js';
import { buildLayout, type BuiltLayout } from '../helpers/registry-images.js';
import { buildTar } from '../helpers/tar.js';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { buildJsonReport } from '../../src/report/json.js';

const FAST_RETRY = { attempts: 1, baseDelayMs: 10, maxDelayMs: 50 };
const sha256 = (text: string | Uint8Array): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** The LayerIndex part of a layer (what the cache stores), without the descriptor's media type. */
function layerIndex(layer: LayerIndex): Omit<LayerIndex, 'mediaType'> {
  const { digest, diffId, compression, compressedSize, uncompressedSize, entryCount, headerSizeTotal, entries } = layer;
  return { digest, diffId, compression, compressedSize, uncompressedSize, entryCount, headerSizeTotal, entries };
}

function analysed(index: ImageIndex) {
  return {
    config: index.config,
    layers: index.layers,
    configDigest: index.configDigest,
    manifestDigest: index.manifestDigest,
    verified: index.verified,
  };
}

/** One bit of file content changed (in the test key of the layouts' last, uncompressed layer): a valid tar,
 * another hash. */
function flipInKey(bytes: Buffer): Buffer {
  const at = bytes.indexOf('not a real key');
  if (at < 0) throw new Error('the test key is not in this blob');
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

/** An oci-archive: the files of an OCI layout directory in a tar. */
async function archiveOfLayout(dir: string): Promise<Buffer> {
  const blobs = await readdir(join(dir, 'blobs', 'sha256'));
  return buildTar([
    { name: 'oci-layout', content: await readFile(join(dir, 'oci-layout')) },
    { name: 'index.json', content: await readFile(join(dir, 'index.json')) },
    ...(await Promise.all(
      blobs.map(async (name) => ({
        name: `blobs/sha256/${name}`,
        content: await readFile(join(dir, 'blobs', 'sha256', name)),
      })),
    )),
  ]);
}

let work: string;
let demo: ImageIndex;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'strata-cache-test-'));
  demo = await openImage(fixtures('demo', 'demo.tar'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

let dirs = 0;
const freshDir = (): string => join(work, `cache-${++dirs}`);

describe('layer-index cache: entries', () => {
  it('lives in $XDG_CACHE_HOME/strata, else ~/.cache/strata', () => {
    expect(defaultCacheRoot({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toBe('/x/cache/strata');
    expect(defaultCacheRoot({ HOME: '/home/u' })).toBe('/home/u/.cache/strata');
    // A relative XDG_CACHE_HOME is invalid per the spec: ignored.
    expect(defaultCacheRoot({ XDG_CACHE_HOME: 'rel', HOME: '/home/u' })).toBe('/home/u/.cache/strata');
    expect(new LayerCache({ dir: '/somewhere' }).dir).toBe('/somewhere/layers');
  });

  it('gives back exactly the index that was put, keyed by diffId and recorded with the blob digest', async () => {
    const cache = new LayerCache({ dir: freshDir() });
    for (const layer of demo.layers) expect(['written', 'present']).toContain(await cache.put(layer));
    for (const layer of demo.layers) {
      const cached = await cache.get(layer.diffId, layer.digest);
      expect(cached).not.toBeNull();
      expect(layerIndex(cached!)).toEqual(layerIndex(layer));
    }
    // Another blob of the same diffId is not known (yet): no entry is made up.
    expect(await cache.get(demo.layers[0]!.diffId, sha256('another blob'))).toBeNull();
    expect(await cache.get(sha256('unknown tar'), demo.layers[0]!.digest)).toBeNull();
    // Putting the same layer again writes nothing.
    expect(await cache.put(demo.layers[0]!)).toBe('present');
    const info = await cache.info();
    expect(info.entries).toBe(new Set(demo.layers.map((l) => l.diffId)).size);
    expect(info.bytes).toBeGreaterThan(0);
  });

  it('round-trips every kind of entry: links, devices, whiteouts, PAX and UTF-8 names, captured content', async () => {
    const cache = new LayerCache({ dir: freshDir() });
    const images = [
      await openImage(fixtures('formats', 'basic.oci-archive.tar')),
      await openImage(fixtures('cases', 'opaque-dir.tar')),
    ];
    for (const image of images) {
      await cache.putAll(image.layers);
      for (const layer of image.layers)
        expect(layerIndex((await cache.get(layer.diffId, layer.digest))!)).toEqual(layerIndex(layer));
    }
    const all = images.flatMap((i) => i.layers.flatMap((l) => l.entries));
    expect(all.some((e) => e.whiteout)).toBe(true);
    expect(all.some((e) => e.type === 'hardlink')).toBe(true);
    expect(all.some((e) => e.type === 'char')).toBe(true);
    expect(all.some((e) => e.content !== undefined)).toBe(true);
  });

  it('records several blobs (compressions) of one diffId', async () => {
    const cache = new LayerCache({ dir: freshDir() });
    const layer = demo.layers[1]!;
    const gzipped = { ...layer, digest: sha256('gzip blob'), compression: 'gzip' as const, compressedSize: 123 };
    expect(await cache.put(layer)).toBe('written');
    expect(await cache.put(gzipped)).toBe('written');
    expect(layerIndex((await cache.get(layer.diffId, layer.digest))!)).toEqual(layerIndex(layer));
    expect(layerIndex((await cache.get(layer.diffId, gzipped.digest))!)).toEqual(layerIndex(gzipped));
  });

  describe('a damaged or outdated entry is deleted and rebuilt, never trusted', () => {
    const layer = (): LayerIndex => demo.layers[1]!;
    const damages: Array<[string, (bytes: Buffer) => Buffer]> = [
      ['a byte of the body flipped', (b) => Buffer.from(b.map((v, i) => (i === b.length - 10 ? v ^ 0xff : v)))],
      ['truncated', (b) => b.subarray(0, Math.floor(b.length / 2))],
      ['empty', () => Buffer.alloc(0)],
      ['garbage', () => Buffer.from('not a cache entry at all\n\n')],
      [
        'an older format version',
        (b) => Buffer.concat([Buffer.from(`strata-layer-index ${FORMAT_VERSION - 1}`), b.subarray(b.indexOf(0x0a))]),
      ],
      [
        'a header that lies about its entries',
        (b) => {
          const first = b.indexOf(0x0a);
          const second = b.indexOf(0x0a, first + 1);
          const header = JSON.parse(b.toString('utf8', first + 1, second)) as { entries: number };
          header.entries += 1;
          return Buffer.concat([b.subarray(0, first + 1), Buffer.from(JSON.stringify(header)), b.subarray(second)]);
        },
      ],
    ];
    // Bodies rewritten with a valid checksum: what the body says must still hold together.
    const rebodied = (b: Buffer, change: (raw: Buffer) => Buffer): Buffer => {
      const first = b.indexOf(0x0a);
      const second = b.indexOf(0x0a, first + 1);
      const header = JSON.parse(b.toString('utf8', first + 1, second)) as { bodySha256: string; bodyBytes: number };
      const body = brotliCompressSync(change(brotliDecompressSync(b.subarray(second + 1))));
      Object.assign(header, { bodySha256: sha256(body), bodyBytes: body.length });
      return Buffer.concat([b.subarray(0, first + 1), Buffer.from(`${JSON.stringify(header)}\n`), body]);
    };
    damages.push(
      ['a body with a byte after its heads', (b) => rebodied(b, (body) => Buffer.concat([body, Buffer.from('x')]))],
      ['a body one byte short of its heads', (b) => rebodied(b, (body) => body.subarray(0, body.length - 1))],
      ['a body whose entries are not JSON', (b) => rebodied(b, (body) => Buffer.concat([Buffer.from('['), body]))],
    );
    for (const [what, damage] of damages) {
      it(what, async () => {
        const cache = new LayerCache({ dir: freshDir() });
        await cache.put(layer());
        const path = cache.entryPath(layer().diffId);
        await writeFile(path, damage(await readFile(path)));
        expect(await cache.get(layer().diffId, layer().digest)).toBeNull();
        await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
        // The next read writes it again, whole.
        expect(await cache.put(layer())).toBe('written');
        expect(layerIndex((await cache.get(layer().diffId, layer().digest))!)).toEqual(layerIndex(layer()));
      });
    }

    it('written by another strata version', async () => {
      const dir = freshDir();
      await new LayerCache({ dir, producer: '0.0.1' }).put(layer());
      const cache = new LayerCache({ dir, producer: '0.0.2' });
      expect(await cache.get(layer().diffId, layer().digest)).toBeNull();
      expect((await cache.info()).entries).toBe(0);
    });

    it('filed under another diffId', async () => {
      const cache = new LayerCache({ dir: freshDir() });
      const [a, b] = [demo.layers[0]!, demo.layers[1]!];
      await cache.put(a);
      await mkdir(cache.dir, { recursive: true });
      await copyFile(cache.entryPath(a.diffId), cache.entryPath(b.diffId));
      expect(await cache.get(b.diffId, a.digest)).toBeNull();
      expect(await cache.get(b.diffId, b.digest)).toBeNull();
      expect(layerIndex((await cache.get(a.diffId, a.digest))!)).toEqual(layerIndex(a));
    });

    it('a corrupt entry is replaced when a local read records the layer again', async () => {
      const cache = new LayerCache({ dir: freshDir() });
      await cache.putAll(demo.layers);
      const path = cache.entryPath(layer().diffId);
      await writeFile(path, 'strata-layer-index 1\n{broken');
      await openImage(fixtures('demo', 'demo.tar'), { cache });
      expect(layerIndex((await cache.get(layer().diffId, layer().digest))!)).toEqual(layerIndex(layer()));
    });
  });

  it('a cache that cannot be written is a warning, once; reading goes on', async () => {
    const blocker = join(work, 'a-file');
    await writeFile(blocker, 'not a directory');
    const warnings: string[] = [];
    const cache = new LayerCache({ dir: join(blocker, 'cache') });
    const index = await openImage(fixtures('demo', 'demo.tar'), { cache, onNotice: (n) => warnings.push(n) });
    expect(index.layers.length).toBe(demo.layers.length);
    expect(warnings).toEqual([
      `cannot write the layer cache in ${join(blocker, 'cache', 'layers')} (not a directory); going on ` +
        'without it (--no-cache turns it off)',
    ]);
  });
});

describe('layer-index cache: local sources', () => {
  it('an archive read with verification is recorded; --no-verify or a capture list records nothing', async () => {
    const cache = new LayerCache({ dir: freshDir() });
    await openImage(fixtures('demo', 'demo.tar'), { cache, verify: false });
    expect((await cache.info()).entries).toBe(0);
    await openImage(fixtures('demo', 'demo.tar'), { cache, capture: () => true });
    expect((await cache.info()).entries).toBe(0);
    await openImage(fixtures('demo', 'demo.tar'), { cache });
    expect((await cache.info()).entries).toBe(new Set(demo.layers.map((l) => l.diffId)).size);
  });

  it('never hides a corrupt local layer: the bytes are read and verified every time', async () => {
    const cache = new LayerCache({ dir: freshDir() });
    const layout = join(work, 'corrupt-layout');
    await rm(layout, { recursive: true, force: true });
    const built = await buildLayout(layout, [hostPlatform()]);
    await openImage(layout, { cache });
    expect((await cache.info()).entries).toBe(3);
    // Same size, other bytes: the layer is cached, yet reading the layout fails on it.
    const digest = built.images[0]!.layerDigests[2]!; // the uncompressed layer
    const path = join(layout, 'blobs', 'sha256', digest.slice(7));
    await writeFile(path, flipInKey(await readFile(path)));
    const err = await failure(openImage(layout, { cache }));
    expect(err).toBeInstanceOf(VerificationError);
  });
});

describe('layer-index cache: info and prune', () => {
  it('counts entries and bytes; prune --older-than removes what went unused that long; prune empties it', async () => {
    const cache = new LayerCache({ dir: freshDir() });
    await cache.putAll(demo.layers);
    const count = (await cache.info()).entries;
    expect(count).toBeGreaterThan(2);
    // An entry last used 40 days ago, a stale temporary file, a fresh one, and a file that is not ours.
    const old = cache.entryPath(demo.layers[0]!.diffId);
    const past = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    await utimes(old, past, past);
    await writeFile(join(cache.dir, '.tmp-stale-1-aa.idx'), 'x');
    await utimes(join(cache.dir, '.tmp-stale-1-aa.idx'), past, past);
    await writeFile(join(cache.dir, '.tmp-fresh-2-bb.idx'), 'x');
    await writeFile(join(cache.dir, 'notes.txt'), 'mine');

    const pruned = await cache.prune(parseDuration('30d'));
    expect(pruned.removed).toBe(1);
    const names = await readdir(cache.dir);
    expect(names).not.toContain(old.slice(cache.dir.length + 1));
    expect(names).not.toContain('.tmp-stale-1-aa.idx');
    expect(names).toContain('.tmp-fresh-2-bb.idx');
    expect((await cache.info()).entries).toBe(count - 1);

    // Using an entry makes it recent again.
    const used = cache.entryPath(demo.layers[1]!.diffId);
    await utimes(used, past, past);
    expect(await cache.get(demo.layers[1]!.diffId, demo.layers[1]!.digest)).not.toBeNull();
    expect((await cache.prune(parseDuration('30d'))).removed).toBe(0);

    expect((await cache.prune()).removed).toBe(count - 1);
    expect((await cache.info()).entries).toBe(0);
    expect(await readdir(cache.dir)).toEqual(expect.arrayContaining(['notes.txt', '.tmp-fresh-2-bb.idx']));
  });

  it('strata cache info and strata cache prune [--older-than]', async () => {
    const dir = freshDir();
    await new LayerCache({ dir }).putAll(demo.layers);
    const count = new Set(demo.layers.map((l) => l.diffId)).size;
    const info = await runCli('cache', 'info', '--cache-dir', dir);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(
      new RegExp(`^layer-index cache: ${join(dir, 'layers')}\nentries: ${count}\nsize: [\\d.]+ kB\n`),
    );
    const json = await runCli('cache', 'info', '--json', '--cache-dir', dir);
    expect(JSON.parse(json.stdout)).toMatchObject({ dir: join(dir, 'layers'), entries: count });
    const keep = await runCli('cache', 'prune', '--older-than', '30d', '--cache-dir', dir);
    expect(keep.stdout).toMatch(/^removed 0 entries \(0 B\) from /);
    const bad = await runCli('cache', 'prune', '--older-than', 'soon', '--cache-dir', dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'strata: invalid duration "soon": expected a number and a unit (s, m, h, d or w), such as 30d\n',
    );
    const all = await runCli('cache', 'prune', '--cache-dir', dir);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(new RegExp(`^removed ${count} entries \\([\\d.]+ kB\\) from ${join(dir, 'layers')}\n$`));
  });

  it('parses durations', () => {
    expect(parseDuration('30d')).toBe(30 * 24 * 3600 * 1000);
    expect(parseDuration('12h')).toBe(12 * 3600 * 1000);
    expect(parseDuration('2w')).toBe(14 * 24 * 3600 * 1000);
    expect(() => parseDuration('30')).toThrow(StrataError);
    expect(() => parseDuration('-1d')).toThrow(StrataError);
  });
});

/** The cache module and what it imports, transpiled (no type check) for plain `node`: the child processes load it. */
async function transpileForNode(entry: string, outDir: string): Promise<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = await readFile(file, 'utf8');
    const output = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const target = join(outDir, relative(repoRoot, file).replace(/\.ts$/, '.js'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, output);
    for (const m of source.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) queue.push(resolve(dirname(file), `${m[1]}.ts`));
  }
  // ESM, and the package.json that strata looks for to learn its version; its dependencies, from the repository.
  await writeFile(join(outDir, 'package.json'), JSON.stringify({ type: 'module', version: '0.0.0-test' }));
  await symlink(join(repoRoot, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  return join(outDir, relative(repoRoot, entry).replace(/\.ts$/, '.js'));
}

const CHILD = `
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const [moduleUrl, dir, layerFile, goFile, tag, rounds] = process.argv.slice(1);
const { LayerCache } = await import(moduleUrl);
const raw = JSON.parse(readFileSync(layerFile, 'utf8'));
const decode = (content) => (content === undefined ? undefined : Buffer.from(content, 'base64'));
const entries = raw.entries.map((e) => ({ ...e, content: decode(e.content) }));
for (const e of entries) for (const k of ['head', 'content']) if (e[k] === undefined) delete e[k];
const warnings = [];
const cache = new LayerCache({ dir, producer: 'concurrency-test', onWarning: (w) => warnings.push(w) });
writeFileSync(goFile + '.' + tag, ''); // ready
while (!existsSync(goFile)) await new Promise((r) => setTimeout(r, 2));
const results = [];
for (let i = 0; i < Number(rounds); i++) {
  // Round 0: both processes write the very same entry; then each adds blobs of its own.
  const digest = 'sha256:' + createHash('sha256').update(i === 0 ? 'shared' : tag + i).digest('hex');
  results.push(await cache.put({ ...raw, entries, digest }));
}
console.log(JSON.stringify({ results, warnings }));
`;

describe('layer-index cache: two processes writing the same entry at once', () => {
  it('leave one valid entry, and no temporary file', async () => {
    const dir = freshDir();
    const built = join(work, 'child-build');
    const modulePath = await transpileForNode(join(repoRoot, 'src', 'cache', 'layer-cache.ts'), built);
    // A layer big enough that writes take a while and overlap: 6,000 entries.
    const base = demo.layers[0]!;
    const entries = Array.from({ length: 6_000 }, (_, i) => ({
      path: `/data/dir-${i % 97}/file-${i}.bin`,
      type: 'file' as const,
      size: i,
      mode: 0o644,
      uid: 0,
      gid: 0,
      hash: i.toString(16).padStart(16, '0'),
      head: `head of ${i}`,
    }));
    const layer: LayerIndex = { ...base, diffId: sha256('concurrency layer'), entries, entryCount: entries.length };
    const layerFile = join(work, 'layer.json');
    await writeFile(layerFile, JSON.stringify(layer));
    const goFile = join(work, 'go');
    const rounds = 6;
    const run = (tag: string) =>
      new Promise<{ results: string[]; warnings: string[] }>((resolvePromise, reject) => {
        const child = spawn(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            CHILD,
            pathToFileURL(modulePath).href,
            dir,
            layerFile,
            goFile,
            tag,
            String(rounds),
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        let errText = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (errText += c.toString()));
        child.on('error', reject);
        child.on('exit', (code) =>
          code === 0
            ? resolvePromise(JSON.parse(out) as { results: string[]; warnings: string[] })
            : reject(new Error(`child ${tag} exited ${code}: ${errText}`)),
        );
      });
    const children = [run('a'), run('b')] as const;
    // Both loaded and waiting, then off at once.
    while (!existsSync(`${goFile}.a`) || !existsSync(`${goFile}.b`)) await new Promise((r) => setTimeout(r, 2));
    await writeFile(goFile, '');
    // Meanwhile, every read of the entry's file sees a whole, valid entry (written by one or the other).
    let done = false;
    const all = Promise.all(children).finally(() => (done = true));
    const path = join(dir, 'layers', `${layer.diffId.replace(':', '-')}.idx`);
    let reads = 0;
    const invalid: string[] = [];
    // Read until both are done, and once more after: the last read always finds the entry.
    for (let last = false; !last; ) {
      last = done;
      const bytes = await readFile(path).catch(() => null);
      if (bytes) {
        reads++;
        await decodeEntry(bytes, { diffId: layer.diffId, strata: 'concurrency-test' }, sha256('shared')).catch(
          (err: Error) => invalid.push(err.message),
        );
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    const [a, b] = await all;
    expect(invalid).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    expect(a.warnings).toEqual([]);
    expect(b.warnings).toEqual([]);
    expect([...a.results, ...b.results].every((r) => r === 'written' || r === 'present')).toBe(true);

    const cache = new LayerCache({ dir, producer: 'concurrency-test' });
    const last = (tag: string): string => sha256(`${tag}${rounds - 1}`);
    const found = (await cache.get(layer.diffId, last('a'))) ?? (await cache.get(layer.diffId, last('b')));
    expect(found).not.toBeNull();
    // Compared as text: a deep comparison of 6,000 objects is slow.
    const text = (list: LayerIndex['entries']): string => JSON.stringify(list);
    expect(found!.entries).toHaveLength(entries.length);
    expect(text(found!.entries) === text(entries)).toBe(true);
    expect(await readdir(cache.dir)).toEqual([`${layer.diffId.replace(':', '-')}.idx`]);
  });
});

describe.skipIf(!hasRegistry)('layer-index cache: the registry source', () => {
  let registry: RunningRegistry;
  let front: FrontServer;
  let layout: BuiltLayout;

  beforeAll(async () => {
    registry = await startRegistry();
    layout = await buildLayout(join(work, 'registry-layout'), [hostPlatform()]);
    await pushLayout(registry.url, layout.dir, 'strata/cached', 'latest');
    front = await startFront(registry.host);
  });

  afterAll(async () => {
    await front?.close();
    await registry?.stop();
  });

  /** GETs of the image's layer blobs through the counting front, since `mark`. */
  const layerGets = (mark: number, digests: readonly string[] = layout.images[0]!.layerDigests): string[] =>
    front.requests
      .slice(mark)
      .filter((r) => r.method === 'GET' && digests.some((d) => r.url.endsWith(`/blobs/${d}`)))
      .map((r) => r.url.slice(r.url.lastIndexOf('/') + 1));

  it('a second pull of the same image downloads no layer blob', async () => {
    const cache = new LayerCache({ dir: freshDir() });
    const ref = `registry://${front.host}/strata/cached:latest`;
    let mark = front.requests.length;
    const first = await openImage(ref, { cache, retry: FAST_RETRY });
    expect(layerGets(mark).sort()).toEqual([...layout.images[0]!.layerDigests].sort());
    expect((await cache.info()).entries).toBe(3);

    mark = front.requests.length;
    const progress: Array<{ layersDone: number; bytesRead: number; totalBytes: number | null }> = [];
    const second = await openImage(ref, { cache, retry: FAST_RETRY, onProgress: (p) => progress.push(p) });
    expect(layerGets(mark)).toEqual([]);
    expect(analysed(second)).toEqual(analysed(first));
    expect(progress.at(-1)).toMatchObject({ layersDone: 3, bytesRead: progress.at(-1)!.totalBytes });
    // The manifest and config are still read (and verified) every time.
    expect(front.requests.slice(mark).some((r) => r.url.includes('/manifests/'))).toBe(true);
  });

  it('CLI: --cache-dir re-opens it with no blob request; --no-cache downloads all and writes nothing', async () => {
    const dir = freshDir();
    const ref = `registry://${front.host}/strata/cached:latest`;
    let mark = front.requests.length;
    const first = await runCli('--json', '--cache-dir', dir, ref);
    expect(first.code).toBe(0);
    expect(layerGets(mark)).toHaveLength(3);
    mark = front.requests.length;
    const second = await runCli('--json', '--cache-dir', dir, ref);
    expect(second.code).toBe(0);
    expect(layerGets(mark)).toEqual([]);
    expect(second.stdout).toBe(first.stdout);

    const unused = freshDir();
    mark = front.requests.length;
    const uncached = await runCli('--json', '--no-cache', '--cache-dir', unused, ref);
    expect(uncached.stdout).toBe(first.stdout);
    expect(layerGets(mark)).toHaveLength(3);
    await expect(stat(unused)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a cache entry corrupted on disk: that layer is downloaded again and its entry rebuilt', async () => {
    const cache = new LayerCache({ dir: freshDir() });
    const ref = `registry://${front.host}/strata/cached:latest`;
    const first = await openImage(ref, { cache, retry: FAST_RETRY });
    const victim = first.layers[1]!;
    const path = cache.entryPath(victim.diffId);
    const bytes = await readFile(path);
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0xff;
    await writeFile(path, bytes);

    let mark = front.requests.length;
    const second = await openImage(ref, { cache, retry: FAST_RETRY });
    expect(layerGets(mark)).toEqual([victim.digest]);
    expect(analysed(second)).toEqual(analysed(first));
    expect(layerIndex((await cache.get(victim.diffId, victim.digest))!)).toEqual(layerIndex(victim));
    mark = front.requests.length;
    await openImage(ref, { cache, retry: FAST_RETRY });
    expect(layerGets(mark)).toEqual([]);
  });

  it('layers recorded from a local read of the same blobs are not downloaded either', async () => {
    const cache = new LayerCache({ dir: freshDir() });
    await openImage(layout.dir, { cache });
    const mark = front.requests.length;
    const pulled = await openImage(`registry://${front.host}/strata/cached:latest`, { cache, retry: FAST_RETRY });
    expect(layerGets(mark)).toEqual([]);
    expect(pulled.layers.map((l) => l.digest)).toEqual(layout.images[0]!.layerDigests);
  });

  /**
   * Layer X has two big files, each of a size no other file of image A has: read in place from A's
   * archive, their hashes are left for later, and the cache stores X without them. Image B (pushed
   * as `repository`) adds a layer that writes one of them again, unchanged: B compares it.
   */
  async function cachedWithoutHashes(repository: string, fill: string) {
    const X = [
      { name: 'opt/', type: 'directory' as const, mode: 0o755 },
      { name: 'opt/data.bin', content: Buffer.alloc(1_500_000, fill) },
      { name: 'opt/other.bin', content: Buffer.alloc(1_200_000, 'q') },
    ];
    const Y = [{ name: 'opt/data.bin', content: Buffer.alloc(1_500_000, fill) }];
    const imageA = await buildLayout(join(work, `${repository}-a`), [hostPlatform()], { layers: [X], plain: true });
    const imageB = await buildLayout(join(work, `${repository}-b`), [hostPlatform()], { layers: [X, Y], plain: true });
    await pushLayout(registry.url, imageB.dir, `strata/${repository}`, 'latest');
    const [xDigest, yDigest] = imageB.images[0]!.layerDigests as [string, string];
    expect(imageA.images[0]!.layerDigests).toEqual([xDigest]);

    const cache = new LayerCache({ dir: freshDir() });
    const archive = join(work, `${repository}-a.oci-archive.tar`);
    await writeFile(archive, await archiveOfLayout(imageA.dir));
    const xDiffId = (await openImage(archive, { cache })).layers[0]!.diffId;
    const stored = (await cache.get(xDiffId, xDigest))!;
    expect(stored.entries.filter((e) => e.type === 'file').map((e) => [e.path, e.hash])).toEqual([
      ['/opt/data.bin', undefined],
      ['/opt/other.bin', undefined],
    ]);
    const gets = (mark: number): string[] => layerGets(mark, [xDigest, yDigest]);
    return {
      cache,
      archive,
      imageB,
      xDigest,
      yDigest,
      xDiffId,
      gets,
      ref: `registry://${front.host}/strata/${repository}:latest`,
    };
  }

  it('a cached layer lacking a hash this image compares is downloaded once more, and its entry completed', async () => {
    const { cache, archive, imageB, xDigest, yDigest, xDiffId, gets, ref } = await cachedWithoutHashes('reread', 'a');
    let mark = front.requests.length;
    const pulled = await openImage(ref, { cache, retry: FAST_RETRY });
    expect(gets(mark).sort()).toEqual([xDigest, yDigest].sort());
    const report = (image: ImageIndex) => {
      const { layers, waste, dive } = buildJsonReport(image, analyzeImage(image));
      return { layers, waste, dive };
    };
    const expected = report(await openImage(imageB.dir));
    expect(expected.layers[1]!.files.find((f) => f.path === '/opt/data.bin')?.status).toBe('unmodified');
    expect(report(pulled)).toEqual(expected);
    // The entry now has every hash: the next pull reads nothing.
    expect((await cache.get(xDiffId, xDigest))!.entries.every((e) => e.type !== 'file' || e.hash !== undefined)).toBe(
      true,
    );
    mark = front.requests.length;
    expect(report(await openImage(ref, { cache, retry: FAST_RETRY }))).toEqual(expected);
    expect(gets(mark)).toEqual([]);
    // Reading A's archive again does not put the hashes back out of the entry.
    expect(await cache.put((await openImage(archive)).layers[0]!)).toBe('present');
  });

  it('a layer read again for its hashes is verified: a corrupt blob refuses the image, records nothing', async () => {
    const { cache, xDigest, xDiffId, gets, ref } = await cachedWithoutHashes('reread-corrupt', 'b');
    const data = blobDataPath(registry, xDigest);
    const bytes = await readFile(data);
    const at = bytes.indexOf('bbbb');
    bytes[at] = bytes[at]! ^ 0x01;
    await writeFile(data, bytes);
    const entriesBefore = (await cache.info()).entries;
    const mark = front.requests.length;
    const err = await failure(openImage(ref, { cache, retry: FAST_RETRY }));
    expect(err).toBeInstanceOf(VerificationError);
    expect(err.message).toContain(xDigest);
    expect(gets(mark)).toContain(xDigest);
    expect((await cache.info()).entries).toBe(entriesBefore);
    expect((await cache.get(xDiffId, xDigest))!.entries.some((e) => e.type === 'file' && e.hash === undefined)).toBe(
      true,
    );
  });

  it('a blob the cache does not record (another compression of the same tar) is downloaded', async () => {
    const cache = new LayerCache({ dir: freshDir() });
    const layer = (await openImage(layout.dir)).layers[0]!;
    // The same diffId recorded for another blob only.
    await cache.put({ ...layer, digest: sha256('zstd blob'), compression: 'zstd' });
    const mark = front.requests.length;
    await openImage(`registry://${front.host}/strata/cached:latest`, { cache, retry: FAST_RETRY });
    expect(layerGets(mark)).toHaveLength(3);
  });

  it('a corrupt blob in the registry is still caught when its layer is not cached', async () => {
    const cache = new LayerCache({ dir: freshDir() });
    const corrupt = await buildLayout(join(work, 'registry-corrupt'), [hostPlatform()]);
    await pushLayout(registry.url, corrupt.dir, 'strata/cached-corrupt', 'latest');
    const digest = corrupt.images[0]!.layerDigests[2]!;
    const data = blobDataPath(registry, digest);
    await writeFile(data, flipInKey(await readFile(data)));
    const err = await failure(
      openImage(`registry://${front.host}/strata/cached-corrupt:latest`, { cache, retry: FAST_RETRY }),
    );
    expect(err).toBeInstanceOf(VerificationError);
    expect((await cache.info()).entries).toBe(0);
  });
});
