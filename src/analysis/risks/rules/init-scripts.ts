import type { SubjectRule } from '../types.js';

const INIT_DIRS = new Set(['/etc/init.d', '/etc/rc.d/init.d']);

export const initScriptsRule: SubjectRule = {
  kind: 'subject',
  id: 'leftover.init-scripts',
  category: 'leftover',
  severity: 'low',
  description:
    'SysV init scripts (/etc/init.d/*): services of a full system, dead weight in a container; one ' +
    'finding per directory',
  check(subject) {
    if (subject.type !== 'file') return null;
    if (!INIT_DIRS.has(subject.dir)) return null;
    if (subject.base.startsWith('.') || subject.base.startsWith('README')) return null;
    return {
      group: subject.dir,
      reason: 'init scripts: services of a full system that a container never starts (a sign of a fat base image)',
    };
  },
};
