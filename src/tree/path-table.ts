import { NEEDS_CAREFUL_ORDER } from './path-order.js';
import { ROOT, parentOf } from '../layers/path.js';

/**
 * Interns paths as small integers, so the stacking loop indexes arrays instead of hashing strings: each
 * path costs one Map lookup per entry that names it, and its parent is found by index, never by slicing.
 * Interning a path interns its ancestors too. Id 0 is "/".
 */
export class PathTable {
  private readonly ids = new Map<string, number>([[ROOT, 0]]);
  readonly paths: string[] = [ROOT];
  /** Parent id per id; -1 for the root. */
  readonly parents: number[] = [-1];
  /**
   * True once any path holds a code unit at or above U+D800, where native string order stops being byte
   * order (see path-order.ts); checked once per path, when it is interned.
   */
  needsCarefulOrder = false;

  get size(): number {
    return this.paths.length;
  }

  /** The id of a path, interning it (and its missing ancestors) when new. */
  intern(path: string): number {
    const known = this.ids.get(path);
    if (known !== undefined) return known;
    // Up to the nearest known ancestor, then down again, in loops: a path may be deeper than any call
    // stack. Its ancestors are its prefixes, so one look at the path itself covers them all.
    const missing = [path];
    let above = parentOf(path);
    let parent = this.ids.get(above); // the root is always known: the walk ends there at the latest
    while (parent === undefined) {
      missing.push(above);
      above = parentOf(above);
      parent = this.ids.get(above);
    }
    if (!this.needsCarefulOrder && NEEDS_CAREFUL_ORDER.test(path)) this.needsCarefulOrder = true;
    for (let i = missing.length - 1; i >= 0; i--) {
      const id = this.paths.length;
      this.ids.set(missing[i]!, id);
      this.paths.push(missing[i]!);
      this.parents.push(parent);
      parent = id;
    }
    return parent;
  }

  /** The id of a path if it was ever interned (a path never interned was never visible). */
  lookup(path: string): number | undefined {
    return this.ids.get(path);
  }
}
