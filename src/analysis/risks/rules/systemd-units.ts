import type { SubjectRule } from '../types.js';

const UNIT_ROOTS = ['/etc/systemd/', '/lib/systemd/', '/usr/lib/systemd/', '/usr/local/lib/systemd/'];
const UNIT_SUFFIX = /\.(?:service|socket|timer|target|path|mount|automount|swap|slice)$/;

export const systemdUnitsRule: SubjectRule = {
  kind: 'subject',
  id: 'leftover.systemd-units',
  category: 'leftover',
  severity: 'low',
  description: 'systemd unit files (*.service, *.timer, *.socket…): one finding per directory',
  check(subject) {
    if (subject.type !== 'file' || !UNIT_SUFFIX.test(subject.base)) return null;
    if (!UNIT_ROOTS.some((root) => subject.path.startsWith(root))) return null;
    return {
      group: subject.dir,
      reason: 'systemd units: services and timers of a full system; nothing runs them in a container',
    };
  },
};
