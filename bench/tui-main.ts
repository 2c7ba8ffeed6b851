// `npm run bench:tui`'s entry: as `strata` does before Ink loads (src/cli/commands/explore.ts), then the bench.
import { registerInkWidthCache } from '../src/tui/ink-width-cache.js';

registerInkWidthCache();
await import('./tui.js');
