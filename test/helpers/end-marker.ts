import { Transform, type TransformCallback } from 'node:stream';

const BLOCK = 512;
const ZERO_BLOCK = Buffer.alloc(BLOCK);

/**
 * Watches an uncompressed tar stream on its way to the parser and remembers where runs of
 * 512-byte-aligned zero blocks lie. A tar ends at two zero blocks where a header is due; tar-stream
 * skips zero blocks and parses on, so without this an estargz table of contents (a tar entry written
 * after the end marker) would be listed as a file. Every byte still flows through, so hashes cover
 * the whole blob.
 */
export class EndMarkerWatch extends Transform {
  private position = 0;
  private carry: Buffer | null = null;
  /** Runs of zero blocks, [start, end) in stream offsets, in order; pruned as the parser moves on. */
  private runs: Array<[number, number]> = [];

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.observe(chunk);
    done(null, chunk);
  }

  private observe(chunk: Buffer): void {
    let data = chunk;
    let base = this.position;
    if (this.carry) {
      data = Buffer.concat([this.carry, chunk]);
      base -= this.carry.length;
      this.carry = null;
    }
    const whole = data.length - (data.length % BLOCK);
    for (let o = 0; o < whole; o += BLOCK) {
      if (data[o] !== 0 || data[o + BLOCK - 1] !== 0) continue;
      if (ZERO_BLOCK.compare(data, o, o + BLOCK) !== 0) continue;
      const start = base + o;
      const last = this.runs[this.runs.length - 1];
      if (last && last[1] === start) last[1] = start + BLOCK;
      else this.runs.push([start, start + BLOCK]);
    }
    if (whole < data.length) this.carry = Buffer.from(data.subarray(whole));
    this.position += chunk.length;
  }

  /**
   * True when two zero blocks lie between the end of the previous entry's data (`from`) and the
   * start of the next header (`to`): that header is past the end of the archive.
   */
  endMarkerBetween(from: number, to: number): boolean {
    while (this.runs.length > 0 && this.runs[0]![1] <= from) this.runs.shift();
    for (const [start, end] of this.runs) {
      if (start >= to) break;
      const overlap = Math.min(end, to) - Math.max(start, from);
      if (overlap >= 2 * BLOCK) return true;
    }
    return false;
  }
}
