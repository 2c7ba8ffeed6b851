import type { SubjectRule } from '../types.js';

/** OpenSSH (`/etc/ssh/ssh_host_rsa_key`, SSH-1 `ssh_host_key`) and Dropbear host private keys. */
const HOST_KEY = /^\/etc\/ssh\/ssh_host_(?:[a-z0-9]+_)?key$|^\/etc\/dropbear\/dropbear_[a-z0-9]+_host_key$/;

export function isSshHostKeyPath(path: string): boolean {
  return HOST_KEY.test(path);
}

export const sshHostKeyRule: SubjectRule = {
  kind: 'subject',
  id: 'remote-access.ssh-host-key',
  category: 'remote-access',
  severity: 'high',
  description: 'SSH host private keys (/etc/ssh/ssh_host_*_key, Dropbear host keys)',
  check(subject) {
    if (subject.type !== 'file' || subject.size === 0 || !isSshHostKeyPath(subject.path)) return null;
    return {
      reason:
        'an SSH host private key: every container of the image shares it, so anyone with the image can ' +
        'pose as the server',
    };
  },
};
