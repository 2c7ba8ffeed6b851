import type { LayerIndex } from '../layers/types.js';
import { PlanSlots, planLayer, type LayerPlan } from './layer-plan.js';
import { LiveFilesystem } from './live-filesystem.js';
import { compareBytewise, compareNative } from './path-order.js';
import { PathTable } from './path-table.js';
import { PieceLedger } from './piece-ledger.js';
import { impliedDirState, isSameState } from './state.js';
import type {
  ChangeStatus,
  FileChange,
  LayerChanges,
  PathState,
  PathVersion,
  Piece,
  Stack,
  StatusCounts,
} from './types.js';
import { decodeStatus, encodeStatus, VersionLog, type VersionTable } from './versions.js';

/**
 * Stacks layers with OCI image-spec semantics and reports, per layer, exactly which paths it changed
 * (docs/analysis.md). One pass, one layer at a time, over a single live filesystem: plan the layer's
 * entries in tar order, hide what its whiteouts and opaque markers name, apply its entries in path order
 * (parents first), then judge every touched path by its visible state before and after. Paths are
 * interned to integers, so the cost is linear in entries and removed paths, whatever the whiteouts.
 */
export function stackLayers(layers: readonly LayerIndex[]): Stack {
  const table = new PathTable();
  const fs = new LiveFilesystem(table);
  const ledger = new PieceLedger();
  const slots = new PlanSlots();
  const scratch = new Scratch();
  const layerChanges: LayerChanges[] = [];

  layers.forEach((layer, layerNumber) => {
    const plan = planLayer(layer, layerNumber, table, fs, ledger, slots);
    fs.grow();
    slots.grow(table.size);
    scratch.grow(table.size);
    const step = new LayerStep(table, fs, ledger, slots, scratch, layerNumber);
    layerChanges.push(step.run(plan));
    ledger.settle(layerNumber, (id) => fs.get(id)?.entry != null);
  });

  return new StackResult(layerChanges, table, fs, scratch.history.seal(table.size), ledger.toPieces());
}

/**
 * The stack, with its path-keyed views built on first use: the per-layer changes are what most callers
 * read, and building maps over every path costs as much as a layer.
 */
class StackResult implements Stack {
  private exported: { states: Map<string, PathState>; children: Map<string, Set<string>> } | undefined;

  constructor(
    readonly layers: readonly LayerChanges[],
    private readonly table: PathTable,
    private readonly fs: LiveFilesystem,
    /** Keyed by path id. */
    readonly versions: VersionTable,
    readonly pieces: readonly Piece[],
  ) {}

  get final(): ReadonlyMap<string, PathState> {
    return (this.exported ??= this.fs.export()).states;
  }

  get children(): ReadonlyMap<string, ReadonlySet<string>> {
    return (this.exported ??= this.fs.export()).children;
  }

  historyKey(path: string): number | undefined {
    const id = this.table.lookup(path);
    return id !== undefined && this.versions.count(id) > 0 ? id : undefined;
  }

  forEachHistory(visit: (path: string, key: number) => void): void {
    const paths = this.table.paths;
    for (let id = 1; id < paths.length; id++) if (this.versions.count(id) > 0) visit(paths[id]!, id);
  }

  versionsOf(path: string): PathVersion[] {
    const key = this.historyKey(path);
    return key === undefined ? [] : this.versions.versions(key);
  }
}

/** Per-id arrays reused across layers; the layer stamps say which entries are current. */
class Scratch {
  /** Id → the last layer that touched it, so "touched in this layer?" is one array read. */
  readonly touchedIn: number[] = [];
  /** Id → its visible state before the layer that last touched it. */
  readonly before: (PathState | undefined)[] = [];
  /** Every version of every path, by path id. */
  readonly history = new VersionLog();

  grow(size: number): void {
    while (this.touchedIn.length < size) {
      this.touchedIn.push(-1);
      this.before.push(undefined);
    }
  }
}

