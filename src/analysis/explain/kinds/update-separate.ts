import { isUpdateAlone } from '../../audit/checks/update-alone.js';
import { formatBytes } from '../../../util/format.js';
import type { HiddenExplainer } from '../types.js';
import { listRoots, stepOf } from '../words.js';

/**
 * A package-index refresh in a RUN of its own (`RUN apt-get update`), whose files a later layer deleted or
 * replaced: they still ship, in the update's layer.
 */
export const updateSeparate: HiddenExplainer = {
  kind: 'update-separate',
  id: 'update-separate',
  claim(piece, context) {
    return isUpdateAlone(context.command(piece.layer)) ? {} : null;
  },
  describe(group, context) {
    const command = context.command(group.layer);
    const step = stepOf(command, group.layer).text;
    const removed = group.pieces.every((p) => p.reason === 'removed');
    const overwritten = group.pieces.every((p) => p.reason === 'overwritten');
    const verb = removed ? 'deleted' : overwritten ? 'replaced' : 'deleted or replaced';
    const one = group.roots.length === 1 ? group.roots[0] : undefined;
    const what = one
      ? `${formatBytes(group.bytes)} of ${one.path}`
      : `${formatBytes(group.bytes)} in ${listRoots(group.roots)}`;
    return {
      message:
        `\`${step}\` in layer ${group.layer} shipped ${what}, which layer ${group.hiddenBy} ${verb}: ` +
        `${one && !one.directory ? 'it is' : 'they are'} still in the image.`,
      fix: fixFor(command),
    };
  },
};

function fixFor(command: string): string {
  if (/\bapk\b/.test(command))
    return (
      'Drop the separate `apk update`: `RUN apk add --no-cache …` refreshes, installs and leaves no index ' +
      'behind, in one layer.'
    );
  if (/\b(?:yum|dnf|microdnf)\b/.test(command)) {
    const tool = /\b(yum|dnf|microdnf)\b/.exec(command)?.[1] ?? 'dnf';
    return `Refresh, install and clean in one RUN: \`RUN ${tool} install -y … && ${tool} clean all\`.`;
  }
  if (/\bzypper\b/.test(command))
    return (
      'Refresh, install and clean in one RUN: ' + '`RUN zypper refresh && zypper install -y … && zypper clean --all`.'
    );
  return (
    'Run update, install and clean in one RUN: `RUN apt-get update && apt-get install -y … && rm -rf ' +
    '/var/lib/apt/lists/*`.'
  );
}
