import { asUtf8 } from '../../risks/content.js';
import { runsAsRoot } from '../../../util/format.js';
import { finalContent } from '../files.js';
import type { AuditCheck } from '../types.js';

/** The uid /etc/passwd gives a user name, when the image has the file and the name. */
function uidOf(passwd: Uint8Array | undefined, name: string): number | null {
  for (const line of asUtf8(passwd).split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields[2] !== undefined && /^\d+$/.test(fields[2])) return Number(fields[2]);
  }
  return null;
}

export const rootUserCheck: AuditCheck = {
  id: 'root-user',
  severity: 'medium',
  description:
    'The image runs as root: no USER, or USER 0, root, 0:0, root:<group>, or a name /etc/passwd maps to uid 0',
  run({ image, stack }) {
    const user = image.config.user.trim();
    const name = user.split(':')[0] ?? '';
    let why: string;
    if (user === '') why = 'no USER is set';
    else if (runsAsRoot(user)) why = `USER is ${user}`;
    else if (!/^\d+$/.test(name) && uidOf(finalContent(stack, '/etc/passwd'), name) === 0)
      why = `USER ${user} has uid 0 in /etc/passwd`;
    else return [];
    return [
      {
        check: 'root-user',
        severity: 'medium',
        message:
          `runs as root (${why}): a process that breaks out of the app owns the container; set USER to an ` +
          'unprivileged user',
        detail: { user },
      },
    ];
  },
};