/** Applying one layer to the live filesystem and recording what it touched. */
class LayerStep {
  /** Touched ids that are not entries of the layer (hidden lower paths, replaced parents), in no order. */
  private readonly touchedOthers: number[] = [];
  /** Entry ids in bytewise path order. */
  private entryOrder: number[] = [];
  /** Ids the layer created only as implied parents (not listed as changes, but part of the history). */
  private readonly impliedCreated: number[] = [];
  private lastDirectoryParent = -1;
  private readonly comparePaths: (a: number, b: number) => number;

  constructor(
    private readonly table: PathTable,
    private readonly fs: LiveFilesystem,
    private readonly ledger: PieceLedger,
    private readonly slots: PlanSlots,
    private readonly scratch: Scratch,
    private readonly layer: number,
  ) {
    const paths = table.paths;
    const compare = table.needsCarefulOrder ? compareBytewise : compareNative;
    this.comparePaths = (a, b) => compare(paths[a]!, paths[b]!);
  }

  run(plan: LayerPlan): LayerChanges {
    this.hideLower(plan);
    this.apply(plan);
    return this.finish();
  }

  /** Whiteouts and opaque markers hide what the layers below put there; this layer's own entries come after. */
  private hideLower(plan: LayerPlan): void {
    for (const id of plan.whiteouts) this.fs.removeSubtree(id, this.hideOne);
    for (const id of plan.opaqueDirs) this.fs.removeDescendants(id, this.hideOne);
  }

  private apply(plan: LayerPlan): void {
    // Parents sort before their children, so a directory is settled before anything goes in it, and a
    // subtree replaced by a file only ever holds lower paths when it is hidden.
    this.entryOrder = sortIds(plan.ids, this.comparePaths);
    for (const id of this.entryOrder) {
      this.ensureParentDirectories(id);
      this.setEntry(id, this.slots.planned[id]!);
    }
  }

  /** Judges every touched path, in bytewise order, and records the layer's versions. */
  private finish(): LayerChanges {
    const { before, history } = this.scratch;
    const counts: StatusCounts = { added: 0, modified: 0, removed: 0, unmodified: 0 };
    const ids: number[] = [];
    const statuses: number[] = [];
    const shownStates: PathState[] = [];
    const judgeOne = (id: number): void => {
      const was = before[id];
      const after = this.fs.get(id);
      const status = judge(was, after);
      if (status === null) return;
      const shown = status === 'removed' ? was! : after!;
      ids.push(id);
      statuses.push(encodeStatus(status));
      shownStates.push(shown);
      if (shown.type !== 'dir') counts[status]++;
      history.add(id, this.layer, status, after ?? null);
    };
    mergeSorted(this.entryOrder, sortIds(this.touchedOthers, this.comparePaths), this.comparePaths, judgeOne);
    for (const id of this.impliedCreated) {
      if (this.scratch.touchedIn[id] === this.layer) continue;
      history.add(id, this.layer, null, this.fs.get(id) ?? null);
    }
    return new CompactLayerChanges(
      this.layer,
      this.table.paths,
      Int32Array.from(ids),
      Uint8Array.from(statuses),
      shownStates,
      counts,
    );
  }

  /** Records the state a path had before the layer, the first time the layer touches it. */
  private touch(id: number, before: PathState | undefined): void {
    const { touchedIn } = this.scratch;
    if (touchedIn[id] === this.layer) return;
    touchedIn[id] = this.layer;
    this.scratch.before[id] = before;
    // Entries are all judged anyway, in their own sorted list.
    if (this.slots.entryIn[id] !== this.layer) this.touchedOthers.push(id);
  }

  private readonly hideOne = (id: number, state: PathState): void => {
    this.touch(id, state);
    this.ledger.release(state.piece, id);
  };

  private replace(id: number, previous: PathState | undefined, next: PathState): void {
    this.fs.put(id, next, previous);
    if (previous !== undefined) this.ledger.release(previous.piece, id);
    this.ledger.hold(next.piece);
  }

  private setEntry(id: number, next: PathState): void {
    const previous = this.fs.get(id);
    this.touch(id, previous);
    // A non-directory replacing a directory hides the directory's whole subtree.
    if (previous?.type === 'dir' && next.type !== 'dir') this.fs.removeDescendants(id, this.hideOne);
    this.replace(id, previous, next);
  }

