import { register } from 'node:module';

/**
 * Makes Ink remember the width of each text it draws, from one frame to the next.
 *
 * Why: for every text node of every frame Ink asks `widest-line` how wide the text is, which runs
 * string-width over it. Any text holding a character outside printable ASCII (the tree's guides,
 * `·`, `▶`) takes string-width's slow path: grapheme segmentation and Unicode regexes, about a
 * microsecond a character. At 120×40 that was 20 % of a frame, and the same texts come back frame
 * after frame. With the widths remembered, a cursor move at 200k files went from 18–20 ms to 11 ms
 * (`npm run bench:tui`, p50).
 *
 * How: `widest-line` is a separate package that Ink imports by name, so a module resolution hook
 * (node:module `register`) hands Ink a wrapper that remembers its answers. Only Ink's imports are
 * redirected, and a width is a pure function of the text, so what Ink draws is unchanged:
 * `test/tui-ink-width-cache.test.ts` renders the explorer with and without it and compares frames.
 * It must run before Ink is loaded; loaded later, Ink keeps the plain module.
 */
let registered = false;

export function registerInkWidthCache(): void {
  if (registered) return;
  registered = true;
  register(new URL('./ink-width-cache/loader.js', import.meta.url));
}
