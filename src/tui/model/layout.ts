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
  const leftWidth = Math.max(36, Math.min(72, Math.round(width * 0.44)));
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
