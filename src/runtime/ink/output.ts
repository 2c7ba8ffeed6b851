/**
 * The `frame-cache` patch (see ../ink-patches.ts): Ink's `Output`, whose caches outlive the frame.
 *
 * Ink rebuilds the whole screen on every frame. For each line, its Output splits the text into
 * graphemes, parses the ANSI styles into one object per character and measures widths, and caches
 * that in a fresh `OutputCaches` per frame: a cursor move changes two lines and pays for every
 * line. This subclass gives each frame's caches two lookups that consult a memo shared by all
 * frames first. What is memoised is a pure function of the text, and Ink only reads the results
 * (it copies them into the frame's grid), so every frame is the same string. If the caches are not
 * there in the shape this relies on, Output is left as it is: a slower frame, never a wrong one.
 */
import Output from 'strata-ink-original:./output.js';
import { TwoGenerations } from './two-generations.js';

interface Lookups {
  getStyledChars(line: string): unknown;
  getStringWidth(text: string): number;
}

// Room for the lines of a few frames: a line's styled characters are about a hundred objects, and
// holding thousands of lines would only lengthen garbage collection. Widths are plain numbers.
const styledChars = new TwoGenerations<unknown>(256);
const widths = new TwoGenerations<number>(4096);

/** Whether `caches` has the two lookups this patch wraps. */
export function hasLookups(caches: unknown): caches is Lookups {
  const lookups = caches as Partial<Lookups> | null | undefined;
  return typeof lookups?.getStyledChars === 'function' && typeof lookups.getStringWidth === 'function';
}

export default class RememberingOutput extends Output {
  constructor(options: ConstructorParameters<typeof Output>[0]) {
    super(options);
    const caches: unknown = (this as { caches?: unknown }).caches;
    if (!hasLookups(caches)) return;
    const { getStyledChars, getStringWidth } = caches;
    caches.getStyledChars = (line) => styledChars.get(line, (l) => getStyledChars.call(caches, l));
    caches.getStringWidth = (text) => widths.get(text, (t) => getStringWidth.call(caches, t));
  }
}

/** Whether a frame has been drawn through the shared memo (tests check that the patch is in place). */
export function used(): boolean {
  return styledChars.size > 0;
}
