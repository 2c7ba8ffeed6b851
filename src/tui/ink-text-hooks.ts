import { register } from 'node:module';

/**
 * Two of Ink's per-frame text chores, made cheaper through the packages Ink imports for them.
 *
 * - Widths (`./ink-text-hooks/widest-line.ts`): for every text node of every frame Ink asks
 *   `widest-line` how wide the text is, which runs string-width over it. Any text holding a
 *   character outside printable ASCII (the tree's guides, `·`, `▶`) takes string-width's slow path:
 *   grapheme segmentation and Unicode regexes. The same texts come back frame after frame, so the
 *   wrapper remembers them.
 * - Line text (`./ink-text-hooks/styled-chars.ts`): Ink turns each line of the frame into text with
 *   `@alcalzone/ansi-tokenize`'s `styledCharsToString`, which makes three Sets and two arrays per
 *   character; the replacement makes the same string without them when neighbours share a style, so
 *   far less garbage, and fewer full collections landing on a key.
 *
 * How: both are separate packages that Ink imports by name, so a module resolution hook
 * (node:module `register`) hands Ink the wrappers. Only Ink's imports are redirected, and both
 * answers are pure functions of the text, so what Ink draws is unchanged:
 * `test/tui-ink-text-hooks.test.ts` renders the explorer with and without them and compares frames.
 * It must run before Ink is loaded; loaded later, Ink keeps the plain modules.
 */
let registered = false;

export function registerInkTextHooks(): void {
  if (registered) return;
  registered = true;
  register(new URL('./ink-text-hooks/loader.js', import.meta.url));
}
