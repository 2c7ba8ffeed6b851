import type { ImageIndex } from '../../image/types.js';
import type { TarEntry } from '../../layers/types.js';
import type { Stack } from '../../tree/types.js';
import type { HiddenPiece } from '../waste/exact.js';

/** What a developer did that made the image carry the bytes. */
export type ExplanationKind =
  | 'update-separate'
  | 'deleted-later'
  | 'metadata-rewrite'
  | 'overwritten'
  | 'duplicate-in-layer'
  | 'cache-left';

/** Listed in this order when two explanations save as much. */
export const EXPLANATION_KINDS: readonly ExplanationKind[] = [
  'update-separate',
  'deleted-later',
  'metadata-rewrite',
  'overwritten',
  'duplicate-in-layer',
  'cache-left',
];

/**
 * One reason the image is bigger than it needs to be, told to a developer: which step shipped the bytes,
 * which step hid them, how many bytes fixing it saves, and how to fix it. Every kind but `cache-left` is
 * made of hidden pieces (see `ExactWaste.hidden`), so their bytes add up to `hiddenBytes`; `cache-left`
 * bytes are visible in the final filesystem.
 */
export interface Explanation {
  kind: ExplanationKind;
  /** The layer that shipped the bytes. */
  layer: number;
  /** That layer's `created_by`, "" when the history is missing. */
  command: string;
  /** The layer that hid them (deleted, replaced, rewrote); null for `cache-left`, which nothing hid. */
  hiddenBy: number | null;
  hiddenByCommand: string | null;
  /** Bytes that fixing it would save. */
  bytes: number;
  /**
   * What it is about, largest first: files, or the directory that holds several of them (one
   * `/var/lib/apt/lists`, not one entry per list file).
   */
  paths: string[];
  /** How many files (pieces of data) the explanation covers. */
  pathCount: number;
  /** One line: what happened. */
  message: string;
  /** One line: how to avoid it. */
  fix: string;
}

/** What the explainers look at. */
export interface ExplainContext {
  image: ImageIndex;
  stack: Stack;
  /** A layer's `created_by`, "" when unknown. */
  command(layer: number): string;
  /** The entry `layer` has at `path` (the last one, as stacking takes it), whiteouts aside; undefined when none. */
  entryAt(path: string, layer: number): TarEntry | undefined;
  /** Paths that `layer`'s whiteouts (`.wh.NAME`) hide. */
  whiteouts(layer: number): ReadonlySet<string>;
  /** Directories that `layer` made opaque (`.wh..wh..opq`). */
  opaqueDirs(layer: number): ReadonlySet<string>;
}

/** How an explainer files one hidden piece. */
export interface Claim {
  /**
   * Pieces with the same explainer, layer, hiddenBy and anchor make one explanation (an opaque
   * directory, for instance, so two directories replaced by one step stay two explanations).
   */
  anchor?: string;
  /** The path to report the piece under (a deleted directory rather than each file in it); default its own path. */
  root?: string;
}

/** The pieces one explanation is made of, with the paths they are reported under. */
export interface PieceGroup {
  layer: number;
  hiddenBy: number;
  anchor: string | undefined;
  pieces: HiddenPiece[];
  bytes: number;
  /** Compacted paths, largest first (see `compactRoots`). */
  roots: RootPath[];
}

export interface RootPath {
  path: string;
  bytes: number;
  /** Pieces under (or at) this path. */
  count: number;
  /** True when it stands for several pieces under a directory. */
  directory: boolean;
}

/** One way bytes end up hidden: it claims the pieces it explains, then words the explanation. */
export interface HiddenExplainer {
  kind: ExplanationKind;
  /** A name for the group key, when one kind has several explainers. */
  id: string;
  claim(piece: HiddenPiece, context: ExplainContext): Claim | null;
  describe(group: PieceGroup, context: ExplainContext): { message: string; fix: string };
}
