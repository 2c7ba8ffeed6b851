// `npm run bench:tui`'s entry: the runtime prepared as `strata` prepares it for the explorer
// (src/runtime/prepare.ts), less the Ink patches named with `--without`, then the bench.
import { INK_PATCHES, type InkPatchName } from '../src/runtime/ink-patches.js';
import { prepareRuntime } from '../src/runtime/prepare.js';
import { HEAP_GROWING_PERCENT, MAX_INLINED_BYTECODE_SIZE } from '../src/runtime/v8-flags.js';

const argv = process.argv.slice(2);
const without: InkPatchName[] = [];
for (let i = argv.indexOf('--without'); i >= 0; i = argv.indexOf('--without', i + 1)) {
  const name = argv[i + 1];
  const patch = INK_PATCHES.find((p) => p.name === name);
  if (!patch) {
    console.error(`--without: one of ${INK_PATCHES.map((p) => p.name).join(', ')}`);
    process.exit(2);
  }
  without.push(patch.name);
}
prepareRuntime({ interactive: true, without });
const patches = INK_PATCHES.filter((p) => !without.includes(p.name)).map((p) => p.name);
console.log(
  `as strata's explorer runs: TurboFan inlining up to ${MAX_INLINED_BYTECODE_SIZE} bytes, V8 heap growth ` +
    `${HEAP_GROWING_PERCENT.interactive} %, Ink patches: ${patches.join(', ') || 'none'}`,
);
await import('./tui.js');
