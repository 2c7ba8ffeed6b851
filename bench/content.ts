/**
 * File bytes for the benchmark images, cheap enough to produce 1.2 GB in seconds: one pool of
 * seeded random bytes, and every file is a slice of it at an offset derived from the file's seed.
 * Small files are copied out and stamped with their seed, so no two of them are equal unless the
 * plan says so (an identical overwrite); large files are 1 MiB slices taken without copying.
 * Nothing is all zeros, and nothing compresses.
 */
import { Prng, mix32 } from './prng.js';

export const POOL_BYTES = 64 * 1024 * 1024;
export const CHUNK_BYTES = 1024 * 1024;

export class ContentPool {
  private readonly pool: Buffer;

  constructor(seed: string) {
    this.pool = Buffer.allocUnsafeSlow(POOL_BYTES);
    new Prng(`${seed}/pool`).fill(this.pool);
  }

  /** The bytes of a file, in chunks of at most CHUNK_BYTES; the same (size, seed) gives the same bytes. */
  *chunks(size: number, seed: number): Generator<Buffer> {
    for (let i = 0, done = 0; done < size; i++) {
      const length = Math.min(CHUNK_BYTES, size - done);
      const offset = mix32(seed, i) % (POOL_BYTES - CHUNK_BYTES);
      if (i === 0) {
        const first = Buffer.allocUnsafe(length);
        this.pool.copy(first, 0, offset, offset + length);
        if (length >= 4) first.writeUInt32LE(seed >>> 0, 0);
        yield first;
      } else {
        yield this.pool.subarray(offset, offset + length);
      }
      done += length;
    }
  }

  /** A small file's bytes in one buffer. */
  bytes(size: number, seed: number): Buffer {
    if (size === 0) return Buffer.alloc(0);
    if (size > CHUNK_BYTES) return Buffer.concat([...this.chunks(size, seed)]);
    const [only] = this.chunks(size, seed);
    return only as Buffer;
  }
}
