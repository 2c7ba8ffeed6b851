import type { LayerIndex, TarEntry } from '../layers/types.js';
import type { LiveFilesystem } from './live-filesystem.js';
import type { PathTable } from './path-table.js';
import type { PieceLedger } from './piece-ledger.js';
import { type Content, NO_CONTENT, contentOf, fileState, stateFromEntry } from './state.js';
import type { PathState } from './types.js';

/**
 * Per-id arrays reused from layer to layer (a layer stamp says whether a slot is current), so planning
 * and applying a layer index arrays instead of building maps.
 */
export class PlanSlots {
  /** Id → the last layer that had a (non-whiteout) entry for it. */
  readonly entryIn: number[] = [];
  /** Id → the state that layer's last entry for it puts there. */
  readonly planned: (PathState | undefined)[] = [];

  grow(size: number): void {
    while (this.entryIn.length < size) {
      this.entryIn.push(-1);
      this.planned.push(undefined);
    }
  }
}

/** What one layer does, read from its tar entries before anything is applied. Paths are path-table ids. */
export interface LayerPlan {
  /** Ids of the paths with a non-whiteout entry, each once; `slots.planned[id]` holds the winning state. */
  readonly ids: number[];
  /** Paths hidden by `.wh.NAME` entries (in the layers below only); paths never seen are left out. */
  readonly whiteouts: number[];
  /**
   * Directories made opaque by `.wh..wh..opq` (their lower contents disappear). Markers only hide: they
   * do not create or replace their directory, so a marker for something absent changes nothing.
   */
  readonly opaqueDirs: number[];
}

/**
 * Reads a layer's entries in tar order. Every regular-file entry ships a piece (so a same-layer duplicate
 * that loses still counts as data the layer carries). A hardlink takes the content of its target as it
 * stands at that point of the tar: the latest earlier entry of the same layer, else the path in the stack
 * below (`lower`, read before this layer applies anything), else an entry later in the same layer;
 * failing all of these it is dangling and holds nothing.
 */
export function planLayer(
  layer: LayerIndex,
  layerNumber: number,
  table: PathTable,
  lower: LiveFilesystem,
  ledger: PieceLedger,
  slots: PlanSlots,
): LayerPlan {
  const ids: number[] = [];
  const whiteouts: number[] = [];
  const opaqueDirs: number[] = [];
  let unresolvedLinks: { id: number; link: TarEntry }[] | undefined;
  // While the loop runs, `planned` holds the latest entry so far for each path of this layer, which is
  // exactly what a hardlink sees at its point of the tar.
  const { entryIn, planned } = slots;

  for (const entry of layer.entries) {
    if (entry.whiteout !== undefined) {
      // A path that was never interned never existed: there is nothing to hide.
      const id = table.lookup(entry.path);
      if (id !== undefined) (entry.whiteout === 'file' ? whiteouts : opaqueDirs).push(id);
      continue;
    }
    const id = table.intern(entry.path);
    if (id >= entryIn.length) slots.grow(table.size);
    let state: PathState;
    if (entry.type === 'file') {
      state = fileState(entry, ledger.ship(entry, id, layerNumber), layerNumber);
    } else if (entry.type === 'hardlink') {
      const found = resolveEarlier(entry, layerNumber, table, lower, slots);
      if (found === undefined) (unresolvedLinks ??= []).push({ id, link: entry });
      state = stateFromEntry(entry, found ?? NO_CONTENT, layerNumber);
    } else {
      state = stateFromEntry(entry, NO_CONTENT, layerNumber);
    }
    if (entryIn[id] !== layerNumber) {
      entryIn[id] = layerNumber;
      ids.push(id);
    }
    planned[id] = state;
  }

  // A link to something only later in the tar: take the target's final content in this layer.
  for (const { id, link } of unresolvedLinks ?? []) {
    if (planned[id]?.entry !== link || link.linkTarget === undefined) continue;
    const target = table.lookup(link.linkTarget);
    if (target === undefined || entryIn[target] !== layerNumber || target === id) continue;
    planned[id] = stateFromEntry(link, contentOf(planned[target]!), layerNumber);
  }
  return { ids, whiteouts, opaqueDirs };
}

function resolveEarlier(
  link: TarEntry,
  layerNumber: number,
  table: PathTable,
  lower: LiveFilesystem,
  slots: PlanSlots,
): Content | undefined {
  if (link.linkTarget === undefined) return NO_CONTENT;
  const target = table.lookup(link.linkTarget);
  if (target === undefined) return undefined;
  if (slots.entryIn[target] === layerNumber) return contentOf(slots.planned[target]!);
  const below = lower.get(target);
  return below === undefined ? undefined : contentOf(below);
}
