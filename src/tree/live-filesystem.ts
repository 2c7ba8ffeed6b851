import type { PathTable } from './path-table.js';
import type { PathState } from './types.js';

/**
 * The visible filesystem while layers are being stacked, indexed by path id: id → state, plus
 * directory → child ids, so a subtree is removed in time proportional to its size (never by scanning).
 *
 * Invariant: every present path's parent is present as a directory (or is the root). Callers keep it by
 * creating parents before children and by removing whole subtrees.
 */
export class LiveFilesystem {
  private readonly states: (PathState | undefined)[] = [undefined];
  private readonly children: (Set<number> | undefined)[] = [undefined];

  constructor(private readonly table: PathTable) {}

  /** Makes room for ids interned since the last call. */
  grow(): void {
    while (this.states.length < this.table.size) {
      this.states.push(undefined);
      this.children.push(undefined);
    }
  }

  get(id: number): PathState | undefined {
    return this.states[id];
  }

  /**
   * Puts a state at a path whose parent is already a directory. `previous` must be what `get(id)` returns
   * now (callers have just read it).
   */
  put(id: number, state: PathState, previous: PathState | undefined): void {
    if (previous === undefined) {
      const parent = this.table.parents[id]!;
      (this.children[parent] ??= new Set()).add(id);
    }
    this.states[id] = state;
  }

  /** Removes a path and everything under it; `onRemove` sees each path (and its state) before it goes. */
  removeSubtree(id: number, onRemove: (id: number, state: PathState) => void): void {
    const state = this.states[id];
    if (state === undefined) return;
    this.removeDescendants(id, onRemove);
    onRemove(id, state);
    this.states[id] = undefined;
    this.children[this.table.parents[id]!]?.delete(id);
  }

  /** Removes everything under a path (which may be the root), keeping the path itself. */
  removeDescendants(id: number, onRemove: (id: number, state: PathState) => void): void {
    const top = this.children[id];
    if (top === undefined || top.size === 0) return;
    // Iterative depth-first walk: deep trees must not overflow the call stack.
    const pending: number[] = [...top];
    this.children[id] = undefined;
    while (pending.length > 0) {
      const current = pending.pop()!;
      const below = this.children[current];
      if (below !== undefined) {
        for (const child of below) pending.push(child);
        this.children[current] = undefined;
      }
      const state = this.states[current];
      if (state !== undefined) {
        onRemove(current, state);
        this.states[current] = undefined;
      }
    }
  }

  /** The visible filesystem as path-keyed maps (built once, at the end). */
  export(): { states: Map<string, PathState>; children: Map<string, Set<string>> } {
    const { paths } = this.table;
    const states = new Map<string, PathState>();
    const children = new Map<string, Set<string>>();
    this.states.forEach((state, id) => {
      if (state !== undefined) states.set(paths[id]!, state);
    });
    this.children.forEach((ids, id) => {
      if (ids !== undefined && ids.size > 0) children.set(paths[id]!, new Set([...ids].map((child) => paths[child]!)));
    });
    return { states, children };
  }
}
