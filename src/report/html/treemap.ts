import { hierarchy, type HierarchyRectangularNode, treemap, treemapSquarify } from 'd3-hierarchy';
import type { ImageAnalysis } from '../../analysis/analyze.js';

/** One drawn cell: a file, or files grouped because each is too small to see. */
export interface TreemapCell {
  x: number;
  y: number;
  width: number;
  height: number;
  layer: number;
  /** The file's path, or the directory of a group of small files. */
  path: string;
  /** How many files the cell stands for (1 for a file). */
  files: number;
  bytes: number;
  /** True for bytes a later layer hid: still shipped, no longer visible. */
  hidden: boolean;
  /** The package that owns the file ("" when none does, or for a group). */
  package: string;
  /** Index of the directory box the cell sits in (see `TreemapLayout.dirs`). */
  dir: number;
}

/** A directory (or a layer, at depth 1) as laid out: what a click zooms into. */
export interface TreemapBox {
  x: number;
  y: number;
  width: number;
  height: number;
  layer: number;
  path: string;
  /** Index of the enclosing box, -1 for a layer's box. */
  parent: number;
}

export interface TreemapLayout {
  width: number;
  height: number;
  cells: TreemapCell[];
  dirs: TreemapBox[];
  /** Sum of every cell's bytes: the image's total shipped bytes, hidden ones included. */
  totalBytes: number;
}

interface Node {
  name: string;
  path: string;
  layer: number;
  children?: Node[];
  /** Leaves only. */
  bytes?: number;
  files?: number;
  hidden?: boolean;
  package?: string;
}

export interface TreemapOptions {
  width?: number;
  height?: number;
  /** Roughly how many cells at most: smaller files are grouped per directory. */
  maxCells?: number;
}

/** Deeper directories are folded into their files' names: the page stays flat whatever the input. */
const MAX_DEPTH = 12;

/**
 * The image's bytes as a treemap: layer → directory → file, area = bytes. Every piece of data a layer
 * shipped is drawn under that layer, the hidden ones too, so the cells add up to `waste.totalBytes`.
 */
export function layoutTreemap(analysis: ImageAnalysis, options: TreemapOptions = {}): TreemapLayout {
  const width = options.width ?? 1200;
  const height = options.height ?? 700;
  const maxCells = options.maxCells ?? 1500;
  const { stack, packages } = analysis;
  const totalBytes = stack.pieces.reduce((sum, piece) => sum + piece.size, 0);
  const smallest = totalBytes / maxCells;

  const root: Node = { name: '', path: '', layer: -1, children: [] };
  const layerNodes = new Map<number, Node>();
  const dirIndex = new Map<string, Node>();
  for (const piece of stack.pieces) {
    if (piece.size === 0) continue;
    let layerNode = layerNodes.get(piece.layer);
    if (layerNode === undefined) {
      layerNode = { name: `layer ${piece.layer}`, path: '/', layer: piece.layer, children: [] };
      layerNodes.set(piece.layer, layerNode);
      root.children!.push(layerNode);
    }
    const parts = piece.path.split('/').filter(Boolean);
    const dirParts = parts.slice(0, Math.min(parts.length - 1, MAX_DEPTH));
    let parent = layerNode;
    let path = '';
    for (const part of dirParts) {
      path += `/${part}`;
      const key = `${piece.layer}\0${path}`;
      let dir = dirIndex.get(key);
      if (dir === undefined) {
        dir = { name: part, path, layer: piece.layer, children: [] };
        dirIndex.set(key, dir);
        parent.children!.push(dir);
      }
      parent = dir;
    }
    parent.children!.push({
      name: parts.slice(dirParts.length).join('/'),
      path: piece.path,
      layer: piece.layer,
      bytes: piece.size,
      files: 1,
      hidden: piece.hiddenBy !== null,
      package: piece.hiddenBy === null ? (packages.ownerOf(piece.path)?.name ?? '') : '',
    });
  }
  groupSmallFiles(root, smallest);

  const laid = treemap<Node>()
    .tile(treemapSquarify)
    .size([width, height])
    .paddingOuter(2)
    .paddingTop((node) => (node.depth === 1 ? 14 : node.depth === 0 ? 0 : 1))
    .round(false)(
    hierarchy(root, (node) => node.children)
      .sum((node) => node.bytes ?? 0)
      .sort((a, b) => (b.value ?? 0) - (a.value ?? 0)),
  );

  const dirs: TreemapBox[] = [];
  const boxOf = new Map<HierarchyRectangularNode<Node>, number>();
  const cells: TreemapCell[] = [];
  const round = (n: number) => Math.round(n * 10) / 10;
  laid.eachBefore((node) => {
    if (node.depth === 0) return;
    const parentBox = node.parent && node.parent.depth > 0 ? (boxOf.get(node.parent) ?? -1) : -1;
    if (node.children) {
      boxOf.set(node, dirs.length);
      dirs.push({
        x: round(node.x0),
        y: round(node.y0),
        width: round(node.x1 - node.x0),
        height: round(node.y1 - node.y0),
        layer: node.data.layer,
        path: node.data.path,
        parent: parentBox,
      });
      return;
    }
    cells.push({
      x: round(node.x0),
      y: round(node.y0),
      width: round(node.x1 - node.x0),
      height: round(node.y1 - node.y0),
      layer: node.data.layer,
      path: node.data.path,
      files: node.data.files ?? 0,
      bytes: node.data.bytes ?? 0,
      hidden: node.data.hidden ?? false,
      package: node.data.package ?? '',
      dir: parentBox,
    });
  });
  return { width, height, cells, dirs, totalBytes };
}

