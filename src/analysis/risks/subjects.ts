import type { ImageIndex } from '../../image/types.js';
import { baseName, parentOf } from '../../layers/path.js';
import type { LayerIndex, TarEntry } from '../../layers/types.js';
import { sortBytewise } from '../../tree/path-order.js';
import type { PathState, Stack } from '../../tree/types.js';
import { isElf, isExecutableContent } from './content.js';
import { LinkResolver, lexicalTarget } from './resolve.js';
import type { Subject } from './types.js';

/** Receives subjects one at a time: an image may hold hundreds of thousands, and each is judged at once. */
export type SubjectVisitor = (subject: Subject) => void;

/**
 * The subjects of the final filesystem: every visible path but symlinks, with the paths that hold the
 * same data (a file and its hardlinks) gathered into one subject, and every symlink that leads to a file
 * listed as one of its aliases. One pass over the final filesystem, plus one lookup per symlink; only
 * files that have hardlinks or links pointing at them cost more than a subject.
 *
 * Plain functions and a callback rather than a generator, one function per pass: V8 optimizes a
 * generator as one body, and throws it away each time a pass reaches code the earlier ones had not
 * run, compiling it again.
 */
export function visitFinalSubjects(image: ImageIndex, stack: Stack, visit: SubjectVisitor): void {
  const final = stack.final;
  const byType = partitionFinal(final, visit);
  const linksOf = symlinksByTarget(final, byType.symlinks);
  const shared = pathsBySharedPiece(final, byType.hardlinks);
  visitFiles(final, byType.files, shared, linksOf, visit);
  // Hardlinks whose file entry is gone from its path: the first of them stands for the data.
  if (shared.size > 0) visitOrphanedHardlinks(image, stack, shared, linksOf, visit);
}

interface FinalByType {
  files: string[];
  hardlinks: string[];
  symlinks: string[];
}

/** Sorts the final paths by type; directories and special files are subjects of their own at once. */
function partitionFinal(final: Stack['final'], visit: SubjectVisitor): FinalByType {
  const byType: FinalByType = { files: [], hardlinks: [], symlinks: [] };
  for (const [path, state] of final) {
    if (state.type === 'file') byType.files.push(path);
    else if (state.type === 'hardlink') {
      if (state.piece >= 0) byType.hardlinks.push(path); // a dangling hardlink holds nothing: nothing to judge
    } else if (state.type === 'symlink') byType.symlinks.push(path);
    else visit(subjectOf(path, state, state.entry, NONE, NONE, false));
  }
  return byType;
}

type LinksOf = (path: string) => readonly string[];

/** Target path → the symlinks that lead to it. */
function symlinksByTarget(final: Stack['final'], symlinks: readonly string[]): LinksOf {
  const linksTo = new Map<string, string[]>();
  const resolver = new LinkResolver(final);
  for (const link of symlinks) {
    const target = resolver.resolve(link);
    if (target === null) continue;
    const links = linksTo.get(target);
    if (links === undefined) linksTo.set(target, [link]);
    else links.push(link);
  }
  return (path) => linksTo.get(path) ?? NONE;
}

/** Pieces held by several paths: each is one subject, named after the path holding the file entry. */
function pathsBySharedPiece(final: Stack['final'], hardlinks: readonly string[]): Map<number, string[]> {
  const shared = new Map<number, string[]>();
  for (const path of hardlinks) {
    const piece = final.get(path)!.piece;
    const paths = shared.get(piece);
    if (paths === undefined) shared.set(piece, [path]);
    else paths.push(path);
  }
  return shared;
}

/** Each regular file, with its hardlinks when it has some (their pieces are taken out of `shared`). */
function visitFiles(
  final: Stack['final'],
  files: readonly string[],
  shared: Map<number, string[]>,
  linksOf: LinksOf,
  visit: SubjectVisitor,
): void {
  for (const path of files) {
    const state = final.get(path)!;
    const others = shared.get(state.piece);
    if (others === undefined) {
      const links = linksOf(path);
      visit(subjectOf(path, state, state.entry, NONE, links.length > 1 ? sortBytewise([...links]) : links, false));
      continue;
    }
    shared.delete(state.piece);
    visit(groupSubject(path, state, state.entry, others, linksOf));
  }
}

function visitOrphanedHardlinks(
  image: ImageIndex,
  stack: Stack,
  shared: Map<number, string[]>,
  linksOf: LinksOf,
  visit: SubjectVisitor,
): void {
  const pieceEntries = pieceEntryTable(image.layers, stack);
  for (const [piece, paths] of shared) {
    sortBytewise(paths);
    const primary = paths[0]!;
    visit(groupSubject(primary, stack.final.get(primary)!, pieceEntries[piece], paths.slice(1), linksOf));
  }
}

const NONE: readonly string[] = Object.freeze([]);

function groupSubject(
  path: string,
  state: StateLike,
  entry: TarEntry | null | undefined,
  hardlinks: readonly string[],
  linksOf: LinksOf,
): Subject {
  const links = [...linksOf(path)];
  for (const hardlink of hardlinks) links.push(...linksOf(hardlink));
  return subjectOf(path, state, entry, sortBytewise([...hardlinks]), sortBytewise(links), false);
}

