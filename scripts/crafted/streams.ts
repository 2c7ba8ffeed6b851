/**
 * Layers too large to hold in memory, made a piece at a time: a decompression bomb (gigabytes of zeros
 * in a few megabytes of gzip, or a few kilobytes of zstd) and a layer of a million entries.
 */
import { createHash } from 'node:crypto';
import { constants, crc32, deflateRawSync, gzipSync } from 'node:zlib';

const MIB = 1024 * 1024;

/** A ustar header for a regular file of `size` bytes (octal up to 8 GiB - 1), checksum included. */
export function fileHeader(name: string, size: number, typeflag = '0'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  h.write('14630331400\0', 136, 'latin1');
  h.write(typeflag, 156, 'latin1');
  h.write('ustar\x0000', 257, 'latin1');
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

/** A layer and the digest of its uncompressed tar (its diff_id), made without holding that tar. */
export interface BigLayer {
  blob: Buffer;
  diffId: string;
}

/**
 * A gzip layer holding one file of `size` zeros. Deflate cannot beat about 1:1000, so the blob is
 * size/1000 bytes; each MiB of zeros is compressed once, ended with a full flush (so the piece stands
 * alone, byte-aligned) and repeated.
 */
export function gzipZeroBomb(size: number): BigLayer {
  const header = fileHeader('zeros', size);
  const tail = 1024 + ((512 - (size % 512)) % 512); // padding and the end marker: zeros too
  const total = size + tail;
  const flush = { finishFlush: constants.Z_FULL_FLUSH };
  const zeros = Buffer.alloc(MIB);
  const piece = deflateRawSync(zeros, flush);
  const hash = createHash('sha256').update(header);
  let crc = crc32(header);
  const parts: Buffer[] = [Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), deflateRawSync(header, flush)];
  let left = total;
  while (left > 0) {
    const n = Math.min(MIB, left);
    const chunk = n === MIB ? zeros : zeros.subarray(0, n);
    hash.update(chunk);
    crc = crc32(chunk, crc);
    parts.push(n === MIB ? piece : deflateRawSync(chunk, flush));
    left -= n;
  }
  parts.push(deflateRawSync(Buffer.alloc(0)));
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE((512 + total) % 2 ** 32, 4);
  parts.push(trailer);
  return { blob: Buffer.concat(parts), diffId: `sha256:${hash.digest('hex')}` };
}

/**
 * A zstd layer holding one file of `size` zeros: RLE blocks of 128 KiB, four bytes each, so 2 GiB of
 * zeros fit in 64 KiB. The frame declares no content size, as a streamed `zstd` writes it.
 */
export function zstdZeroBomb(size: number): BigLayer {
  const header = fileHeader('zeros', size);
  const total = size + 1024 + ((512 - (size % 512)) % 512);
  const block = 128 * 1024;
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, (17 - 10) << 3])];
  const blockHeader = (type: number, bytes: number, last: boolean): Buffer => {
    const word = (bytes << 3) | (type << 1) | (last ? 1 : 0);
    return Buffer.from([word & 0xff, (word >> 8) & 0xff, (word >> 16) & 0xff]);
  };
  parts.push(blockHeader(0, header.length, false), header);
  const hash = createHash('sha256').update(header);
  const zeros = Buffer.alloc(block);
  for (let left = total; left > 0; ) {
    const n = Math.min(block, left);
    left -= n;
    parts.push(blockHeader(1, n, left === 0), Buffer.from([0]));
    hash.update(n === block ? zeros : zeros.subarray(0, n));
  }
  return { blob: Buffer.concat(parts), diffId: `sha256:${hash.digest('hex')}` };
}

/**
 * A gzip layer of `count` empty files in directories of a thousand (`d0/f0`…), written header by
 * header into gzip pieces: a million entries are 512 MB of tar, never held whole.
 */
export function manyEntriesLayer(count: number): BigLayer {
  const hash = createHash('sha256');
  const gzipParts: Buffer[] = [];
  const perDir = 1000;
  let batch: Buffer[] = [];
  let uncompressed: Buffer[] = [];
  const flushBatch = (): void => {
    if (batch.length === 0) return;
    const data = Buffer.concat(batch);
    hash.update(data);
    uncompressed.push(data);
    batch = [];
  };
  // gzip members can follow each other: each 32 MiB of tar is its own member, as pigz writes them.
  const emit = (): void => {
    flushBatch();
    if (uncompressed.length === 0) return;
    gzipParts.push(gzipSync(Buffer.concat(uncompressed), { level: 1 }));
    uncompressed = [];
  };
  let pending = 0;
  for (let i = 0; i < count; i++) {
    if (i % perDir === 0) batch.push(fileHeader(`d${i / perDir}/`, 0, '5'));
    batch.push(fileHeader(`d${Math.floor(i / perDir)}/f${i % perDir}`, 0));
    pending += 512;
    if (batch.length >= 4096) flushBatch();
    if (pending >= 32 * MIB) {
      emit();
      pending = 0;
    }
  }
  batch.push(Buffer.alloc(1024));
  emit();
  return { blob: Buffer.concat(gzipParts), diffId: `sha256:${hash.digest('hex')}` };
}
