import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { Progress } from '../image/open.js';
import { parseSourceName, type SourceName } from '../image/reference.js';
import { openSource, readPasswordStdin, type OpenSourceOptions } from '../image/source.js';
import { parsePlatform } from '../image/oci-layout.js';
import type { ImageIndex } from '../image/types.js';
import { ImageReadError, StrataError } from '../util/errors.js';
import { stderrProgress } from './progress.js';
import { packageRoot } from '../util/package-root.js';
import { analyzeImage } from '../analysis/analyze.js';
import { buildJsonReport } from '../report/json.js';
import { renderSummary } from '../report/summary.js';

/** The demo image built into the repo (`npm run fixtures` makes it). */
export const DEMO_IMAGE = join(packageRoot, 'fixtures', 'demo', 'demo.tar');

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

interface GlobalOptions {
  json?: boolean;
  verify: boolean;
  platform?: string;
  source?: SourceName;
  username?: string;
  passwordStdin?: boolean;
  insecure?: boolean;
  allLayers?: boolean;
  now?: Date;
}

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs the CLI and returns its exit code; never throws, never prints a stack trace unless STRATA_DEBUG is set. */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('strata')
    .description('Explore a container image layer by layer: what each layer changed, what it wastes, and what should not ship.')
    .version(version(), '-V, --version')
    .argument('[image]', 'image archive (docker-archive, oci-archive, kaniko, compressed or not), OCI layout directory, or - for stdin', DEMO_IMAGE)
    .option('--json', 'print the JSON report (schemaVersion 1) to stdout')
    .option('--no-verify', 'skip the checks of blob digests and diff_ids')
    .addOption(new Option('--platform <os/arch[/variant]>', 'image to pick from a multi-platform index'))
    .addOption(new Option('--source <source>', 'force where the image comes from').argParser(parseSourceName))
    .option('--username <name>', 'registry user name (the password is read from stdin with --password-stdin)')
    .option('--password-stdin', 'read the registry password or token from stdin')
    .option('--insecure', 'allow plain HTTP and unverified TLS for a registry that is not on this machine')
    .option('--all-layers', 'also report risky files that a later layer hid (they are still in the image)')
    .addOption(new Option('--now <iso-date>', 'the date to measure the image age against').argParser(parseDate).hideHelp())
    .showHelpAfterError('(run strata --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .action(async (image: string, options: GlobalOptions) => {
      if (!options.json && interactive(io)) {
        exitCode = await explore(image, options);
        return;
      }
      const index = await readImage(image, options, io);
      if (!options.json && io.stdout === process.stdout) {
        io.stderr.write('strata: not a terminal: printing the text summary (the explorer needs a TTY; --json gives JSON)\n');
      }
      const analysis = analyzeImage(index, { allLayers: options.allLayers, now: options.now });
      io.stdout.write(options.json ? `${JSON.stringify(buildJsonReport(index, analysis), null, 2)}\n` : renderSummary(index, analysis, { color: false, now: options.now }));
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    exitCode = exitCodeFor(err, io);
  }
  return exitCode;
}

function parseDate(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new StrataError(`invalid --now "${text}": expected an ISO date such as 2026-01-31`);
  return date;
}

/** The explorer needs a keyboard and a screen: both stdin and stdout must be terminals. */
function interactive(io: Io): boolean {
  return io.stdout === process.stdout && process.stdout.isTTY === true && process.stdin.isTTY === true;
}

async function explore(image: string, options: GlobalOptions): Promise<number> {
  const sourceOptions = await openOptions(image, options);
  // Loaded only here: React and Ink are not needed for text or JSON output.
  const { runExplorer } = await import('../tui/run.js');
  const name = image === DEMO_IMAGE ? 'the demo image (fixtures/demo/demo.tar)' : image;
  const analysisOptions = { allLayers: options.allLayers, now: options.now };
  return namingTheImage(image, () => runExplorer(name, (onProgress: (p: Progress) => void) => openSource(image, { ...sourceOptions, onProgress }), analysisOptions));
}

async function readImage(image: string, options: GlobalOptions, io: Io): Promise<ImageIndex> {
  const sourceOptions = await openOptions(image, options);
  const progress = stderrProgress(io.stderr);
  try {
    return await namingTheImage(image, () => openSource(image, { ...sourceOptions, onProgress: progress.update }));
  } finally {
    progress.done();
  }
}

/** The command-line flags, as options for opening an image. */
async function openOptions(image: string, options: GlobalOptions): Promise<OpenSourceOptions> {
  if (options.passwordStdin && image === '-') throw new StrataError('--password-stdin and an image on stdin (-) cannot both read stdin');
  if (options.passwordStdin && !options.username) throw new StrataError('--password-stdin needs --username');
  return {
    verify: options.verify,
    platform: options.platform ? parsePlatform(options.platform) : undefined,
    source: options.source,
    username: options.username,
    password: options.passwordStdin ? await readPasswordStdin() : undefined,
    insecure: options.insecure,
  };
}

/** Errors about the image start with what the user typed, so the one line says which input failed. */
async function namingTheImage<T>(image: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ImageReadError) throw new ImageReadError(`${image}: ${err.message}`);
    throw err;
  }
}

function exitCodeFor(err: unknown, io: Io): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    return EXIT.usage; // commander has already printed the message
  }
  if (err instanceof ImageReadError) {
    io.stderr.write(`strata: ${oneLine(err.message)}\n`);
    return EXIT.failure;
  }
  if (err instanceof StrataError) {
    io.stderr.write(`strata: ${oneLine(err.message)}\n`);
    return EXIT.usage;
  }
  io.stderr.write(`strata: internal error: ${oneLine((err as Error)?.message ?? String(err))}\n`);
  if (process.env.STRATA_DEBUG) io.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  return EXIT.failure;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
