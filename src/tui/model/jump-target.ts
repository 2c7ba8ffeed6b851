import type { ViewMode } from './layer-view.js';

/** Where a jump lands: a path, shown in a layer and view. */
export interface JumpTarget {
  path: string;
  layer: number;
  mode: ViewMode;
  /** A filter to set on landing (`pkg:NAME` from the packages list); the path is then only where the cursor goes. */
  filter?: string;
}
