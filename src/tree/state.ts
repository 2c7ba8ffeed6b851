import type { TarEntry } from '../layers/types.js';
import type { PathState } from './types.js';

/** What a regular file or a hardlink holds: a piece of data and its size and hash. */
export interface Content {
  readonly piece: number;
  readonly size: number;
  readonly hash: string | undefined;
}

/** A hardlink whose target cannot be found holds nothing. */
export const NO_CONTENT: Content = { piece: -1, size: 0, hash: undefined };

/** Implied parent directories are root-owned 0755 directories, as `mkdir -p` by an extractor would make them. */
const IMPLIED_DIR_MODE = 0o755;

export function impliedDirState(layer: number): PathState {
  return {
    type: 'dir',
    mode: IMPLIED_DIR_MODE,
    uid: 0,
    gid: 0,
    size: 0,
    hash: undefined,
    linkTarget: undefined,
    piece: -1,
    layer,
    entry: null,
  };
}

/**
 * The state a (non-whiteout) tar entry puts at its path. `content` is what a file ships or a hardlink
 * resolves to; it is ignored for other types.
 */
export function stateFromEntry(entry: TarEntry, content: Content, layer: number): PathState {
  const holdsContent = entry.type === 'file' || entry.type === 'hardlink';
  return {
    type: entry.type,
    mode: entry.mode & 0o7777,
    uid: entry.uid,
    gid: entry.gid,
    // Only files (and hardlinks, through their target) have content; other header sizes are 0 or meaningless.
    size: holdsContent ? content.size : 0,
    hash: holdsContent ? content.hash : undefined,
    linkTarget: entry.type === 'symlink' || entry.type === 'hardlink' ? entry.linkTarget : undefined,
    piece: holdsContent ? content.piece : -1,
    layer,
    entry,
  };
}

/** The state of a regular-file entry, holding the piece it ships. */
export function fileState(entry: TarEntry, piece: number, layer: number): PathState {
  return {
    type: 'file',
    mode: entry.mode & 0o7777,
    uid: entry.uid,
    gid: entry.gid,
    size: entry.size,
    hash: entry.hash,
    linkTarget: undefined,
    piece,
    layer,
    entry,
  };
}

/** The content a visible state offers to a hardlink pointing at it. */
export function contentOf(state: PathState): Content {
  if (state.type !== 'file' && state.type !== 'hardlink') return NO_CONTENT;
  return { piece: state.piece, size: state.size, hash: state.hash };
}

/**
 * True when a layer left a path as it was. Directories are compared on their own metadata only: what
 * changes inside them is listed on the paths inside. A file that becomes a hardlink is a type change;
 * hardlinks are compared on the content they resolve to. Symlinks also compare their target.
 */
export function isSameState(before: PathState, after: PathState): boolean {
  if (before.type !== after.type) return false;
  if (before.mode !== after.mode || before.uid !== after.uid || before.gid !== after.gid) return false;
  if (before.type === 'dir') return true;
  if (before.size !== after.size || before.hash !== after.hash) return false;
  return before.type !== 'symlink' || before.linkTarget === after.linkTarget;
}
