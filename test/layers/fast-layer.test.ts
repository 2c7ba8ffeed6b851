/**
 * The layer parser against tar-stream: for every layer here (synthetic edge cases, the fixtures'
 * layers, the shared real images' layers) the LayerIndex the range indexer and the streaming
 * `indexLayerBlob` give must be identical to the one tar-stream gives (test/helpers/tar-stream-index.ts),
 * and a broken layer must fail with the same message.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { indexLayerBlob } from '../../src/layers/indexer.js';
import { indexLayerRange } from '../../src/layers/fast/range-indexer.js';
import {
  disableHashWorkers,
  sha256OfRange,
  sha256OfRangeHere,
  stopHashWorkers,
  xxh64OfRange,
  xxh64OfRangeHere,
} from '../../src/layers/fast/hash-workers.js';
import { decodeHeader, decodeOct, linkBytes, nameBytes } from '../../src/layers/fast/tar-header.js';
import { createRequire } from 'node:module';
import { normalizeName } from '../../src/layers/fast/entry.js';
import { normalizePath } from '../../src/layers/path.js';
import { buildTar } from '../helpers/tar.js';
import { fixtures, repoRoot } from '../helpers/paths.js';
import { END, gnuLong, header, member, pad, paxHeader } from '../helpers/raw-tar.js';
import {
  type Outcome,
  outcome,
  streamed,
  streamedHere,
  scratch,
  fast,
  archiveLayers,
  imageFiles,
} from '../helpers/layer-outcomes.js';

const CHUNK_SIZES = [512, 1000, 4096, 65536, 8 << 20];

/** Asserts that every chunk size gives what tar-stream gives, with and without sha256; returns that (with). */
async function crossCheck(bytes: Buffer): Promise<Outcome> {
  let first: Outcome | null = null;
  for (const hash of [true, false]) {
    const want = await streamed(bytes, hash);
    expect((want as { error: string }).error).not.toBe('timed out');
    for (const chunkSize of CHUNK_SIZES) {
      const got = await fast(bytes, chunkSize, hash);
      expect(got, `chunk size ${chunkSize}, hash ${hash}`).toStrictEqual(want);
      const here = await streamedHere(bytes, hash, chunkSize);
      expect(here, `streamed, chunk size ${chunkSize}, hash ${hash}`).toStrictEqual(want);
    }
    first ??= want;
  }
  return first!;
}

const entriesOf = (o: Outcome): string[] => ('index' in o ? o.index.entries.map((e) => e.path) : []);
const errorOf = (o: Outcome): string | null => ('error' in o ? o.error : null);

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(n: number, seed: number): Buffer {
  const next = seeded(seed);
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
  return out;
}

describe('decodeOct reads numbers as tar-stream does', () => {
  const field = (text: string | number[]): Buffer => {
    const b = Buffer.alloc(12);
    Buffer.from(typeof text === 'string' ? Buffer.from(text, 'latin1') : text).copy(b);
    return b;
  };
  it.each([
    ['00000000644\0', 0o644],
    ['   644 \0', 0o644],
    ['\0\0\0\0', 0],
    ['', 0],
    ['0000000', 0],
    ['12389', 0o123],
    ['+17', 15],
    ['\t17', 15],
    ['abc', NaN],
    ['-7', -7],
  ])('%j → %d', (text, value) => {
    expect(decodeOct(field(text), 0, 12)).toBe(value);
  });
  it('base-256', () => {
    expect(decodeOct(field([0x80, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]), 0, 12)).toBe(2 ** 24);
    expect(decodeOct(field([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]), 0, 12)).toBe(-1);
    expect(decodeOct(field([0x90, 1]), 0, 12)).toBeNull();
  });
});

