import { describe, expect, it } from 'vitest';
import { compareVersions } from '../../src/packages/version.js';
import { runCli } from '../helpers/cli.js';
import { fixtures } from '../helpers/paths.js';

describe('package versions, ordered as dpkg --compare-versions does', () => {
  const ordered: Array<[string, string]> = [
    ['1.0', '1.1'],
    ['1.9', '1.10'],
    ['1.0~rc1', '1.0'],
    ['1.0', '1.0+deb12u1'],
    ['12.4', '12.4+deb12u5'],
    ['2.36-9', '2.36-9+deb12u4'],
    ['2.0', '1:0.1'],
    ['5.2.15-2', '5.2.15-2+b2'],
    ['1.0a', '1.0b'],
    ['1.36.1-r5', '1.36.1-r6'],
    ['1.2.3-1', '1.2.4-1'],
    ['9.2p1-2', '9.2p1-2+deb12u10'],
  ];
  for (const [low, high] of ordered) {
    it(`${low} < ${high}`, () => {
      expect(compareVersions(low, high)).toBe(-1);
      expect(compareVersions(high, low)).toBe(1);
    });
  }
  it('equal versions, zeros and epochs 0 included, compare equal', () => {
    expect(compareVersions('1.01', '1.1')).toBe(0);
    expect(compareVersions('0:1.2-3', '1.2-3')).toBe(0);
  });
});

describe('strata diff: packages', () => {
  it('added, removed and upgraded between two dpkg images, in the JSON report', async () => {
    const { code, stdout } = await runCli(
      'diff',
      '--json',
      '--no-cache',
      fixtures('packages', 'dpkg.tar'),
      fixtures('packages', 'distroless.tar'),
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      packages: { added: number; removed: number; changed: number; changes: unknown[] };
    };
    expect(report.packages).toMatchObject({
      added: 1,
      removed: 3,
      changed: 1,
      changes: [
        { manager: 'dpkg', name: 'base-files', change: 'upgraded', versionA: '12.4', versionB: '12.4+deb12u5' },
        { manager: 'dpkg', name: 'bash', change: 'removed', versionA: '5.2.15-2', versionB: null },
        { manager: 'dpkg', name: 'curl', change: 'removed', versionA: '7.88.1-10', versionB: null },
        { manager: 'dpkg', name: 'libc6', change: 'added', versionA: null, versionB: '2.36-9+deb12u4' },
        { manager: 'dpkg', name: 'libfoo', change: 'removed', versionA: '1.1-1', versionB: null },
      ],
    });
  });

  it('images without package databases have no packages section to compare', async () => {
    const basic = fixtures('formats', 'basic.oci-archive.tar');
    const { stdout } = await runCli('diff', '--json', '--no-cache', basic, basic);
    expect((JSON.parse(stdout) as { packages: unknown }).packages).toBeNull();
  });

  it('the text and markdown reports list the package changes', async () => {
    const pair = [fixtures('packages', 'dpkg.tar'), fixtures('packages', 'distroless.tar')];
    const text = await runCli('diff', '--no-cache', ...pair);
    expect(text.stdout).toContain('Packages: 1 added, 3 removed, 1 changed');
    expect(text.stdout).toMatch(/upgraded +dpkg base-files {2}12\.4 → 12\.4\+deb12u5/);
    const markdown = await runCli('diff', '--format', 'markdown', '--no-cache', ...pair);
    expect(markdown.stdout).toContain('base-files');
  });
});
