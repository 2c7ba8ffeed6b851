import { setFlagsFromString } from 'node:v8';

/**
 * How much V8 lets the old generation grow past what the last full collection kept, in percent.
 * V8's default lets it grow to about twice the live size, and building an image's index and analysis
 * leaves much garbage: a lower factor cuts the explorer's peak memory without slowing its keys. Only
 * the explorer, which stays open, sets it this low; a one-shot report keeps 70 % (src/cli/v8-tuning.ts).
 */
export const EXPLORER_HEAP_GROWTH_PERCENT = 20;

let set = false;

/** Sets the explorer's heap growth (a V8 flag read at each collection); before the image is read. */
export function limitHeapGrowth(): void {
  if (set) return;
  set = true;
  setFlagsFromString(`--heap-growing-percent=${EXPLORER_HEAP_GROWTH_PERCENT}`);
}
