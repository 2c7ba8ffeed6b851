import type { ImageAnalysis } from '../../analysis/analyze.js';
import type { ListName, TuiState } from '../store/state.js';
import type { RiskyNodes } from '../store/jumps.js';
import { PathFinder, type FindResult, type FindResults } from './find.js';
import type { JumpTarget } from './jump-target.js';
import { packageRows, riskRows, wasteRows, type ListRow } from './overlay-items.js';
import type { TreeIndex } from './tree-index.js';

/**
 * What the overlays list, derived once per image (risks, waste) or per query (find), so that
 * moving through a list never recomputes it.
 */
export class OverlayData {
  private readonly finder: PathFinder;
  private riskList: ListRow[] | null = null;
  private wasteList: ListRow[] | null = null;
  private packageList: ListRow[] | null = null;
  private risky: RiskyNodes | null = null;
  /** The find box's query and what it shows; `settled` once the results are final (fuzzy fallback included). */
  private shown: FindResults & { query: string; settled: boolean } = {
    query: '',
    results: [],
    matches: 0,
    fuzzy: 0,
    settled: true,
  };

  constructor(
    private readonly tree: TreeIndex,
    private readonly analysis: ImageAnalysis,
    private readonly layerCount: number,
  ) {
    this.finder = new PathFinder(tree, analysis.stack);
  }

  /** Starts preparing the finder in idle time; returns a function that stops it. */
  warmUp(): () => void {
    return this.finder.warmUp();
  }

  risks(): ListRow[] {
    this.riskList ??= riskRows(this.analysis, this.layerCount);
    return this.riskList;
  }

  waste(): ListRow[] {
    this.wasteList ??= wasteRows(this.analysis);
    return this.wasteList;
  }

  packages(): ListRow[] {
    if (this.packageList) return this.packageList;
    // The first file of each package in tree order: where Enter puts the cursor.
    const firstFile = new Map<string, string>();
    for (const id of this.tree.byRank) {
      const path = this.tree.paths[id]!;
      const owner = this.analysis.packages.ownerOf(path)?.name;
      if (owner !== undefined && !firstFile.has(owner)) firstFile.set(owner, path);
    }
    this.packageList = packageRows(this.analysis, this.layerCount, firstFile);
    return this.packageList;
  }

  /** The list overlay's rows. */
  list(name: ListName): ListRow[] {
    return name === 'risks' ? this.risks() : name === 'waste' ? this.waste() : this.packages();
  }

  /**
   * What the find box shows for `query`. Substring matches come at once, on every keystroke; when
   * fewer than a page match, the fuzzy fallback (slow on a large image) waits for
   * `settleFind`, which the explorer calls once typing pauses, so that keys never wait for it.
   */
  find(query: string): FindResult[] {
    return this.findCounts(query).results;
  }

  /** `find`, with the counts the find box shows. */
  findCounts(query: string): FindResults {
    if (query !== this.shown.query) {
      const { complete, ...quick } = this.finder.quickSearch(query);
      this.shown = { query, ...quick, settled: complete && quick.matches !== null };
    }
    return this.shown;
  }

  /** The rows of the find box: the results, with a heading above the first fuzzy one (null there). */
  findRows(query: string): Array<FindResult | null> {
    const results = this.find(query);
    const fuzzy = results.findIndex((r) => r.fuzzy);
    return fuzzy < 0 ? results : [...results.slice(0, fuzzy), null, ...results.slice(fuzzy)];
  }

  /** Whether what the find box shows for `query` is final. */
  findSettled(query: string): boolean {
    this.find(query);
    return this.shown.settled;
  }

  /** Makes the results for `query` final; true when that changed what is shown. */
  settleFind(query: string): boolean {
    this.find(query);
    if (this.shown.settled) return false;
    this.shown = { query, ...this.finder.fullSearch(query), settled: true };
    return true;
  }

  /** Where Enter leads from each row of the open overlay (null for headings). */
  targets(state: TuiState): ReadonlyArray<JumpTarget | null> {
    const overlay = state.overlay;
    if (overlay?.kind === 'find') return this.findRows(overlay.query).map((r) => r?.target ?? null);
    if (overlay?.kind === 'list') return this.list(overlay.list).map((r) => (r.kind === 'entry' ? r.target : null));
    return [];
  }

  /** Risky files of the final filesystem as tree nodes, in tree order, with their status-bar line. */
  riskyNodes(): RiskyNodes {
    if (this.risky) return this.risky;
    const describe = new Map<number, string>();
    for (const risk of this.analysis.risks) {
      const node = this.tree.idOf.get(risk.path);
      if (node === undefined || describe.has(node)) continue;
      describe.set(node, `${risk.category} (${risk.severity}) ${risk.path}: ${risk.reason}`);
    }
    const nodes = [...describe.keys()].sort((a, b) => this.tree.rank[a]! - this.tree.rank[b]!);
    this.risky = { nodes, describe };
    return this.risky;
  }
}
