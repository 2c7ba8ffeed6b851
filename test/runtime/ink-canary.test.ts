import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INK_PATCHES, INK_VERSION, type InkPatchName } from '../../src/runtime/ink-patches.js';
import { runOnDist } from '../helpers/dist-child.js';
import { repoRoot } from '../helpers/paths.js';

/**
 * The canary for strata's patches to Ink (src/runtime/ink-patches.ts): when an Ink release changes
 * what a patch relies on (which of its files import what, and the shape of what they import), this
 * fails and names the patch. Patches fail safe (Ink draws as it would, only slower) or not at all.
 */
const inkFolder = new URL('.', import.meta.resolve('ink'));

/** What each patch's module uses of the original, probed through the same resolution as the patch. */
const PROBE = `
const [dist] = process.argv.slice(1);
(await import(dist + '/src/runtime/prepare.js')).prepareRuntime({ interactive: false });
const problems = [];
const { default: Output } = await import('strata-ink-original:./output.js');
const { hasLookups } = await import(dist + '/src/runtime/ink/output.js');
if (typeof Output !== 'function') problems.push(['frame-cache', 'output.js has no default export class Output']);
else if (!hasLookups(new Output({ width: 1, height: 1 }).caches))
  problems.push(['frame-cache', 'an Output has no caches with getStyledChars and getStringWidth']);
const { default: widestLine } = await import('strata-ink-original:widest-line');
if (typeof widestLine !== 'function' || widestLine('ab\\nabc') !== 3)
  problems.push(['widths', 'widest-line no longer exports a function giving the widest line']);
const tokenize = await import('strata-ink-original:@alcalzone/ansi-tokenize');
for (const name of ['ansiCodesToString', 'diffAnsiCodes', 'styledCharsToString', 'tokenize', 'styledCharsFromTokens'])
  if (typeof tokenize[name] !== 'function') problems.push(['line-text', '@alcalzone/ansi-tokenize has no ' + name]);
const dom = await import('strata-ink-original:./dom.js');
for (const name of ['createTextNode', 'setTextNodeValue'])
  if (typeof dom[name] !== 'function') problems.push(['visible-text', "Ink's dom.js has no " + name]);
process.stdout.write(JSON.stringify(problems));
`;

/** The lines of an Ink file that import `specifier`. */
function imports(file: string, specifier: string): boolean {
  const path = fileURLToPath(new URL(file, inkFolder));
  if (!existsSync(path)) return false;
  const quoted = specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`(^|\\n)import [^;]*from ['"]${quoted}['"]`).test(readFileSync(path, 'utf8'));
}

describe("the canary for strata's patches to Ink", () => {
  it('finds in the installed Ink everything each patch relies on', async () => {
    const problems: Array<[InkPatchName | 'pin', string]> = [];
    const installed = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', inkFolder)), 'utf8')).version;
    const pinned = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')).dependencies.ink;
    if (pinned !== INK_VERSION || installed !== INK_VERSION)
      problems.push([
        'pin',
        `package.json pins ink ${pinned}, ${installed} is installed, the patches know ${INK_VERSION}`,
      ]);
    for (const patch of INK_PATCHES)
      for (const file of patch.importers)
        if (!imports(file, patch.specifier))
          problems.push([patch.name, `Ink's ${file} no longer imports ${patch.specifier}`]);
    const outputSource = readFileSync(fileURLToPath(new URL('output.js', inkFolder)), 'utf8');
    for (const lookup of ['getStyledChars', 'getStringWidth'])
      if (!outputSource.includes(`this.caches.${lookup}(`))
        problems.push(['frame-cache', `Output no longer draws through this.caches.${lookup}`]);
    // Text reaches Ink's tree only through these two: anything else would bypass the escaping.
    const reconciler = readFileSync(fileURLToPath(new URL('reconciler.js', inkFolder)), 'utf8');
    for (const call of ['return createTextNode(text)', 'setTextNodeValue(node, newText)'])
      if (!reconciler.includes(call)) problems.push(['visible-text', `the reconciler no longer calls ${call}`]);
    problems.push(...(await runOnDist<Array<[InkPatchName, string]>>(PROBE)));
    const report = problems.map(([name, problem]) => `Ink patch "${name}": ${problem}`).join('\n');
    expect(report, 'an Ink upgrade broke what a patch relies on (see src/runtime/ink-patches.ts)').toBe('');
  });
});
