import { analyzeImage, namePackages, type AnalysisOptions, type ImageAnalysis } from '../analysis/analyze.js';
import { LayerCache } from '../cache/layer-cache.js';
import { openImage, readPasswordStdin } from '../image/open.js';
import type { OpenOptions } from '../image/options.js';
import { parsePlatform } from '../image/platform.js';
import type { ImageIndex, Progress } from '../image/types.js';
import { errorLine, ImageReadError, StrataError } from '../util/errors.js';
import { analyzePackages, preparePackageReaders } from '../packages/index.js';
import { failOnStall } from '../util/stall.js';
import { quoteInput } from '../util/escape.js';
import { maskUserInfo } from '../util/user-info.js';
import type { Io } from './context.js';
import type { ImageFlags } from './image-options.js';
import { stderrProgress, type ProgressLine } from './progress.js';

/** The flags, as options for opening an image (reads the password from stdin when asked). */
export async function openOptions(image: string, flags: ImageFlags): Promise<OpenOptions> {
  if (flags.passwordStdin && image === '-')
    throw new StrataError('--password-stdin and an image on stdin (-) cannot both read stdin');
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

/** The image argument as messages and screens show it: its user-info masked, its length bounded, escaped. */
export function shownArgument(image: string): string {
  return quoteInput(maskUserInfo(image));
}

/** Errors about the image start with what the user typed, so the one line says which input failed. */
export async function namingTheImage<T>(image: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ImageReadError) throw new ImageReadError(`${shownArgument(image)}: ${err.message}`);
    throw err;
  }
}

/**
 * How a command that reads more than one image shares what it can ask for once: the options (the
 * password from stdin, the cache), and one progress line on stderr.
 */
export interface ReadSettings {
  options?: OpenOptions;
  progress?: ProgressLine;
}

/**
 * Opens the image the flags describe, with progress on stderr when it is a terminal. `whileVerifying`
 * gets the image while its digests may still be being checked (see `OpenOptions.whileVerifying`).
 */
export async function readImage(
  image: string,
  flags: ImageFlags,
  io: Io,
  whileVerifying?: (image: ImageIndex) => void,
  settings: ReadSettings = {},
): Promise<ImageIndex> {
  const options = settings.options ?? (await openOptions(image, flags));
  const progress = settings.progress ?? stderrProgress(io.stderr);
  try {
    // Notices (which source a bare reference came from, cache warnings) are one line each on stderr.
    const onNotice = (message: string): void => {
      progress.done();
      io.stderr.write(errorLine(message));
    };
    return await namingTheImage(image, () =>
      failOnStall(
        openImage(image, { ...options, onNotice, onProgress: (p: Progress) => progress.update(p), whileVerifying }),
        () => new ImageReadError('the read stalled: its input ended, but the reader was never told (a bug in strata)'),
      ),
    );
  } finally {
    progress.done();
  }
}

/**
 * Opens and analyses: what `report`, `ci` and the JSON output need. The analysis runs while a worker
 * still hashes the layers, when the source allows it; it is used only once every digest matched.
 */
export async function readAndAnalyze(image: string, flags: ImageFlags, io: Io, settings: ReadSettings = {}) {
  const options = analysisOptions(flags);
  let analysis: ImageAnalysis | null = null;
  const index = await readImage(
    image,
    flags,
    io,
    (read) => {
      analysis = analyzeImage(read, options);
    },
    settings,
  );
  const analysed: ImageAnalysis = analysis ?? analyzeImage(index, options);
  // An rpmdb is read through SQLite, whose WebAssembly loads asynchronously: read it again once loaded.
  if (await preparePackageReaders(index.layers)) {
    analysed.packages = analyzePackages(analysed.stack);
    namePackages(analysed);
  }
  return { image: index, analysis: analysed };
}
