/**
 * Bytewise path ordering.
 *
 * Tar paths are bytes and dive sorts them with Go's `sort.Strings` (UTF-8 byte order). JavaScript's `<`
 * compares UTF-16 code units, which agrees with UTF-8 byte order (= code point order) everywhere except
 * between U+E000–U+FFFF and characters outside the BMP (stored as surrogates D800–DFFF): UTF-16 puts the
 * surrogates first, UTF-8 puts them last. `compareBytewise` fixes exactly that case, so it orders strings
 * by code point, which is the UTF-8 byte order of well-formed strings.
 *
 * A JS comparator loop is several times slower than the engine's own string comparison, so the sorting
 * helpers use native `<` whenever no string holds a code unit at or above U+D800 (the overwhelmingly
 * common case), where both orders agree, and skip sorting input that is already in order.
 */

/** Code-point (= UTF-8 byte) order of two strings. */
export function compareBytewise(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) return fixUp(x) - fixUp(y);
      return x - y;
    }
  }
  return a.length - b.length;
}

/** Moves surrogates above U+E000–U+FFFF, so code units compare like the code points they encode. */
function fixUp(codeUnit: number): number {
  if (codeUnit >= 0xe000) return codeUnit - 0x800;
  if (codeUnit >= 0xd800) return codeUnit + 0x2000;
  return codeUnit;
}

export function compareNative(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Strings where native code-unit order may differ from byte order. */
export const NEEDS_CAREFUL_ORDER = /[\ud800-\uffff]/;

/**
 * A comparator valid for the given strings: native code-unit order when none holds a code unit at or
 * above U+D800 (then it equals byte order), `compareBytewise` otherwise.
 */
export function bytewiseComparatorFor(strings: Iterable<string>): (a: string, b: string) => number {
  for (const s of strings) if (NEEDS_CAREFUL_ORDER.test(s)) return compareBytewise;
  return compareNative;
}

/** Sorts strings bytewise, in place; returns the array. */
export function sortBytewise(paths: string[]): string[] {
  const compare = bytewiseComparatorFor(paths);
  if (isSorted(paths, compare)) return paths;
  // The native sort compares code units, which is right when the fast comparator was chosen.
  return compare === compareNative ? paths.sort() : paths.sort(compare);
}

/** Sorts items by a string key, bytewise, in place; returns the array. */
export function sortByKeyBytewise<T>(items: T[], key: (item: T) => string): T[] {
  const compare = bytewiseComparatorFor(items.map(key));
  return items.sort((a, b) => compare(key(a), key(b)));
}

function isSorted(paths: readonly string[], compare: (a: string, b: string) => number): boolean {
  for (let i = 1; i < paths.length; i++) if (compare(paths[i - 1]!, paths[i]!) > 0) return false;
  return true;
}
