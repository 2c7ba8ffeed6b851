import type { Command } from 'commander';
import type { Progress } from '../../image/open.js';
import { openSource } from '../../image/source.js';
import { buildJsonReport } from '../../report/json.js';
import { renderSummary } from '../../report/summary.js';
import type { CommandContext, Io } from '../context.js';
import { addImageOptions, analysisOptions, DEMO_IMAGE, namingTheImage, openOptions, readAndAnalyze, type ImageFlags } from '../image-options.js';

interface ExploreFlags extends ImageFlags {
  json?: boolean;
}

/**
 * `strata [IMAGE]`: the explorer on a terminal; the text summary (or `--json`) otherwise.
 * Registered on the program itself, so `strata report` is the report command and `./report` a file.
 */
export function registerExplore(program: Command, context: CommandContext): void {
  addImageOptions(
    program
      .argument('[image]', 'image archive (docker-archive, oci-archive, kaniko, compressed or not), OCI layout directory, registry reference, or - for stdin', DEMO_IMAGE)
      .option('--json', 'print the JSON report (schemaVersion 1) to stdout'),
  ).action(async (image: string, flags: ExploreFlags) => {
    const { io } = context;
    if (!flags.json && interactive(io)) {
      context.setExitCode(await explore(image, flags));
      return;
    }
    const { image: index, analysis } = await readAndAnalyze(image, flags, io);
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(buildJsonReport(index, analysis), null, 2)}\n`);
      return;
    }
    if (io.stdout === process.stdout) {
      io.stderr.write('strata: not a terminal: printing the text summary (the explorer needs a TTY; --json gives JSON)\n');
    }
    io.stdout.write(renderSummary(index, analysis, { color: false, now: flags.now }));
  });
}

/** The explorer needs a keyboard and a screen: both stdin and stdout must be terminals. */
function interactive(io: Io): boolean {
  return io.stdout === process.stdout && process.stdout.isTTY === true && process.stdin.isTTY === true;
}

async function explore(image: string, flags: ImageFlags): Promise<number> {
  const options = await openOptions(image, flags);
  // Loaded only here: React and Ink are not needed for text or JSON output.
  const { runExplorer } = await import('../../tui/run.js');
  const name = image === DEMO_IMAGE ? 'the demo image (fixtures/demo/demo.tar)' : image;
  // The explorer owns the screen while it runs: notices are printed once it has given it back.
  const notices: string[] = [];
  const onNotice = (message: string): void => {
    notices.push(message);
  };
  try {
    return await namingTheImage(image, () =>
      runExplorer(name, (onProgress: (p: Progress) => void) => openSource(image, { ...options, onNotice, onProgress }), analysisOptions(flags)),
    );
  } finally {
    for (const message of notices) process.stderr.write(`strata: ${message}\n`);
  }
}
