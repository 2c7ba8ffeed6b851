import { formatBytes } from '../../../util/format.js';
import type { ExplainContext, HiddenExplainer } from '../types.js';
import { describeRoots, layerRef, octal } from '../words.js';

type Change = 'mode' | 'owner' | 'mode and owner' | 'nothing';

/**
 * A file stored again with the very same content: `chmod`, `chown`, `touch` or a hard link in a later
 * step copies the whole file into that step's layer. The earlier copy is hidden ('overwritten'), and its
 * bytes are what the fix saves.
 */
export const metadataRewrite: HiddenExplainer = {
  kind: 'metadata-rewrite',
  id: 'metadata-rewrite',
  claim(piece, context) {
    if (piece.reason !== 'overwritten') return null;
    const pair = states(piece.path, piece.layer, piece.hiddenBy, context);
    if (!pair) return null;
    const { before, after } = pair;
    if (before.hash === undefined || after.hash !== before.hash || after.size !== before.size) return null;
    return { anchor: changeOf(before, after) };
  },
  describe(group, context) {
    const change = (group.anchor ?? 'nothing') as Change;
    const who = layerRef(group.hiddenBy, context.command(group.hiddenBy), true);
    const one = group.pieces.length === 1 ? group.pieces[0] : undefined;
    const pair = one ? states(one.path, one.layer, one.hiddenBy, context) : null;
    const detail = pair ? changeDetail(change, pair.before, pair.after) : '';
    const size = formatBytes(group.bytes);
    let message: string;
    const link = one && change === 'nothing' ? hardlinkTo(one.path, group.hiddenBy, context) : undefined;
    if (one && link) {
      message =
        `${who} hard-linked ${link} to ${one.path}, which stored the whole file again (same content, mode ` +
        `and owner): the ${size} copy from layer ${group.layer} is still shipped.`;
      return {
        message,
        fix:
          'Create the hard link in the step that creates the file: linking to a file of an earlier layer ' +
          'copies it whole into the new layer.',
      };
    }
    if (one && change === 'nothing') {
      message =
        `${who} stored ${one.path} again with the same content, mode and owner, so the whole file was ` +
        `stored twice: the ${size} copy from layer ${group.layer} is still shipped.`;
    } else if (one) {
      message =
        `${who} only changed the ${change} of ${one.path}${detail}, so the whole file was stored again: ` +
        `the ${size} copy from layer ${group.layer} is still shipped.`;
    } else if (change === 'nothing') {
      message =
        `${who} stored ${describeRoots(group.roots, group.pieces.length, group.bytes)} again with the same ` +
        `content, mode and owner: the copies from layer ${group.layer} are still shipped.`;
    } else {
      message =
        `${who} only changed the ${change} of ` +
        `${describeRoots(group.roots, group.pieces.length, group.bytes)}, so each file was stored again: ` +
        `the copies from layer ${group.layer} are still shipped.`;
    }
    return { message, fix: fixFor(change, pair?.after.mode) };
  },
};

/** A hard link the layer made to `path`, which makes overlay filesystems copy the file up. */
function hardlinkTo(path: string, layer: number, context: ExplainContext): string | undefined {
  return context.image.layers[layer]?.entries.find((entry) => entry.type === 'hardlink' && entry.linkTarget === path)
    ?.path;
}

/** The entry that shipped the piece and the one that stored it again; null unless both are regular files. */
function states(path: string, layer: number, hiddenBy: number, context: ExplainContext) {
  const before = context.entryAt(path, layer);
  const after = context.entryAt(path, hiddenBy);
  if (before?.type !== 'file' || after?.type !== 'file') return null;
  return { before, after };
}

function changeOf(
  before: { mode: number; uid: number; gid: number },
  after: { mode: number; uid: number; gid: number },
): Change {
  const mode = before.mode !== after.mode;
  const owner = before.uid !== after.uid || before.gid !== after.gid;
  return mode && owner ? 'mode and owner' : mode ? 'mode' : owner ? 'owner' : 'nothing';
}

function changeDetail(
  change: Change,
  before: { mode: number; uid: number; gid: number },
  after: { mode: number; uid: number; gid: number },
): string {
  const parts: string[] = [];
  if (change === 'mode' || change === 'mode and owner') parts.push(`${octal(before.mode)} → ${octal(after.mode)}`);
  if (change === 'owner' || change === 'mode and owner')
    parts.push(`${before.uid}:${before.gid} → ${after.uid}:${after.gid}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function fixFor(change: Change, mode: number | undefined): string {
  const chmod = mode === undefined ? '--chmod=…' : `--chmod=${octal(mode)}`;
  switch (change) {
    case 'mode':
      return `Set the mode in the step that creates the file: \`COPY ${chmod}\`, or chmod in the same RUN.`;
    case 'owner':
      return 'Set the owner in the step that creates the file: `COPY --chown=user:group`, or chown in the same RUN.';
    case 'mode and owner':
      return (
        `Set mode and owner in the step that creates the file: \`COPY --chown=user:group ${chmod}\`, or in ` +
        'the same RUN.'
      );
    case 'nothing':
      return (
        'Touching, hard-linking or re-saving a file stores it whole in the new layer: do it in the step ' +
        'that creates the file.'
      );
  }
}
