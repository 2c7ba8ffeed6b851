/**
 * Words and orderings the diff's text and markdown reports share. Everything returned is raw image
 * text: each reporter escapes it for its medium.
 */
import { compareBytewise } from '../../tree/path-order.js';
import { formatBytes } from '../../util/format.js';
import type { ChangeCounts, DiffImage, DiffLayer, FileDiff } from '../types.js';

/** "+1.2 MB", "-300 kB", "0 B". */
export function signedBytes(bytes: number): string {
  if (bytes === 0) return '0 B';
  return `${bytes > 0 ? '+' : '-'}${formatBytes(Math.abs(bytes))}`;
}

/** How many bytes a change adds (negative: removes). */
export function sizeChange(file: FileDiff): number {
  return (file.sizeB ?? 0) - (file.sizeA ?? 0);
}

/** Non-directory changes of content, type or presence, the largest change of size first (then by path). */
export function largestChanges(files: readonly FileDiff[]): FileDiff[] {
  return files
    .filter((file) => !file.directory && file.change !== 'metadata')
    .sort((x, y) => Math.abs(sizeChange(y)) - Math.abs(sizeChange(x)) || compareBytewise(x.path, y.path));
}

/** Entries whose only changes are mode or owner, files and directories, in path order. */
export function metadataChanges(files: readonly FileDiff[]): FileDiff[] {
  return files.filter((file) => file.change === 'metadata');
}

const octal = (mode: number | null): string => (mode === null ? '?' : mode.toString(8).padStart(4, '0'));
const owner = (uid: number | null, gid: number | null): string => `${uid ?? '?'}:${gid ?? '?'}`;

/** What differs, in a few words: "content", "dir → symlink", "target a → b", "mode 0644 → 0600". */
export function describeDifferences(file: FileDiff): string {
  if (file.change === 'added') return file.typeB === 'file' ? '' : (file.typeB ?? '');
  if (file.change === 'removed') return file.typeA === 'file' ? '' : (file.typeA ?? '');
  return file.differences
    .map((difference) => {
      switch (difference) {
        case 'type':
          return `${file.typeA} → ${file.typeB}`;
        case 'content':
          return 'content';
        case 'target':
          return `target ${file.linkTargetA} → ${file.linkTargetB}`;
        case 'mode':
          return `mode ${octal(file.modeA)} → ${octal(file.modeB)}`;
        case 'owner':
          return `owner ${owner(file.uidA, file.gidA)} → ${owner(file.uidB, file.gidB)}`;
      }
    })
    .join(', ');
}

/** The layer that put B's version there (A's for a removed path), as "B layer 4". */
export function layerOf(file: FileDiff): string {
  return file.layerB !== null ? `B layer ${file.layerB}` : `A layer ${file.layerA}`;
}

/** "localhost/app:1.0", or the digest when the image has no name. */
export function imageName(image: DiffImage): string {
  return image.reference ?? image.digest;
}

/** "sha256:0123456789ab". */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return digest.slice(0, colon + 13);
}

/** The layer's index range as "0–2", or "0". */
export function layerRange(layers: readonly DiffLayer[]): string {
  if (layers.length === 0) return '';
  const first = layers[0]!.index;
  const last = layers[layers.length - 1]!.index;
  return first === last ? `${first}` : `${first}–${last}`;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** "3 added, 1 removed, 2 modified, 1 metadata only"; `all`: zero counts too, else only the others. */
export function countsText(counts: ChangeCounts, all: boolean): string {
  return (['added', 'removed', 'modified', 'metadata'] as const)
    .filter((kind) => all || counts[kind] > 0)
    .map((kind) => `${counts[kind]} ${kind === 'metadata' ? 'metadata only' : kind}`)
    .join(', ');
}
