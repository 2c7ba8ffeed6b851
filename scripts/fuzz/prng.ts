/** The fuzzer's only source of randomness: seeded, so one (seed, input number) always gives the same input. */
import { createHash } from 'node:crypto';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export class Rng {
  private readonly gen;

  /** Each input gets its own generator, derived from the run's seed and the input's number. */
  constructor(seed: number, index: number) {
    const derived = createHash('sha256').update(`strata-fuzz:${seed}:${index}`).digest().readInt32BE(0);
    this.gen = xoroshiro128plus(derived);
  }

  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return uniformInt(this.gen, lo, hi);
  }

  chance(p: number): boolean {
    return this.int(0, 9999) < p * 10000;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from nothing');
    return items[this.int(0, items.length - 1)]!;
  }

  /** Picks by weight: `[[weight, value], ...]`. */
  weighted<T>(items: ReadonlyArray<readonly [number, T]>): T {
    const total = items.reduce((s, [w]) => s + w, 0);
    let n = this.int(0, total - 1);
    for (const [w, value] of items) {
      if (n < w) return value;
      n -= w;
    }
    return items[items.length - 1]![1];
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(0, 255);
    return out;
  }

  /** A length that is usually small and sometimes large: fuzzing finds more at the edges. */
  length(max: number): number {
    const scale = this.pick([8, 64, 512, 4096, max]);
    return this.int(1, Math.max(1, Math.min(max, scale)));
  }
}
