import type { SubjectRule } from '../types.js';

const MULTI_CALL = ['busybox', 'toybox'];
/** Applets worth naming in the reason when present. */
const NOTABLE = ['sh', 'ash', 'hush', 'wget', 'nc', 'telnet', 'telnetd', 'ftpget', 'tftp', 'su', 'httpd'];

/**
 * A multi-call binary (busybox, toybox) is one finding: its applets, reached through symlinks or
 * hardlinks, are listed in `related` and no tool rule reports them again (no separate wget, nc or su).
 */
export const busyboxRule: SubjectRule = {
  kind: 'subject',
  id: 'shell.busybox',
  category: 'shell',
  severity: 'low',
  description:
    'busybox and toybox: a shell plus many tools in one binary; one finding, with its applets (links) in `related`',
  check(subject) {
    if (subject.type !== 'file' || !subject.executable) return null;
    const kind = MULTI_CALL.find((name) => subject.names.includes(name));
    if (kind === undefined) return null;
    const applets = subject.names.filter((name) => !MULTI_CALL.includes(name));
    const notable = NOTABLE.filter((name) => applets.includes(name));
    const count =
      applets.length === 0 ? 'no applet links yet' : `${applets.length} applet${applets.length === 1 ? '' : 's'}`;
    const naming = notable.length === 0 ? '' : `, among them ${notable.join(', ')}`;
    // Report at the path named after the binary when a hardlink carries that name.
    const named = subject.base === kind ? undefined : subject.hardlinks.find((path) => path.endsWith(`/${kind}`));
    return {
      rule: `shell.${kind}`,
      reason:
        `${kind}: a shell and many tools in one binary (${count}${naming}): lets an attacker run commands ` +
        'after a compromise',
      ...(named === undefined ? {} : { group: named }),
      claimsNames: true,
    };
  },
};
