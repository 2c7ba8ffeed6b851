import fuzzysort, { type Prepared } from 'fuzzysort';
import type { Stack } from '../../tree/index.js';
import type { JumpTarget } from './jump-target.js';
import type { TreeIndex } from './tree-index.js';

export interface FindResult {
  path: string;
  /** Characters of the path that matched, for highlighting. */
  indexes: readonly number[];
  /** "L0 A · L2 M · L5 R": what each layer that touched the path did. */
  touches: string;
  target: JumpTarget;
}

const MARK: Record<string, string> = { added: 'A', modified: 'M', removed: 'R', unmodified: '·' };

/**
 * Fuzzy find over every path of every layer. Targets are prepared once per image (fuzzysort's
 * prepared targets make a query over 200k paths take milliseconds, not hundreds of them).
 */
export class PathFinder {
  private prepared: Prepared[] | null = null;

  constructor(private readonly tree: TreeIndex, private readonly stack: Stack) {}

  private targets(): Prepared[] {
    this.prepared ??= this.tree.paths.slice(1).map((p) => fuzzysort.prepare(p));
    return this.prepared;
  }

  search(query: string, limit = 50): FindResult[] {
    if (query.trim() === '') return [];
    const results = fuzzysort.go(query, this.targets(), { limit, threshold: 0.2 });
    return results.map((r) => this.describe(r.target, r.indexes));
  }

  private describe(path: string, indexes: readonly number[]): FindResult {
    const versions = this.stack.history.get(path) ?? [];
    const touched = versions.filter((v) => v.status !== null);
    const last = touched[touched.length - 1] ?? versions[versions.length - 1];
    const layer = last?.layer ?? 0;
    // Shown in the changes of the layer that last touched it; a path that is only ever an implied
    // parent directory is shown in the stacked view instead.
    return {
      path,
      indexes,
      touches: touched.map((v) => `L${v.layer} ${MARK[v.status!]}`).join(' · '),
      target: { path, layer, mode: touched.length > 0 ? 'changes' : 'aggregated' },
    };
  }
}
