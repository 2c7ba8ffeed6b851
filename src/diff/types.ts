import type { AuditFinding } from '../analysis/audit/index.js';
import type { RiskFinding } from '../analysis/risks/index.js';
import type { SourceKind } from '../image/types.js';
import type { EntryType } from '../layers/types.js';

/**
 * What `strata diff A B` finds: the model every reporter (text, markdown, JSON) renders. Plain data
 * with the JSON report's field names, so `--json` is this object (see schema/diff-v1.schema.json),
 * plus `changes`, the path lookup an explorer marks a tree with.
 */
export interface ImageDiff {
  a: DiffImage;
  b: DiffImage;
  layers: LayerDiff;
  summary: DiffSummary;
  /** Every differing path, bytewise by path: one entry per non-directory path, and directories' own. */
  files: FileDiff[];
  /** Path → its entry of `files`: a path of B that is absent here is unchanged (or a directory with changes inside). */
  changes: ReadonlyMap<string, FileDiff>;
  /** Bytes per top-level directory, the largest change first. */
  directories: DirectoryDelta[];
  risks: RiskDiff;
  audit: AuditDiff;
  waste: { a: WasteFigures; b: WasteFigures };
  /** Packages added, removed and changed; null when neither image has a package database strata reads. */
  packages: PackageDiff | null;
}

/** One image of the pair. */
export interface DiffImage {
  /** What the user named, or the reference found in the archive. */
  reference: string | null;
  /** The manifest digest when the source has one, else the config digest (the image id). */
  digest: string;
  manifestDigest: string | null;
  configDigest: string;
  source: SourceKind;
  platform: string;
  created: string | null;
  layerCount: number;
  /** Bytes of every file every layer ships, hidden ones included: what the image weighs uncompressed. */
  size: number;
  /** Bytes of the layer blobs as stored (compressed or not). */
  compressedSize: number;
  /** Bytes of the regular files of the final filesystem, each counted once. */
  filesystemSize: number;
  /** False when read with --no-verify. */
  verified: boolean;
}

/** A layer, as the diff lists it. */
export interface DiffLayer {
  index: number;
  diffId: string;
  digest: string;
  /** The history's `created_by`, "" when the history is missing. */
  command: string;
  created: string | null;
  /** Bytes of regular-file data the layer ships. */
  size: number;
  compressedSize: number;
}

export interface LayerDiff {
  /** The layers both images start with, the same diff_ids in the same order (A's records). */
  shared: DiffLayer[];
  /** A's layers after the shared ones. */
  a: DiffLayer[];
  /** B's layers after the shared ones. */
  b: DiffLayer[];
}

export type FileChangeKind = 'added' | 'removed' | 'modified' | 'metadata';

/**
 * What differs at a path present in both images: `type` (a directory became a file, a file a
 * symlink…), `content` (the bytes of a file or hardlink), `target` (a symlink's), `mode`, `owner`.
 * A `modified` entry has one of the first three, and may have the others; a `metadata` one only
 * `mode` or `owner`.
 */
export type Difference = 'type' | 'content' | 'target' | 'mode' | 'owner';

/**
 * One differing path. Fields ending in A describe the path in image A and those ending in B in
 * image B; all of one side are null when the path is absent there. Sizes are content sizes (a
 * hardlink has its target's); a hardlink and a regular file with the same bytes are the same.
 */
export interface FileDiff {
  /** Absolute, without a trailing slash. */
  path: string;
  change: FileChangeKind;
  /** True when the path is a directory in every image that has it: its entry is about itself only. */
  directory: boolean;
  differences: Difference[];
  typeA: EntryType | null;
  typeB: EntryType | null;
  sizeA: number | null;
  sizeB: number | null;
  modeA: number | null;
  modeB: number | null;
  uidA: number | null;
  uidB: number | null;
  gidA: number | null;
  gidB: number | null;
  /** Symlink: the target as written; hardlink: the path it links to. */
  linkTargetA: string | null;
  linkTargetB: string | null;
  /** The layer that put the path there, in its image. */
  layerA: number | null;
  layerB: number | null;
}

export interface ChangeCounts {
  added: number;
  removed: number;
  modified: number;
  metadata: number;
}

export interface DiffSummary extends ChangeCounts {
  /** B's size minus A's: how much heavier the image got (negative: lighter). */
  sizeDelta: number;
  /** B's final filesystem minus A's: the sum of the top directories' deltas. */
  filesystemDelta: number;
  /** B's hidden bytes minus A's: what the waste added. */
  wasteDelta: number;
  /** Entries of directories themselves (not counted above). */
  directories: ChangeCounts;
}

/** A top-level directory ("/usr"); "/" holds the files at the root. */
export interface DirectoryDelta extends ChangeCounts {
  path: string;
  /** Bytes of regular files under it in A, and in B. */
  sizeA: number;
  sizeB: number;
  delta: number;
}

export interface RiskDiff {
  /** Findings of B that A does not have (same rule at the same path): B's records. */
  new: RiskFinding[];
  /** Findings of A that B no longer has: A's records. */
  gone: RiskFinding[];
}

/** A configuration value that changed: null on the side that does not have it. */
export interface SettingChange {
  name: string;
  change: 'added' | 'removed' | 'changed';
  a: string | null;
  b: string | null;
  /** The values look like secrets and are shown masked. */
  masked: boolean;
}

export interface AuditDiff {
  user: { a: string; b: string; rootA: boolean; rootB: boolean };
  created: { a: string | null; b: string | null };
  /** Whole days between the two creation dates (B minus A), null when one is unknown. */
  ageDeltaDays: number | null;
  labels: SettingChange[];
  env: SettingChange[];
  /** Audit findings B has and A has not, and the reverse (the image's age is compared in `created`). */
  findings: { new: AuditFinding[]; gone: AuditFinding[] };
}

export interface WasteFigures {
  hiddenBytes: number;
  hiddenFiles: number;
  /** Exact efficiency: reachable bytes / shipped bytes. */
  efficiency: number;
  diveWastedBytes: number;
  diveEfficiency: number;
  /** Bytes the explanations say a fix would save. */
  savingsBytes: number;
}

/**
 * Packages whose presence or version differs, keyed by manager, name and architecture, from the
 * package databases each image's analysis read (dpkg, apk, rpm).
 */
export interface PackageDiff {
  added: number;
  removed: number;
  /** Upgraded, downgraded or otherwise changed. */
  changed: number;
  /** By manager, then name, then architecture. */
  changes: PackageChange[];
}

export interface PackageChange {
  /** "dpkg", "apk", "rpm". */
  manager: string;
  name: string;
  arch: string;
  /** Upgraded or downgraded as dpkg orders versions; `changed` when the order cannot tell them apart. */
  change: 'added' | 'removed' | 'upgraded' | 'downgraded' | 'changed';
  versionA: string | null;
  versionB: string | null;
  /** Bytes of its files in each final filesystem, null where it is not installed. */
  bytesA: number | null;
  bytesB: number | null;
}
