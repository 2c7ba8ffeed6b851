import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { repoRoot } from './paths.js';

/** The build's root: tests that need Node's own loader (vitest's bypasses resolution hooks) run it. */
export const dist = `${repoRoot}dist`;

/**
 * Runs an ES module script in a child Node on the build, with `dist` and `args` as its arguments, as
 * the explorer runs (production React, colours, and CI unset, under which Ink draws only its last frame), and
 * returns what it printed as JSON.
 */
export async function runOnDist<T>(script: string, ...args: string[]): Promise<T> {
  if (!existsSync(`${dist}/src/runtime/prepare.js`)) throw new Error('the build is missing: run npm run build');
  // Colours as on a terminal (the child's stdout is a pipe): a cursor move shows only as a style.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '3' };
  delete env.CI;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, dist, ...args], {
    cwd: repoRoot,
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as T;
}
