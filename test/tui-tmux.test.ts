import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.js';
import { fixtures, hasShared, inCi, repoRoot, shared } from './helpers/paths.js';

/**
 * The explorer in a real terminal: tmux runs a shell at 120×40, the shell runs strata on the demo
 * image, keys go in with send-keys and the screen comes out with capture-pane. The tmux server has
 * a socket of its own, so the test never touches a user's sessions.
 */
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux && inCi) throw new Error('tmux is required in CI (.ci/run installs it)');
const socket = `strata-test-${process.pid}`;
const session = 'explorer';
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = (): string => tmux('capture-pane', '-p', '-t', session);
const send = (...keys: string[]): void => {
  tmux('send-keys', '-t', session, ...keys);
};

describe.skipIf(!hasTmux)('the explorer in tmux at 120×40', () => {
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

  it('opens, answers keys, and gives the shell screen back on q', async () => {
    await eventually(() => expect(screen()).toContain('SHELL-BEFORE-STRATA'), 60_000);
    send(`node bin/strata.js ${JSON.stringify(fixtures('demo/demo.tar'))}`, 'Enter');
    await eventually(() => {
      const s = screen();
      expect(s).toContain('● Layers 9');
      expect(s).toContain('RUN apt-get update');
      expect(s).toMatch(/A .*bin → usr\/bin/);
    }, 60_000);
    expect(screen()).not.toContain('SHELL-BEFORE-STRATA'); // the alternate screen

    send('Tab');
    await eventually(() => expect(screen()).toContain('● Files'));

    send('Down', 'Down');
    await eventually(() => expect(screen()).toMatch(/changes of layer 0/));

    send(']');
    await eventually(() => {
      expect(screen()).toContain('changes of layer 1');
      expect(screen()).toMatch(/Layer 1 .*316 kB/);
    });

    send('v');
    await eventually(() => expect(screen()).toContain('layers 0..1 stacked'));

    send('/');
    send('-l', 'sshd');
    await eventually(() => expect(screen()).toContain('/sshd▏'));
    send('Enter');
    await eventually(() => expect(screen()).toMatch(/\/sshd 0 shown · \/ edits/)); // no sshd before layer 2
    send(']');
    await eventually(() => {
      const s = screen();
      expect(s).toContain('layers 0..2 stacked');
      expect(s).toMatch(/\/sshd [1-9]\d* shown · \/ edits/);
      expect(s).toMatch(/A .*sshd/);
      expect(s).not.toContain('os-release');
    });

    send('Left');
    send('q');
    await eventually(() => {
      const s = screen();
      expect(s).toContain('SHELL-BEFORE-STRATA');
      expect(s).not.toContain('● Layers');
    }, 60_000);
    send('echo "exit=$?"', 'Enter');
    await eventually(() => expect(screen()).toContain('exit=0'));
  });

  it.skipIf(!hasShared)('finds, jumps to risks, shows history and the waste list on the wasteful image', async () => {
    send('clear', 'Enter');
    send(`node bin/strata.js ${JSON.stringify(shared('images/wasteful.oci-archive.tar'))}`, 'Enter');
    await eventually(() => {
      const s = screen();
      expect(s).toContain('RUN apt-get update');
      expect(s).toContain('● Layers 14');
    }, 60_000);

    send('f');
    await eventually(() => expect(screen()).toContain('find  type to search'));
    send('-l', 'seed-data');
    await eventually(() => expect(screen()).toMatch(/▶ \/tmp\/seed-data\.sql +L8 A · L9 R/));
    send('Enter');
    await eventually(() => {
      const s = screen();
      expect(s).toContain('changes of layer 9');
      expect(s).toMatch(/R .*└── seed-data\.sql/);
    });

    send('n');
    await eventually(() => expect(screen()).toMatch(/\((high|medium|low)\) \/\S+: \S/));

    send('i');
    await eventually(() => {
      const s = screen();
      expect(s).toMatch(/history of \/\S+/);
      expect(s).toMatch(/layer status +mode/);
    });
    send('Escape');

    send('w');
    await eventually(() => {
      const s = screen();
      expect(s).toContain('waste: 81.2 MB shipped but hidden');
      expect(s).toContain('/tmp/seed-data.sql');
    });
    send('Escape');
    send('q');
    await eventually(() => expect(screen()).not.toContain('● Layers'), 60_000);
  });
});
