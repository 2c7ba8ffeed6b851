import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CiJsonV1 } from '../../src/report/ci.js';
import { runCli } from '../helpers/cli.js';
import { fixtures } from '../helpers/paths.js';

const DEMO = fixtures('demo', 'demo.tar');
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

describe('strata ci: exit codes', () => {
  it('0 when every rule passes', async () => {
    const r = await ci(DEMO, '--lowestEfficiency', '0.2', '--highestUserWastedPercent', '0.9');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Result:PASS \[Total:3\] \[Passed:2\] \[Failed:0\] \[Warn:0\] \[Skipped:1\]$/m);
    expect(r.stderr).toBe('');
  });

  it("1 when a rule fails (the demo image fails dive's defaults)", async () => {
    const r = await ci(DEMO);
    expect(r.code).toBe(1);
    expect(statuses(r.stdout)).toEqual({
      lowestEfficiency: 'FAIL',
      highestWastedBytes: 'SKIP',
      highestUserWastedPercent: 'FAIL',
    });
    expect(r.stdout).toMatch(/^ {2}FAIL {2}lowestEfficiency {10}0\.251154 < 0\.9 {2}\[default\]$/m);
    expect(r.stdout).toMatch(/^Result:FAIL /m);
  });

  it('2 on an invalid threshold, naming the key and the value; the image is not read', async () => {
    const r = await ci('/no/such/image.tar', '--highestWastedBytes', '20 parsecs');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'strata: invalid highestWastedBytes value "20 parsecs" (--highestWastedBytes): unhandled size name ' +
        '"parsecs"; expected a size such as 20MB, 20Mb, 512KiB or 1B, or disabled\n',
    );
  });

  it('2 on a usage error: unknown option, bad --format, missing image', async () => {
    expect((await ci(DEMO, '--lowest-efficiency-typo', '1')).code).toBe(2);
    expect((await ci(DEMO, '--format', 'xml')).code).toBe(2);
    expect((await runCli('ci')).code).toBe(2);
  });

  it('3 when the image cannot be read', async () => {
    const missing = await ci('/no/such/image.tar');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe('strata: /no/such/image.tar: no such file or directory\n');
    const notAnImage = await ci(fixtures('demo', 'README.md'));
    expect(notAnImage.code).toBe(3);
    expect(notAnImage.stdout).toBe('');
  });
});

describe('strata ci: configuration files', () => {
  it('loads .dive-ci from the current directory', async () => {
    const cwd = workdir({
      '.dive-ci': 'rules:\n  lowestEfficiency: 0.2\n  highestWastedBytes: 1MB\n  highestUserWastedPercent: disabled\n',
    });
    const r = await runCli('ci', '--cwd', cwd, DEMO);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^config: .*\.dive-ci$/m);
    expect(r.stdout).toMatch(/PASS {2}lowestEfficiency +0\.251154 ≥ 0\.2 {2}\[\.dive-ci\]/);
    expect(r.stdout).toMatch(/PASS {2}highestWastedBytes +636 kB \(635875 B\) ≤ 1 MB \(1000000 B\) {2}\[\.dive-ci\]/);
    expect(statuses(r.stdout).highestUserWastedPercent).toBe('SKIP');
  });

  it('flags beat .strata.yaml, which beats .dive-ci', async () => {
    const cwd = workdir({
      '.dive-ci': 'rules:\n  lowestEfficiency: 0.2\n  highestUserWastedPercent: 0.9\n  highestWastedBytes: 1kB\n',
      '.strata.yaml': 'rules:\n  highestWastedBytes: 10MB\n  highestUserWastedPercent: 0.5\n  maxRiskSeverity: high\n',
    });
    const fromFiles = await runCli('ci', '--cwd', cwd, DEMO);
    expect(statuses(fromFiles.stdout)).toEqual({
      lowestEfficiency: 'PASS',
      highestWastedBytes: 'PASS',
      highestUserWastedPercent: 'FAIL',
      maxRiskSeverity: 'PASS',
    });
    expect(fromFiles.code).toBe(1);
    const withFlag = await runCli('ci', '--cwd', cwd, DEMO, '--highestUserWastedPercent', '0.85');
    expect(statuses(withFlag.stdout).highestUserWastedPercent).toBe('PASS');
    expect(withFlag.stdout).toMatch(/\[--highestUserWastedPercent\]/);
    expect(withFlag.code).toBe(0);
  });

  it('--config FILE replaces .strata.yaml; a bad file is exit 2', async () => {
    const cwd = workdir({
      '.strata.yaml': 'rules:\n  lowestEfficiency: 0.99\n',
      'gate.yaml': 'rules:\n  lowestEfficiency: 0.1\n  highestUserWastedPercent: 1\n',
    });
    expect((await runCli('ci', '--cwd', cwd, DEMO)).code).toBe(1);
    expect((await runCli('ci', '--cwd', cwd, '--config', 'gate.yaml', DEMO)).code).toBe(0);
    const bad = await runCli('ci', '--cwd', workdir({ '.strata.yaml': 'rules:\n  lowestEfficiency: lots\n' }), DEMO);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid lowestEfficiency value "lots" \(\.strata\.yaml: rules\.lowestEfficiency\)/);
  });
});

