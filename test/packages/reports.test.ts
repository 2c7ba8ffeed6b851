import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixtures } from '../helpers/paths.js';

describe('packages in the reports', () => {
  it('text: a sentence per layer, the largest packages and the largest unowned files', async () => {
    const { code, stdout } = await runCli('report', '--no-cache', fixtures('packages', 'dpkg.tar'));
    expect(code).toBe(0);
    expect(stdout).toContain('Packages (4)');
    expect(stdout).toContain('dpkg: 4 packages, 10.9 kB; 2.06 kB in files no package owns');
    expect(stdout).toContain(
      'layer 1: installed 1 package, upgraded 1 (7.5 kB still shipped); the largest: curl (5 kB)',
    );
    expect(stdout).toContain('layer 2: removed 1');
    expect(stdout).toMatch(/1 kB {2}\/opt\/leftover\.bin/);
  });

  it('markdown: the packages table and the notes on databases not read', async () => {
    const { code, stdout } = await runCli(
      'report',
      '--format',
      'markdown',
      '--no-cache',
      fixtures('packages', 'rpm-berkeley.tar'),
    );
    expect(code).toBe(0);
    expect(stdout).toContain('- note: rpm database in Berkeley DB format: not read');
    const rpm = await runCli('report', '--format', 'markdown', '--no-cache', fixtures('packages', 'rpm.tar'));
    expect(rpm.stdout).toContain('| 7.03 kB | `tinytool` | `1.2.4-1` | 1 |');
  });
});
