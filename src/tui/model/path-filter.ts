/**
 * The `/` filter: a plain substring, or a regular expression when written as /…/ (flags after the
 * last slash). An invalid regex is reported, never thrown, so typing one cannot crash the explorer.
 */
export type PathFilter = { ok: true; test: ((path: string) => boolean) | null } | { ok: false; error: string };

/** Who owns a final path: the name of its package, if any. */
export type PackageOwner = (path: string) => string | undefined;

/** `pkg:NAME` keeps the files of one package; written by the packages list, so the filter bar shows why. */
const PACKAGE_PREFIX = 'pkg:';

export function compilePathFilter(text: string, ownerOf?: PackageOwner): PathFilter {
  if (text === '') return { ok: true, test: null };
  if (text.startsWith(PACKAGE_PREFIX) && text.length > PACKAGE_PREFIX.length) {
    const name = text.slice(PACKAGE_PREFIX.length);
    return { ok: true, test: (path) => ownerOf?.(path) === name };
  }
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(text);
  if (regex && regex[1] !== '') {
    try {
      const re = new RegExp(regex[1]!, regex[2]!.replace(/[gy]/g, ''));
      return { ok: true, test: (path) => re.test(path) };
    } catch (err) {
      return {
        ok: false,
        error: `invalid regex: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`,
      };
    }
  }
  return { ok: true, test: (path) => path.includes(text) };
}
