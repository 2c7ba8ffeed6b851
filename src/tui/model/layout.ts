/**
 * Where every pane goes for a terminal size: plain arithmetic, so the layout is tested without Ink.
 * Ink 6 clears the screen on every frame when the root box is as tall as the terminal, hence rows − 1.
 */
export interface Layout {
  width: number;
  height: number;
  leftWidth: number;
  treeWidth: number;
  layersHeight: number;
  detailsHeight: number;
  imageHeight: number;
  mainHeight: number;
  /** Tree rows that fit inside the tree pane (border, title and column header excluded). */
  treeRows: number;
  /** Layer rows that fit inside the layers pane. */
  layerRows: number;
}

export const BORDER = 2;

export function computeLayout(columns: number, rows: number, layerCount: number, bottomLines: number): Layout {
  const width = Math.max(40, columns);
  const height = Math.max(12, rows - 1);
  const mainHeight = height - bottomLines;
  // The tree holds the longest lines (attributes, guides, names): it gets the larger share.
  const leftWidth = Math.max(36, Math.min(64, Math.round(width * 0.4)));
  const treeWidth = width - leftWidth;
  const detailsHeight = Math.min(9, Math.max(6, Math.floor(mainHeight * 0.27)));
  // The layer list comes first: every layer when they fit, leaving the image pane at least 7 rows.
  const imageMinimum = 7;
  const layersHeight = Math.max(5, Math.min(layerCount + 2 + BORDER, mainHeight - detailsHeight - imageMinimum));
  const imageHeight = Math.max(3, mainHeight - layersHeight - detailsHeight);
  return {
    width,
    height,
    leftWidth,
    treeWidth,
    layersHeight,
    detailsHeight,
    imageHeight,
    mainHeight,
    treeRows: Math.max(1, mainHeight - BORDER - 2),
    layerRows: Math.max(1, layersHeight - BORDER - 2),
  };
}

/** Rows of chrome above the first list row inside a pane: top border, title, column header. */
const LIST_TOP = 3;

/** What a screen cell shows: the pane, and the list row under it (null on borders and headers). */
export interface Hit {
  pane: 'layers' | 'tree';
  row: number | null;
}

/** For mouse clicks and the wheel; `layerStart` and `treeScroll` are the first rows on screen in each list. */
export function hitTest(
  layout: Layout,
  x: number,
  y: number,
  layerStart: number,
  layerCount: number,
  treeScroll: number,
  treeCount: number,
): Hit | null {
  if (y < 0 || y >= layout.mainHeight) return null;
  if (x < layout.leftWidth) {
    if (y >= layout.layersHeight) return null;
    const layer = layerStart + (y - LIST_TOP);
    return { pane: 'layers', row: y >= LIST_TOP && y < layout.layersHeight - 1 && layer < layerCount ? layer : null };
  }
  const row = treeScroll + (y - LIST_TOP);
  return { pane: 'tree', row: y >= LIST_TOP && y < layout.mainHeight - 1 && row < treeCount ? row : null };
}
