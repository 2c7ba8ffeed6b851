import type { SubjectRule } from '../types.js';

const ANSIBLE_TOOLS = new Set(['ansible', 'ansible-playbook', 'ansible-pull', 'ansible-galaxy']);

/** The Ansible leftover directory a path is in (or is): /etc/ansible, ~/.ansible, ~/.ansible_async, ansible-tmp-*. */
export function ansibleDir(path: string): string | null {
  if (!path.includes('ansible')) return null;
  if (path === '/etc/ansible' || path.startsWith('/etc/ansible/')) return '/etc/ansible';
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '.ansible' || part === '.ansible_async' || part.startsWith('ansible-tmp-'))
      return parts.slice(0, i + 1).join('/');
  }
  return null;
}

export const ansibleRule: SubjectRule = {
  kind: 'subject',
  id: 'leftover.ansible',
  category: 'leftover',
  severity: 'low',
  description:
    'Ansible leftovers: /etc/ansible, ~/.ansible, ~/.ansible_async, ansible-tmp-* directories, and the ansible tools',
  check(subject) {
    const dir = ansibleDir(subject.path);
    if (dir !== null) {
      // The directory itself and the files in it; its subdirectories would only repeat the files.
      if (subject.type === 'dir' && subject.path !== dir) return null;
      return {
        group: dir,
        reason: 'Ansible leftovers from provisioning: inventories, temporary modules, sometimes secrets',
      };
    }
    if (subject.executable && subject.names.some((name) => ANSIBLE_TOOLS.has(name))) {
      return { reason: 'Ansible: a provisioning tool that runs commands anywhere it is pointed' };
    }
    return null;
  },
};
