import { meaningfulLines } from '../content.js';
import { isLiteralSecret } from '../secret-values.js';
import type { SubjectRule } from '../types.js';

export const npmrcRule: SubjectRule = {
  kind: 'subject',
  id: 'secret.npmrc',
  category: 'secret',
  severity: 'high',
  description:
    '.npmrc files with a registry token or password (`_authToken`, `_auth`, `_password`); `${ENV}` ' +
    'references are not secrets',
  check(subject) {
    if (subject.type !== 'file' || subject.base !== '.npmrc' || subject.size === 0) return null;
    if (subject.content === undefined) return { reason: 'an .npmrc (too large to read): may hold registry tokens' };
    // ini lines: `key=value`, where a key may be scoped to a registry (`//registry.npmjs.org/:_authToken`).
    const keys = meaningfulLines(subject.content)
      .map((line) => {
        const eq = line.indexOf('=');
        return {
          key: eq < 0 ? line : line.slice(0, eq).trim(),
          value:
            eq < 0
              ? ''
              : line
                  .slice(eq + 1)
                  .trim()
                  .replace(/^(['"])(.*)\1$/, '$2'),
        };
      })
      .filter(
        ({ key, value }) => /(?:^|:)_(?:authToken|auth|password)$|^password$/i.test(key) && isLiteralSecret(value),
      )
      .map(({ key }) => key.replace(/^.*:/, ''));
    if (keys.length === 0) return null;
    return { reason: `npm registry credentials (${[...new Set(keys)].join(', ')}): publish or read private packages` };
  },
};
