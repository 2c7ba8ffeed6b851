import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings strata starts with (bin/strata.js), before its own code is loaded; the explorer then
 * sets its own heap growth (src/tui/heap-growth.ts). docs/performance.md has what each was measured to do.
 */

/**
 * The largest function (in bytes of bytecode) TurboFan inlines into another; V8's default is 460.
 * Inlining big functions into the per-entry loops mostly buys compilation time on background threads,
 * and the analysis and the sha256 worker already fill both cores.
 */
export const MAX_INLINED_BYTECODE_SIZE = 60;

/**
 * How far the old generation may grow past what the last full collection kept, in percent. V8's own
 * factor varies from run to run, and so does the peak memory of a large report with it; a fixed
 * factor keeps the peak steady for a little more collecting.
 */
export const HEAP_GROWING_PERCENT = 70;

export function tuneV8(): void {
  setFlagsFromString(`--max-inlined-bytecode-size=${MAX_INLINED_BYTECODE_SIZE}`);
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
