import { setFlagsFromString } from 'node:v8';

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

/** Sets TurboFan's inlining limit: first thing at start, before strata's code runs hot. */
export function limitInlining(): void {
  setFlagsFromString(`--max-inlined-bytecode-size=${MAX_INLINED_BYTECODE_SIZE}`);
}
