import { Option, type Command } from 'commander';
import type { DiffSide } from '../../diff/index.js';
import { ImageReadError, StrataError } from '../../util/errors.js';
import type { CommandContext, Io } from '../context.js';
import { addImageOptions, type ImageFlags } from '../image-options.js';

export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;

interface DiffFlags extends ImageFlags {
  format: (typeof DIFF_FORMATS)[number];
  json?: boolean;
  maxGrowth?: string;
  failOnNewRisk?: string;
}

/** As `strata ci`: 0 pass, 1 the gate failed, 2 usage, 3 an image cannot be read. */
const DIFF_EXIT = { pass: 0, fail: 1, usage: 2, unreadable: 3 } as const;

/**
 * `strata diff A B`: what changed from image A to image B (each from any source), as text, markdown
 * for a pull request, or JSON; with `--max-growth` or `--fail-on-new-risk`, a gate for pipelines.
 */
export function registerDiff(program: Command, context: CommandContext): void {
  addImageOptions(
    program
      .command('diff')
      .description(
        'compare two images: layers, files, sizes, risks, configuration and waste; ' +
          'exit 1 when a gate fails, 3 when an image cannot be read',
      )
      .argument('<a>', 'the image before: archive, OCI layout directory, registry reference, or - for stdin')
      .argument('<b>', 'the image after, from any source too')
      .addOption(new Option('--format <format>', 'output format').choices(DIFF_FORMATS).default('text'))
      .option('--json', 'the same as --format json')
      .option('--max-growth <size>', 'fail when B is larger than A by more than this, e.g. 20MB (0: any growth)')
      .option(
        '--fail-on-new-risk <severity>',
        'fail when B has a risk A has not, of this severity or above: low, medium or high',
      ),
  ).action(async (a: string, b: string, flags: DiffFlags) => {
    const { io } = context;
    const [{ parseGate, hasGate, evaluateGate }, { diffImages }] = await Promise.all([
      import('../../diff/gate.js'),
      import('../../diff/index.js'),
    ]);
    // Usage first: a bad flag is exit 2, whatever the images.
    const gate = parseGate(flags);
    if (a === '-' && b === '-') throw new StrataError('only one of the two images can come from stdin (-)');
    const [sideA, sideB] = await readBoth(a, b, flags, io);
    const diff = await diffImages(sideA, sideB);
    const gateResult = hasGate(gate) ? evaluateGate(gate, diff) : undefined;
    const format = flags.json ? 'json' : flags.format;
    if (format === 'json') {
      const [{ buildDiffJson }, { writeJson }] = await Promise.all([
        import('../../diff/report/json.js'),
        import('../../report/json-stream.js'),
      ]);
      await writeJson(buildDiffJson(diff, gateResult ?? null), io.stdout);
    } else if (format === 'markdown') {
      const { renderDiffMarkdown } = await import('../../diff/report/markdown.js');
      io.stdout.write(renderDiffMarkdown(diff, { gate: gateResult }));
    } else {
      const [{ renderDiffText }, { wantsColor }] = await Promise.all([
        import('../../diff/report/text.js'),
        import('../../report/style.js'),
      ]);
      const columns = (io.stdout as { columns?: number }).columns;
      io.stdout.write(
        renderDiffText(diff, {
          color: wantsColor(io.stdout),
          width: columns && columns > 40 ? columns : undefined,
          gate: gateResult,
        }),
      );
    }
    context.setExitCode(gateResult === undefined || gateResult.passed ? DIFF_EXIT.pass : DIFF_EXIT.fail);
  });
}

/**
 * Reads and analyses both images at once, sharing what is asked once (the password from stdin, the
 * cache) and one progress line. Anything that stops an image from being read is exit 3, naming it.
 */
async function readBoth(a: string, b: string, flags: DiffFlags, io: Io): Promise<[DiffSide, DiffSide]> {
  const [{ openOptions, readAndAnalyze }, { stderrProgressOfEach }] = await Promise.all([
    import('../open-image.js'),
    import('../progress.js'),
  ]);
  // Checked against the image that may take stdin, if one does.
  const options = await openOptions(a === '-' ? a : b, flags);
  const [progressA, progressB] = stderrProgressOfEach(['A', 'B'], io.stderr);
  const read = async (image: string, progress: typeof progressA): Promise<DiffSide> => {
    try {
      return await readAndAnalyze(image, flags, io, { options, progress });
    } catch (err) {
      if (err instanceof ImageReadError) throw err.withExitCode(DIFF_EXIT.unreadable);
      if (err instanceof StrataError) throw err;
      if (process.env.STRATA_DEBUG) io.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
      throw new ImageReadError(`${image}: internal error: ${(err as Error)?.message ?? String(err)}`).withExitCode(
        DIFF_EXIT.unreadable,
      );
    }
  };
  return Promise.all([read(a, progressA!), read(b, progressB!)]);
}
