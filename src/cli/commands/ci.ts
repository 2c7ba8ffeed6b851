import { Option, type Command } from 'commander';
import type { ImageAnalysis } from '../../analysis/analyze.js';
import { RULE_FLAGS, type RuleFlag, type RuleKey } from '../../ci/rule-flags.js';
import type { RawValue } from '../../ci/rules.js';
import type { ImageIndex } from '../../image/types.js';
import { errorLine, ImageReadError, StrataError } from '../../util/errors.js';
import type { CommandContext, Io } from '../context.js';
import { addImageOptions, type ImageFlags } from '../image-options.js';

/** The rules' flags come in under their keys (commander camel-cases `--max-age-days` to `maxAgeDays`). */
interface CiFlags extends ImageFlags, Partial<Record<RuleKey, string | string[]>> {
  format: 'text' | 'json';
  config?: string;
  cwd?: string;
}

/**
 * `strata ci IMAGE`: a gate for pipelines. dive's rules on the dive-compatible figures, plus strata's own;
 * thresholds from flags, then `--config FILE` or `./.strata.yaml`, then `./.dive-ci`, then dive's defaults.
 * Exit 0 when every rule passes, 1 when one fails, 2 on a configuration or usage error, 3 when the image
 * cannot be read.
 */
export function registerCi(program: Command, context: CommandContext): void {
  const command = program
    .command('ci')
    .description(
      'check an image against CI rules (dive-compatible); exit 0 pass, 1 fail, 2 bad configuration, 3 ' +
        'unreadable image',
    )
    .argument('<image>', 'image archive, OCI layout directory, registry reference, or - for stdin');
  // One flag per rule of the table: a new rule brings its flag, with no other list to keep.
  for (const rule of RULE_FLAGS as readonly RuleFlag[]) {
    const flag = `${rule.flag} ${rule.argument}`;
    if (rule.repeatable) command.option(flag, rule.help, collect);
    else command.option(flag, rule.help);
  }
  addImageOptions(
    command
      .option('--config <file>', 'read rules from this file instead of ./.strata.yaml')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
      .addOption(new Option('--cwd <dir>', 'the directory to find .strata.yaml and .dive-ci in').hideHelp()),
  ).action(async (image: string, flags: CiFlags) => {
    const { io } = context;
    // Loaded when the command runs, so that starting strata stays fast.
    const [{ evaluateCi, loadCiConfig }, { buildCiJson, renderCiText }, { wantsColor }] = await Promise.all([
      import('../../ci/index.js'),
      import('../../report/ci.js'),
      import('../../report/style.js'),
    ]);
    const ruleFlags: Partial<Record<RuleKey, RawValue>> = {};
    for (const { key } of RULE_FLAGS) if (flags[key] !== undefined) ruleFlags[key] = flags[key];
    // Configuration first: a bad threshold is exit 2, whatever the image.
    const config = loadCiConfig({
      flags: ruleFlags,
      cwd: flags.cwd ?? process.cwd(),
      configFile: flags.config,
      warn: (message) => io.stderr.write(errorLine(message)),
    });
    const { image: index, analysis } = await readForCi(image, flags, io);
    const result = evaluateCi(config, { image: index, analysis, now: flags.now ?? new Date() });
    if (flags.format === 'json')
      io.stdout.write(`${JSON.stringify(buildCiJson(index, result, config.files), null, 2)}\n`);
    else io.stdout.write(renderCiText(index, result, { color: wantsColor(io.stdout), files: config.files }));
    context.setExitCode(result.exitCode);
  });
}

/** Reads and analyses; anything that stops the image from being read is exit 3, apart from usage errors (2). */
async function readForCi(
  image: string,
  flags: CiFlags,
  io: Io,
): Promise<{ image: ImageIndex; analysis: ImageAnalysis }> {
  const [{ readAndAnalyze, shownArgument }, { CI_EXIT }] = await Promise.all([
    import('../open-image.js'),
    import('../../ci/index.js'),
  ]);
  try {
    return await readAndAnalyze(image, flags, io);
  } catch (err) {
    if (err instanceof ImageReadError) throw err.withExitCode(CI_EXIT.unreadable);
    if (err instanceof StrataError) throw err;
    if (process.env.STRATA_DEBUG) io.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    throw new ImageReadError(
      `${shownArgument(image)}: internal error: ${(err as Error)?.message ?? String(err)}`,
    ).withExitCode(CI_EXIT.unreadable);
  }
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
