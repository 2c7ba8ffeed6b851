import { assignments } from '../content.js';
import type { SubjectRule } from '../types.js';

export const awsCredentialsRule: SubjectRule = {
  kind: 'subject',
  id: 'secret.aws-credentials',
  category: 'secret',
  severity: 'high',
  description: 'AWS shared credentials files (.aws/credentials) holding keys',
  check(subject) {
    if (subject.type !== 'file' || subject.size === 0 || !subject.path.endsWith('/.aws/credentials')) return null;
    if (subject.content === undefined)
      return { reason: 'an AWS credentials file (too large to read): cloud account keys' };
    const keys = assignments(subject.content).filter(({ key }) =>
      /^aws_(?:access_key_id|secret_access_key|session_token)$/i.test(key),
    );
    if (keys.length === 0) return null;
    return {
      reason: `AWS credentials (${[...new Set(keys.map((k) => k.key.toLowerCase()))].join(', ')}): cloud account keys`,
    };
  },
};
