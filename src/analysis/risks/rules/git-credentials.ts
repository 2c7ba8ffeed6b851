import { asUtf8 } from '../content.js';
import type { SubjectRule } from '../types.js';

/** `https://user:token@host`: a URL with a password in it. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i;

export const gitCredentialsRule: SubjectRule = {
  kind: 'subject',
  id: 'secret.git-credentials',
  category: 'secret',
  severity: 'high',
  description: '.git-credentials files, and Git configs whose remote URLs carry a password or token',
  check(subject) {
    if (subject.type !== 'file' || subject.size === 0) return null;
    const isStore = subject.base === '.git-credentials';
    if (!isStore && !subject.path.endsWith('/.git/config')) return null;
    if (subject.content === undefined) return isStore ? { reason: 'a Git credential store (too large to read)' } : null;
    if (!URL_WITH_PASSWORD.test(asUtf8(subject.content))) return null;
    return {
      reason: isStore
        ? 'a Git credential store: passwords or tokens for Git hosts'
        : 'a Git remote URL with a password or token in it',
    };
  },
};
