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
 * Find over every path of every layer, fast enough to run on each keystroke at 200k paths.
 *
 * Most queries are a piece of a name ("seed-data", "sshd"): those are answered by a substring scan
 * over lower-cased paths, narrowed as the query grows (a longer query only matches what the shorter
 * one did), and ranked by where the match falls (in the file name first, then shorter paths).
 * Only when that finds fewer than `limit` paths does fuzzysort score everything, so abbreviations
 * ("sdsql") and typos still find their file.
 */
export class PathFinder {
  /** Queries shorter than this match nearly every path: they would cost a full scan and say nothing. */
  static readonly MIN_QUERY = 2;

  private lower: string[] | null = null;
  private prepared: Prepared[] | null = null;
  private lastQuery = '';
  private lastMatches: number[] | null = null;

  constructor(private readonly tree: TreeIndex, private readonly stack: Stack) {}

  search(query: string, limit = 50): FindResult[] {
    const q = query.trim().toLowerCase();
    if ([...q].length < PathFinder.MIN_QUERY) return [];
    const matches = this.substringMatches(q);
    if (matches.length >= limit) return this.rankSubstring(matches, q, limit);
    const fuzzy = fuzzysort.go(q, this.preparedTargets(), { limit, threshold: 0.2 });
    return fuzzy.map((r) => this.describe(r.target, r.indexes));
  }

  private substringMatches(q: string): number[] {
    this.lower ??= this.tree.paths.map((p) => p.toLowerCase());
    const lower = this.lower;
    // A query that extends the previous one can only match what it matched.
    const pool = this.lastMatches && q.startsWith(this.lastQuery) ? this.lastMatches : null;
    const matches: number[] = [];
    if (pool) {
      for (const id of pool) if (lower[id]!.includes(q)) matches.push(id);
    } else {
      for (let id = 1; id < lower.length; id++) if (lower[id]!.includes(q)) matches.push(id);
    }
    this.lastQuery = q;
    this.lastMatches = matches;
    return matches;
  }

  /** The best `limit` substring matches: in the file name before in a directory, then shorter paths. */
  private rankSubstring(matches: number[], q: string, limit: number): FindResult[] {
    const lower = this.lower!;
    const score = (id: number): number => {
      const path = lower[id]!;
      const nameStart = path.lastIndexOf('/') + 1;
      const at = path.lastIndexOf(q);
      const inName = at >= nameStart ? 0 : 1_000_000;
      const exactName = path.length - nameStart === q.length ? -500_000 : 0;
      return inName + exactName + path.length;
    };
    // Bounded selection: keep the best `limit` in a sorted array; most candidates lose against the
    // worst kept one with a single comparison, so 200k matches cost one pass, not a sort.
    const best: Array<readonly [number, number]> = [];
    for (const id of matches) {
      const s = score(id);
      if (best.length === limit && s >= best[limit - 1]![0]) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]![0] > s) at--;
      best.splice(at, 0, [s, id]);
      if (best.length > limit) best.pop();
    }
    return best.map(([, id]) => {
      const path = this.tree.paths[id]!;
      const at = lower[id]!.lastIndexOf(q);
      return this.describe(path, Array.from({ length: q.length }, (_, k) => at + k));
    });
  }

  private preparedTargets(): Prepared[] {
    while (this.prepareSlice(Infinity)) {
      // finish what warmUp() has not done yet
    }
    return this.prepared!;
  }

  /** Prepares up to `count` more targets; false once all are prepared. */
  private prepareSlice(count: number): boolean {
    this.prepared ??= [];
    const paths = this.tree.paths;
    const end = Math.min(paths.length, this.prepared.length + 1 + count);
    for (let id = this.prepared.length + 1; id < end; id++) this.prepared.push(fuzzysort.prepare(paths[id]!));
    this.lower ??= paths.map((p) => p.toLowerCase());
    return this.prepared.length + 1 < paths.length;
  }

  /**
   * Prepares fuzzysort's targets in small slices while the user looks at the screen, so the first
   * fuzzy query does not pay for 200k preparations. Returns a function that stops it.
   */
  warmUp(slice = 1500, gapMs = 15): () => void {
    // Small slices with gaps: a key pressed meanwhile waits a few milliseconds at most.
    let timer: NodeJS.Timeout | null = null;
    const step = (): void => {
      timer = this.prepareSlice(slice) ? setTimeout(step, gapMs) : null;
    };
    timer = setTimeout(step, 200);
    return () => {
      if (timer) clearTimeout(timer);
    };
  }

  private describe(path: string, indexes: readonly number[]): FindResult {
    const versions = this.stack.history.get(path) ?? [];
    const touched = versions.filter((v) => v.status !== null);
    const last = touched[touched.length - 1] ?? versions[versions.length - 1];
    // Shown in the changes of the layer that last touched it; a path that is only ever an implied
    // parent directory is shown in the stacked view instead.
    return {
      path,
      indexes,
      touches: touched.map((v) => `L${v.layer} ${MARK[v.status!]}`).join(' · '),
      target: { path, layer: last?.layer ?? 0, mode: touched.length > 0 ? 'changes' : 'aggregated' },
    };
  }
}