describe('decodeHeader reads header blocks as tar-stream’s own decoder does', () => {
  // tar-stream's header module is not exported: loaded by path, for this comparison only.
  const headers = createRequire(import.meta.url)(join(repoRoot, 'node_modules/tar-stream/headers.js')) as {
    decode(buf: Buffer, encoding: string, allowUnknown: boolean): Record<string, unknown> | null;
  };
  const TYPES: Record<number, string> = {
    0: 'file',
    1: 'link',
    2: 'symlink',
    3: 'character-device',
    4: 'block-device',
    5: 'directory',
    6: 'fifo',
    7: 'contiguous-file',
    72: 'pax-header',
    55: 'pax-global-header',
    27: 'gnu-long-link-path',
    28: 'gnu-long-path',
    30: 'gnu-long-path',
  };
  const theirs = (block: Buffer): unknown => {
    try {
      const h = headers.decode(block, 'latin1', false);
      return (
        h && { name: h.name, linkname: h.linkname, mode: h.mode, uid: h.uid, gid: h.gid, size: h.size, type: h.type }
      );
    } catch (err) {
      return (err as Error).message;
    }
  };
  const ours = (block: Buffer): unknown => {
    try {
      const h = decodeHeader(
        block,
        0,
        block.byteOffset % 4 === 0 ? new Uint32Array(block.buffer, block.byteOffset, 128) : null,
      );
      if (h === null) return null;
      const link = linkBytes(h);
      return {
        name: Buffer.from(nameBytes(h)).toString('latin1'),
        linkname: link && Buffer.from(link).toString('latin1'),
        mode: h.mode,
        uid: h.uid,
        gid: h.gid,
        size: h.size,
        type: TYPES[h.typeflag] ?? null,
      };
    } catch (err) {
      return (err as Error).message;
    }
  };

  it('on mutated blocks', () => {
    const next = seeded(99);
    const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)]!;
    const bytes = [0x30, 0x31, 0x37, 0x38, 0x20, 0x00, 0x2b, 0x2d, 0x78, 0x80, 0xff, 0x09, 0x0a, 0xe9];
    const fields: Array<[number, number]> = [
      [0, 100],
      [100, 8],
      [108, 8],
      [116, 8],
      [124, 12],
      [148, 8],
      [156, 1],
      [157, 100],
      [257, 8],
      [345, 155],
    ];
    const bases = [
      header({ name: 'usr/bin/x', size: 1234, mode: 0o755, uid: 1000, gid: 1000 }),
      header({ name: 'link', type: '2', linkname: 'target' }),
      header({ name: 'gnu', format: 'gnu', size: 9 }),
      header({ name: 'n', prefix: 'some/prefix' }),
      header({ name: 'b256', base256Size: true, size: 5 }),
      Buffer.alloc(512),
    ];
    let compared = 0;
    for (let round = 0; round < 4000; round++) {
      const block = Buffer.from(pick(bases));
      for (let k = 1 + Math.floor(next() * 4); k > 0; k--) {
        const [at, len] = pick(fields);
        block[at + Math.floor(next() * len)] = next() < 0.8 ? pick(bytes) : Math.floor(next() * 256);
      }
      if (next() < 0.85) {
        let sum = 0;
        for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
        if (next() < 0.9) block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
        else block.write(` ${sum.toString(8)} `.padEnd(8, '\0'), 148, 'latin1');
      }
      // Unaligned copies too, so that both checksum loops are compared.
      const view = next() < 0.5 ? block : Buffer.concat([Buffer.alloc(1), block]).subarray(1);
      expect(ours(view), `round ${round}`).toStrictEqual(theirs(block));
      compared++;
    }
    expect(compared).toBe(4000);
  });
});

