import { formatBytes } from '../../../util/format.js';
import type { HiddenExplainer } from '../types.js';
import { topmostIn } from '../group.js';
import { describeRoots, layerRef, stepOf } from '../words.js';

/** Files a layer shipped and a later layer deleted (a whiteout): invisible, but still in the image. */
export const deletedLater: HiddenExplainer = {
  kind: 'deleted-later',
  id: 'deleted-later',
  claim(piece, context) {
    if (piece.reason !== 'removed') return null;
    // Reported under what the later layer deleted: `rm -rf /root/example` is one directory, not its files.
    return { root: topmostIn(piece.path, context.whiteouts(piece.hiddenBy)) ?? piece.path };
  },
  describe(group, context) {
    const command = context.command(group.layer);
    const step = stepOf(command, group.layer);
    const piece = group.pieces.length === 1 ? group.pieces[0] : undefined;
    const root = group.roots.length === 1 ? group.roots[0] : undefined;
    // One file: name it, and the directory the later layer deleted when that is what it removed.
    const what = piece
      ? `${piece.path} (${formatBytes(group.bytes)})`
      : describeRoots(group.roots, group.pieces.length, group.bytes);
    const removed = piece && root && root.path !== piece.path ? root.path : piece ? 'it' : 'them';
    const who = step.base
      ? `Layer ${group.layer} (the base image) shipped`
      : step.kind === 'COPY'
        ? `Layer ${group.layer} COPY'd`
        : step.kind === 'ADD'
          ? `Layer ${group.layer} ADDed`
          : step.kind === 'RUN'
            ? `${layerRef(group.layer, command, true)} wrote`
            : `${layerRef(group.layer, command, true)} added`;
    return {
      message:
        `${who} ${what}, and layer ${group.hiddenBy} removed ${removed}: ${piece ? 'it is' : 'they are'} ` +
        'still in the image.',
      fix: step.base
        ? 'Deleting files of the base image only hides them: pick a smaller base, or copy what you need ' +
          'into a fresh stage (multi-stage build, `COPY --from`).'
        : step.kind === 'COPY' || step.kind === 'ADD'
          ? 'Keep it out of the image: use a multi-stage build, or a bind mount (`RUN ' +
            '--mount=type=bind,source=…`) for a file only one step needs; .dockerignore what no step needs.'
          : step.kind === 'RUN'
            ? 'Delete it in the same RUN that creates it (or use a cache or tmpfs mount, or a multi-stage ' +
              'build): a later step cannot take bytes out of an earlier layer.'
            : 'Remove it in the step that adds it, or build in another stage and copy only what you keep: ' +
              'a later step cannot take bytes out of an earlier layer.',
    };
  },
};
