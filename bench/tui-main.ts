// `npm run bench:tui`'s entry: as `strata` does at start (bin/strata.js) and before Ink loads and the
// image is read (src/cli/commands/explore.ts), then the bench.
import { MAX_INLINED_BYTECODE_SIZE, tuneV8 } from '../src/cli/v8-tuning.js';
import { EXPLORER_HEAP_GROWTH_PERCENT, limitHeapGrowth } from '../src/tui/heap-growth.js';
import { registerInkTextHooks } from '../src/tui/ink-text-hooks.js';

tuneV8();
registerInkTextHooks();
limitHeapGrowth();
console.log(
  `as strata's explorer runs: TurboFan inlining up to ${MAX_INLINED_BYTECODE_SIZE} bytes, Ink text hooks ` +
    `registered, V8 heap growth limited to ${EXPLORER_HEAP_GROWTH_PERCENT} %`,
);
await import('./tui.js');
