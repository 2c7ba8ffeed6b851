/**
 * Path helpers for the absolute, normalized paths of the layer index ("/etc/passwd").
 * They slice at the last "/" instead of splitting, because they sit in hot loops.
 */

export const ROOT = '/';

/** The parent directory of an absolute path: "/a/b" → "/a", "/a" → "/". */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? ROOT : path.slice(0, slash);
}

/** The last component of an absolute path: "/a/b" → "b". */
export function baseNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Joins a directory and a name: ("/", "a") → "/a", ("/a", "b") → "/a/b". */
export function joinPath(dir: string, name: string): string {
  return dir === ROOT ? ROOT + name : dir + '/' + name;
}
