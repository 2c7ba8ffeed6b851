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

/** Matches of a query, found by a pass that ran over all its candidates: what a longer query narrows. */
interface CompletePass {
  query: string;
  /** Every matching id, in `byLength` order. */
  ids: number[];
}

/**
 * Find over every path of every layer, fast enough to run on each keystroke at 200k paths.
 *
 * Most queries are a piece of a name ("seed-data", "sshd"): those are answered by a substring scan
 * over lower-cased paths, ranked by where the match falls: a file named exactly so first, then
 * names that contain it, then paths that contain it in a directory, each by path length. The scan
 * runs over the paths shortest first, so it can stop once the first page of results is known
 * (only exact names, which may be longer, are still looked for, with one cheap test per path); a
 * scan that ran to the end remembers every match, which is all a longer query needs to look at.
 * Only when a query finds fewer than `limit` paths does fuzzysort score everything, so that
 * abbreviations ("sdsql") and typos still find their file.
 */
export class PathFinder {
  /** Queries shorter than this match nearly every path: they would cost a full scan and say nothing. */
  static readonly MIN_QUERY = 2;

  /** Per id: the path lower-cased, where its last component starts in it, and that component's length. */
  private lower: string[] | null = null;
  private nameStart: Int32Array | null = null;
  private nameLength: Int32Array | null = null;
  /** Every id but the root's, by path length, then id: the order results are ranked in. */
  private byLength: Uint32Array | null = null;
  /** The lower-cased paths in `byLength` order, joined by NUL (never in a tar name), and where each starts. */
  private joined: string | null = null;
  private starts: Int32Array | null = null;
  private prepared: Prepared[] | null = null;
  private lastComplete: CompletePass | null = null;

  constructor(private readonly tree: TreeIndex, private readonly stack: Stack) {}

  /** The results for a query: its substring matches, or fuzzysort's when fewer than `limit` match. */
  search(query: string, limit = 50): FindResult[] {
    const quick = this.quickSearch(query, limit);
    return quick.complete ? quick.results : this.fuzzySearch(query, limit);
  }

  /**
   * The substring matches alone (fast at any size); `complete` when they are the results, false
   * when fewer than `limit` match and `search` would ask fuzzysort instead.
   */
  quickSearch(query: string, limit = 50): { results: FindResult[]; complete: boolean } {
    const q = query.trim().toLowerCase();
    if ([...q].length < PathFinder.MIN_QUERY) return { results: [], complete: true };
    const found = this.substringMatches(q, limit);
    const lower = this.lower!;
    const results = found.map((id) => {
      const at = lower[id]!.lastIndexOf(q);
      return this.describe(this.tree.paths[id]!, Array.from({ length: q.length }, (_, k) => at + k));
    });
    return { results, complete: found.length >= limit };
  }

  private fuzzySearch(query: string, limit: number): FindResult[] {
    const q = query.trim().toLowerCase();
    const fuzzy = fuzzysort.go(q, this.preparedTargets(), { limit, threshold: 0.2 });
    return fuzzy.map((r) => this.describe(r.target, r.indexes));
  }

  /** The best `limit` substring matches, best first (fewer when fewer match). */
  private substringMatches(q: string, limit: number): number[] {
    this.index();
    const lower = this.lower!;
    const nameStart = this.nameStart!;
    const nameLength = this.nameLength!;
    const byLength = this.byLength!;
    const exact: number[] = [];
    const inName: number[] = [];
    const inDirectory: number[] = [];
    const all: number[] = [];
    /** Files the match; false once the page is full (then only exact names can still change it). */
    const take = (id: number): boolean => {
      const path = lower[id]!;
      const start = nameStart[id]!;
      all.push(id);
      if (nameLength[id] === q.length && path.endsWith(q)) exact.push(id);
      else if (path.indexOf(q, start) >= 0) inName.push(id);
      else if (inDirectory.length < limit) inDirectory.push(id);
      return exact.length + inName.length < limit;
    };

    // A query that extends one whose matches are all known can only match among them.
    const narrowed = this.lastComplete !== null && q.startsWith(this.lastComplete.query) ? this.lastComplete.ids : null;
    if (narrowed) {
      for (const id of narrowed) if (lower[id]!.includes(q)) take(id);
      this.lastComplete = { query: q, ids: all };
      return exact.concat(inName, inDirectory).slice(0, limit);
    }

    // Otherwise the native search runs through every path at once (they are joined, shortest
    // first), and each hit is looked up by its offset.
    const joined = this.joined!;
    const starts = this.starts!;
    let rank = -1;
    for (let at = joined.indexOf(q); at !== -1; at = joined.indexOf(q, starts[rank + 1]!)) {
      rank = rankAt(starts, at);
      if (!take(byLength[rank]!)) break;
    }
    if (exact.length + inName.length < limit) {
      this.lastComplete = { query: q, ids: all };
    } else {
      // The page is full: a file named exactly so may still come later (longer paths); most paths
      // are dismissed by their name's length without reading them.
      for (let r = rank + 1; r < byLength.length; r++) {
        const id = byLength[r]!;
        if (nameLength[id] === q.length && lower[id]!.endsWith(q)) exact.push(id);
      }
    }
    return exact.concat(inName, inDirectory).slice(0, limit);
  }

  /** Lower-cased paths, where their names start, and the ids by length: built once. */
  private index(): void {
    if (this.byLength !== null) return;
    const paths = this.tree.paths;
    this.lower ??= paths.map((p) => p.toLowerCase());
    const lower = this.lower;
    const nameStart = new Int32Array(lower.length);
    const nameLength = new Int32Array(lower.length);
    let longest = 0;
    for (let id = 0; id < lower.length; id++) {
      const path = lower[id]!;
      nameStart[id] = path.lastIndexOf('/') + 1;
      nameLength[id] = path.length - nameStart[id]!;
      longest = Math.max(longest, path.length);
    }
    // A counting sort by length keeps ids in order within each length.
    const counts = new Uint32Array(longest + 2);
    for (let id = 1; id < lower.length; id++) counts[lower[id]!.length + 1]!++;
    for (let length = 1; length < counts.length; length++) counts[length]! += counts[length - 1]!;
    const byLength = new Uint32Array(Math.max(0, lower.length - 1));
    for (let id = 1; id < lower.length; id++) byLength[counts[lower[id]!.length]!++] = id;
    const starts = new Int32Array(byLength.length + 1);
    let offset = 0;
    for (let rank = 0; rank < byLength.length; rank++) {
      starts[rank] = offset;
      offset += lower[byLength[rank]!]!.length + 1;
    }
    starts[byLength.length] = offset;
    this.joined = Array.from(byLength, (id) => lower[id]!).join('\0');
    this.starts = starts;
    this.nameStart = nameStart;
    this.nameLength = nameLength;
    this.byLength = byLength;
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
    this.index();
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

/** The rank whose path holds offset `at` of the joined paths (`starts` ascending). */
function rankAt(starts: Int32Array, at: number): number {
  let low = 0;
  let high = starts.length - 2;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}
