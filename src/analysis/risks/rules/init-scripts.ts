import { baseName, parentOf } from '../../../layers/path.js';
import type { SubjectRule } from '../types.js';

const INIT_DIRS = new Set(['/etc/init.d', '/etc/rc.d/init.d']);

export const initScriptsRule: SubjectRule = {
  kind: 'subject',
  id: 'leftover.init-scripts',
  category: 'leftover',
  severity: 'low',
  description: 'SysV init scripts (/etc/init.d/*): services of a full system, dead weight in a container; one finding per directory',
  check(subject) {
    if (subject.type !== 'file') return null;
    const dir = parentOf(subject.path);
    if (!INIT_DIRS.has(dir)) return null;
    const base = baseName(subject.path);
    if (base.startsWith('.') || base.startsWith('README')) return null;
    return { group: dir, reason: 'init scripts: services of a full system that a container never starts (a sign of a fat base image)' };
  },
};
