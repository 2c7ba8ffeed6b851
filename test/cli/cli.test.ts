import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { addImageOptions } from '../../src/cli/image-options.js';
import { passProgramOptions } from '../../src/cli/usage.js';
import { runCli } from '../helpers/cli.js';
import { fixtures, repoRoot } from '../helpers/paths.js';

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

  it('an unknown option is a usage error: exit 2, one line and where to read more, not the whole help', async () => {
    const r = await runCli('--frobnicate', fixtures('demo/demo.tar'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("strata: unknown option '--frobnicate'\nsee strata --help\n");
    expect(r.stdout).toBe('');
    const sub = await runCli('report', '--frobnicate', fixtures('demo/demo.tar'));
    expect(sub.code).toBe(2);
    expect(sub.stderr).toBe("strata: unknown option '--frobnicate'\nsee strata report --help\n");
  });

  it('a mistyped command is answered with the command meant, not read as an image', async () => {
    const r = await runCli('reprot', fixtures('demo/demo.tar'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("strata: unknown command 'reprot' (did you mean report?)\nsee strata --help\n");
    expect((await runCli('ic', fixtures('demo/demo.tar'))).stderr).toMatch(/did you mean ci\?/);
    // Two images are one too many.
    const two = await runCli(fixtures('demo/demo.tar'), fixtures('demo/demo.tar'));
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/^strata: one image at a time: .* one argument too many\nsee strata --help\n$/);
  });

  it('honours the image options written before a subcommand, as if written after it', async () => {
    const corrupt = fixtures('bad/corrupt-layer.oci-archive.tar');
    expect((await runCli('report', corrupt)).code).toBe(1);
    const unverified = await runCli('--no-verify', 'report', corrupt);
    expect(unverified.code).toBe(0);
    expect(unverified.stdout).toMatch(/^ {2}verified +no \(--no-verify\)$/m);
    const dated = await runCli('--now', '2034-06-01', 'report', fixtures('demo/demo.tar'));
    expect(dated.stdout).toMatch(/^ {2}created +2024-06-01\S* \(10 years old\)$/m);
    // The subcommand's own value wins.
    const own = await runCli('--now', '2034-06-01', 'report', '--now', '2025-06-01', fixtures('demo/demo.tar'));
    expect(own.stdout).toMatch(/\(12 months old\)/);
    const cacheDir = mkdtempSync(join(tmpdir(), 'strata-cli-'));
    try {
      expect((await runCli('--cache-dir', cacheDir, 'ci', fixtures('demo/demo.tar'))).code).not.toBe(2);
      expect(readdirSync(join(cacheDir, 'layers')).length).toBeGreaterThan(0);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('passes every image option written before a subcommand to it', async () => {
    const seen: Record<string, unknown>[] = [];
    const program = addImageOptions(new Command('strata')).enablePositionalOptions().exitOverride();
    addImageOptions(program.command('report').argument('[image]')).action((_image, flags) => {
      seen.push(flags);
    });
    program.hook('preAction', (_program, command) => passProgramOptions(program, command));
    await program.parseAsync(
      [
        '--no-verify',
        '--no-cache',
        '--platform',
        'linux/arm64',
        '--all-layers',
        '--cache-dir',
        '/c',
        '--now',
        '2030-01-01',
      ].concat(['report', 'x']),
      { from: 'user' },
    );
    expect(seen[0]).toMatchObject({
      verify: false,
      cache: false,
      platform: 'linux/arm64',
      allLayers: true,
      cacheDir: '/c',
      now: new Date('2030-01-01'),
    });
  });

  it('documents --now, and wraps help to the terminal, ci --help included', async () => {
    expect((await runCli('--help')).stdout).toMatch(/--now <iso-date>/);
    const before = process.env.COLUMNS;
    process.env.COLUMNS = '60';
    try {
      for (const args of [['--help'], ['ci', '--help'], ['report', '--help']]) {
        const r = await runCli(...args);
        expect(r.code).toBe(0);
        for (const line of r.stdout.split('\n'))
          expect([...line].length, `${args.join(' ')}: ${line}`).toBeLessThanOrEqual(60);
      }
    } finally {
      if (before === undefined) delete process.env.COLUMNS;
      else process.env.COLUMNS = before;
    }
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