describe('normalizeName is normalizePath with a shortcut', () => {
  it('on tricky and random names', () => {
    const names = [
      '',
      '/',
      './',
      '.',
      '..',
      '../..',
      'a',
      'a/',
      './a',
      './a/',
      '/a',
      'a//b',
      'a/./b',
      'a/../b',
      '.../x',
      '..a/.b',
      'a/b/',
      './/a',
      'a/..',
      '.wh.x',
      'a/.',
      'a/.b/',
      '././a',
    ];
    const next = seeded(7);
    const alphabet = ['a', 'b', '.', '/', '/', '.'];
    for (let i = 0; i < 5000; i++) {
      let name = '';
      for (let k = Math.floor(next() * 10); k > 0; k--) name += alphabet[Math.floor(next() * alphabet.length)];
      names.push(name);
    }
    for (const name of names) expect(normalizeName(name), JSON.stringify(name)).toBe(normalizePath(name));
  });
});

describe('the fast indexer gives tar-stream’s index for synthetic layers', () => {
  it('a mixed layer written by tar-stream’s packer (PAX names, prefixes, links, whiteouts, captures)', async () => {
    const long = `deep/${'d'.repeat(90)}/${'e'.repeat(90)}/file-with-a-long-name.txt`;
    const bytes = await buildTar([
      { name: './', type: 'directory', mode: 0o755 },
      { name: './etc/', type: 'directory', mode: 0o755 },
      { name: './etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n' },
      { name: 'etc/os-release', content: 'ID=alpine\n'.repeat(20) },
      { name: 'usr/bin/su', content: randomBytes(70_000, 1), mode: 0o104755 },
      { name: 'bin/sh', type: 'symlink', linkname: 'dash' },
      { name: 'bin/sh.hard', type: 'link', linkname: './usr/bin/su' },
      { name: `lnk/${'l'.repeat(120)}`, type: 'symlink', linkname: `${'t'.repeat(150)}/target` },
      { name: '../../etc/x', content: 'escaped' },
      { name: 'var/lib/apt/lists/.wh.partial', content: '' },
      { name: 'opt/app/config/.wh..wh..opq', content: '' },
      { name: 'opt/.wh..wh.plnk', content: '' },
      { name: long, content: 'x' },
      { name: `${'p'.repeat(120)}/${'q'.repeat(90)}`, content: 'prefix split' },
      { name: 'srv/données/naïve-文件.txt', content: 'y' },
      { name: 'app/.env', content: Buffer.alloc(65 * 1024, 0x41) }, // too big to capture
      { name: 'home/u/.env.local', content: randomBytes(5000, 2) }, // captured, spans small chunks
      { name: 'zeros.bin', content: Buffer.alloc(64 * 1024) },
      { name: 'empty', content: '' },
      { name: 'after-zeros', content: 'still listed' },
      { name: 'exact-block', content: Buffer.alloc(512, 7) },
      { name: 'tiny', content: Buffer.from([1]) },
    ]);
    const want = await crossCheck(bytes);
    expect(entriesOf(want)).toContain('/after-zeros');
    expect(entriesOf(want)).toContain(`/${long}`);
  });

  it('files spanning every chunk boundary', async () => {
    const specs = [];
    for (let i = 0; i < 40; i++) specs.push({ name: `f${i}`, content: randomBytes((i * 977) % 9000, 100 + i) });
    specs.push({ name: 'etc/passwd', content: randomBytes(9999, 7) });
    await crossCheck(await buildTar(specs));
  });

  it('GNU long names and long link names', async () => {
    const longName = `usr/share/${'n'.repeat(200)}/file`;
    const bytes = Buffer.concat([
      gnuLong('L', longName),
      member({ name: longName.slice(0, 100), format: 'gnu' }, 'long named'),
      gnuLong('K', `/target/${'k'.repeat(150)}`),
      gnuLong('L', `links/${'s'.repeat(130)}`),
      member({ name: 'short-link', type: '2', linkname: 'ignored', format: 'gnu' }),
      gnuLong('K', `hard/${'h'.repeat(110)}`),
      member({ name: 'hard', type: '1', linkname: 'ignored', format: 'gnu' }),
      gnuLong('L', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2f, 0x66])), // latin1 "café/f": not UTF-8
      member({ name: 'x', format: 'gnu' }, 'latin1'),
      gnuLong('L', ''), // an empty long name is not applied
      member({ name: 'kept-short-name', format: 'gnu' }, 'z'),
      END,
    ]);
    const want = await crossCheck(bytes);
    expect(entriesOf(want)).toEqual([
      `/${longName}`,
      `/links/${'s'.repeat(130)}`,
      '/hard',
      '/caf\\xe9/f',
      '/kept-short-name',
    ]);
  });

  it('PAX records: path, linkpath, size, globals, empty and invalid values', async () => {
    const bytes = Buffer.concat([
      paxHeader({ path: 'pax/ünïcödé-name', mtime: '1.5' }),
      member({ name: 'ignored-name' }, 'a'),
      paxHeader({ comment: 'global', path: 'global/path' }, 'g'),
      member({ name: 'global-alone-does-not-apply' }, 'b'),
      paxHeader({ uname: 'x' }),
      member({ name: 'global-merged-into-local' }, 'c'),
      paxHeader({ linkpath: `/very/${'l'.repeat(200)}`, path: 'sym' }),
      member({ name: 'sym-ignored', type: '2', linkname: 'short' }),
      paxHeader({ path: '' }),
      member({ name: Buffer.from([0x6e, 0xe9, 0x65]) }, 'empty pax path keeps the latin1 name'),
      paxHeader({ linkpath: '' }),
      member({ name: 'hl', type: '1', linkname: Buffer.from([0x74, 0xe9]) }),
      paxHeader({ size: '700' }),
      member({ name: 'pax-size', size: 3 }, randomBytes(700, 9)),
      Buffer.concat([
        header({ name: 'PaxHeader', type: 'x', size: 20 }),
        pad(Buffer.concat([Buffer.from('20 path=bad-\xff\xfe\n', 'latin1')])),
      ]),
      member({ name: 'x' }, 'invalid utf-8 in pax'),
      END,
    ]);
    const want = await crossCheck(bytes);
    expect(entriesOf(want).slice(0, 4)).toEqual([
      '/pax/ünïcödé-name',
      '/global-alone-does-not-apply',
      '/global/path',
      '/sym',
    ]);
  });

  it('a PAX payload holding zero blocks ends the archive, as the stream sees it', async () => {
    const payload = Buffer.concat([Buffer.from('16 path=inpax\n\0\0'), Buffer.alloc(2048 - 16)]);
    const bytes = Buffer.concat([
      member({ name: 'before' }, 'x'),
      header({ name: 'PaxHeader', type: 'x', size: payload.length }),
      payload,
      member({ name: 'after' }, 'y'),
      END,
    ]);
    const want = await crossCheck(bytes);
    expect(entriesOf(want)).toEqual(['/before']);
  });

  it('base-256 sizes, unknown types, contiguous files, garbage numbers, trailing slashes', async () => {
    const bytes = Buffer.concat([
      member({ name: 'b256', base256Size: true }, randomBytes(3000, 3)),
      member({ name: 'sparse', type: 'S' }, 'unknown types are files'),
      member({ name: 'volume', type: 'V', format: 'gnu' }, ''),
      member({ name: 'contig', type: '7' }, 'contiguous'),
      member({ name: 'chr', type: '3' }),
      member({ name: 'blk', type: '4' }),
      member({ name: 'fifo', type: '6' }),
      member({ name: 'nul-type', type: 0 }, 'a NUL type flag is a file'),
      member({ name: 'slash/', type: '0' }, ''),
      member(
        {
          name: 'garbage-mode',
          patch: [
            [100, Buffer.from('zz\0\0\0\0\0\0')],
            [108, Buffer.from('\0\0\0\0\0\0\0\0')],
            [116, Buffer.from('   7   \0')],
          ],
        },
        'g',
      ),
      member({ name: 'sym-with-data', type: '2', linkname: 'x', size: 600 }, randomBytes(600, 4)),
      member({ name: 'huge-uid', patch: [[108, [0x80, 0, 0, 0, 0, 1, 0, 0]]] }, 'u'),
      member({ name: 'space-padded', patch: [[100, Buffer.from(' 755  \0\0')]] }, 'm'),
      END,
    ]);
    const want = await crossCheck(bytes);
    expect(entriesOf(want)).toContain('/b256');
  });

  it('lists nothing past the end marker (estargz-like) but hashes every byte', async () => {
    const main = await buildTar([
      { name: 'README.md', content: 'hello\n' },
      { name: 'etc/passwd', content: 'root:x:0:0\n' },
    ]);
    const toc = await buildTar([{ name: 'stargz.index.json', content: '{"version":1}' }]);
    const want = await crossCheck(Buffer.concat([main, toc]));
    expect(entriesOf(want)).toEqual(['/README.md', '/etc/passwd']);
    // Past the end marker tar-stream still parses headers: a broken one is still an error.
    const broken = Buffer.concat([main, header({ name: 'junk', badChecksum: true })]);
    expect(errorOf(await crossCheck(broken))).toBe('not a tar archive (invalid tar header)');
    // One zero block between entries is not an end marker; three are.
    const one = Buffer.concat([member({ name: 'a' }, 'a'), Buffer.alloc(512), member({ name: 'b' }, 'b'), END]);
    expect(entriesOf(await crossCheck(one))).toEqual(['/a', '/b']);
    const three = Buffer.concat([member({ name: 'a' }, 'a'), Buffer.alloc(1536), member({ name: 'b' }, 'b'), END]);
    expect(entriesOf(await crossCheck(three))).toEqual(['/a']);
    // A zero data block right before a single zero gap block is not an end marker either.
    const dataZero = Buffer.concat([
      member({ name: 'z' }, Buffer.alloc(512)),
      Buffer.alloc(512),
      member({ name: 'b' }, 'b'),
      END,
    ]);
    expect(entriesOf(await crossCheck(dataZero))).toEqual(['/z', '/b']);
    // A block that is zero but for its checksum field is skipped, and is not an end marker.
    const cksumOnly = Buffer.alloc(512);
    cksumOnly.write('0000400\0', 148, 'latin1');
    const odd = Buffer.concat([
      member({ name: 'a' }, 'a'),
      cksumOnly,
      Buffer.alloc(512),
      member({ name: 'b' }, 'b'),
      END,
    ]);
    expect(entriesOf(await crossCheck(odd))).toEqual(['/a', '/b']);
  });

  it('empty and zero-only layers', async () => {
    for (const bytes of [Buffer.alloc(0), Buffer.alloc(512), Buffer.alloc(1024), Buffer.alloc(10240)]) {
      const want = await crossCheck(bytes);
      expect(entriesOf(want)).toEqual([]);
    }
  });

  it('truncated layers fail the same way', async () => {
    const whole = await buildTar([
      { name: 'a', content: randomBytes(3000, 5) },
      { name: 'b', content: 'bee' },
    ]);
    const cuts = [
      100,
      511,
      512,
      700,
      3000,
      3584,
      3584 + 256,
      3584 + 512,
      3584 + 513,
      3584 + 1024 - 1,
      whole.length - 1,
    ];
    for (const cut of cuts) {
      const want = await crossCheck(whole.subarray(0, cut));
      if (cut > 3584 + 1024 || cut === 3584) continue;
      expect(errorOf(want), `cut at ${cut}`).toMatch(/truncated/);
    }
    const longCut = Buffer.concat([gnuLong('L', 'x'.repeat(600))]).subarray(0, 900);
    expect(errorOf(await crossCheck(longCut))).toMatch(/truncated/);
  });

  it('bad headers fail the same way', async () => {
    const good = member({ name: 'ok' }, 'fine');
    const cases = [
      Buffer.concat([header({ name: 'bad', badChecksum: true }), END]),
      Buffer.concat([good, header({ name: 'bad', badChecksum: true }), END]),
      Buffer.concat([header({ name: 'v7', format: 'v7' }), END]),
      Buffer.concat([header({ name: 'gnu-bad-version', format: 'gnu', patch: [[263, Buffer.from('00')]] }), END]),
      Buffer.concat([header({ name: 'too-long', type: 'x', size: 5 * 1024 * 1024 }), END]),
      Buffer.concat([
        header({
          name: 'negative',
          patch: [[124, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]]],
        }),
        END,
      ]),
      Buffer.concat([paxHeader({ size: 'abc' }), member({ name: 'pax-bad-size' }), END]),
      randomBytes(4096, 6),
      Buffer.from('{"this": "is json"}\n'.repeat(40)),
    ];
    for (const bytes of cases) {
      const want = await crossCheck(bytes);
      expect(errorOf(want)).not.toBeNull();
    }
  });

  it('survives random header mutations exactly as tar-stream does', async () => {
    const base = await buildTar([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/passwd', content: 'root:x:0:0\n' },
      { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
      { name: 'data.bin', content: randomBytes(1500, 8) },
      { name: `long/${'x'.repeat(120)}`, content: 'pax' },
    ]);
    const headers: number[] = [];
    const extract = tar.extract();
    const offsets = new Promise<void>((resolve, reject) => {
      extract.on('entry', (h, body, next) => {
        headers.push((h as unknown as { byteOffset: number }).byteOffset - 512);
        body.on('end', next).resume();
      });
      extract.on('finish', resolve);
      extract.on('error', reject);
    });
    extract.end(base);
    await offsets;
    const next = seeded(42);
    let compared = 0;
    for (let round = 0; round < 150; round++) {
      const bytes = Buffer.from(base);
      const at = headers[Math.floor(next() * headers.length)]!;
      for (let k = 0; k < 1 + Math.floor(next() * 3); k++)
        bytes[at + Math.floor(next() * 512)] = Math.floor(next() * 256);
      if (next() < 0.7) {
        // Fix the checksum so that the mutation reaches the field parsers.
        let sum = 0;
        for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : bytes[at + i]!;
        bytes.write(`${sum.toString(8).padStart(6, '0')}\0 `, at + 148, 'latin1');
      }
      const hash = round % 2 === 0;
      const want = await streamed(bytes, hash, 4096, 2000);
      if ('error' in want && want.error === 'timed out') continue; // tar-stream stalls: nothing to compare
      const chunkSize = [512, 1000, 8 << 20][round % 3]!;
      expect(await fast(bytes, chunkSize, hash), `round ${round}`).toStrictEqual(want);
      expect(await streamedHere(bytes, hash, chunkSize), `round ${round}, streamed`).toStrictEqual(want);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  }, 300_000);
});

