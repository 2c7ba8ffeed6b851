import type { SubjectRule } from '../types.js';

export const logrotateRule: SubjectRule = {
  kind: 'subject',
  id: 'leftover.logrotate',
  category: 'leftover',
  severity: 'low',
  description: 'logrotate configuration (/etc/logrotate.conf, /etc/logrotate.d/*): one finding per directory',
  check(subject) {
    if (subject.type !== 'file') return null;
    const reason = 'logrotate configuration: log files of a full system; a container logs to stdout';
    if (subject.path === '/etc/logrotate.conf') return { reason };
    if (subject.dir === '/etc/logrotate.d') return { group: '/etc/logrotate.d', reason };
    return null;
  },
};
