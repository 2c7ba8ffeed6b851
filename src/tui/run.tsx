import { render } from 'ink';
import { analyzeImage, type AnalysisOptions } from '../analysis/analyze.js';
import { preparePackageReaders } from '../packages/index.js';
import type { Progress } from '../image/types.js';
import type { ImageIndex } from '../image/types.js';
import { App } from './app.js';
import type { Splash } from './splash.js';
import { enterAlternateScreen, type TerminalSession } from './terminal.js';
import { makeTheme } from './theme.js';
import { errorLine } from '../util/errors.js';

/**
 * Gives the keyboard back to the shell: cooked mode, and no more reads, so that what the user types
 * after quitting stays in the terminal's buffer for the shell instead of being swallowed by us.
 */
function releaseStdin(): void {
  const stdin = process.stdin;
  if (stdin.isTTY) stdin.setRawMode(false);
  stdin.pause();
  stdin.unref();
}

/** Runs the explorer on a TTY until the user quits; returns the exit code. */
export async function runExplorer(
  displayName: string,
  open: (onProgress: (p: Progress) => void) => Promise<ImageIndex>,
  analysisOptions: AnalysisOptions = {},
  /** The screen the caller already entered (with a splash on it), if any. */
  entered?: { session: TerminalSession; splash: Splash },
): Promise<number> {
  const stdout = process.stdout;
  let failure: unknown = null;
  let instance: ReturnType<typeof render> | null = null;
  const session =
    entered?.session ??
    enterAlternateScreen(stdout, (code) => {
      instance?.unmount();
      process.exit(code);
    });
  entered?.splash.stop();
  const onCrash = (error: unknown): void => {
    session.restore();
    process.stderr.write(errorLine(`internal error: ${(error as Error)?.message ?? String(error)}`));
    process.exit(1);
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  instance = render(
    <App
      target={displayName}
      theme={makeTheme()}
      load={async (onProgress, onPhase) => {
        const image = await open(onProgress);
        onPhase('analysing');
        // Let the "analysing" frame reach the screen before the synchronous stacking starts.
        await new Promise((resolve) => setTimeout(resolve, 15));
        await preparePackageReaders(image.layers);
        return { image, analysis: analyzeImage(image, analysisOptions) };
      }}
      now={analysisOptions.now}
      onError={(error) => {
        failure = error;
      }}
    />,
    { exitOnCtrlC: false, patchConsole: false },
  );
  // Ink writes a last frame as it unmounts: whichever way out, on the alternate screen.
  session.beforeLeaving(() => instance?.unmount());
  try {
    await instance.waitUntilExit();
  } finally {
    session.restore();
    releaseStdin();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
  if (failure) throw failure;
  return 0;
}
