import { asUtf8 } from '../content.js';
import { isLiteralSecret } from '../secret-values.js';
import type { SubjectRule } from '../types.js';

export const netrcRule: SubjectRule = {
  kind: 'subject',
  id: 'secret.netrc',
  category: 'secret',
  severity: 'high',
  description: '.netrc files with a password (curl, git, ftp credentials)',
  check(subject) {
    if (subject.type !== 'file' || subject.base !== '.netrc' || subject.size === 0) return null;
    if (subject.content === undefined) return { reason: 'a .netrc (too large to read): may hold passwords' };
    const tokens = asUtf8(subject.content).split(/\s+/);
    const found = tokens.some((token, i) => token === 'password' && isLiteralSecret(tokens[i + 1] ?? ''));
    return found ? { reason: 'login passwords in a .netrc, used by curl, git and ftp' } : null;
  },
};
