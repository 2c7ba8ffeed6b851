// `npm run bench:tui`'s entry: as `strata` does before Ink loads and the image is read
// (src/cli/commands/explore.ts), then the bench.
import { EXPLORER_HEAP_GROWTH_PERCENT, limitHeapGrowth } from '../src/tui/heap-growth.js';
import { registerInkTextHooks } from '../src/tui/ink-text-hooks.js';

registerInkTextHooks();
limitHeapGrowth();
console.log(`as strata's explorer runs: Ink text hooks registered, V8 heap growth limited to ${EXPLORER_HEAP_GROWTH_PERCENT} %`);
await import('./tui.js');
