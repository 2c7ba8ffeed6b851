/**
 * The table of strata's patches to Ink. Each hands some of Ink's own files strata's module in place
 * of one they import; strata's module imports the original (as `ORIGINAL + specifier`, resolved as
 * Ink resolves it) and answers exactly as it would, only sooner. The resolution hook (./ink-loader.ts)
 * applies the table when strata runs from dist/, the bundler (scripts/bundle.mjs) when it builds
 * bin/strata.js; test/runtime/ink-canary.test.ts fails, naming the patch, when an Ink release no
 * longer has what a patch relies on.
 */
export type InkPatchName = 'frame-cache' | 'widths' | 'line-text' | 'visible-text';

export interface InkPatch {
  name: InkPatchName;
  /** Ink's files, in the folder of its entry point, whose import is redirected. */
  importers: readonly string[];
  /** What they import, as written in them. */
  specifier: string;
  /** strata's module, in ./ink/ (as built: .js). */
  module: string;
  /** What the patch buys, in a sentence. */
  why: string;
}

/** The Ink release the patches were written against; package.json pins it. */
export const INK_VERSION = '6.8.0';

/** How strata's modules import what they stand in for. */
export const ORIGINAL = 'strata-ink-original:';

export const INK_PATCHES: readonly InkPatch[] = [
  {
    name: 'frame-cache',
    importers: ['renderer.js'],
    specifier: './output.js',
    module: 'output.js',
    why: "Ink's Output caches each line's styled characters and widths for one frame only; these outlive it",
  },
  {
    name: 'widths',
    importers: ['measure-text.js', 'render-node-to-output.js'],
    specifier: 'widest-line',
    module: 'widest-line.js',
    why: 'every text node is measured on every frame, slowly for any text beyond printable ASCII',
  },
  {
    name: 'line-text',
    importers: ['output.js'],
    specifier: '@alcalzone/ansi-tokenize',
    module: 'ansi-tokenize.js',
    why: 'styledCharsToString makes Sets and arrays per character to find styles unchanged between neighbours',
  },
  {
    name: 'visible-text',
    importers: ['reconciler.js'],
    specifier: './dom.js',
    module: 'dom.js',
    why: 'text from an image (names, commands, labels) must reach the terminal as visible \\xNN, never as controls',
  },
];

/** The patch, if any, that redirects `specifier` imported by `file` (a file name in Ink's build folder). */
export function inkPatchFor(file: string, specifier: string, without: readonly string[] = []): InkPatch | undefined {
  return INK_PATCHES.find((p) => p.specifier === specifier && p.importers.includes(file) && !without.includes(p.name));
}