  /** Makes a path a directory: kept as it is if it already is one, else an implied 0755 directory. */
  private ensureDirectory(id: number): void {
    const previous = this.fs.get(id);
    if (previous?.type === 'dir') return;
    if (previous === undefined) this.impliedCreated.push(id);
    else this.touch(id, previous); // A non-directory in the way is hidden by the directory.
    this.replace(id, previous, impliedDirState(this.layer));
  }

  /**
   * Creates missing (or non-directory) ancestors of a path, topmost first. Paths arrive in sorted order, so
   * siblings follow each other: the last parent found to be a directory is remembered, and stays one (only
   * an entry at that directory or above could replace it, and those sort before its children).
   */
  private ensureParentDirectories(id: number): void {
    const parents = this.table.parents;
    let parent = parents[id]!;
    if (parent === this.lastDirectoryParent) return;
    this.lastDirectoryParent = parent;
    // By the filesystem invariant, an existing directory parent means every ancestor exists.
    if (parent === 0 || this.fs.get(parent)?.type === 'dir') return;
    const missing: number[] = [];
    while (parent !== 0 && this.fs.get(parent)?.type !== 'dir') {
      missing.push(parent);
      parent = parents[parent]!;
    }
    for (let i = missing.length - 1; i >= 0; i--) this.ensureDirectory(missing[i]!);
  }
}

/** Sorts ids by their paths, skipping the sort when they are already in order (tar order often is). */
function sortIds(ids: number[], compare: (a: number, b: number) => number): number[] {
  for (let i = 1; i < ids.length; i++) if (compare(ids[i - 1]!, ids[i]!) > 0) return ids.sort(compare);
  return ids;
}

/** Visits the union of two sorted id lists in order (they hold no id in common). */
function mergeSorted(
  a: number[],
  b: number[],
  compare: (x: number, y: number) => number,
  visit: (id: number) => void,
): void {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) visit(compare(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!);
  while (i < a.length) visit(a[i++]!);
  while (j < b.length) visit(b[j++]!);
}

function judge(before: PathState | undefined, after: PathState | undefined): ChangeStatus | null {
  if (before === undefined) return after === undefined ? null : 'added';
  if (after === undefined) return 'removed';
  return isSameState(before, after) ? 'unmodified' : 'modified';
}

/**
 * A layer's changes as three parallel arrays (path id, status code, state shown): see `LayerChanges`.
 * A change always has a status, so its code never decodes to null.
 */
class CompactLayerChanges implements LayerChanges {
  constructor(
    readonly layer: number,
    private readonly paths: readonly string[],
    private readonly ids: Int32Array,
    private readonly statuses: Uint8Array,
    private readonly shown: readonly PathState[],
    readonly counts: StatusCounts,
  ) {}

  get count(): number {
    return this.ids.length;
  }

  change(index: number): FileChange {
    if (!(index >= 0 && index < this.ids.length))
      throw new RangeError(`no change ${index} in layer ${this.layer} (it has ${this.ids.length})`);
    return toChange(
      this.paths[this.ids[index]!]!,
      decodeStatus(this.statuses[index]!)!,
      this.shown[index]!,
      this.layer,
    );
  }

  list(): FileChange[] {
    return Array.from({ length: this.ids.length }, (_, index) => this.change(index));
  }

  forEach(visit: (path: string, status: ChangeStatus, shown: PathState, key: number) => void): void {
    for (let index = 0; index < this.ids.length; index++) {
      const id = this.ids[index]!;
      visit(this.paths[id]!, decodeStatus(this.statuses[index]!)!, this.shown[index]!, id);
    }
  }
}

function toChange(path: string, status: ChangeStatus, state: PathState, layer: number): FileChange {
  const change: FileChange = {
    path,
    status,
    type: state.type,
    size: state.size,
    mode: state.mode,
    uid: state.uid,
    gid: state.gid,
    layer,
  };
  if (state.linkTarget !== undefined) change.linkTarget = state.linkTarget;
  return change;
}
