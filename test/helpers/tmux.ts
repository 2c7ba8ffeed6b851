import { execFileSync, spawnSync } from 'node:child_process';
import { eventually } from './eventually.js';
import { inCi, repoRoot } from './paths.js';

/** Whether tmux is here; CI must have it (.ci/run installs it). */
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux && inCi) throw new Error('tmux is required in CI (.ci/run installs it)');

/** What a terminal is left in: the screen it shows, and the modes a program may have changed. */
export interface TerminalState {
  alternateScreen: boolean;
  cursorVisible: boolean;
  mouseReporting: boolean;
}

let servers = 0;

/**
 * A terminal of a given size with a shell in it, on a tmux server of its own (never a user's
 * sessions): commands go in with send-keys, the screen comes out with capture-pane, and every wait
 * is for a condition on the screen, never for an amount of time.
 */
export class TmuxTerminal {
  private readonly socket = `strata-test-${process.pid}-${servers++}`;
  private readonly session = 'term';

  constructor(columns: number, rows: number) {
    // CI=true makes Ink print only its last frame: the terminal under test must not see it.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI' && k !== 'STRATA_CI'));
    const size = ['-x', String(columns), '-y', String(rows)];
    execFileSync(
      'tmux',
      ['-L', this.socket, '-f', '/dev/null', 'new-session', '-d', '-s', this.session, ...size, 'bash', '--norc'],
      { env: { ...env, PS1: 'shell$ ', TERM: 'xterm-256color' }, cwd: repoRoot },
    );
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** The visible screen, one line per row. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.session);
  }

  /** Types a line into the shell. */
  run(command: string): void {
    this.tmux('send-keys', '-t', this.session, '-l', command);
    this.tmux('send-keys', '-t', this.session, 'Enter');
  }

  /** Presses keys, named as tmux names them (C-c, Enter, Up) or literal with `-l`. */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.session, ...keys);
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', this.session, '-x', String(columns), '-y', String(rows));
  }

  state(): TerminalState {
    const [alternate, cursor, anyMouse, sgrMouse, standardMouse] = this.tmux(
      'display',
      '-p',
      '-t',
      this.session,
      '#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{mouse_sgr_flag} #{mouse_standard_flag}',
    )
      .trim()
      .split(' ');
    return {
      alternateScreen: alternate === '1',
      cursorVisible: cursor === '1',
      mouseReporting: anyMouse === '1' || sgrMouse === '1' || standardMouse === '1',
    };
  }

  /** The pid of the shell's foreground child (the program the shell is running), once there is one. */
  async childPid(name: string): Promise<number> {
    const shell = this.tmux('display', '-p', '-t', this.session, '#{pane_pid}').trim();
    let pid = 0;
    await eventually(() => {
      const found = spawnSync('pgrep', ['-P', shell, '-x', name], { encoding: 'utf8' }).stdout.trim();
      pid = Number(found.split('\n')[0]);
      if (!pid) throw new Error(`no ${name} under the shell yet`);
    });
    return pid;
  }

  /** Waits until the screen passes `check` (generous limit: it only catches what never happens). */
  async waitFor(check: (screen: string) => void, timeoutMs = 60_000): Promise<string> {
    await eventually(() => check(this.screen()), timeoutMs);
    return this.screen();
  }

  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}
