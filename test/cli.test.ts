import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { fixtures, repoRoot } from './helpers/paths.js';

describe('strata command line', () => {
  it('--help prints usage and exits 0', async () => {
    const r = await runCli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: strata/);
    expect(r.stdout).toMatch(/--no-verify/);
  });

  it('--version prints the package version', async () => {
    const r = await runCli('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('an unknown option is a usage error: exit 2', async () => {
    const r = await runCli('--frobnicate', fixtures('demo/demo.tar'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--frobnicate'/);
    expect(r.stdout).toBe('');
  });

  it('an invalid --platform is a usage error: exit 2', async () => {
    const r = await runCli('--platform', 'linux', fixtures('demo/demo.tar'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid platform "linux"/);
  });

  it('a path that does not exist is file-not-found: exit 1, one line, nothing on stdout', async () => {
    const r = await runCli('./no/such/image.tar');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('strata: ./no/such/image.tar: no such file or directory\n');
  });

  it('with no argument, summarizes the demo image', async () => {
    const r = await runCli();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/apt-get update/);
    expect(r.stdout).toMatch(/strata\/demo:latest/);
  });

  it('--json prints one JSON document to stdout', async () => {
    const r = await runCli('--json', fixtures('demo/demo.tar'));
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { schemaVersion: number; layers: unknown[] };
    expect(doc.schemaVersion).toBe(1);
    expect(doc.layers.length).toBeGreaterThan(3);
  });

  it('runs as a real process through bin/strata.js (built by npm test)', () => {
    const built = existsSync(join(repoRoot, 'dist/src/cli/main.js'));
    expect(built, 'dist/ is missing: run npm run build').toBe(true);
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin/strata.js'), '/nonexistent.tar'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('strata: /nonexistent.tar: no such file or directory\n');
    const ok = spawnSync(process.execPath, [join(repoRoot, 'bin/strata.js'), fixtures('demo/demo.tar')], {
      encoding: 'utf8',
    });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^ +# +size +entries +command/);
    expect(ok.stderr).toMatch(/not a terminal: printing the text summary/);
  });

  it('stops quietly when its reader goes away (`strata --json img | head`): exit 141, nothing on stderr', async () => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/strata.js'), '--json', fixtures('demo/demo.tar')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the read end closes before strata writes anything
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(141);
  });
});
