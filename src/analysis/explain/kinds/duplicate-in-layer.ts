import { formatBytes } from '../../../util/format.js';
import type { HiddenExplainer } from '../types.js';
import { describeRoots, layerRef } from '../words.js';

/** A layer whose tar holds one path twice: only the last entry is visible, the first still ships. */
export const duplicateInLayer: HiddenExplainer = {
  kind: 'duplicate-in-layer',
  id: 'duplicate-in-layer',
  claim(piece) {
    return piece.hiddenBy === piece.layer ? {} : null;
  },
  describe(group, context) {
    const who = layerRef(group.layer, context.command(group.layer), true);
    const only = group.roots.length === 1 && !group.roots[0]!.directory ? group.roots[0] : undefined;
    const message = only
      ? `${who} holds ${only.path} more than once in its tar: only the last copy is visible, but the ` +
        `earlier one (${formatBytes(group.bytes)}) is stored too.`
      : `${who} holds ${describeRoots(group.roots, group.pieces.length, group.bytes)} more than once in ` +
        'its tar: only the last copies are visible, but the earlier ones are stored too.';
    return {
      message,
      fix:
        'Add each file to the layer once: look for overlapping COPY sources, or a build tool that appends ' +
        'to the layer tar.',
    };
  },
};
