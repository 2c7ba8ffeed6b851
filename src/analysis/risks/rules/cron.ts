import type { SubjectRule } from '../types.js';

const CRON_FILES = new Set(['/etc/crontab', '/etc/anacrontab']);
const CRON_DIRS = new Set([
  '/etc/cron.d',
  '/etc/cron.hourly',
  '/etc/cron.daily',
  '/etc/cron.weekly',
  '/etc/cron.monthly',
  '/etc/cron.yearly',
]);
const SPOOL = '/var/spool/cron/';

export const cronRule: SubjectRule = {
  kind: 'subject',
  id: 'leftover.cron',
  category: 'leftover',
  severity: 'low',
  description: 'cron jobs: /etc/crontab, /etc/cron.*/*, /var/spool/cron; one finding per directory',
  check(subject) {
    if (subject.type !== 'file' || subject.base === '.placeholder') return null;
    const reason =
      'cron jobs: scheduled tasks of a full system; in a container they never run, or run where nobody looks';
    if (CRON_FILES.has(subject.path)) return { reason };
    if (CRON_DIRS.has(subject.dir)) return { group: subject.dir, reason };
    if (subject.path.startsWith(SPOOL)) return { group: '/var/spool/cron', reason };
    return null;
  },
};
