import { register } from 'node:module';
import type { LoaderData } from './ink-loader.js';
import type { InkPatchName } from './ink-patches.js';
import { setV8Flags } from './v8-flags.js';

/**
 * The one place where strata adjusts its runtime: V8's flags, and its patches to Ink (listed in
 * ./ink-patches.ts). The launcher calls it once, before any of strata's other code loads.
 */
export interface RuntimeOptions {
  /** A person at a terminal (both stdin and stdout are TTYs, the default test): a long-lived session. */
  interactive?: boolean;
  /** Ink patches to leave out, to measure what each is worth (`npm run bench:tui -- --without NAME`). */
  without?: readonly InkPatchName[];
}

/** Set by the bundler: bin/strata.js has the Ink patches built in. */
declare const STRATA_BUNDLED: boolean | undefined;

let prepared = false;

export function prepareRuntime(options: RuntimeOptions = {}): void {
  if (prepared) throw new Error('prepareRuntime() was called twice');
  prepared = true;
  setV8Flags(options.interactive ?? (process.stdin.isTTY === true && process.stdout.isTTY === true));
  if (typeof STRATA_BUNDLED === 'undefined') {
    // Before Ink loads: Ink's imports resolve through the hook from here on.
    const data: LoaderData = {
      inkFolder: new URL('.', import.meta.resolve('ink')).href,
      without: options.without ?? [],
    };
    register('./ink-loader.js', import.meta.url, { data });
  } else if (options.without?.length) {
    throw new Error('the Ink patches are built into this bundle: run from dist/ to leave some out');
  }
}
