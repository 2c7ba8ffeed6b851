import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { gzipZeroBomb, zstdZeroBomb } from '../../scripts/crafted/streams.js';
import { createDecompressor } from '../../src/layers/decompress.js';

const MIB = 1024 * 1024;

/**
 * Decompresses `blob` into a reader that takes one chunk per turn of the event loop, and returns the
 * most output the decompressor ever held unread: what a bomb costs in memory.
 */
async function mostBuffered(blob: Buffer, compression: 'gzip' | 'zstd'): Promise<{ peak: number; total: number }> {
  const decompressor = createDecompressor(compression)!;
  let peak = 0;
  let total = 0;
  const slowReader = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _enc, done) {
      total += chunk.length;
      peak = Math.max(peak, decompressor.readableLength);
      setImmediate(done);
    },
  });
  await pipeline(Readable.from([blob]), decompressor, slowReader);
  return { peak, total };
}

describe("a decompression bomb is decompressed at the reader's pace", () => {
  it('zstd: 256 MiB of zeros in 8 KiB of RLE blocks never sits in memory whole', async () => {
    const bomb = zstdZeroBomb(256 * MIB);
    expect(bomb.blob.length).toBeLessThan(16 * 1024);
    const { peak, total } = await mostBuffered(bomb.blob, 'zstd');
    expect(total).toBe(512 + 256 * MIB + 1024);
    expect(peak).toBeLessThan(64 * MIB);
  });

  it('gzip too (zlib has its own back-pressure)', async () => {
    const bomb = gzipZeroBomb(64 * MIB);
    const { peak, total } = await mostBuffered(bomb.blob, 'gzip');
    expect(total).toBe(512 + 64 * MIB + 1024);
    expect(peak).toBeLessThan(64 * MIB);
  });
});
