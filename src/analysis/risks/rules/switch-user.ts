import type { ToolRule } from '../types.js';

export const switchUserRule: ToolRule = {
  kind: 'tool',
  id: 'privilege',
  category: 'privilege',
  severity: 'high',
  description: 'sudo, su, doas and pkexec; when setuid or setgid they are reported once, as privilege.setuid',
  tools: [
    { name: 'sudo', reason: 'sudo: runs commands as root' },
    { name: 'sudoedit', tool: 'sudo', reason: 'sudo: runs commands as root' },
    { name: 'su', reason: 'su: switches to another user, root included' },
    { name: 'doas', reason: 'doas: runs commands as root' },
    { name: 'pkexec', reason: 'pkexec: runs commands as root' },
  ],
  // A setuid su is one finding: privilege.setuid, whose reason names it.
  accepts: (subject) => (subject.mode & 0o6000) === 0,
};
