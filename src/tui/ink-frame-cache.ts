/**
 * Makes Ink 6 remember, from one frame to the next, what it learnt about each line of text.
 *
 * Why: Ink rebuilds the whole screen on every frame. For each line it writes, its `Output` splits the
 * text into graphemes (Intl.Segmenter), parses the ANSI styles into one object per character, and
 * measures character widths. It caches those results, but in a fresh cache per frame: on a
 * 120×40 screen a cursor move changes two lines and pays for forty. Panes clip only vertically (no
 * per-line ANSI slicing), so the lines repeat and remembering them is most of a cursor move's cost.
 *
 * How: Ink keeps the per-frame cache in a private class (`OutputCaches`) that `ink` does not export.
 * Its module is reached by file URL next to Ink's entry point, and the two lookups are wrapped
 * with a cache that outlives the frame. What is cached is a pure function of the line's text, and
 * Ink only reads the cached objects (it copies them into the frame's grid), so a frame is the same
 * string with or without this module: `test/tui-frame-cache.test.tsx` checks exactly that.
 *
 * If a later Ink changes the shape, nothing is patched and Ink works as it did: a slower frame,
 * never a wrong one.
 */

/** Two generations: what was used since the previous generation began stays; the rest is dropped in bulk. */
class GenerationalCache<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(private readonly generationSize: number) {}

  get(key: string): V | undefined {
    let value = this.current.get(key);
    if (value === undefined) {
      value = this.previous.get(key);
      if (value !== undefined) this.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }
}

interface OutputCachesShape {
  getStyledChars(line: string): unknown;
  getStringWidth(text: string): number;
}

type OutputClass = new (options: { width: number; height: number }) => { caches?: unknown };

/** Wraps one of the per-frame lookups with a cache that outlives the frame. */
function remember<K extends keyof OutputCachesShape>(
  proto: OutputCachesShape,
  method: K,
  generationSize: number,
): void {
  const lookup = proto[method] as (this: OutputCachesShape, text: string) => ReturnType<OutputCachesShape[K]>;
  const cache = new GenerationalCache<ReturnType<OutputCachesShape[K]>>(generationSize);
  proto[method] = function (this: OutputCachesShape, text: string) {
    let value = cache.get(text);
    if (value === undefined) {
      value = lookup.call(this, text);
      cache.set(text, value);
    }
    return value;
  } as OutputCachesShape[K];
}

let installed: boolean | null = null;

/** Whether the cache is in place (false when this Ink's internals have another shape). Idempotent. */
export async function installInkFrameCache(): Promise<boolean> {
  if (installed !== null) return installed;
  installed = false;
  let Output: OutputClass;
  try {
    // The same URL as Ink's own `./output.js` import, so the same module instance.
    Output = ((await import(new URL('./output.js', import.meta.resolve('ink')).href)) as { default: OutputClass })
      .default;
  } catch {
    return false; // another layout of Ink: run without the cache
  }
  const caches: unknown = new Output({ width: 0, height: 0 }).caches;
  const proto = caches ? (Object.getPrototypeOf(caches) as Partial<OutputCachesShape>) : null;
  if (!proto || typeof proto.getStyledChars !== 'function' || typeof proto.getStringWidth !== 'function') return false;

  // Room for the lines of a few frames: a line's styled characters are ~100 objects, and holding
  // thousands of lines would only lengthen garbage collection. Widths are plain numbers.
  remember(proto as OutputCachesShape, 'getStyledChars', 256);
  remember(proto as OutputCachesShape, 'getStringWidth', 4096);
  installed = true;
  return true;
}
