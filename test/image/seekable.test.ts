/**
 * Seekable archives: the member table walked at known offsets against tar-stream's listing, and
 * openImage on a plain tar file (the seekable path) against the streamed reader over the same
 * bytes, for every fixture, the bad inputs, the shared real images and synthetic archives.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openImage } from '../../src/image/open.js';
import type { Progress } from '../../src/image/types.js';
import { openSeekableArchive, readMemberTable } from '../../src/image/archive/seekable.js';
import { buildTar } from '../helpers/tar.js';
import { fixtures } from '../helpers/paths.js';
import { END, gnuLong, header, member, paxHeader } from '../helpers/raw-tar.js';
import { scratch, type Outcome, sameAsStreamed, streamedTable, tarsIn } from '../helpers/read-both-ways.js';

describe('the member table matches tar-stream’s listing', () => {
  const files = [
    ...tarsIn(fixtures('formats')),
    ...tarsIn(fixtures('cases')),
    fixtures('demo/demo.tar'),
    fixtures('bad/not-an-image.tar'),
    fixtures('bad/corrupt-layer.tar'),
  ];
  it.each(files)('%s', async (path) => {
    const table = await readMemberTable(path);
    expect([...table.entries()]).toStrictEqual([...(await streamedTable(path)).entries()]);
  });
});

describe('openImage on a plain tar reads it in place, with the streamed reader’s result', () => {
  const files = [...tarsIn(fixtures('formats')), ...tarsIn(fixtures('cases')), fixtures('demo/demo.tar')];
  it.each(files)('%s', async (path) => {
    const outcome = await sameAsStreamed(path);
    expect('image' in outcome).toBe(true);
  });

  // The other bad inputs (empty, random, JSON) are refused before either reader starts.
  it.each(readdirSync(fixtures('bad')).filter((f) => f.endsWith('.tar')))(
    'bad/%s fails with the same one-liner',
    async (file) => {
      const outcome = await sameAsStreamed(fixtures('bad', file));
      expect('error' in outcome).toBe(true);
      expect((outcome as { error: string }).error).not.toContain('\n');
    },
  );

  it('reports progress as layers are read', async () => {
    const seen: Progress[] = [];
    const image = await openImage(fixtures('formats/basic.docker-legacy.tar'), { onProgress: (p) => seen.push(p) });
    const last = seen[seen.length - 1]!;
    expect(last.layersDone).toBe(image.layers.length);
    expect(last.bytesRead).toBeGreaterThan(0);
    expect(last.bytesRead).toBeLessThanOrEqual(last.totalBytes!);
  });
});

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

interface ArchiveMember {
  name: string;
  data?: Buffer;
  linkname?: string;
  type?: 'file' | 'symlink' | 'link' | 'directory';
}

function packArchive(members: ArchiveMember[]): Promise<Buffer> {
  return buildTar(members.map((m) => ({ name: m.name, type: m.type, content: m.data, linkname: m.linkname })));
}

/** A docker archive of these layers, its members named by `name(i)` and written in `order`. */
async function dockerArchive(
  layers: Buffer[],
  options: { dir?: string; manifestFirst?: boolean; symlinks?: boolean } = {},
) {
  const dir = options.dir ?? '';
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: layers.map(sha) },
      history: layers.map((_, i) => ({ created_by: `step ${i}` })),
    }),
  );
  const configName = `${dir}${sha(config).slice(7)}.json`;
  const members: ArchiveMember[] = [{ name: configName, data: config }];
  const names: string[] = [];
  layers.forEach((layer, i) => {
    const blob = `${dir}blobs/sha256/${sha(layer).slice(7)}`;
    members.push({ name: blob, data: layer });
    if (options.symlinks) {
      members.push({
        name: `${dir}layer${i}/layer.tar`,
        type: 'symlink',
        linkname: `../blobs/sha256/${sha(layer).slice(7)}`,
      });
      names.push(`${dir}layer${i}/layer.tar`);
    } else {
      names.push(blob);
    }
  });
  const manifest: ArchiveMember = {
    name: 'manifest.json',
    data: Buffer.from(JSON.stringify([{ Config: configName, RepoTags: ['x:1'], Layers: names }])),
  };
  return packArchive(options.manifestFirst ? [manifest, ...members] : [...members, manifest]);
}

async function check(bytes: Buffer): Promise<Outcome> {
  const file = join(scratch, `archive-${Math.random().toString(36).slice(2)}.tar`);
  writeFileSync(file, bytes);
  try {
    return await sameAsStreamed(file);
  } finally {
    rmSync(file, { force: true });
  }
}

