/**
 * Explanations: the exact waste (`ExactWaste.hidden`) told to a developer. Each hidden piece is claimed by
 * the first explainer (one per kind, under `kinds/`) that recognizes how it got hidden; pieces with the same
 * explainer, shipping layer and hiding layer make one explanation, their paths compacted to the
 * directories that hold them. Caches left in the final filesystem are added, and the list is ranked by
 * the bytes a fix would save.
 */
import type { ImageIndex } from '../../image/types.js';
import type { TarEntry } from '../../layers/types.js';
import type { Stack } from '../../tree/types.js';
import type { ExactWaste, HiddenPiece } from '../waste/exact.js';
import { compactRoots, rankExplanations, type RootedPiece } from './group.js';
import { explainCachesLeft } from './kinds/cache-left.js';
import { deletedLater } from './kinds/deleted-later.js';
import { duplicateInLayer } from './kinds/duplicate-in-layer.js';
import { metadataRewrite } from './kinds/metadata-rewrite.js';
import { opaqueReplaced, overwritten } from './kinds/overwritten.js';
import { updateSeparate } from './kinds/update-separate.js';
import type { ExplainContext, Explanation, HiddenExplainer } from './types.js';

/** In the order they claim pieces: the most specific first. */
export const HIDDEN_EXPLAINERS: readonly HiddenExplainer[] = [
  duplicateInLayer,
  updateSeparate,
  opaqueReplaced,
  metadataRewrite,
  overwritten,
  deletedLater,
];

interface Bucket {
  explainer: HiddenExplainer;
  layer: number;
  hiddenBy: number;
  anchor: string | undefined;
  pieces: HiddenPiece[];
  rooted: RootedPiece[];
  bytes: number;
}

/** Every hidden piece in exactly one explanation, plus the caches left at the top; largest saving first. */
export function explainWaste(image: ImageIndex, stack: Stack, exact: ExactWaste): Explanation[] {
  const context = explainContext(image, stack);
  const buckets = new Map<string, Bucket>();
  for (const piece of exact.hidden) {
    for (const explainer of HIDDEN_EXPLAINERS) {
      const claim = explainer.claim(piece, context);
      if (claim === null) continue;
      const key = `${explainer.id}\0${piece.layer}\0${piece.hiddenBy}\0${claim.anchor ?? ''}`;
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = {
          explainer,
          layer: piece.layer,
          hiddenBy: piece.hiddenBy,
          anchor: claim.anchor,
          pieces: [],
          rooted: [],
          bytes: 0,
        };
        buckets.set(key, bucket);
      }
      const root = claim.root ?? piece.path;
      bucket.pieces.push(piece);
      bucket.rooted.push({ root, bytes: piece.size, above: root !== piece.path });
      bucket.bytes += piece.size;
      break;
    }
  }

  const explanations: Explanation[] = [];
  for (const bucket of buckets.values()) {
    const roots = compactRoots(bucket.rooted);
    const group = {
      layer: bucket.layer,
      hiddenBy: bucket.hiddenBy,
      anchor: bucket.anchor,
      pieces: bucket.pieces,
      bytes: bucket.bytes,
      roots,
    };
    const { message, fix } = bucket.explainer.describe(group, context);
    explanations.push({
      kind: bucket.explainer.kind,
      layer: bucket.layer,
      command: context.command(bucket.layer),
      hiddenBy: bucket.hiddenBy,
      hiddenByCommand: context.command(bucket.hiddenBy),
      bytes: bucket.bytes,
      // One file is named as itself, even when reported under the directory a later layer deleted.
      paths: bucket.pieces.length === 1 ? [bucket.pieces[0]!.path] : roots.map((root) => root.path),
      pathCount: bucket.pieces.length,
      message,
      fix,
    });
  }
  explanations.push(...explainCachesLeft(context));
  return rankExplanations(explanations);
}

export function explainContext(image: ImageIndex, stack: Stack): ExplainContext {
  const whiteouts = new Map<number, Set<string>>();
  const opaque = new Map<number, Set<string>>();
  const entries = new Map<number, Map<string, TarEntry>>();
  const markers = (layer: number, kind: 'file' | 'opaque', cache: Map<number, Set<string>>): Set<string> => {
    let set = cache.get(layer);
    if (!set) {
      set = new Set();
      for (const entry of image.layers[layer]?.entries ?? []) if (entry.whiteout === kind) set.add(entry.path);
      cache.set(layer, set);
    }
    return set;
  };
  return {
    image,
    stack,
    command: (layer) => image.layers[layer]?.command ?? '',
    // Per layer, built on first use: cheaper than the stack's path history, and only for the layers asked about.
    entryAt(path: string, layer: number): TarEntry | undefined {
      let byPath = entries.get(layer);
      if (!byPath) {
        byPath = new Map();
        for (const entry of image.layers[layer]?.entries ?? [])
          if (entry.whiteout === undefined) byPath.set(entry.path, entry);
        entries.set(layer, byPath);
      }
      return byPath.get(path);
    },
    whiteouts: (layer) => markers(layer, 'file', whiteouts),
    opaqueDirs: (layer) => markers(layer, 'opaque', opaque),
  };
}

export { explanationTotals, type ExplanationTotals } from './group.js';
export { EXPLANATION_KINDS, type Explanation, type ExplanationKind } from './types.js';
