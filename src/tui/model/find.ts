import fuzzysort, { type Result } from 'fuzzysort';
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
  /** Found by fuzzysort (an abbreviation), not as a substring. */
  fuzzy: boolean;
}

/** What a query found: the results shown, and how many paths hold it as a substring. */
export interface FindResults {
  results: FindResult[];
  /** Paths holding the query as a substring, all counted; null when more than a page do and they were not. */
  matches: number | null;
  /** Results fuzzysort added after the substring matches. */
  fuzzy: number;
}

const MARK: Record<string, string> = { added: 'A', modified: 'M', removed: 'R', unmodified: '·' };

/** fuzzysort's score (0 to 1) below which a match is too loose to list. */
export const FUZZY_THRESHOLD = 0.2;

/** Matches of a query, found by a pass that ran over all its candidates: what a longer query narrows. */
interface CompletePass {
  query: string;
  /** Every matching id, in the order the pass visited them. */
  ids: number[];
}

/**
 * Find over every path of every layer, fast enough to run on each keystroke at 200k paths.
 *
 * Most queries are a piece of a name ("seed-data", "sshd"): those are answered by a substring scan
 * over lower-cased paths, ranked by where the match falls: a file named exactly so first, then
 * names that contain it, then paths that contain it in a directory, each by path length. The names
 * are scanned first, shortest path first, so the scan can stop once a page of names holds the
 * query (exact names, which may come later, are then read from the names of the query's length);
 * only when fewer do, the whole paths are scanned, to the end: that pass remembers every match,
 * which is all a longer query needs to look at.
 * Only when a query finds fewer than `limit` paths does fuzzysort score paths, so that
 * abbreviations ("sdsql") still find their file; `quickSearch` leaves that part out, for callers
 * that run it later (the explorer does, once typing pauses).
 */
export class PathFinder {
  /** Queries shorter than this match nearly every path: they would cost a full scan and say nothing. */
  static readonly MIN_QUERY = 2;

  /** Per id: the path lower-cased, where its last component starts in it, and that component's length. */
  private lower: string[] | null = null;
  private nameStart: Int32Array | null = null;
  private nameLength: Int32Array | null = null;
  /** Every id but the root's, by path length, then id: the order results are ranked in. */
  private byLength: Int32Array | null = null;
  /** The lower-cased paths in `byLength` order, joined by NUL (never in a tar name), and where each starts. */
  private joined: string | null = null;
  private starts: Int32Array | null = null;
  /** The same for their last components alone: what a query is first looked for in. */
  private joinedNames: string | null = null;
  private nameStarts: Int32Array | null = null;
  /**
   * Ranks grouped by their name's length (ascending within a group): group L is at
   * [byNameLengthStart[L], byNameLengthStart[L + 1]).
   */
  private ranksByNameLength: Int32Array | null = null;
  private byNameLengthStart: Int32Array | null = null;
  /** The last fuzzy query's candidates: every path that holds its characters in order. */
  private lastFuzzy: CompletePass | null = null;
  private lastComplete: CompletePass | null = null;

  constructor(
    private readonly tree: TreeIndex,
    private readonly stack: Stack,
  ) {}

  /** The results for a query: its substring matches, then fuzzysort's (never the same path twice) up to `limit`. */
  search(query: string, limit = 50): FindResult[] {
    return this.fullSearch(query, limit).results;
  }

  /** `search`, with every substring match counted. */
  fullSearch(query: string, limit = 50): FindResults {
    const quick = this.quickSearch(query, limit);
    const matches = quick.matches ?? this.count(query);
    if (quick.results.length >= limit || [...query.trim()].length < PathFinder.MIN_QUERY)
      return { results: quick.results, matches, fuzzy: 0 };
    const found = new Set(quick.results.map((r) => r.path));
    const extra = this.fuzzySearch(query, limit)
      .filter((r) => !found.has(r.path))
      .slice(0, limit - quick.results.length);
    return { results: quick.results.concat(extra), matches, fuzzy: extra.length };
  }

