import type { SubjectRule } from '../types.js';

const SETUID = 0o4000;
const SETGID = 0o2000;

const SWITCH_USER = new Set(['su', 'sudo', 'doas', 'pkexec', 'sudoedit']);

export const setuidRule: SubjectRule = {
  kind: 'subject',
  id: 'privilege.setuid',
  category: 'privilege',
  severity: 'high',
  description:
    'setuid and setgid regular files (mode from the tar header); reported as privilege.setuid or privilege.setgid',
  check(subject) {
    if (subject.type !== 'file' || (subject.mode & (SETUID | SETGID)) === 0) return null;
    const setuid = (subject.mode & SETUID) !== 0;
    const owner = setuid
      ? subject.uid === 0
        ? 'root'
        : `uid ${subject.uid}`
      : subject.gid === 0
        ? 'group root'
        : `gid ${subject.gid}`;
    const bits = setuid && (subject.mode & SETGID) !== 0 ? 'setuid and setgid' : setuid ? 'setuid' : 'setgid';
    const switcher = subject.names.find((name) => SWITCH_USER.has(name));
    const what = switcher === undefined ? '' : ` (${switcher}: switches to another user)`;
    return {
      rule: setuid ? 'privilege.setuid' : 'privilege.setgid',
      reason:
        `${bits} ${owner}${what}: runs with ${owner}'s rights whoever starts it, a classic way up after a ` +
        'compromise',
    };
  },
};
