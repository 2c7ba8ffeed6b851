import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Argument, Option, type Command } from 'commander';
import { describeSystemError, StrataError } from '../../util/errors.js';
import { type CommandContext, EXIT } from '../context.js';
import { addImageOptions, DEMO_IMAGE, type ImageFlags } from '../image-options.js';

export const REPORT_FORMATS = ['text', 'markdown', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

interface ReportFlags extends ImageFlags {
  format: ReportFormat;
  output?: string;
}

/**
 * `strata report [IMAGE]`: the whole analysis as a readable text report (colour on a terminal, unless
 * NO_COLOR is set), as markdown for a pull-request comment, or as the JSON report (`--json`).
 * An image that cannot be read exits 1.
 */
export function registerReport(program: Command, context: CommandContext): void {
  // The program's own options (--json, --no-verify…) must not swallow a subcommand's: `strata report --no-verify x`.
  addImageOptions(
    program
      .command('report')
      .description('print a report: summary, layers, waste, explanations, risks and audit')
      .addArgument(
        new Argument('[image]', 'image archive, OCI layout directory, registry reference, or - for stdin').default(
          DEMO_IMAGE,
          'the demo image built into strata',
        ),
      )
      .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('text'))
      .addOption(new Option('-o, --output <file>', 'write the report to this file instead of stdout')),
  ).action(async (image: string, flags: ReportFlags) => {
    const { io } = context;
    // Loaded when the command runs, so that starting strata stays fast.
    const [
      { readAndAnalyze },
      { streamedJsonReport },
      { writeJson },
      { renderMarkdownReport },
      { wantsColor },
      { renderTextReport },
    ] = await Promise.all([
      import('../open-image.js'),
      import('../../report/json.js'),
      import('../../report/json-stream.js'),
      import('../../report/markdown.js'),
      import('../../report/style.js'),
      import('../../report/text.js'),
    ]);
    const { image: index, analysis } = await readAndAnalyze(image, flags, io);
    const output = flags.output === undefined ? null : await openOutput(flags.output);
    const out = output?.stream ?? io.stdout;
    switch (flags.format) {
      case 'json':
        await writeJson(streamedJsonReport(index, analysis), out);
        break;
      case 'markdown':
        out.write(renderMarkdownReport(index, analysis, { now: flags.now }));
        break;
      case 'html': {
        const { renderHtmlReport } = await import('../../report/html/index.js');
        out.write(renderHtmlReport(index, analysis, { now: flags.now }));
        break;
      }
      default: {
        const columns = (io.stdout as { columns?: number }).columns;
        out.write(
          renderTextReport(index, analysis, {
            color: output === null && wantsColor(io.stdout),
            now: flags.now,
            width: output === null && columns && columns > 40 ? columns : undefined,
          }),
        );
      }
    }
    await output?.close();
  });
}

/** The file named with -o: opened before the report is written, so a bad path fails with one line. */
async function openOutput(path: string): Promise<{ stream: NodeJS.WritableStream; close: () => Promise<void> }> {
  const fail = (err: unknown) =>
    new StrataError(`cannot write ${path}: ${describeSystemError(err)}`).withExitCode(EXIT.failure);
  const stream = createWriteStream(path);
  try {
    await once(stream, 'open');
  } catch (err) {
    throw fail(err);
  }
  let failure: unknown = null;
  stream.on('error', (err) => {
    failure = err;
  });
  return {
    stream,
    close: async () => {
      if (failure === null) {
        stream.end();
        await once(stream, 'close').catch((err: unknown) => {
          failure = err;
        });
      }
      if (failure !== null) throw fail(failure);
    },
  };
}