  /**
   * The substring matches alone (fast at any size); `complete` when they are the results, false
   * when fewer than `limit` match and `search` would add fuzzysort's. `matches` is null when the scan
   * stopped at a page of names, before counting them all.
   */
  quickSearch(query: string, limit = 50): FindResults & { complete: boolean } {
    const q = query.trim().toLowerCase();
    if ([...q].length < PathFinder.MIN_QUERY) return { results: [], matches: 0, fuzzy: 0, complete: true };
    const { ids, total } = this.substringMatches(q, limit);
    const lower = this.lower!;
    const results = ids.map((id) => {
      const at = lower[id]!.lastIndexOf(q);
      return this.describe(
        this.tree.paths[id]!,
        Array.from({ length: q.length }, (_, k) => at + k),
        false,
      );
    });
    return { results, matches: total, fuzzy: 0, complete: ids.length >= limit };
  }

  /** How many paths hold the query as a substring: one native search through every path. */
  count(query: string): number {
    const q = query.trim().toLowerCase();
    if ([...q].length < PathFinder.MIN_QUERY) return 0;
    this.index();
    const joined = this.joined!;
    const starts = this.starts!;
    let count = 0;
    let rank = -1;
    for (let at = joined.indexOf(q); at !== -1; at = joined.indexOf(q, starts[rank + 1]!)) {
      rank = rankAt(starts, at);
      count++;
    }
    return count;
  }

