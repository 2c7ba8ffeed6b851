/**
 * Module resolution hook (see `../ink-text-hooks.ts`): Ink's own imports of `widest-line` and of
 * `@alcalzone/ansi-tokenize` get strata's wrappers, which are told where the real modules are.
 */
interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

const WIDEST_LINE = new URL('./widest-line.js', import.meta.url);
const STYLED_CHARS = new URL('./styled-chars-entry.js', import.meta.url);

/** A wrapper's URL, with the real module's URL in its query string. */
function wrapping(wrapper: URL, real: string): string {
  const url = new URL(wrapper);
  url.searchParams.set('real', real);
  return url.href;
}

export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: NextResolve,
): Promise<{ url: string; shortCircuit?: boolean }> {
  const resolved = await nextResolve(specifier, context);
  if (!context.parentURL?.includes('/node_modules/ink/')) return resolved;
  if (specifier === 'widest-line') return { url: wrapping(WIDEST_LINE, resolved.url), shortCircuit: true };
  if (specifier === '@alcalzone/ansi-tokenize') {
    // Everything the package exports, with one function replaced: an explicit export shadows the
    // same name from `export *`, whatever else Ink imports from it.
    const source =
      `export * from ${JSON.stringify(resolved.url)};\n` +
      `export { styledCharsToString } from ${JSON.stringify(wrapping(STYLED_CHARS, resolved.url))};\n`;
    return { url: `data:text/javascript,${encodeURIComponent(source)}`, shortCircuit: true };
  }
  return resolved;
}
