import type { ViewMode } from './layer-view.js';

/** Where a jump lands: a path, shown in a layer and view. */
export interface JumpTarget {
  path: string;
  layer: number;
  mode: ViewMode;
}
