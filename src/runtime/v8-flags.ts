import { setFlagsFromString } from 'node:v8';

/**
 * The largest function (in bytes of bytecode) TurboFan inlines into another; V8's default is 460.
 * Inlining big functions into strata's per-entry loops mostly buys compilation, on machines whose
 * cores the analysis and the hashing worker already fill.
 */
export const MAX_INLINED_BYTECODE_SIZE = 60;

/**
 * How far V8 lets the old generation grow past what the last full collection kept, in percent (its
 * own factor varies with its measurements, and so did the peak). A one-shot command keeps a fixed,
 * moderate factor: a steady peak for little more collecting. An interactive session, which holds
 * an image's index and analysis for as long as it runs, trades a little collecting for much less
 * memory: its moves stay as fast (`npm run bench:tui`).
 */
export const HEAP_GROWING_PERCENT = { batch: 70, interactive: 20 } as const;

/** Sets V8's flags; before strata's own code is loaded, since some are read when code is compiled. */
export function setV8Flags(interactive: boolean): void {
  setFlagsFromString(`--max-inlined-bytecode-size=${MAX_INLINED_BYTECODE_SIZE}`);
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT[interactive ? 'interactive' : 'batch']}`);
}
