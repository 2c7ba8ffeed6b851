/**
 * A cache entry that is not a regular file of a sane size is a miss, and is replaced: never followed,
 * never read without bound, never waited on. An entry that was a symlink to /dev/zero once took RSS
 * past 10 GB; a FIFO hung the read forever. Each case runs in a child process with a watchdog, so
 * that a regression is a failed test, not a frozen or swapping suite.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runChild } from '../../scripts/fuzz/run-child.js';
import { fixtures, repoRoot } from '../helpers/paths.js';

const scratch = mkdtempSync(join(tmpdir(), 'strata-cache-unsafe-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const dist = (path: string): string => JSON.stringify(pathToFileURL(join(repoRoot, 'dist', path)).href);
const LIMITS = { seconds: 120, rssMb: 1024 };
const env = { ...process.env, NODE_ENV: 'production' };

/** Puts a layer, replaces its entry with `kind`, then gets, puts and gets it again; prints what happened. */
const SCRIPT = `
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, openSync, closeSync, rmSync, symlinkSync, copyFileSync } from 'node:fs';
import { LayerCache } from ${dist('src/cache/layer-cache.js')};
import { MAX_ENTRY_BYTES } from ${dist('src/cache/format.js')};
import { openImage } from ${dist('src/image/open.js')};
const [dir, kind, demo] = process.argv.slice(2);
const layer = (await openImage(demo)).layers[1];
const cache = new LayerCache({ dir });
await cache.put(layer);
const path = cache.entryPath(layer.diffId);
const valid = path + '.valid';
copyFileSync(path, valid);
rmSync(path);
if (kind === 'dev-zero') symlinkSync('/dev/zero', path);
else if (kind === 'fifo') execFileSync('mkfifo', [path]);
else if (kind === 'directory') mkdirSync(path);
else if (kind === 'symlink-to-valid') symlinkSync(valid, path);
else if (kind === 'oversized') {
  copyFileSync(valid, path);
  const fd = openSync(path, 'r+');
  (await import('node:fs')).ftruncateSync(fd, MAX_ENTRY_BYTES + 1);
  closeSync(fd);
}
const missed = (await cache.get(layer.diffId, layer.digest)) === null;
const put = await cache.put(layer);
const regular = lstatSync(path).isFile();
const again = await cache.get(layer.diffId, layer.digest);
console.log(JSON.stringify({ missed, put, regular, hit: again?.entries.length === layer.entries.length }));
`;

describe('a cache entry that is not a regular file of a sane size', () => {
  it.each(['dev-zero', 'fifo', 'directory', 'symlink-to-valid', 'oversized'])(
    '%s: a miss, then replaced by a valid entry',
    async (kind) => {
      const script = join(scratch, `${kind}.mjs`);
      writeFileSync(script, SCRIPT);
      const args = [join(scratch, `cache-${kind}`), kind, fixtures('demo', 'demo.tar')];
      const run = await runChild(script, { command: 'json', format: 'json', args, cwd: scratch, env }, LIMITS);
      expect({
        timedOut: run.timedOut,
        memoryExceeded: run.memoryExceeded,
        code: run.code,
        stderr: run.stderr,
      }).toEqual({ timedOut: false, memoryExceeded: false, code: 0, stderr: '' });
      expect(JSON.parse(run.stdout)).toEqual({ missed: true, put: 'written', regular: true, hit: true });
    },
    300_000,
  );

  it('the CLI reads an image past a FIFO in its cache, and replaces it', async () => {
    const cacheDir = join(scratch, 'cli-cache');
    const demo = fixtures('demo', 'demo.tar');
    const bin = join(repoRoot, 'bin', 'strata.js');
    const spec = { command: 'json' as const, format: 'json' as const, cwd: scratch, env };
    const first = await runChild(bin, { ...spec, args: ['--cache-dir', cacheDir, '--json', demo] }, LIMITS);
    expect(first.code).toBe(0);
    const entries = join(cacheDir, 'layers');
    const entry = execFileSync('ls', [entries], { encoding: 'utf8' }).split('\n')[0]!;
    rmSync(join(entries, entry));
    execFileSync('mkfifo', [join(entries, entry)]);
    const second = await runChild(bin, { ...spec, args: ['--cache-dir', cacheDir, '--json', demo] }, LIMITS);
    expect({ timedOut: second.timedOut, code: second.code, stderr: second.stderr }).toEqual({
      timedOut: false,
      code: 0,
      stderr: '',
    });
    expect(second.stdout).toBe(first.stdout);
    expect(execFileSync('find', [entries, '-type', 'p'], { encoding: 'utf8' })).toBe('');
  }, 300_000);
});
