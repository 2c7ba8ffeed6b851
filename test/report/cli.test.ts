import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixtures } from '../helpers/paths.js';

const DEMO = fixtures('demo', 'demo.tar');

describe('strata report', () => {
  it('prints the text report to stdout, without colour when stdout is not a terminal', async () => {
    const r = await runCli('report', DEMO);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^strata report: strata\/demo:latest\n/);
    for (const heading of ['Summary', 'Layers (9)', 'Waste', 'Explanations (5)', 'Risks (', 'Audit ('])
      expect(r.stdout).toContain(`\n${heading}`);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('reports the demo image with no argument', async () => {
    const r = await runCli('report');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^strata report: strata\/demo:latest/);
  });

  it('--format json is the same as --json', async () => {
    const viaReport = await runCli('report', '--format', 'json', DEMO);
    const viaFlag = await runCli('--json', DEMO);
    expect(viaReport.code).toBe(0);
    expect(viaReport.stdout).toBe(viaFlag.stdout);
    const json = JSON.parse(viaReport.stdout) as { schemaVersion: number; explanations: Array<{ kind: string }> };
    expect(json.schemaVersion).toBe(1);
    expect(json.explanations.map((e) => e.kind)).toEqual([
      'update-separate',
      'deleted-later',
      'metadata-rewrite',
      'overwritten',
      'overwritten',
    ]);
  });

  it('--format markdown prints markdown', async () => {
    const r = await runCli('report', '--format', 'markdown', DEMO);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^### strata report: `strata\/demo:latest`\n\n\| \| \|\n/);
    expect(r.stdout).toContain('<details>');
  });

  it('takes the image options after the subcommand (--no-verify is not swallowed by the program)', async () => {
    const r = await runCli('report', '--no-verify', DEMO);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}verified +no \(--no-verify\)$/m);
    expect((await runCli('report', DEMO)).stdout).toMatch(/^ {2}verified +every blob digest and diff_id checked$/m);
  });

  it('an image that cannot be read exits 1, one line on stderr, nothing on stdout', async () => {
    const r = await runCli('report', './no/such/image.tar');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('strata: ./no/such/image.tar: no such file or directory\n');
    const corrupt = await runCli('report', fixtures('bad', 'not-an-image.tar'));
    expect(corrupt.code).toBe(1);
    expect(corrupt.stdout).toBe('');
  });

  it('an unknown format is a usage error: exit 2', async () => {
    const r = await runCli('report', '--format', 'pdf', DEMO);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/argument 'pdf' is invalid/);
  });
});
