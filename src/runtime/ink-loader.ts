/**
 * Module resolution hook (node:module `register`, from ./prepare.ts) that applies ./ink-patches.ts
 * when strata runs unbundled: Ink's imports listed there get strata's modules, and those modules'
 * `ORIGINAL` imports get what Ink would have had.
 */
import { inkPatchFor, ORIGINAL } from './ink-patches.js';

interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<{ url: string }>;

export interface LoaderData {
  /** The folder of Ink's entry point, as the application resolves it. */
  inkFolder: string;
  without: readonly string[];
}

let inkFolder = '';
let without: readonly string[] = [];

export function initialize(data: LoaderData): void {
  ({ inkFolder, without } = data);
}

export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: NextResolve,
): Promise<{ url: string; shortCircuit?: boolean }> {
  if (specifier.startsWith(ORIGINAL)) {
    return nextResolve(specifier.slice(ORIGINAL.length), { ...context, parentURL: `${inkFolder}index.js` });
  }
  const parent = context.parentURL;
  if (!parent?.includes('/node_modules/ink/')) return nextResolve(specifier, context);
  if (!parent.startsWith(inkFolder)) return nextResolve(specifier, context);
  const patch = inkPatchFor(parent.slice(inkFolder.length), specifier, without);
  if (!patch) return nextResolve(specifier, context);
  return { url: new URL(`./ink/${patch.module}`, import.meta.url).href, shortCircuit: true };
}
