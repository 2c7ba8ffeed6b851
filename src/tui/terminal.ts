/**
 * The alternate screen and SGR mouse reporting (button presses and the wheel, mode 1000 with 1006
 * coordinates), entered on start and left on every way out: q, ctrl+c (a key once the explorer reads
 * the keyboard, SIGINT before), SIGTERM, SIGHUP, an uncaught error (printed after the terminal is
 * back), or any exit of the process. Leaving twice is harmless.
 */
const ENTER = '\x1b[?1049h\x1b[?25l\x1b[H\x1b[?1000h\x1b[?1006h';
const LEAVE = '\x1b[H\x1b[2J\x1b[?1000l\x1b[?1006l\x1b[?25h\x1b[?1049l';

/** The exit code of a process ended by each signal, as a shell reports it (128 + its number). */
const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export interface TerminalSession {
  /**
   * Adds work done before the screen is left, whichever way out: the explorer unmounts Ink there,
   * so that the last frame Ink writes as it goes lands on the alternate screen, not the user's.
   */
  beforeLeaving: (work: () => void) => void;
  restore: () => void;
}

export function enterAlternateScreen(
  stdout: NodeJS.WriteStream,
  onSignal: (code: number) => void,
  stdin: NodeJS.ReadStream = process.stdin,
): TerminalSession {
  let active = true;
  const leaving: Array<() => void> = [];
  const handlers = Object.entries(SIGNALS).map(([signal, code]) => {
    const handler = (): void => {
      restore();
      onSignal(code);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const restore = (): void => {
    if (!active) return;
    active = false;
    for (const work of leaving.splice(0)) {
      try {
        work();
      } catch {
        // The terminal comes first: whatever failed here, it is still given back below.
      }
    }
    stdout.write(LEAVE);
    if (stdin.isTTY) stdin.setRawMode(false);
    for (const [signal, handler] of handlers) process.off(signal, handler);
    process.off('exit', restore);
  };
  stdout.write(ENTER);
  process.on('exit', restore);
  return { beforeLeaving: (work) => leaving.push(work), restore };
}
