import { Argument, type Command } from 'commander';
import type { Progress } from '../../image/types.js';
import type { ImageIndex } from '../../image/types.js';
import { escapeControls } from '../../util/escape.js';
import { maskUserInfo } from '../../util/user-info.js';
import type { CommandContext, Io } from '../context.js';
import { addImageOptions, DEMO_IMAGE, type ImageFlags } from '../image-options.js';
import { errorLine } from '../../util/errors.js';

interface ExploreFlags extends ImageFlags {
  json?: boolean;
}

/**
 * `strata [IMAGE]`: the explorer on a terminal; the text summary (or `--json`) otherwise.
 * Registered on the program itself, so `strata report` is the report command and `./report` a file.
 * Everything heavy is imported when the action runs: start-up must stay fast.
 */
export function registerExplore(program: Command, context: CommandContext): void {
  addImageOptions(
    program
      .addArgument(
        new Argument(
          '[image]',
          'image archive (docker-archive, oci-archive, kaniko, compressed or not), OCI layout directory, ' +
            'registry reference, or - for stdin',
        ).default(DEMO_IMAGE, 'the demo image built into strata'),
      )
      .option('--json', 'print the JSON report (schemaVersion 1) to stdout'),
  ).action(async (image: string, flags: ExploreFlags) => {
    const { io } = context;
    if (!flags.json && interactive(io)) {
      context.setExitCode(await explore(image, flags));
      return;
    }
    const { readAndAnalyze } = await import('../open-image.js');
    const { image: index, analysis } = await readAndAnalyze(image, flags, io);
    if (flags.json) {
      const [{ streamedJsonReport }, { writeJson }] = await Promise.all([
        import('../../report/json.js'),
        import('../../report/json-stream.js'),
      ]);
      await writeJson(streamedJsonReport(index, analysis), io.stdout);
      return;
    }
    if (io.stdout === process.stdout) {
      io.stderr.write(
        'strata: not a terminal: printing the text summary (the explorer needs a TTY; --json gives JSON)\n',
      );
    }
    const { renderSummary } = await import('../../report/summary.js');
    io.stdout.write(renderSummary(index, analysis, { color: false, now: flags.now }));
  });
}

/** The explorer needs a keyboard and a screen: both stdin and stdout must be terminals. */
function interactive(io: Io): boolean {
  return io.stdout === process.stdout && process.stdout.isTTY === true && process.stdin.isTTY === true;
}

/**
 * The first frame comes before anything heavy loads: the alternate screen and a splash, drawn with
 * plain ANSI. Then the image is read while React and Ink load, in parallel, and the explorer takes
 * the screen over with the progress so far.
 */
async function explore(image: string, flags: ImageFlags): Promise<number> {
  const [{ enterAlternateScreen }, { Splash }] = await Promise.all([
    import('../../tui/terminal.js'),
    import('../../tui/splash.js'),
  ]);
  const name = image === DEMO_IMAGE ? 'the demo image (fixtures/demo/demo.tar)' : escapeControls(maskUserInfo(image));
  const session = enterAlternateScreen(process.stdout, (code) => process.exit(code));
  const splash = new Splash(process.stdout, name);
  splash.draw(null);

  // The explorer owns the screen while it runs: notices are printed once it has given it back.
  const notices: string[] = [];
  const listeners = new Set<(p: Progress) => void>();
  let latest: Progress | null = null;
  const onProgress = (p: Progress): void => {
    latest = p;
    splash.draw(p);
    for (const listener of listeners) listener(p);
  };
  const reading: Promise<ImageIndex> = (async () => {
    const [{ openOptions, namingTheImage }, { openImage }] = await Promise.all([
      import('../open-image.js'),
      import('../../image/open.js'),
    ]);
    const options = await openOptions(image, flags);
    return namingTheImage(image, () => openImage(image, { ...options, onNotice: (m) => notices.push(m), onProgress }));
  })();
  // Settled later by the explorer; until then a failure must not count as unhandled.
  reading.catch(() => {});

  try {
    const [{ runExplorer }, { analysisOptions }] = await Promise.all([
      import('../../tui/run.js'),
      import('../open-image.js'),
    ]);
    const open = (listener: (p: Progress) => void): Promise<ImageIndex> => {
      listeners.add(listener);
      if (latest) listener(latest);
      return reading;
    };
    return await runExplorer(name, open, analysisOptions(flags), { session, splash });
  } finally {
    session.restore();
    for (const message of notices) process.stderr.write(errorLine(message));
  }
}