/**
 * Files and directories that layers shipped but the final filesystem no longer shows: each regular-file
 * entry whose data no visible path reaches any more (overwritten or deleted later, or a same-layer
 * duplicate that lost), and each directory entry whose path is no longer a directory. Links of the same
 * layer that lead to such a file are its aliases.
 */
export function visitHiddenSubjects(image: ImageIndex, stack: Stack, visit: SubjectVisitor): void {
  const piecesByLayer = groupPiecesByLayer(stack);
  for (const [layerNumber, layer] of image.layers.entries()) {
    const layerPieces = piecesByLayer.get(layerNumber) ?? [];
    let fileIndex = 0;
    let links: Map<string, SameLayerLinks> | undefined;
    for (const entry of layer.entries) {
      if (entry.whiteout !== undefined) continue;
      if (entry.type === 'file') {
        const piece = layerPieces[fileIndex++];
        const hidden =
          piece !== undefined && piece.path === entry.path
            ? piece.hiddenBy !== null
            : stack.final.get(entry.path)?.entry !== entry;
        if (!hidden) continue;
        links ??= sameLayerLinks(layer);
        const found = links.get(entry.path);
        const hardlinks = sortBytewise((found?.hard ?? []).filter((p) => p !== entry.path));
        const symlinks = sortBytewise((found?.soft ?? []).filter((p) => p !== entry.path));
        visit(subjectOf(entry.path, stateOfEntry(entry, layerNumber), entry, hardlinks, symlinks, true));
      } else if (entry.type === 'dir' && stack.final.get(entry.path)?.type !== 'dir') {
        visit(subjectOf(entry.path, stateOfEntry(entry, layerNumber), entry, [], [], true));
      }
    }
  }
}

type StateLike = Pick<PathState, 'type' | 'mode' | 'uid' | 'gid' | 'size' | 'layer'>;

function stateOfEntry(entry: TarEntry, layer: number): StateLike {
  return { type: entry.type, mode: entry.mode & 0o7777, uid: entry.uid, gid: entry.gid, size: entry.size, layer };
}

function subjectOf(
  path: string,
  state: StateLike,
  entry: TarEntry | null | undefined,
  hardlinks: readonly string[],
  links: readonly string[],
  hidden: boolean,
): Subject {
  const head = entry?.head;
  const base = baseName(path);
  let names: readonly string[] = [base];
  let aliases = links;
  if (hardlinks.length > 0 || links.length > 0) {
    const seen = new Set([base]);
    for (const other of hardlinks) seen.add(baseName(other));
    for (const other of links) seen.add(baseName(other));
    names = [...seen];
    if (hardlinks.length > 0) aliases = sortBytewise([...hardlinks, ...links]);
  }
  return {
    path,
    base,
    dir: parentOf(path),
    type: state.type === 'hardlink' ? 'file' : state.type,
    mode: state.mode,
    uid: state.uid,
    gid: state.gid,
    size: state.size,
    head,
    content: entry?.content,
    executable: isExecutableContent(head),
    elf: isElf(head),
    names,
    aliases,
    hardlinks,
    layer: state.layer,
    hidden,
  };
}

function groupPiecesByLayer(stack: Stack): Map<number, Stack['pieces'][number][]> {
  const byLayer = new Map<number, Stack['pieces'][number][]>();
  for (const piece of stack.pieces) {
    const list = byLayer.get(piece.layer);
    if (list === undefined) byLayer.set(piece.layer, [piece]);
    else list.push(piece);
  }
  return byLayer;
}

/**
 * Piece id → the tar entry that shipped it (only hardlinks whose original path is gone need it). Pieces
 * are shipped in layer and tar order, one per regular-file entry; the path is checked on every match, so
 * a mismatch yields no entry rather than a wrong one.
 */
function pieceEntryTable(layers: readonly LayerIndex[], stack: Stack): (TarEntry | undefined)[] {
  const table: (TarEntry | undefined)[] = [];
  const piecesByLayer = groupPiecesByLayer(stack);
  layers.forEach((layer, layerNumber) => {
    const layerPieces = piecesByLayer.get(layerNumber) ?? [];
    let fileIndex = 0;
    for (const entry of layer.entries) {
      if (entry.whiteout !== undefined || entry.type !== 'file') continue;
      const shipped = layerPieces[fileIndex++];
      if (shipped !== undefined && shipped.path === entry.path) table[shipped.id] = entry;
    }
  });
  return table;
}

interface SameLayerLinks {
  hard: string[];
  soft: string[];
}

/** Target path → the hardlinks and symlinks (read lexically) of one layer that point at it. */
function sameLayerLinks(layer: LayerIndex): Map<string, SameLayerLinks> {
  const links = new Map<string, SameLayerLinks>();
  for (const entry of layer.entries) {
    if (entry.whiteout !== undefined || entry.linkTarget === undefined) continue;
    if (entry.type !== 'symlink' && entry.type !== 'hardlink') continue;
    const target = entry.type === 'symlink' ? lexicalTarget(entry.path, entry.linkTarget) : entry.linkTarget;
    let slot = links.get(target);
    if (slot === undefined) links.set(target, (slot = { hard: [], soft: [] }));
    (entry.type === 'hardlink' ? slot.hard : slot.soft).push(entry.path);
  }
  return links;
}
