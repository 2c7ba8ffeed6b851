import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings strata starts with (bin/strata.js), before its own code is loaded. Both were measured
 * on this project's 2-core machines with interleaved runs; the explorer then sets its own heap
 * growth (src/tui/heap-growth.ts).
 */

/**
 * The largest function (in bytes of bytecode) TurboFan inlines into another; V8's default is 460.
 * Inlining big functions into strata's per-entry loops mostly buys compilation: V8's background
 * threads spent 1.3–1.6 s of CPU compiling on realistic1g, on a machine whose two cores the
 * analysis and the sha256 worker already fill. With 60, `--json` on realistic1g went from 1.91× to
 * 1.79× `openssl sha256` and its CPU from 3.9 to 3.5 s; files50k from 11.5× to 11.0× (medians of 9
 * interleaved rounds; `--no-turbo-inlining` did as well, `--max-optimized-bytecode-size`, Maglev and
 * Sparkplug-first did not).
 */
export const MAX_INLINED_BYTECODE_SIZE = 60;

/**
 * How far the old generation may grow past what the last full collection kept, in percent. V8's
 * default factor varies with its measurements, and so did the peak: `--json` on big (a first run)
 * peaked at 268–311 MB, over 300 MB in about half the runs on a busy machine. At 70 % it peaked at
 * 246–257 MB in every run, first or not (238–267 MB in the runs since). The price is a little more
 * collecting: realistic1g's time did not change (1.89× against 1.90×, 9 rounds), big's rose by
 * about 0.06× (1.83× against 1.77×, 7 rounds).
 */
export const HEAP_GROWING_PERCENT = 70;

export function tuneV8(): void {
  setFlagsFromString(`--max-inlined-bytecode-size=${MAX_INLINED_BYTECODE_SIZE}`);
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
