import { Option, type Command } from 'commander';
import { analyzeImage, type AnalysisOptions } from '../analysis/analyze.js';
import { LayerCache } from '../cache/layer-cache.js';
import type { Progress } from '../image/open.js';
import { parsePlatform } from '../image/oci-layout.js';
import { parseSourceName, type SourceName } from '../image/reference.js';
import { openSource, readPasswordStdin, type OpenSourceOptions } from '../image/source.js';
import type { ImageIndex } from '../image/types.js';
import { ImageReadError, StrataError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import { join } from 'node:path';
import type { Io } from './context.js';
import { stderrProgress } from './progress.js';

/** The demo image built into the repo (`npm run fixtures` makes it). */
export const DEMO_IMAGE = join(packageRoot, 'fixtures', 'demo', 'demo.tar');

/** The flags that say how to open and analyse an image, shared by every command that reads one. */
export interface ImageFlags {
  verify: boolean;
  platform?: string;
  source?: SourceName;
  username?: string;
  passwordStdin?: boolean;
  insecure?: boolean;
  allLayers?: boolean;
  now?: Date;
  /** False with --no-cache. */
  cache?: boolean;
  /** --cache-dir: the layer-index cache's root (default $XDG_CACHE_HOME/strata or ~/.cache/strata). */
  cacheDir?: string;
}

export function addImageOptions(command: Command): Command {
  return command
    .option('--no-verify', 'skip the checks of blob digests and diff_ids')
    .addOption(new Option('--platform <os/arch[/variant]>', 'image to pick from a multi-platform index'))
    .addOption(new Option('--source <source>', 'force where the image comes from').argParser(parseSourceName))
    .option('--username <name>', 'registry user name (the password is read from stdin with --password-stdin)')
    .option('--password-stdin', 'read the registry password or token from stdin')
    .option('--insecure', 'allow plain HTTP and unverified TLS for a registry that is not on this machine')
    .option('--all-layers', 'also report risky files that a later layer hid (they are still in the image)')
    .option('--cache-dir <dir>', 'where the layer-index cache lives (default $XDG_CACHE_HOME/strata or ~/.cache/strata)')
    .option('--no-cache', 'neither read nor write the layer-index cache')
    .addOption(new Option('--now <iso-date>', 'the date to measure the image age against').argParser(parseDate).hideHelp());
}

function parseDate(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new StrataError(`invalid --now "${text}": expected an ISO date such as 2026-01-31`);
  return date;
}

/** The flags, as options for opening an image (reads the password from stdin when asked). */
export async function openOptions(image: string, flags: ImageFlags): Promise<OpenSourceOptions> {
  if (flags.passwordStdin && image === '-') throw new StrataError('--password-stdin and an image on stdin (-) cannot both read stdin');
  if (flags.passwordStdin && !flags.username) throw new StrataError('--password-stdin needs --username');
  return {
    verify: flags.verify,
    platform: flags.platform ? parsePlatform(flags.platform) : undefined,
    source: flags.source,
    username: flags.username,
    password: flags.passwordStdin ? await readPasswordStdin() : undefined,
    insecure: flags.insecure,
    cache: flags.cache === false ? null : new LayerCache({ dir: flags.cacheDir }),
  };
}

export function analysisOptions(flags: ImageFlags): AnalysisOptions {
  return { allLayers: flags.allLayers, now: flags.now };
}

/** Errors about the image start with what the user typed, so the one line says which input failed. */
export async function namingTheImage<T>(image: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ImageReadError) throw new ImageReadError(`${image}: ${err.message}`);
    throw err;
  }
}

/** Opens the image the flags describe, with progress on stderr when it is a terminal. */
export async function readImage(image: string, flags: ImageFlags, io: Io): Promise<ImageIndex> {
  const options = await openOptions(image, flags);
  const progress = stderrProgress(io.stderr);
  try {
    // Notices (which source a bare reference came from, cache warnings) are one line each on stderr.
    const onNotice = (message: string): void => {
      progress.done();
      io.stderr.write(`strata: ${message}\n`);
    };
    return await namingTheImage(image, () => openSource(image, { ...options, onNotice, onProgress: (p: Progress) => progress.update(p) }));
  } finally {
    progress.done();
  }
}

/** Opens and analyses: what `report`, `ci` and the JSON output need. */
export async function readAndAnalyze(image: string, flags: ImageFlags, io: Io) {
  const index = await readImage(image, flags, io);
  return { image: index, analysis: analyzeImage(index, analysisOptions(flags)) };
}
