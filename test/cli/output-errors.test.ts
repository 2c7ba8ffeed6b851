import { spawnSync } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fixtures, repoRoot } from '../helpers/paths.js';

const image = fixtures('formats/basic.docker-legacy.tar');

/** Every command that writes to stdout. */
const COMMANDS: string[][] = [
  ['--json', image],
  [image],
  ['report', image],
  ['report', '--format', 'markdown', image],
  ['report', '--format', 'json', image],
  ['ci', image],
  ['ci', '--format', 'json', image],
  ['cache', 'info'],
  ['--help'],
  ['--version'],
];

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** A stdout on a full disk: every write fails as a write to /dev/full does. */
class FullDisk extends Writable {
  isTTY = false;
  override _write(_chunk: Buffer, _enc: BufferEncoding, done: (err?: Error) => void): void {
    done(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 }));
  }
}

const ONE_LINE = 'strata: cannot write the report: no space left on device\n';

describe('a stdout that cannot be written', () => {
  it.each(COMMANDS.map((argv) => [argv.join(' ').replace(image, 'IMAGE'), argv]))(
    '%s: one line and exit 1 (in process)',
    async (_name, argv) => {
      const stderr = new Capture();
      const code = await main(argv as string[], {
        stdout: new FullDisk(),
        stderr: stderr as unknown as NodeJS.WriteStream,
      });
      expect(code).toBe(1);
      expect(stderr.text).toBe(ONE_LINE);
    },
  );

  it.runIf(existsSync('/dev/full'))('every command, as a real process writing to /dev/full: one line, exit 1', () => {
    const failures: string[] = [];
    for (const argv of COMMANDS) {
      const full = openSync('/dev/full', 'w');
      try {
        const r = spawnSync(process.execPath, [join(repoRoot, 'bin/strata.js'), ...argv], {
          stdio: ['ignore', full, 'pipe'],
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1' },
        });
        // The summary first says it is not on a terminal; the last line is the failure.
        const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.includes('not a terminal'));
        if (r.status !== 1 || lines.length !== 1 || `${lines[0]}\n` !== ONE_LINE)
          failures.push(`${argv.join(' ')}: exit ${r.status}, stderr ${JSON.stringify(r.stderr.slice(0, 300))}`);
      } finally {
        closeSync(full);
      }
    }
    expect(failures).toEqual([]);
  });
});
