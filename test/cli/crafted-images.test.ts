/**
 * The crafted images of scripts/crafted/images.ts (traversal names, link loops, decompression bombs,
 * deep and long paths, huge config values, control characters, thousands of layers, a million
 * entries, layout blobs that are not files), each made in a temporary directory and run through the
 * real CLI as a child process, so a hang or runaway memory is caught by a watchdog instead of
 * freezing the suite. Each must keep the contract and give its expected outcome. The limits only
 * catch hangs and runaway memory: no timing is asserted.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CRAFTED, type CraftedImage, type JsonReport } from '../../scripts/crafted/images.js';
import { checkContract } from '../../scripts/fuzz/contract.js';
import { type ChildRun, runChild } from '../../scripts/fuzz/run-child.js';
import { repoRoot } from '../helpers/paths.js';

const scratch = mkdtempSync(join(tmpdir(), 'strata-crafted-'));
const cwd = join(scratch, 'cwd');
mkdirSync(cwd);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', XDG_CACHE_HOME: join(scratch, 'cache') };
delete env.STRATA_DEBUG;
const bin = join(repoRoot, 'bin', 'strata.js');

function run(image: CraftedImage, path: string, flags: string[], format: ChildRun['format']): Promise<ChildRun> {
  const command = flags[0] === 'report' ? 'report' : 'json';
  const limits = { seconds: image.heavy ? 600 : 60, rssMb: image.maxRssMb ?? 2048 };
  return runChild(bin, { command, format, args: [...flags, path], cwd, env }, limits);
}

/** Everything wrong with the runs of one image, in words: empty when it behaved. */
async function problems(image: CraftedImage): Promise<string[]> {
  const path = await image.write(scratch);
  const found: string[] = [];
  const main = await run(image, path, ['--json'], 'json');
  const say = (r: ChildRun, what: string): void => {
    found.push(`strata ${r.args.slice(0, -1).join(' ')}: ${what} (exit ${r.code}, stderr ${r.stderr.slice(0, 200)})`);
  };
  for (const v of checkContract(main)) say(main, v);
  const { outcome } = image;
  if (outcome.kind === 'refused') {
    if (main.code !== 1) say(main, 'expected a refusal');
    else if (!outcome.message.test(main.stderr)) say(main, `message does not match ${outcome.message}`);
  } else if (outcome.kind === 'ok') {
    if (main.code !== 0) say(main, 'expected a report');
    else {
      const wrong = outcome.checkText
        ? outcome.checkText(main.stdout)
        : outcome.check?.(JSON.parse(main.stdout) as JsonReport);
      if (wrong) say(main, wrong);
    }
  }
  if (image.textReports) {
    for (const format of ['text', 'markdown'] as const) {
      const r = await run(image, path, ['report', '--format', format], format);
      for (const v of checkContract(r)) say(r, v);
    }
  }
  rmSync(path, { recursive: true, force: true });
  return found;
}

describe('crafted images', () => {
  for (const image of CRAFTED) {
    const title = `${image.name}: ${image.what}`;
    if (image.knownDefect) {
      // Expected to break the contract until the fix of this defect lands; then this becomes a plain `it`.
      it.fails(`${title} [known: ${image.knownDefect}]`, async () => {
        expect(await problems(image)).toEqual([]);
      }, 900_000);
    } else {
      it(title, async () => {
        expect(await problems(image)).toEqual([]);
      }, 900_000);
    }
  }
});
