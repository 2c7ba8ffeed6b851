import type { SubjectRule } from '../types.js';

const WORLD_WRITABLE = 0o002;
const STICKY = 0o1000;
/** Places meant to be shared by everyone. */
const SHARED_PLACES = ['/tmp', '/var/tmp', '/dev/shm'];

function inSharedPlace(path: string): boolean {
  return SHARED_PLACES.some((place) => path === place || path.startsWith(`${place}/`));
}

export const worldWritableRule: SubjectRule = {
  kind: 'subject',
  id: 'privilege.world-writable',
  category: 'privilege',
  severity: 'high',
  description:
    'World-writable regular files, and world-writable directories without the sticky bit, outside /tmp, ' +
    '/var/tmp and /dev/shm (symlinks never: their bits mean nothing)',
  check(subject) {
    if (subject.type !== 'file' && subject.type !== 'dir') return null;
    if ((subject.mode & WORLD_WRITABLE) === 0 || inSharedPlace(subject.path)) return null;
    const mode = subject.mode.toString(8).padStart(4, '0');
    if (subject.type === 'dir') {
      // The sticky bit keeps users from deleting or renaming each other's files: a shared directory done right.
      if ((subject.mode & STICKY) !== 0) return null;
      return { reason: `a world-writable directory (mode ${mode}, no sticky bit): any user can replace what is in it` };
    }
    return { reason: `a world-writable file (mode ${mode}): any user can change it` };
  },
};