describe("strata ci: strata's own rules", () => {
  it('judge exact waste, risks, forbidden findings and age', async () => {
    const r = await ci(
      DEMO,
      '--lowestEfficiency',
      'off',
      '--highestUserWastedPercent',
      'off',
      '--highest-hidden-bytes',
      '1MB',
      '--lowest-exact-efficiency',
      '0.2',
      '--max-risk-severity',
      'medium',
      '--forbid',
      'secret.private-key',
      '--forbid',
      'leftover',
      '--max-age-days',
      '30',
      '--now',
      '2024-06-10T00:00:00Z',
    );
    expect(statuses(r.stdout)).toEqual({
      lowestEfficiency: 'SKIP',
      highestWastedBytes: 'SKIP',
      highestUserWastedPercent: 'SKIP',
      highestHiddenBytes: 'PASS',
      lowestExactEfficiency: 'PASS',
      maxRiskSeverity: 'FAIL',
      forbid: 'FAIL',
      maxAgeDays: 'PASS',
    });
    expect(r.stdout).toMatch(/FAIL {2}maxRiskSeverity +high > medium: \d+ findings? above medium: /);
    expect(r.stdout).toMatch(
      new RegExp(
        String.raw`FAIL {2}forbid +2 findings in secret\.private-key,leftover: ` +
          String.raw`secret\.private-key /root/\.ssh/id_rsa, leftover\.init-scripts /etc/init\.d`,
      ),
    );
    expect(r.stdout).toMatch(/PASS {2}maxAgeDays +8 days ≤ 30 days/);
    expect(r.code).toBe(1);
  });

  it('--format json gives a machine-readable result', async () => {
    const r = await ci(DEMO, '--format', 'json', '--max-age-days', '10', '--now', '2025-01-01T00:00:00Z');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as CiJsonV1;
    expect(json).toMatchObject({
      schemaVersion: 1,
      result: 'fail',
      exitCode: 1,
      counts: { total: 4, passed: 0, failed: 3, skipped: 1 },
    });
    expect(json.image.reference).toBe('strata/demo:latest');
    expect(json.rules.map((rule) => [rule.rule, rule.status, rule.value, rule.threshold, rule.source])).toEqual([
      ['lowestEfficiency', 'fail', 0.2511535135237878, 0.9, 'default'],
      ['highestWastedBytes', 'skip', 635_875, null, 'default'],
      ['highestUserWastedPercent', 'fail', 0.8020967094956141, 0.1, 'default'],
      ['maxAgeDays', 'fail', 213, 10, '--max-age-days'],
    ]);
  });
});
