/**
 * A bounded memo for the texts of a few frames: what was used since the previous generation began
 * stays, the rest is dropped in bulk when a generation fills (no per-entry bookkeeping).
 */
export class TwoGenerations<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(private readonly generationSize: number) {}

  /** The remembered value for `key`, or `compute(key)`, remembered. */
  get(key: string, compute: (key: string) => V): V {
    let value = this.current.get(key);
    if (value !== undefined) return value;
    value = this.previous.get(key) ?? compute(key);
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
    return value;
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}
