import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { indexLayerBlob } from '../../src/layers/indexer.js';
import { buildTar } from '../helpers/tar.js';

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const index = (bytes: Buffer, chunk = 4096) => {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  return indexLayerBlob(Readable.from(chunks), { hash: true });
};

describe('indexLayerBlob', () => {
  it('lists entries with normalized paths, types, modes and link targets', async () => {
    const tarBytes = await buildTar([
      { name: './etc/', type: 'directory', mode: 0o755 },
      { name: './etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n' },
      { name: 'usr/bin/su', content: '\x7fELF fake', mode: 0o104755 },
      { name: 'bin/sh', type: 'symlink', linkname: 'dash' },
      { name: 'bin/sh.hard', type: 'link', linkname: './usr/bin/su' },
      { name: '../../etc/x', content: 'escaped' },
      { name: 'var/lib/apt/lists/.wh.partial', content: '' },
      { name: 'opt/app/config/.wh..wh..opq', content: '' },
    ]);
    const layer = await index(tarBytes);
    expect(layer.compression).toBe('none');
    expect(layer.digest).toBe(sha(tarBytes));
    expect(layer.diffId).toBe(layer.digest);
    expect(layer.entryCount).toBe(8);
    const byPath = Object.fromEntries(layer.entries.map((e) => [e.path + (e.whiteout ? `#${e.whiteout}` : ''), e]));
    expect(Object.keys(byPath)).toEqual([
      '/etc',
      '/etc/passwd',
      '/usr/bin/su',
      '/bin/sh',
      '/bin/sh.hard',
      '/etc/x',
      '/var/lib/apt/lists/partial#file',
      '/opt/app/config#opaque',
    ]);
    expect(byPath['/usr/bin/su']!.mode).toBe(0o4755);
    expect(byPath['/usr/bin/su']!.head!.slice(0, 4)).toBe('\x7fELF');
    expect(byPath['/bin/sh']).toMatchObject({ type: 'symlink', linkTarget: 'dash' });
    expect(byPath['/bin/sh.hard']).toMatchObject({ type: 'hardlink', linkTarget: '/usr/bin/su' });
    expect(byPath['/etc/passwd']!.content && Buffer.from(byPath['/etc/passwd']!.content!).toString()).toBe(
      'root:x:0:0::/root:/bin/sh\n',
    );
    expect(byPath['/etc/x']!.content).toBeUndefined(); // not on the capture list
    expect(byPath['/etc/x']!.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives equal content equal hashes and different content different ones', async () => {
    const layer = await index(
      await buildTar([
        { name: 'a', content: 'same bytes' },
        { name: 'b', content: 'same bytes' },
        { name: 'c', content: 'other bytes' },
      ]),
    );
    const [a, b, c] = layer.entries;
    expect(a!.hash).toBe(b!.hash);
    expect(a!.hash).not.toBe(c!.hash);
  });

  it('lists nothing past the end marker (estargz TOC) but hashes every byte', async () => {
    const main = await buildTar([{ name: 'README.md', content: 'hello\n' }]);
    const toc = await buildTar([{ name: 'stargz.index.json', content: '{"version":1}' }]);
    const whole = Buffer.concat([main, toc]);
    const layer = await index(gzipSync(whole), 100);
    expect(layer.compression).toBe('gzip');
    expect(layer.entries.map((e) => e.path)).toEqual(['/README.md']);
    expect(layer.entryCount).toBe(1);
    expect(layer.diffId).toBe(sha(whole));
    expect(layer.uncompressedSize).toBe(whole.length);
  });

  it('does not mistake zero-filled file data for the end marker', async () => {
    const layer = await index(
      await buildTar([
        { name: 'zeros.bin', content: Buffer.alloc(64 * 1024) },
        { name: 'after', content: 'still listed' },
      ]),
      1000,
    );
    expect(layer.entries.map((e) => e.path)).toEqual(['/zeros.bin', '/after']);
  });

  it('reads zstd layers', async () => {
    const tarBytes = await buildTar([{ name: 'z.txt', content: 'zstd content' }]);
    const compressed = execFileSync('zstd', ['-q', '-c'], { input: tarBytes });
    const layer = await index(compressed);
    expect(layer.compression).toBe('zstd');
    expect(layer.diffId).toBe(sha(tarBytes));
    expect(layer.digest).toBe(sha(compressed));
    expect(layer.entries.map((e) => e.path)).toEqual(['/z.txt']);
  });

  it('reads an empty layer (just the end marker)', async () => {
    const layer = await index(Buffer.alloc(1024));
    expect(layer.entries).toEqual([]);
    expect(layer.entryCount).toBe(0);
  });

  it('rejects a layer that ends inside an entry', async () => {
    const tarBytes = await buildTar([{ name: 'big', content: Buffer.alloc(4096, 1) }]);
    await expect(index(tarBytes.subarray(0, 2048))).rejects.toThrow(/truncated/);
  });

  it('keeps PAX long names', async () => {
    const long = `deep/${'d'.repeat(90)}/${'e'.repeat(90)}/file-with-a-long-name.txt`;
    const layer = await index(
      await buildTar([
        { name: long, content: 'x' },
        { name: 'srv/données/naïve-文件.txt', content: 'y' },
      ]),
    );
    expect(layer.entries.map((e) => e.path)).toEqual([`/${long}`, '/srv/données/naïve-文件.txt']);
  });
});
