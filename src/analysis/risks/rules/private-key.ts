import { describeKeyKind, privateKeyHeader } from '../content.js';
import type { SubjectRule } from '../types.js';
import { isSshHostKeyPath } from './ssh-host-key.js';

export const privateKeyRule: SubjectRule = {
  kind: 'subject',
  id: 'secret.private-key',
  category: 'secret',
  severity: 'high',
  description:
    'Private keys found by content: a PEM (RSA, EC, DSA, PKCS#8, encrypted), OpenSSH, PuTTY or PGP ' +
    'private-key header in the first bytes; certificates and public keys are not secrets',
  check(subject) {
    // SSH host keys are reported as remote access.
    if (subject.type !== 'file' || isSshHostKeyPath(subject.path)) return null;
    const kind = privateKeyHeader(subject.head) ?? privateKeyHeader(subject.content);
    if (kind === null) return null;
    return { reason: `${describeKeyKind(kind)}: anyone who pulls the image has the key` };
  },
};
