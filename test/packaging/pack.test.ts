import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

/** The files `npm pack` would put in the package, from the package.json and the built dist/ as they are. */
function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
  return pack!.files.map((f) => f.path);
}

describe('the npm package', () => {
  const files = packedFiles();

  it('ships the launcher, the compiled sources, the demo image, the schema, README and LICENSE', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/strata.js',
        'dist/src/cli/main.js',
        'fixtures/demo/demo.tar',
        'schema/report-v1.schema.json',
        'README.md',
        'LICENSE',
        'package.json',
      ]),
    );
  });

  it('ships no sources, tests, fixtures but the demo, nor the build of bench/ and scripts/', () => {
    const stray = files.filter(
      (f) =>
        /^(?:src|test|bench|scripts|docs)\//.test(f) || /^dist\/(?!src\/)/.test(f) || /^fixtures\/(?!demo\/)/.test(f),
    );
    expect(stray).toEqual([]);
  });

  it('ships every module the launcher imports', () => {
    const launcher = readFileSync(join(repoRoot, 'bin', 'strata.js'), 'utf8');
    const imported = [...launcher.matchAll(/import\(\s*'\.\.\/([^']+)'\s*\)|from\s+'\.\.\/([^']+)'/g)].map(
      (m) => (m[1] ?? m[2])!,
    );
    expect(imported).not.toEqual([]);
    expect(files).toEqual(expect.arrayContaining(imported));
  });
});
