import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CiJsonV1 } from '../../src/report/ci.js';
import { runCli } from '../helpers/cli.js';
import { hasShared, shared } from '../helpers/paths.js';
const dirs: string[] = [];
function workdir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-ci-cli-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** `strata ci` in an empty directory (so no .strata.yaml or .dive-ci of the repository is read). */
function ci(...args: string[]) {
  return runCli('ci', '--cwd', workdir(), ...args);
}

/** rule → PASS/FAIL/SKIP, from the text output. */
function statuses(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of stdout.matchAll(/^ {2}(PASS|FAIL|SKIP) {2}(\w+)/gm)) out[m[2]!] = m[1]!;
  return out;
}

describe.skipIf(!hasShared)("strata ci on dive's test image: the same PASS/FAIL/SKIP as dive", () => {
  const image = shared('peer-images', 'dive', 'test-docker-image.tar');
  const rules = (efficiency: string, wasted: string, userWasted: string) =>
    ci(
      image,
      '--lowestEfficiency',
      efficiency,
      '--highestWastedBytes',
      wasted,
      '--highestUserWastedPercent',
      userWasted,
    );

  it('figures: efficiency 0.9844212134184309, wastedBytes 32025, userWastedPercent 0.4834911001404049', async () => {
    const r = await ci(image, '--format', 'json');
    const json = JSON.parse(r.stdout) as CiJsonV1;
    expect(json.rules.map((rule) => rule.value)).toEqual([0.9844212134184309, 32025, 0.4834911001404049]);
  });

  it('0.9 / 50kB / 0.5 passes', async () => {
    const r = await rules('0.9', '50kB', '0.5');
    expect(statuses(r.stdout)).toEqual({
      lowestEfficiency: 'PASS',
      highestWastedBytes: 'PASS',
      highestUserWastedPercent: 'PASS',
    });
    expect(r.code).toBe(0);
  });

  it('0.99 / 1B / 0.01 fails all three', async () => {
    const r = await rules('0.99', '1B', '0.01');
    expect(statuses(r.stdout)).toEqual({
      lowestEfficiency: 'FAIL',
      highestWastedBytes: 'FAIL',
      highestUserWastedPercent: 'FAIL',
    });
    expect(r.code).toBe(1);
  });

  it('all disabled skips all three', async () => {
    const r = await rules('disabled', 'disabled', 'disabled');
    expect(statuses(r.stdout)).toEqual({
      lowestEfficiency: 'SKIP',
      highestWastedBytes: 'SKIP',
      highestUserWastedPercent: 'SKIP',
    });
    expect(r.code).toBe(0);
  });

  it('0.9 / 1B / 0.5 fails only wastedBytes', async () => {
    const r = await rules('0.9', '1B', '0.5');
    expect(statuses(r.stdout)).toEqual({
      lowestEfficiency: 'PASS',
      highestWastedBytes: 'FAIL',
      highestUserWastedPercent: 'PASS',
    });
    expect(r.code).toBe(1);
  });

  it('sizes are parsed as dive parses them: 20Mb is 20 MB, 32025 passes "32025" and fails "32024"', async () => {
    expect(statuses((await rules('0.9', '20Mb', '0.5')).stdout).highestWastedBytes).toBe('PASS');
    expect(statuses((await rules('0.9', '32025', '0.5')).stdout).highestWastedBytes).toBe('PASS');
    expect(statuses((await rules('0.9', '32024', '0.5')).stdout).highestWastedBytes).toBe('FAIL');
    expect(statuses((await rules('0.9', '31.27KiB', '0.5')).stdout).highestWastedBytes).toBe('FAIL');
  });
});

describe.skipIf(!hasShared)('strata ci on the wasteful image', () => {
  it('fails on its hidden bytes and risks', async () => {
    const r = await ci(
      shared('images', 'wasteful.oci-archive.tar'),
      '--highest-hidden-bytes',
      '50MB',
      '--max-risk-severity',
      'high',
    );
    expect(statuses(r.stdout)).toEqual({
      lowestEfficiency: 'FAIL',
      highestWastedBytes: 'SKIP',
      highestUserWastedPercent: 'FAIL',
      highestHiddenBytes: 'FAIL',
      maxRiskSeverity: 'PASS',
    });
    expect(r.code).toBe(1);
  });
});
