import { privateKeyHeader } from '../content.js';
import type { SubjectRule } from '../types.js';

/** `id_rsa`, `id_ed25519_sk`, `id_rsa.bak`, `id_ecdsa-deploy`…, but not the `.pub` halves. */
const SSH_KEY_NAME = /^id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?(?:[._-].*)?$/;

export function isSshKeyName(base: string): boolean {
  return SSH_KEY_NAME.test(base) && !base.endsWith('.pub');
}

export const sshKeyNameRule: SubjectRule = {
  kind: 'subject',
  id: 'secret.ssh-key',
  category: 'secret',
  severity: 'high',
  description:
    'Files named like SSH private keys (id_rsa*, id_dsa*, id_ecdsa*, id_ed25519*, not *.pub) whose first ' +
    'bytes show no key header (those are secret.private-key)',
  check(subject) {
    if (subject.type !== 'file' || subject.size === 0 || !isSshKeyName(subject.base)) return null;
    if (privateKeyHeader(subject.head) !== null) return null; // reported by secret.private-key
    return { reason: `named like an SSH private key (${subject.base}): keys give access to other machines` };
  },
};
