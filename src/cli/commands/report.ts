import { Argument, Option, type Command } from 'commander';
import type { CommandContext } from '../context.js';
import { addImageOptions, DEMO_IMAGE, type ImageFlags } from '../image-options.js';

export const REPORT_FORMATS = ['text', 'markdown', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

interface ReportFlags extends ImageFlags {
  format: ReportFormat;
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
      .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('text')),
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
    switch (flags.format) {
      case 'json':
        await writeJson(streamedJsonReport(index, analysis), io.stdout);
        return;
      case 'markdown':
        io.stdout.write(renderMarkdownReport(index, analysis, { now: flags.now }));
        return;
      default: {
        const columns = (io.stdout as { columns?: number }).columns;
        io.stdout.write(
          renderTextReport(index, analysis, {
            color: wantsColor(io.stdout),
            now: flags.now,
            width: columns && columns > 40 ? columns : undefined,
          }),
        );
      }
    }
  });
}
