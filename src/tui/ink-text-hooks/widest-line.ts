/**
 * `widest-line` for Ink, remembering its answers (see `../ink-text-hooks.ts`). The real module's
 * URL comes in this module's query string, as the resolution hook found it for Ink.
 */
const real = new URL(import.meta.url).searchParams.get('real');
if (real === null) throw new Error('ink-text-hooks: widest-line was loaded without the real module to wrap');
const { default: widestLine } = (await import(real)) as { default: (text: string) => number };

/** Two generations of texts: a frame's texts stay while frames repeat them; the rest goes in bulk. */
const GENERATION = 4096;
let current = new Map<string, number>();
let previous = new Map<string, number>();

export default function rememberedWidestLine(text: string): number {
  let width = current.get(text);
  if (width !== undefined) return width;
  width = previous.get(text) ?? widestLine(text);
  if (current.size >= GENERATION) {
    previous = current;
    current = new Map();
  }
  current.set(text, width);
  return width;
}

// For tests, which cannot import this module as Ink does (the real module comes in its URL).
(globalThis as Record<symbol, unknown>)[Symbol.for('strata.inkWidthCache')] = {
  widestLine: rememberedWidestLine,
  remembered: (): number => current.size + previous.size,
};
