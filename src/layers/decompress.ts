import { createGunzip } from 'node:zlib';
import { Transform, type TransformCallback } from 'node:stream';
import { Decompress as ZstdDecompress } from 'fzstd';
import type { Compression } from './types.js';

/** gunzip is much faster with large output chunks than with zlib's 16 KiB default. */
const GUNZIP_CHUNK = 512 * 1024;

/** A stream that decompresses `compression`, or null for plain data. */
export function createDecompressor(compression: Compression): Transform | null {
  switch (compression) {
    case 'gzip':
      return createGunzip({ chunkSize: GUNZIP_CHUNK });
    case 'zstd':
      return new ZstdTransform();
    case 'none':
      return null;
  }
}

/** fzstd streams zstd in pure JS (Node 20's zlib has none); this wraps it as a Node stream. */
class ZstdTransform extends Transform {
  private readonly zstd = new ZstdDecompress((chunk) => {
    // fzstd reuses its window buffer, so hand out copies.
    this.push(Buffer.from(chunk));
  });

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.zstd.push(chunk);
      done();
    } catch (err) {
      done(new Error(`zstd: ${(err as Error).message}`));
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.zstd.push(new Uint8Array(0), true);
      done();
    } catch (err) {
      done(new Error(`zstd: ${(err as Error).message}`));
    }
  }
}
