import type { ImageAnalysis } from '../../analysis/analyze.js';
import type { TuiState } from '../store/state.js';
import type { RiskyNodes } from '../store/jumps.js';
import { PathFinder, type FindResult } from './find.js';
import type { JumpTarget } from './jump-target.js';
import { riskRows, wasteRows, type ListRow } from './overlay-items.js';
import type { TreeIndex } from './tree-index.js';

/**
 * What the overlays list, derived once per image (risks, waste) or per query (find), so that
 * moving through a list never recomputes it.
 */
export class OverlayData {
  private readonly finder: PathFinder;
  private riskList: ListRow[] | null = null;
  private wasteList: ListRow[] | null = null;
  private risky: RiskyNodes | null = null;
  private lastQuery = '';
  private lastResults: FindResult[] = [];

  constructor(private readonly tree: TreeIndex, private readonly analysis: ImageAnalysis, private readonly layerCount: number) {
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

  find(query: string): FindResult[] {
    if (query !== this.lastQuery) {
      this.lastResults = this.finder.search(query);
      this.lastQuery = query;
    }
    return this.lastResults;
  }

  /** Where Enter leads from each row of the open overlay (null for headings). */
  targets(state: TuiState): ReadonlyArray<JumpTarget | null> {
    const overlay = state.overlay;
    if (overlay?.kind === 'find') return this.find(overlay.query).map((r) => r.target);
    if (overlay?.kind === 'list') return (overlay.list === 'risks' ? this.risks() : this.waste()).map((r) => (r.kind === 'entry' ? r.target : null));
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