  /**
   * fuzzysort's best `limit` matches (score at least FUZZY_THRESHOLD), best score first, then tree
   * order. Only paths that hold the query's characters in order can match; each of those is
   * prepared, scored and dropped in turn, so the memory used is that of the best `limit` (preparing
   * every path up front would hold hundreds of bytes a path).
   */
  private fuzzySearch(query: string, limit: number): FindResult[] {
    const q = query.trim().toLowerCase();
    const paths = this.tree.paths;
    const best: Array<{ score: number; result: Result }> = [];
    for (const id of this.fuzzyCandidates(q)) {
      const result = fuzzysort.single(q, fuzzysort.prepare(paths[id]!));
      if (result === null || result.score < FUZZY_THRESHOLD) continue;
      // An equal score found earlier ranks first.
      if (best.length === limit && result.score <= best[limit - 1]!.score) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]!.score < result.score) at--;
      best.splice(at, 0, { score: result.score, result });
      if (best.length > limit) best.pop();
    }
    return best.map(({ result }) => this.describe(result.target, result.indexes, true));
  }

  /** The ids fuzzysort may match for `q`, in tree order: those that hold its characters in order. */
  private fuzzyCandidates(q: string): number[] {
    const paths = this.tree.paths;
    const codes = fuzzyCodes(q);
    const narrowed =
      codes !== null && this.lastFuzzy !== null && q.startsWith(this.lastFuzzy.query) ? this.lastFuzzy.ids : null;
    const ids: number[] = [];
    if (narrowed) {
      for (const id of narrowed) if (inOrder(codes!, paths[id]!)) ids.push(id);
    } else {
      for (let id = 1; id < paths.length; id++) if (codes === null || inOrder(codes, paths[id]!)) ids.push(id);
    }
    this.lastFuzzy = codes === null ? null : { query: q, ids };
    return ids;
  }

  /**
   * The best `limit` substring matches, best first (fewer when fewer match), and how many paths match
   * in all (null when the scan stopped early, at a page of names).
   */
  private substringMatches(q: string, limit: number): { ids: number[]; total: number | null } {
    this.index();
    const lower = this.lower!;
    const nameStart = this.nameStart!;
    const nameLength = this.nameLength!;
    const byLength = this.byLength!;
    const exact: number[] = [];
    const inName: number[] = [];
    const inDirectory: number[] = [];
    const all: number[] = [];

    // A query that extends one whose matches are all known can only match among them.
    const narrowed = this.lastComplete !== null && q.startsWith(this.lastComplete.query) ? this.lastComplete.ids : null;
    if (narrowed) {
      for (const id of narrowed) {
        const path = lower[id]!;
        if (!path.includes(q)) continue;
        all.push(id);
        if (nameLength[id] === q.length && path.endsWith(q)) exact.push(id);
        else if (path.indexOf(q, nameStart[id]!) >= 0) inName.push(id);
        else if (inDirectory.length < limit) inDirectory.push(id);
      }
      this.lastComplete = { query: q, ids: all };
      return { ids: exact.concat(inName, inDirectory).slice(0, limit), total: all.length };
    }

    // Otherwise the native search runs through every name at once (they are joined, in rank
    // order), each hit looked up by its offset: names rank first, and a query held by many
    // directories ("us", "et") need not wade through them when a page of names holds it.
    const names = this.joinedNames!;
    const nameStarts = this.nameStarts!;
    let rank = -1;
    for (let at = names.indexOf(q); at !== -1; at = names.indexOf(q, nameStarts[rank + 1]!)) {
      rank = rankAt(nameStarts, at);
      const id = byLength[rank]!;
      if (nameLength[id] === q.length) exact.push(id);
      else inName.push(id);
      if (exact.length + inName.length < limit) continue;
      // The page is full: a file named exactly so may still come later (longer paths); only the
      // names of the query's length are read.
      const group = this.ranksByNameLength!;
      const groupStart = this.byNameLengthStart!;
      const end = q.length + 1 < groupStart.length ? groupStart[q.length + 1]! : groupStart[groupStart.length - 1]!;
      for (
        let at = q.length < groupStart.length ? firstAbove(group, groupStart[q.length]!, end, rank) : end;
        at < end;
        at++
      ) {
        const later = byLength[group[at]!]!;
        if (lower[later]!.endsWith(q)) exact.push(later);
      }
      return { ids: exact.concat(inName).slice(0, limit), total: null };
    }

    // Fewer than a page of names: every path that holds the query, in rank order (all of them, so
    // that a longer query looks only there), the ones holding it outside their name last.
    const joined = this.joined!;
    const starts = this.starts!;
    rank = -1;
    for (let at = joined.indexOf(q); at !== -1; at = joined.indexOf(q, starts[rank + 1]!)) {
      rank = rankAt(starts, at);
      const id = byLength[rank]!;
      all.push(id);
      if (inDirectory.length < limit && lower[id]!.indexOf(q, nameStart[id]!) < 0) inDirectory.push(id);
    }
    this.lastComplete = { query: q, ids: all };
    return { ids: exact.concat(inName, inDirectory).slice(0, limit), total: all.length };
  }

  /** Lower-cased paths, where their names start, the ids by length, and the joined texts: built once. */
  private index(): void {
    if (this.byLength !== null) return;
    const paths = this.tree.paths;
    this.lower ??= paths.map((p) => p.toLowerCase());
    const lower = this.lower;
    const nameStart = new Int32Array(lower.length);
    const nameLength = new Int32Array(lower.length);
    let longest = 0;
    let longestName = 0;
    for (let id = 0; id < lower.length; id++) {
      const path = lower[id]!;
      nameStart[id] = path.lastIndexOf('/') + 1;
      nameLength[id] = path.length - nameStart[id]!;
      longest = Math.max(longest, path.length);
      longestName = Math.max(longestName, nameLength[id]!);
    }
    const ids = Int32Array.from({ length: Math.max(0, lower.length - 1) }, (_, k) => k + 1);
    const byLength = groupedBy(ids, (id) => lower[id]!.length, longest).order;
    ({ joined: this.joined, starts: this.starts } = joinedWithStarts(Array.from(byLength, (id) => lower[id]!)));
    ({ joined: this.joinedNames, starts: this.nameStarts } = joinedWithStarts(
      Array.from(byLength, (id) => lower[id]!.slice(nameStart[id]!)),
    ));
    const ranks = Int32Array.from(byLength, (_, rank) => rank);
    ({ order: this.ranksByNameLength, start: this.byNameLengthStart } = groupedBy(
      ranks,
      (rank) => nameLength[byLength[rank]!]!,
      longestName,
    ));
    this.nameStart = nameStart;
    this.nameLength = nameLength;
    this.byLength = byLength;
  }

  /**
   * Builds the search index while the user looks at the screen (200 ms after the first frame), so
   * that the first query does not pay for it. Returns a function that cancels it.
   */
  warmUp(delayMs = 200): () => void {
    const timer = setTimeout(() => this.index(), delayMs);
    return () => clearTimeout(timer);
  }

  private describe(path: string, indexes: readonly number[], fuzzy: boolean): FindResult {
    const versions = this.stack.versionsOf(path);
    const touched = versions.filter((v) => v.status !== null);
    const last = touched[touched.length - 1] ?? versions[versions.length - 1];
    // Shown in the changes of the layer that last touched it; a path that is only ever an implied
    // parent directory is shown in the stacked view instead.
    return {
      path,
      indexes,
      touches: touched.map((v) => `L${v.layer} ${MARK[v.status!]}`).join(' · '),
      target: { path, layer: last?.layer ?? 0, mode: touched.length > 0 ? 'changes' : 'aggregated' },
      fuzzy,
    };
  }
}

