import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { describeSystemError, errorLine, ImageReadError, StrataError, UsageError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import { registerCache } from './commands/cache.js';
import { registerCi } from './commands/ci.js';
import { registerDiff } from './commands/diff.js';
import { registerExplore } from './commands/explore.js';
import { registerReport } from './commands/report.js';
import { EXIT, type CommandContext, type Io } from './context.js';
import { formatHelpItem, helpWidth, passProgramOptions, suggestCommand } from './usage.js';

export { DEMO_IMAGE } from './image-options.js';
export { EXIT } from './context.js';
export { errorLine } from '../util/errors.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Each command lives in src/cli/commands/<name>.ts and registers itself here. */
const COMMANDS: Array<(program: Command, context: CommandContext) => void> = [
  registerExplore,
  registerCache,
  registerReport,
  registerCi,
  registerDiff,
];

/** Runs the CLI and returns its exit code; never throws, never prints a stack trace unless STRATA_DEBUG is set. */
export async function main(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let exitCode: number = EXIT.ok;
  const context: CommandContext = { io, setExitCode: (code) => (exitCode = code) };
  // A usage error is one line, "strata: …", and where to read more; help wraps to the terminal.
  const output = {
    writeOut: (s: string) => io.stdout.write(s),
    writeErr: (s: string) => io.stderr.write(s),
    outputError: (s: string, write: (s: string) => void) => write(`strata: ${s.replace(/^error: /, '')}`),
    getOutHelpWidth: () => helpWidth(io),
    getErrHelpWidth: () => helpWidth(io),
  };
  const program = new Command('strata')
    .description(
      'Explore a container image layer by layer: what each layer changed, what it wastes, and what should not ship.',
    )
    .version(version(), '-V, --version')
    .showHelpAfterError('see strata --help')
    // Options after a subcommand belong to it: `strata report --no-verify x` is report's flag.
    .enablePositionalOptions()
    // Checked in the preAction hook below, which can tell a mistyped command from a second image.
    .allowExcessArguments()
    .exitOverride()
    .configureOutput(output)
    .configureHelp({ formatItem: formatHelpItem });
  for (const register of COMMANDS) register(program, context);
  // Subcommands inherit the program's settings: usage errors exit 2, output goes to `io`.
  for (const command of program.commands) {
    command
      .exitOverride()
      .showHelpAfterError(`see strata ${command.name()} --help`)
      .configureOutput(output)
      .configureHelp({ formatItem: formatHelpItem });
  }
  // Options written before a subcommand are its own: `strata --no-verify report x`.
  program.hook('preAction', (_program, command) => passProgramOptions(program, command));
  // `strata reprot x`: a mistyped command is not an image name.
  program.hook('preAction', (_program, command) => {
    if (command !== program) return;
    const [first, ...rest] = program.args;
    const meant =
      first === undefined || existsSync(first)
        ? null
        : suggestCommand(
            first,
            program.commands.map((c) => c.name()),
          );
    if (meant !== null)
      throw new UsageError(`unknown command '${first}' (did you mean ${meant}?)`, 'see strata --help');
    if (rest.length > 0)
      throw new UsageError(`one image at a time: '${rest.join(' ')}' is one argument too many`, 'see strata --help');
  });

  // A failed write to stdout (a full disk, /dev/full) ends the command with one line, whatever it was doing.
  let outputFailed: (err: unknown) => void = () => {};
  let outputError = false;
  const failed = new Promise<never>((_, reject) => {
    outputFailed = (err) => {
      outputError = true;
      reject(new OutputError(err));
    };
  });
  io.stdout.on('error', outputFailed);
  let code: number;
  try {
    await Promise.race([program.parseAsync(argv, { from: 'user' }), failed]);
    code = exitCode;
  } catch (err) {
    code = exitCodeFor(err, io);
  }
  const reported = outputError;
  try {
    // A write's failure is reported on a later tick: the last write's too (help and version included).
    if (!reported && code !== EXIT_BROKEN_PIPE)
      await Promise.race([new Promise((resolve) => setImmediate(resolve)), failed]);
  } catch (err) {
    code = exitCodeFor(err, io);
  } finally {
    io.stdout.off('error', outputFailed);
  }
  return code;
}

/** stdout could not be written. */
class OutputError extends Error {
  constructor(override readonly cause: unknown) {
    super('cannot write the report');
  }
}

/**
 * What a failed write to stdout ends with: quietly 141 when the reader went away (EPIPE), as for
 * any Unix tool; otherwise one line on stderr and 1. The launcher calls it for errors the stream
 * reports after `main` has returned.
 */
export function outputFailure(err: unknown, stderr: NodeJS.WritableStream): number {
  if ((err as NodeJS.ErrnoException)?.code === 'EPIPE') return EXIT_BROKEN_PIPE;
  stderr.write(errorLine(`cannot write the report: ${describeSystemError(err)}`));
  return EXIT.failure;
}

/** What a program killed by SIGPIPE exits with: what `strata … | head` should look like when head stops reading. */
export const EXIT_BROKEN_PIPE = 128 + 13;

function exitCodeFor(err: unknown, io: Io): number {
  // The reader of our output has gone (`strata --json img | head`): nothing to say, as for any Unix tool.
  if ((err as NodeJS.ErrnoException)?.code === 'EPIPE') return EXIT_BROKEN_PIPE;
  if (err instanceof OutputError) return outputFailure(err.cause, io.stderr);
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
      return EXIT.ok;
    return EXIT.usage; // commander has already printed the message
  }
  if (err instanceof ImageReadError) {
    io.stderr.write(errorLine(err.message));
    return err.exitCode ?? EXIT.failure;
  }
  if (err instanceof UsageError) {
    io.stderr.write(`${errorLine(err.message)}${err.hint}\n`);
    return EXIT.usage;
  }
  if (err instanceof StrataError) {
    io.stderr.write(errorLine(err.message));
    return err.exitCode ?? EXIT.usage;
  }
  io.stderr.write(errorLine(`internal error: ${(err as Error)?.message ?? String(err)}`));
  if (process.env.STRATA_DEBUG) io.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  return EXIT.failure;
}
