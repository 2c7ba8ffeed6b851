import type { SubjectRule } from '../types.js';

export const gitDirRule: SubjectRule = {
  kind: 'subject',
  id: 'secret.git-dir',
  category: 'secret',
  severity: 'high',
  description: '.git directories: the whole history of the source (deleted secrets included) and its remotes',
  check(subject) {
    if (subject.type !== 'dir' || subject.base !== '.git') return null;
    return { reason: 'a Git repository: its whole history ships, secrets deleted in past commits included' };
  },
};
