/**
 * The `/` filter: a plain substring, or a regular expression when written as /…/ (flags after the
 * last slash). An invalid regex is reported, never thrown, so typing one cannot crash the explorer.
 */
export type PathFilter = { ok: true; test: ((path: string) => boolean) | null } | { ok: false; error: string };

export function compilePathFilter(text: string): PathFilter {
  if (text === '') return { ok: true, test: null };
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
