/**
 * A read that can never finish (a promise nothing will settle, the event loop empty) is an error
 * with one line, never Node's silent exit 13 for an unsettled top-level await.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

const stall = pathToFileURL(join(repoRoot, 'dist/src/util/stall.js')).href;

/** Runs an ES module script in a fresh Node process (the guard watches that process's event loop). */
const run = (script: string) =>
  spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });

describe('failOnStall', () => {
  it('rejects when the event loop runs dry before the work settles', () => {
    const r = run(`
      import { failOnStall } from ${JSON.stringify(stall)};
      try {
        await failOnStall(new Promise(() => {}), () => new Error('the read stalled'));
        console.log('settled');
      } catch (err) {
        console.log('rejected: ' + err.message);
      }
    `);
    expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 0,
      stdout: 'rejected: the read stalled\n',
      stderr: '',
    });
  });

  it('passes the work through, and then lets the process exit', () => {
    const r = run(`
      import { failOnStall } from ${JSON.stringify(stall)};
      const stalled = () => new Error('stalled');
      const later = new Promise((resolve) => setTimeout(() => resolve('done'), 20));
      console.log(await failOnStall(later, stalled));
      await failOnStall(Promise.reject(new Error('failed')), stalled).catch((err) => console.log(err.message));
      process.on('beforeExit', () => console.log('exiting'));
    `);
    expect({ code: r.status, stdout: r.stdout }).toEqual({ code: 0, stdout: 'done\nfailed\nexiting\n' });
  });
});
