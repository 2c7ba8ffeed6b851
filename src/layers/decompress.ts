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

/**
 * Input is handed to fzstd this many bytes at a time. fzstd decodes every block it has whole at once,
 * and a 4-byte RLE block is 128 KiB of output: 512 bytes of input make at most about 16 MiB, so
 * pausing between slices keeps a decompression bomb's output bounded by the reader's pace.
 */
const ZSTD_SLICE = 512;

/** fzstd streams zstd in pure JS (Node 20's zlib has none); this wraps it as a Node stream, with back-pressure. */
class ZstdTransform extends Transform {
  /** The reader's buffer is full: stop feeding fzstd until it asks for more. */
  private full = false;
  private paused: (() => void) | null = null;
  private readonly zstd = new ZstdDecompress((chunk) => {
    // fzstd reuses its window buffer, so hand out copies.
    if (!this.push(Buffer.from(chunk))) this.full = true;
  });

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.feed(chunk, 0, done);
  }

  private feed(chunk: Buffer, from: number, done: TransformCallback): void {
    let offset = from;
    try {
      while (offset < chunk.length) {
        const end = Math.min(chunk.length, offset + ZSTD_SLICE);
        this.zstd.push(chunk.subarray(offset, end));
        offset = end;
        if (this.full && offset < chunk.length) {
          const at = offset;
          this.paused = () => this.feed(chunk, at, done);
          return;
        }
      }
    } catch (err) {
      done(new Error(`zstd: ${(err as Error).message}`));
      return;
    }
    done();
  }

  override _read(size: number): void {
    this.full = false;
    const paused = this.paused;
    this.paused = null;
    if (paused) paused();
    else super._read(size);
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
