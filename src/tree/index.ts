/**
 * Layer stacking: what each layer changed, and the filesystem as of any layer.
 *
 *   stackLayers(layers)            → Stack (per-layer changes, final filesystem, per-path history, pieces)
 *   filesystemAt(stack, n)         → the visible filesystem after layers 0..n
 *   stateAt(stack, path, n)        → one path after layers 0..n
 *   stack.versions.indexAt(key, n) → the version of a path's history in force after layer n
 */
export { stackLayers } from './stack.js';
export { filesystemAt, stateAt } from './view.js';
export { VersionTable } from './versions.js';
export { compareBytewise, sortBytewise, sortByKeyBytewise } from './path-order.js';
export { isSameState } from './state.js';
export type {
  ChangeStatus,
  FileChange,
  HiddenReason,
  LayerChanges,
  PathState,
  PathVersion,
  Piece,
  Stack,
  StatusCounts,
} from './types.js';
