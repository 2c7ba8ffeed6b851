import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { openImage } from '../image/open.js';
import { parsePlatform } from '../image/oci-layout.js';
import type { ImageIndex } from '../image/types.js';
import { ImageReadError, StrataError } from '../util/errors.js';
import { stderrProgress } from './progress.js';
import { packageRoot } from '../util/package-root.js';
import { renderJson } from '../report/json-output.js';
import { renderSummary } from '../report/summary.js';

/** The demo image built into the repo (`npm run fixtures` makes it). */
export const DEMO_IMAGE = join(packageRoot, 'fixtures', 'demo', 'demo.tar');

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

interface GlobalOptions {
  json?: boolean;
  verify: boolean;
  platform?: string;
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
    .showHelpAfterError('(run strata --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .action(async (image: string, options: GlobalOptions) => {
      const index = await readImage(image, options, io);
      io.stdout.write(options.json ? renderJson(index) : renderSummary(index, { color: false }));
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    exitCode = exitCodeFor(err, io);
  }
  return exitCode;
}

async function readImage(image: string, options: GlobalOptions, io: Io): Promise<ImageIndex> {
  const platform = options.platform ? parsePlatform(options.platform) : undefined;
  const progress = stderrProgress(io.stderr);
  try {
    return await openImage(image, { verify: options.verify, platform, onProgress: progress.update });
  } catch (err) {
    if (err instanceof ImageReadError) throw new ImageReadError(`${image}: ${err.message}`);
    throw err;
  } finally {
    progress.done();
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
