import { createGunzip } from 'node:zlib';
import { Transform, type TransformCallback } from 'node:stream';
import { Decompress as ZstdDecompress } from 'fzstd';
import type { Compression } from './types.js';

/** gunzip is about twice as fast with large output chunks than with zlib's 16 KiB default. */
const GUNZIP_CHUNK = 512 * 1024;

/** Tells compressions apart by magic bytes, never by name or media type. */
export function sniffCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/** A stream that decompresses `compression`, or null for plain data. */
export function createDecompressor(compression: Compression): Transform | null {
  switch (compression) {
    case 'gzip': return createGunzip({ chunkSize: GUNZIP_CHUNK });
    case 'zstd': return new ZstdTransform();
    case 'none': return null;
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

export function layerMediaType(compression: Compression, flavour: 'oci' | 'docker'): string {
  if (flavour === 'oci') {
    return compression === 'none' ? 'application/vnd.oci.image.layer.v1.tar' : `application/vnd.oci.image.layer.v1.tar+${compression}`;
  }
  switch (compression) {
    case 'none': return 'application/vnd.docker.image.rootfs.diff.tar';
    case 'gzip': return 'application/vnd.docker.image.rootfs.diff.tar.gzip';
    case 'zstd': return 'application/vnd.docker.image.rootfs.diff.tar.zstd';
  }
}
