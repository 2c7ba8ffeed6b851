import { assignments } from '../content.js';
import type { SubjectRule } from '../types.js';

/** `.env`, `.env.production`, `app.env`; templates (`.env.example`, `.env.sample`…) hold no real values. */
export function isDotenvName(base: string): boolean {
  if (
    /^\.env\.(?:example|sample|template|dist|defaults?|tpl)$/i.test(base) ||
    /\.(?:example|sample|template)\.env$/i.test(base)
  )
    return false;
  return base === '.env' || base.startsWith('.env.') || (base.endsWith('.env') && base.length > 4);
}

export const dotenvRule: SubjectRule = {
  kind: 'subject',
  id: 'secret.dotenv',
  category: 'secret',
  severity: 'high',
  description: '.env files (.env, .env.*, *.env) holding KEY=value settings, the usual home of tokens and passwords',
  check(subject) {
    if (subject.type !== 'file' || subject.size === 0 || !isDotenvName(subject.base)) return null;
    if (subject.content === undefined)
      return { reason: 'an .env file (too large to read): the usual home of tokens and passwords' };
    const keys = [...new Set(assignments(subject.content).map(({ key }) => key))];
    if (keys.length === 0) return null;
    const shown = keys.length > 5 ? `${keys.slice(0, 5).join(', ')}, …` : keys.join(', ');
    return {
      reason:
        `an .env file with ${keys.length} setting${keys.length === 1 ? '' : 's'} (${shown}): the usual ` +
        'home of tokens and passwords',
    };
  },
};
