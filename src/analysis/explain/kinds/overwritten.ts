import { formatBytes } from '../../../util/format.js';
import { topmostIn } from '../group.js';
import type { HiddenExplainer } from '../types.js';
import { describeRoots, layerRef, listRoots, plural, stepOf } from '../words.js';

const PACKAGE_TOOLS = 'apt-get|apt|aptitude|yum|dnf|microdnf|apk|zypper|dpkg|rpm';
const INSTALL_VERBS = 'install|add|upgrade|dist-upgrade|full-upgrade|reinstall|in|-i|-U';
const PACKAGE_INSTALL = new RegExp(String.raw`\b(?:${PACKAGE_TOOLS})\s+(?:-{1,2}\S+\s+)*(?:${INSTALL_VERBS})\b`);

/**
 * A directory a later layer replaced wholesale (`rm -rf dir && mkdir dir` makes an opaque directory,
 * `.wh..wh..opq`): what the earlier layers put there still ships.
 */
export const opaqueReplaced: HiddenExplainer = {
  kind: 'overwritten',
  id: 'opaque',
  claim(piece, context) {
    const dir = topmostIn(piece.path, context.opaqueDirs(piece.hiddenBy));
    // The marker hides what is under the directory, not the directory's own path.
    return dir !== undefined && dir !== piece.path ? { anchor: dir, root: dir } : null;
  },
  describe(group, context) {
    const dir = group.anchor!;
    const count = group.pieces.length;
    const shipper = stepOf(context.command(group.layer), group.layer);
    const files =
      count === 1
        ? `the file (${formatBytes(group.bytes)}) that layer ${group.layer} put there is`
        : `the ${plural(count, 'file')} (${formatBytes(group.bytes)}) that layer ${group.layer} put there are`;
    return {
      message:
        `${layerRef(group.hiddenBy, context.command(group.hiddenBy), true)} replaced ${dir} (an opaque ` +
        `directory): ${files} still shipped.`,
      fix:
        shipper.kind === 'COPY' || shipper.kind === 'ADD'
          ? `Leave ${dir} out of the ${shipper.kind} in layer ${group.layer} (.dockerignore, or copy only ` +
            'what you keep), or ship its final content there.'
          : `Give ${dir} its final content in the step that creates it: a later step that replaces a ` +
            'directory cannot take the old files out of the image.',
    };
  },
};

/** Files a later layer replaced with other content: the old copies still ship. */
export const overwritten: HiddenExplainer = {
  kind: 'overwritten',
  id: 'overwritten',
  claim(piece) {
    return piece.reason === 'overwritten' ? {} : null;
  },
  describe(group, context) {
    const hider = layerRef(group.hiddenBy, context.command(group.hiddenBy), true);
    const shipper = stepOf(context.command(group.layer), group.layer);
    const count = group.pieces.length;
    const size = formatBytes(group.bytes);
    const one = group.roots.length === 1 && !group.roots[0]!.directory && count === 1 ? group.roots[0] : undefined;
    const message = one
      ? `${hider} replaced ${one.path}, which layer ${group.layer} shipped: the old copy (${size}) is ` +
        'still in the image.'
      : group.roots.length === 1
        ? `${hider} rewrote ${describeRoots(group.roots, count, group.bytes)}, which layer ${group.layer} ` +
          'shipped: the old copies are still in the image.'
        : `${hider} rewrote ${plural(count, 'file')} that layer ${group.layer} shipped, in ` +
          `${listRoots(group.roots)}: the old copies (${size}) are still in the image.`;
    let fix: string;
    if (PACKAGE_INSTALL.test(context.command(group.hiddenBy))) {
      fix =
        'Each package install rewrites the package database, logs and caches that earlier layers ' +
        'shipped: install every package in one RUN (or in the base image).';
    } else if (shipper.base) {
      fix =
        "Replacing a base image's file keeps the old copy: for large files, pick a base without them, or " +
        'assemble the final filesystem in another stage.';
    } else if (shipper.kind === 'COPY' || shipper.kind === 'ADD') {
      fix =
        `Ship one version: leave the first copy out of the ${shipper.kind} in layer ${group.layer} ` +
        '(.dockerignore), or ship the final version there.';
    } else {
      fix = 'Write each file once: produce its final content in the step that creates it.';
    }
    return { message, fix };
  },
};
