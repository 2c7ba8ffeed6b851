import type { ImageIndex } from '../image/types.js';
import type { EntryType } from '../layers/types.js';
import { bytewiseComparatorFor } from '../tree/path-order.js';
import type { PathState, Stack } from '../tree/types.js';
import { ContentHashes } from './content.js';
import type { Difference, FileChangeKind, FileDiff } from './types.js';

/** One image as the file comparison reads it. */
export interface FilesystemSide {
  image: ImageIndex;
  stack: Stack;
}

/**
 * The differences between two final filesystems. Files compare by content hash (a rewrite with the
 * same bytes is no change), hardlinks as the files they are, symlinks by target (never followed),
 * everything by type, mode and owner; mtimes are not compared (nor read). A path both images got from
 * the same layer blob is the same without a look: `sharedLayers` is how many layers they start with
 * in common, and beyond those a layer of A with the diff_id of one of B's puts the same entries there.
 */
export async function compareFilesystems(
  a: FilesystemSide,
  b: FilesystemSide,
  sharedLayers: number,
): Promise<FileDiff[]> {
  const hashesA = new ContentHashes(a.image, a.stack);
  const hashesB = new ContentHashes(b.image, b.stack);
  const finalA = a.stack.final;
  const finalB = b.stack.final;
  const sameBlob = sameBlobTest(a.image, b.image, sharedLayers);

  const files: FileDiff[] = [];
  /** Pairs whose contents have the same size and a hash still to compute: settled once hashed. */
  const pending: Array<{ path: string; stateA: PathState; stateB: PathState }> = [];

  for (const [path, stateA] of finalA) {
    const stateB = finalB.get(path);
    if (stateB === undefined) {
      files.push(entryFor(path, 'removed', [], stateA, null));
      continue;
    }
    if (stateA === stateB || sameBlob(stateA, stateB)) continue;
    if (isRegular(stateA.type) && isRegular(stateB.type) && stateA.size === stateB.size && stateA.size > 0) {
      const hashA = hashesA.known(stateA);
      const hashB = hashesB.known(stateB);
      if (hashA === undefined || hashB === undefined) {
        pending.push({ path, stateA, stateB });
        continue;
      }
    }
    const entry = judge(path, stateA, stateB, hashesA, hashesB);
    if (entry !== null) files.push(entry);
  }
  for (const [path, stateB] of finalB) if (!finalA.has(path)) files.push(entryFor(path, 'added', [], null, stateB));

  if (pending.length > 0) {
    await Promise.all([hashesA.complete(pending.map((p) => p.stateA)), hashesB.complete(pending.map((p) => p.stateB))]);
    for (const { path, stateA, stateB } of pending) {
      const entry = judge(path, stateA, stateB, hashesA, hashesB);
      if (entry !== null) files.push(entry);
    }
  }

  const compare = bytewiseComparatorFor(files.map((file) => file.path));
  return files.sort((x, y) => compare(x.path, y.path));
}

/**
 * Whether two states certainly came from the same tar entry of the same blob. A state made by one of
 * the shared layers is the same in both images (every layer below it is the same too). Past them,
 * equal diff_ids mean equal entries, which give equal states, except for a hardlink, whose content
 * comes from the layers below; and except an implied parent directory, which has no entry.
 */
function sameBlobTest(a: ImageIndex, b: ImageIndex, sharedLayers: number): (x: PathState, y: PathState) => boolean {
  return (x, y) => {
    if (x.layer !== y.layer || x.layer >= sharedLayers) {
      if (x.type === 'hardlink' || x.entry === null || y.entry === null) return false;
      return a.layers[x.layer]!.diffId === b.layers[y.layer]!.diffId;
    }
    return true;
  };
}

/** Hardlinks hold a regular file's data: in the final filesystem they are regular files. */
function isRegular(type: EntryType): boolean {
  return type === 'file' || type === 'hardlink';
}

/** The entry for a path both images have, or null when nothing differs. */
function judge(
  path: string,
  stateA: PathState,
  stateB: PathState,
  hashesA: ContentHashes,
  hashesB: ContentHashes,
): FileDiff | null {
  const differences: Difference[] = [];
  const regular = isRegular(stateA.type) && isRegular(stateB.type);
  if (!regular && stateA.type !== stateB.type) differences.push('type');
  else if (regular && !sameContent(stateA, stateB, hashesA, hashesB)) differences.push('content');
  else if (stateA.type === 'symlink' && stateA.linkTarget !== stateB.linkTarget) differences.push('target');
  if (stateA.mode !== stateB.mode) differences.push('mode');
  if (stateA.uid !== stateB.uid || stateA.gid !== stateB.gid) differences.push('owner');
  if (differences.length === 0) return null;
  const change: FileChangeKind = differences[0] === 'mode' || differences[0] === 'owner' ? 'metadata' : 'modified';
  return entryFor(path, change, differences, stateA, stateB);
}

/** Equal sizes and equal hashes; files without data (empty, or a hardlink to nothing) are all alike. */
function sameContent(stateA: PathState, stateB: PathState, hashesA: ContentHashes, hashesB: ContentHashes): boolean {
  if (stateA.size !== stateB.size) return false;
  if (stateA.size === 0) return true;
  const hashA = hashesA.known(stateA);
  // A hash that cannot be had (it never should) is not taken for a match.
  return hashA !== undefined && hashA === hashesB.known(stateB);
}

function entryFor(
  path: string,
  change: FileChangeKind,
  differences: Difference[],
  a: PathState | null,
  b: PathState | null,
): FileDiff {
  return {
    path,
    change,
    directory: (a === null || a.type === 'dir') && (b === null || b.type === 'dir'),
    differences,
    typeA: a?.type ?? null,
    typeB: b?.type ?? null,
    sizeA: a === null ? null : a.size,
    sizeB: b === null ? null : b.size,
    modeA: a?.mode ?? null,
    modeB: b?.mode ?? null,
    uidA: a?.uid ?? null,
    uidB: b?.uid ?? null,
    gidA: a?.gid ?? null,
    gidB: b?.gid ?? null,
    linkTargetA: a?.linkTarget ?? null,
    linkTargetB: b?.linkTarget ?? null,
    layerA: a?.layer ?? null,
    layerB: b?.layer ?? null,
  };
}
