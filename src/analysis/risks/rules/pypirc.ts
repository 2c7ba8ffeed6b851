import { assignments } from '../content.js';
import { isLiteralSecret } from '../secret-values.js';
import type { SubjectRule } from '../types.js';

export const pypircRule: SubjectRule = {
  kind: 'subject',
  id: 'secret.pypirc',
  category: 'secret',
  severity: 'high',
  description: '.pypirc files with a password or an API token',
  check(subject) {
    if (subject.type !== 'file' || subject.base !== '.pypirc' || subject.size === 0) return null;
    if (subject.content === undefined) return { reason: 'a .pypirc (too large to read): may hold PyPI tokens' };
    const found = assignments(subject.content).some(
      ({ key, value }) => (/^password$/i.test(key) || value.startsWith('pypi-')) && isLiteralSecret(value),
    );
    return found ? { reason: 'PyPI credentials (password or pypi- token): publish packages as their owner' } : null;
  },
};
