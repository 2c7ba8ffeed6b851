import type { ChangeStatus, PathState, PathVersion } from './types.js';

/** Status codes as the stack stores them (a byte each): 0 for a version that only implied the path. */
const STATUS_OF: readonly (ChangeStatus | null)[] = [null, 'added', 'modified', 'removed', 'unmodified'];
const CODE_OF: Record<ChangeStatus, number> = { added: 1, modified: 2, removed: 3, unmodified: 4 };

export function encodeStatus(status: ChangeStatus | null): number {
  return status === null ? 0 : CODE_OF[status];
}

export function decodeStatus(code: number): ChangeStatus | null {
  return STATUS_OF[code] ?? null;
}

/**
 * Every path's versions, grouped by path key and in layer order within a path, in flat arrays: one
 * number, one byte and one reference per version, where an object per version and an array per
 * path would cost several times as much in an image of hundreds of thousands of versions.
 */
export class VersionTable {
  constructor(
    /** Versions of key k are at [start[k], start[k + 1]). */
    private readonly start: Int32Array,
    private readonly layers: Int32Array,
    private readonly statuses: Uint8Array,
    private readonly states: readonly (PathState | null)[],
  ) {}

  /** How many versions the path with this key has (0: never visible, or not a key). */
  count(key: number): number {
    return key >= 0 && key + 1 < this.start.length ? this.start[key + 1]! - this.start[key]! : 0;
  }

  /** The index of the version of `key` in force after `layer` (the latest with layer ≤ `layer`), or -1. */
  indexAt(key: number, layer: number): number {
    if (this.count(key) === 0) return -1;
    let low = this.start[key]!;
    let high = this.start[key + 1]! - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (this.layers[middle]! <= layer) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  /** The layer of the version at `index` (from `indexAt`). */
  layerOf(index: number): number {
    return this.layers[index]!;
  }

  /** Its status; null when the layer only implied the path as a parent directory. */
  statusOf(index: number): ChangeStatus | null {
    return decodeStatus(this.statuses[index]!);
  }

  /** The visible state after it; null once the path is gone. */
  stateOf(index: number): PathState | null {
    return this.states[index]!;
  }

  /** The versions of `key`, in layer order, as objects (made on each call). */
  versions(key: number): PathVersion[] {
    const versions: PathVersion[] = [];
    if (this.count(key) === 0) return versions;
    for (let index = this.start[key]!, end = this.start[key + 1]!; index < end; index++) {
      versions.push({ layer: this.layers[index]!, status: this.statusOf(index), state: this.states[index]! });
    }
    return versions;
  }
}

/** Versions as stacking records them, layer after layer; `seal` groups them by path key. */
export class VersionLog {
  private readonly keys: number[] = [];
  private readonly layers: number[] = [];
  private readonly statuses: number[] = [];
  private readonly states: (PathState | null)[] = [];

  /** Records a version of the path `key`; versions of one path must come in layer order. */
  add(key: number, layer: number, status: ChangeStatus | null, state: PathState | null): void {
    this.keys.push(key);
    this.layers.push(layer);
    this.statuses.push(encodeStatus(status));
    this.states.push(state);
  }

  /** The versions grouped by key (keys below `keyCount`), each path's in the order they were added. */
  seal(keyCount: number): VersionTable {
    const total = this.keys.length;
    const start = new Int32Array(keyCount + 1);
    for (const key of this.keys) start[key + 1]!++;
    for (let key = 0; key < keyCount; key++) start[key + 1]! += start[key]!;
    const next = start.slice(0, keyCount);
    const layers = new Int32Array(total);
    const statuses = new Uint8Array(total);
    const states = new Array<PathState | null>(total);
    for (let i = 0; i < total; i++) {
      const at = next[this.keys[i]!]!++;
      layers[at] = this.layers[i]!;
      statuses[at] = this.statuses[i]!;
      states[at] = this.states[i]!;
    }
    return new VersionTable(start, layers, statuses, states);
  }
}
