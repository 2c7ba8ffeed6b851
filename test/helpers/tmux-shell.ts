import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { repoRoot } from './paths.js';
export { hasTmux } from './tmux.js';

/**
 * The explorer in a real terminal: tmux runs a shell at 120×40, the shell runs strata on the demo
 * image, keys go in with send-keys and the screen comes out with capture-pane. The tmux server has
 * a socket of its own, so the test never touches a user's sessions.
 */
const socket = `strata-test-${process.pid}`;
const session = 'explorer';
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
export const screen = (): string => tmux('capture-pane', '-p', '-t', session);
export const send = (...keys: string[]): void => {
  tmux('send-keys', '-t', session, ...keys);
};

/** A shell at 120×40 in the repository, in a tmux server of its own for the tests of this file. */
export function useTmuxShell(): void {
  beforeAll(() => {
    expect(existsSync(join(repoRoot, 'dist/src/cli/main.js')), 'run npm run build first').toBe(true);
    // CI=true makes Ink print only its last frame: the terminal under test must not see it.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI' && k !== 'STRATA_CI'));
    execFileSync(
      'tmux',
      [
        '-L',
        socket,
        '-f',
        '/dev/null',
        'new-session',
        '-d',
        '-s',
        session,
        '-x',
        '120',
        '-y',
        '40',
        'bash',
        '--norc',
        '--noprofile',
      ],
      {
        env: { ...env, PS1: 'shell$ ', TERM: 'xterm-256color' },
      },
    );
    send(`cd ${JSON.stringify(repoRoot)} && clear && echo SHELL-BEFORE-STRATA`, 'Enter');
  });
  afterAll(() => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  });
}
