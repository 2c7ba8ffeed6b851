/**
 * The alternate screen and SGR mouse reporting (button presses and the wheel, mode 1000 with 1006
 * coordinates), entered on start and left on every way out: q, ctrl+c, SIGTERM, SIGHUP, or an
 * uncaught error (printed after the terminal is back). Leaving twice is harmless.
 */
const ENTER = '\x1b[?1049h\x1b[?25l\x1b[H\x1b[?1000h\x1b[?1006h';
const LEAVE = '\x1b[?1000l\x1b[?1006l\x1b[?25h\x1b[?1049l';

export interface TerminalSession {
  restore: () => void;
}

export function enterAlternateScreen(stdout: NodeJS.WriteStream, onSignal: (code: number) => void): TerminalSession {
  let active = true;
  const restore = (): void => {
    if (!active) return;
    active = false;
    stdout.write(LEAVE);
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onHup);
    process.off('exit', restore);
  };
  const onTerm = (): void => {
    restore();
    onSignal(143);
  };
  const onHup = (): void => {
    restore();
    onSignal(129);
  };
  stdout.write(ENTER);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  process.on('exit', restore);
  return { restore };
}
