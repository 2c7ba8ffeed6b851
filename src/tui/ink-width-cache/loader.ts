/**
 * Module resolution hook (see `../ink-width-cache.ts`): Ink's own imports of `widest-line` get the
 * remembering wrapper, which is told where the real module is.
 */
interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

const WRAPPER = new URL('./widest-line.js', import.meta.url);

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<{ url: string; shortCircuit?: boolean }> {
  const resolved = await nextResolve(specifier, context);
  if (specifier !== 'widest-line' || !context.parentURL?.includes('/node_modules/ink/')) return resolved;
  const url = new URL(WRAPPER);
  url.searchParams.set('real', resolved.url);
  return { url: url.href, shortCircuit: true };
}
