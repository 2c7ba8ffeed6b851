import { asUtf8 } from '../content.js';
import type { SubjectRule } from '../types.js';

const CREDENTIAL_FIELDS = ['auth', 'identitytoken', 'registrytoken', 'password'];

/** Registries of a Docker config.json `auths` section that carry credentials (not just a credential-helper stub). */
export function registriesWithCredentials(content: Uint8Array): string[] | null {
  let doc: unknown;
  try {
    doc = JSON.parse(asUtf8(content));
  } catch {
    return null;
  }
  if (typeof doc !== 'object' || doc === null) return [];
  const auths = (doc as Record<string, unknown>).auths;
  if (typeof auths !== 'object' || auths === null) return [];
  return Object.entries(auths as Record<string, unknown>)
    .filter(([, value]) => {
      if (typeof value !== 'object' || value === null) return false;
      const record = value as Record<string, unknown>;
      return CREDENTIAL_FIELDS.some((field) => typeof record[field] === 'string' && record[field] !== '');
    })
    .map(([registry]) => registry);
}

export const dockerConfigRule: SubjectRule = {
  kind: 'subject',
  id: 'secret.docker-config',
  category: 'secret',
  severity: 'high',
  description: 'Docker client configs (.docker/config.json) whose `auths` hold registry credentials',
  check(subject) {
    if (subject.type !== 'file' || subject.size === 0 || !subject.path.endsWith('/.docker/config.json')) return null;
    if (subject.content === undefined)
      return { reason: 'a Docker client config (too large to read): may hold registry credentials' };
    const registries = registriesWithCredentials(subject.content);
    if (registries === null) {
      return /"auths"/.test(asUtf8(subject.content))
        ? { reason: 'a Docker client config with `auths` (unreadable JSON): registry credentials' }
        : null;
    }
    if (registries.length === 0) return null;
    return { reason: `registry credentials in a Docker config (auths: ${registries.join(', ')})` };
  },
};