describe('the fast indexer gives tar-stream’s index for every layer of the fixtures', () => {
  const files = [...imageFiles(fixtures('formats')), ...imageFiles(fixtures('cases')), fixtures('demo/demo.tar')];
  it.each(files)('%s', async (path) => {
    const layers = await archiveLayers(path);
    expect(layers.length).toBeGreaterThan(0);
    for (const { name, bytes } of layers) {
      for (const hash of [true, false]) {
        const want = await streamed(bytes, hash);
        for (const chunkSize of [1000, 8 << 20]) {
          expect(await fast(bytes, chunkSize, hash), `${name} (${chunkSize}, ${hash})`).toStrictEqual(want);
          expect(await streamedHere(bytes, hash, chunkSize), `${name} streamed (${chunkSize})`).toStrictEqual(want);
        }
      }
    }
  });
});

describe('sha256 off the main thread', () => {
  it('gives the digest the main thread gives, and falls back to it', async () => {
    const file = join(scratch, 'sha.bin');
    const bytes = randomBytes(3 << 20, 11);
    writeFileSync(file, bytes);
    const ranges: Array<[number, number]> = [
      [0, bytes.length],
      [1, 0],
      [12345, 2 << 20],
      [bytes.length - 7, 7],
    ];
    for (const [start, length] of ranges) {
      const here = await sha256OfRangeHere(file, start, length);
      expect(await sha256OfRange(file, start, length)).toBe(here);
      disableHashWorkers(true);
      try {
        expect(await sha256OfRange(file, start, length)).toBe(here);
      } finally {
        disableHashWorkers(false);
      }
    }
    await expect(sha256OfRange(file, bytes.length - 1, 10)).rejects.toThrow(/ended before the range/);
  });

  it('xxh64 of a range, by the worker and here, is the streaming indexer’s content hash', async () => {
    const content = randomBytes(3 << 20, 14);
    const layer = await indexLayerBlob(Readable.from([await buildTar([{ name: 'big', content }])]), { hash: false });
    const file = join(scratch, 'xxh.bin');
    writeFileSync(file, Buffer.concat([Buffer.alloc(777), content]));
    expect(await xxh64OfRange(file, 777, content.length)).toBe(layer.entries[0]!.hash);
    expect(await xxh64OfRangeHere(file, 777, content.length)).toBe(layer.entries[0]!.hash);
    expect(await xxh64OfRange(file, 0, 0)).toBe(await xxh64OfRangeHere(file, 0, 0));
  });

  it('finishes the jobs of a worker that stops, on the main thread', async () => {
    const file = join(scratch, 'sha-stop.bin');
    const bytes = randomBytes(32 << 20, 13);
    writeFileSync(file, bytes);
    const here = await sha256OfRangeHere(file, 0, bytes.length);
    const xxh = await xxh64OfRangeHere(file, 5, bytes.length - 5);
    const jobs = [
      sha256OfRange(file, 0, bytes.length),
      sha256OfRange(file, 0, bytes.length),
      xxh64OfRange(file, 5, bytes.length - 5),
    ];
    await stopHashWorkers();
    expect(await Promise.all(jobs)).toEqual([here, here, xxh]);
    expect(await sha256OfRange(file, 0, bytes.length)).toBe(here); // a new worker
  });

  it('indexes the same when the worker stops in the middle of a layer', async () => {
    const specs = [];
    for (let i = 0; i < 24; i++) specs.push({ name: `f${i}`, content: randomBytes(1 << 20, 200 + i) });
    const bytes = await buildTar(specs);
    const want = await streamed(bytes, true, 1 << 20);
    const file = join(scratch, 'ring-stop.tar');
    writeFileSync(file, bytes);
    // Stopped when the reader first reports its bytes: the worker was handed the layer's hash before the
    // reading began, and its answer cannot have reached this thread, which has not yielded since.
    let stopping: Promise<void> | null = null;
    const onBytes = (): void => {
      stopping ??= stopHashWorkers();
    };
    const indexing = outcome(() =>
      indexLayerRange(file, 0, bytes.length, { hash: true, workerMin: 0, chunkSize: 64 * 1024, onBytes }),
    );
    expect(await indexing).toStrictEqual(want);
    expect(stopping).not.toBeNull();
    await stopping;
    // And a fresh worker takes over afterwards.
    expect(await outcome(() => indexLayerRange(file, 0, bytes.length, { hash: true, workerMin: 0 }))).toStrictEqual(
      want,
    );
  });

  it('indexes the same with the worker disabled', async () => {
    const bytes = await buildTar([{ name: 'a', content: randomBytes(10_000, 12) }]);
    const want = await streamed(bytes);
    disableHashWorkers(true);
    try {
      expect(await fast(bytes, 4096)).toStrictEqual(want);
    } finally {
      disableHashWorkers(false);
    }
  });
});