/**
 * Files smaller than `smallest` become one cell per directory and status ("412 files under 4 kB"); a
 * directory whose whole content is that small becomes one cell. Post-order, without recursion.
 */
function groupSmallFiles(root: Node, smallest: number): void {
  const order: Node[] = [];
  const pending: Node[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    order.push(node);
    for (const child of node.children ?? []) if (child.children) pending.push(child);
  }
  const totals = new Map<Node, Totals>();
  const totalsOf = (child: Node): Totals => {
    if (child.children) return totals.get(child)!;
    const bytes = child.bytes ?? 0;
    const files = child.files ?? 0;
    return child.hidden
      ? { visibleBytes: 0, visibleFiles: 0, hiddenBytes: bytes, hiddenFiles: files }
      : { visibleBytes: bytes, visibleFiles: files, hiddenBytes: 0, hiddenFiles: 0 };
  };
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    const kept: Node[] = [];
    const sum: Totals = { visibleBytes: 0, visibleFiles: 0, hiddenBytes: 0, hiddenFiles: 0 };
    const small: Totals = { visibleBytes: 0, visibleFiles: 0, hiddenBytes: 0, hiddenFiles: 0 };
    for (const child of node.children ?? []) {
      const total = totalsOf(child);
      add(sum, total);
      // Layers are never grouped: each keeps its box and its colour in the legend.
      if (node === root || total.visibleBytes + total.hiddenBytes >= smallest) kept.push(child);
      else add(small, total);
    }
    for (const hidden of [false, true]) {
      const files = hidden ? small.hiddenFiles : small.visibleFiles;
      if (files === 0) continue;
      kept.push({
        name: `${files} files`,
        path: node.path || '/',
        layer: node.layer,
        bytes: hidden ? small.hiddenBytes : small.visibleBytes,
        files,
        hidden,
        package: '',
      });
    }
    node.children = kept;
    totals.set(node, sum);
  }
}

interface Totals {
  visibleBytes: number;
  visibleFiles: number;
  hiddenBytes: number;
  hiddenFiles: number;
}

function add(into: Totals, more: Totals): void {
  into.visibleBytes += more.visibleBytes;
  into.visibleFiles += more.visibleFiles;
  into.hiddenBytes += more.hiddenBytes;
  into.hiddenFiles += more.hiddenFiles;
}