describe('synthetic archives read the same in place as streamed', () => {
  const layers = async (): Promise<Buffer[]> => [
    await buildTar([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/passwd', content: 'root:x:0:0\n' },
      { name: 'big', content: Buffer.alloc(300_000, 3) },
    ]),
    await buildTar([
      { name: 'etc/.wh.passwd', content: '' },
      { name: `long/${'n'.repeat(150)}`, content: 'long' },
    ]),
    Buffer.alloc(1024), // an empty layer
  ];

  it('manifest first or last, plain or long member names, symlinked layers', async () => {
    for (const options of [
      {},
      { manifestFirst: true },
      { dir: `${'d'.repeat(120)}/` },
      { symlinks: true },
      { dir: `${'x'.repeat(80)}/${'y'.repeat(80)}/`, symlinks: true, manifestFirst: true },
    ]) {
      const outcome = await check(await dockerArchive(await layers(), options));
      expect('image' in outcome, JSON.stringify(options)).toBe(true);
    }
  });

  it('GNU long member names', async () => {
    const [layer] = await layers();
    const config = Buffer.from(JSON.stringify({ rootfs: { diff_ids: [sha(layer!)] } }));
    const longName = `${'g'.repeat(150)}/layer.tar`;
    const bytes = Buffer.concat([
      member({ name: 'config.json' }, config),
      gnuLong('L', longName),
      member({ name: longName.slice(0, 100), format: 'gnu' }, layer!),
      paxHeader({ path: `pax/${'p'.repeat(120)}.tar` }),
      member({ name: 'ignored' }, layer!),
      member({ name: 'manifest.json' }, JSON.stringify([{ Config: 'config.json', Layers: [longName] }])),
      END,
    ]);
    const outcome = await check(bytes);
    expect('image' in outcome).toBe(true);
  });

  it('a layer whose index fails, referenced or not', async () => {
    const bad = Buffer.concat([header({ name: 'x', badChecksum: true }), Buffer.alloc(1024)]);
    const config = Buffer.from(JSON.stringify({ rootfs: { diff_ids: [sha(bad)] } }));
    const archive = (layers: string[]): Promise<Buffer> =>
      packArchive([
        { name: 'bad.tar', data: bad },
        { name: 'config.json', data: config },
        { name: 'manifest.json', data: Buffer.from(JSON.stringify([{ Config: 'config.json', Layers: layers }])) },
      ]);
    const referenced = await check(await archive(['bad.tar']));
    expect((referenced as { error: string }).error).toBe('layer bad.tar: not a tar archive (invalid tar header)');
    const missing = await check(await archive(['nope.tar']));
    expect((missing as { error: string }).error).toMatch(/nope\.tar is missing/);
  });

  it('broken outer archives', async () => {
    const good = await dockerArchive(await layers());
    const truncated = [
      good.subarray(0, 700),
      good.subarray(0, 1024 + 100),
      good.subarray(0, good.length - 1024 - 1),
      good.subarray(0, good.length - 2048 + 300),
    ];
    for (const bytes of truncated) {
      const outcome = await check(bytes);
      expect('error' in outcome).toBe(true);
    }
    // A bad header after the first member, and a first header of an unknown format.
    const corrupt = Buffer.from(good);
    const at = corrupt.indexOf('blobs/sha256/') + 20;
    corrupt[at] = corrupt[at]! ^ 0xff;
    expect(((await check(corrupt)) as { error: string }).error).toMatch(/corrupt archive|invalid tar header|truncated/);
    const v7 = Buffer.concat([member({ name: 'README', format: 'v7' }, 'hello'), END]);
    expect(((await check(v7)) as { error: string }).error).toBe('not a tar archive');
    // Garbage after the end marker is still read (tar-stream reads on past zero blocks).
    expect('error' in (await check(Buffer.concat([good, header({ name: 'junk', badChecksum: true })])))).toBe(true);
    // A trailing partial block.
    expect(((await check(Buffer.concat([good, Buffer.alloc(100)]))) as { error: string }).error).toMatch(
      /truncated archive/,
    );
  });

  it('a store reads documents by offset, refuses layers as documents, and finds a layer where it lies', async () => {
    const file = join(scratch, 'store.tar');
    writeFileSync(file, await dockerArchive(await layers(), { symlinks: true }));
    const store = await openSeekableArchive(file);
    const manifest = JSON.parse((await store.bytes('manifest.json')).toString()) as Array<{ Layers: string[] }>;
    const layer = manifest[0]!.Layers[0]!;
    expect(store.has(layer)).toBe(true);
    expect(store.canonical(layer)).toMatch(/^blobs\/sha256\//);
    await expect(store.bytes(layer)).rejects.toThrow(/is not a JSON document/);
    await expect(store.bytes('nope')).rejects.toThrow(/nope is missing from the archive/);
    const location = await store.locate(layer);
    expect(location).toMatchObject({ kind: 'file', file: { path: file } });
    expect(await store.locate(store.canonical(layer))).toStrictEqual(location);
    // The blob as stored is the byte range the location names.
    const { offset, size } = (location as { file: { offset: number; size: number } }).file;
    const chunks: Buffer[] = [];
    for await (const chunk of await store.open(layer)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toStrictEqual(readFileSync(file).subarray(offset, offset + size));
  });
});