/**
 * A stable counting sort: `items` grouped by their key (0..maxKey), in their order within a group;
 * group k is order[start[k], start[k + 1]).
 */
function groupedBy(
  items: Int32Array,
  keyOf: (item: number) => number,
  maxKey: number,
): { order: Int32Array; start: Int32Array } {
  const start = new Int32Array(maxKey + 2);
  for (const item of items) start[keyOf(item) + 1]!++;
  for (let key = 1; key < start.length; key++) start[key]! += start[key - 1]!;
  const next = start.slice();
  const order = new Int32Array(items.length);
  for (const item of items) order[next[keyOf(item)]!++] = item;
  return { order, start };
}

/** Texts joined by NUL (never in a tar name), and where each starts, with the total length last. */
function joinedWithStarts(texts: readonly string[]): { joined: string; starts: Int32Array } {
  const starts = new Int32Array(texts.length + 1);
  let offset = 0;
  texts.forEach((text, k) => {
    starts[k] = offset;
    offset += text.length + 1;
  });
  starts[texts.length] = offset;
  return { joined: texts.join('\0'), starts };
}

/** The first position in sorted[from, to) holding a value above `value` (`to` when none does). */
function firstAbove(sorted: Int32Array, from: number, to: number, value: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The rank whose text holds offset `at` of the joined texts. */
function rankAt(starts: Int32Array, at: number): number {
  return firstAbove(starts, 0, starts.length - 1, at) - 1;
}

/**
 * The query as fuzzysort compares it (lower case; \\ read as /, " and ` as '), as char codes; null
 * when it holds a space or a non-ASCII character, whose handling (word splitting, accent folding)
 * is left whole to fuzzysort.
 */
function fuzzyCodes(q: string): number[] | null {
  const codes: number[] = [];
  for (let i = 0; i < q.length; i++) {
    const code = foldAscii(q.charCodeAt(i));
    if (code < 0 || code === 0x20) return null;
    codes.push(code);
  }
  return codes;
}

/** An ASCII char code as fuzzysort folds it, or -1 for a non-ASCII one. */
function foldAscii(code: number): number {
  if (code > 0x7f) return -1;
  if (code >= 0x41 && code <= 0x5a) return code + 0x20;
  if (code === 0x5c) return 0x2f; // \ → /
  if (code === 0x22 || code === 0x60) return 0x27; // " and ` → '
  return code;
}

/** Whether the folded query codes occur in `path` in order; true for a path fuzzysort folds otherwise (non-ASCII). */
function inOrder(codes: readonly number[], path: string): boolean {
  let next = 0;
  for (let i = 0; i < path.length && next < codes.length; i++) {
    const code = foldAscii(path.charCodeAt(i));
    if (code < 0) return true;
    if (code === codes[next]) next++;
  }
  return next === codes.length;
}
