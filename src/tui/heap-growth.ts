import { setFlagsFromString } from 'node:v8';

/**
 * How much V8 lets the old generation grow past what the last full collection kept, in percent.
 * V8's default is dynamic, up to about twice the live size: building an image's index and analysis
 * leaves much garbage, so a 200k-file image held ~390 MB live but peaked at 0.9–1.0 GB RSS.
 * At 20 % the peak was ~0.7 GB, with cursor moves, layer switches and find as fast as before
 * (`npm run bench:tui`). Only the explorer sets it this low; a one-shot report starts with 70 %
 * (src/cli/v8-tuning.ts), at which its time did not change.
 */
export const EXPLORER_HEAP_GROWTH_PERCENT = 20;

let set = false;

/** Sets the explorer's heap growth (a V8 flag read at each collection); before the image is read. */
export function limitHeapGrowth(): void {
  if (set) return;
  set = true;
  setFlagsFromString(`--heap-growing-percent=${EXPLORER_HEAP_GROWTH_PERCENT}`);
}
