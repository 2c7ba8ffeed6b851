import type { Readable } from 'node:stream';
import type { LayerCache } from '../cache/layer-cache.js';
import { shouldCapture, type CapturePredicate } from '../layers/capture.js';
import type { RangeIndexOptions } from '../layers/fast/range-indexer.js';
import { StrataError } from '../util/errors.js';
import type { EngineTimeouts } from './engine/source.js';
import type { SourceName } from './reference.js';
import type { RetryPolicy } from './registry/transport.js';
import type { ImageIndex, Platform, Progress } from './types.js';

/**
 * How to open and read an image, whatever its source: the one options object of `openImage` and
 * `openSource`. Every field is optional; `settleOptions` gives each its default, in one place.
 */
export interface OpenOptions {
  /** Check every digest (default true); --no-verify turns it off. */
  verify?: boolean;
  /** --platform: the image to pick from a multi-platform index (default: the host's, see each source). */
  platform?: Platform;
  /** --source: force one source instead of guessing from the argument. */
  source?: SourceName;
  /** --username (registry sources); needs `password`. */
  username?: string;
  /** The password or token read by --password-stdin (see `readPasswordStdin`). Never printed. */
  password?: string;
  /** --insecure: plain HTTP to any registry, and HTTPS without certificate verification. */
  insecure?: boolean;
  /** Registry retry pacing (the registry transport's defaults otherwise); tests shorten it. */
  retry?: Partial<RetryPolicy>;
  /** Engine API timeouts (the engine client's defaults otherwise); tests shorten them. */
  engineTimeouts?: Partial<EngineTimeouts>;
  /**
   * Environment for DOCKER_CONFIG and HOME, and for the engines' DOCKER_HOST, CONTAINER_HOST and
   * XDG_RUNTIME_DIR (default process.env); tests point it elsewhere.
   */
  env?: NodeJS.ProcessEnv;
  /** What "-" reads (default process.stdin). */
  stdin?: Readable;
  /**
   * The layer-index cache (see src/cache/): a remote source's layers are taken from it instead of
   * downloaded, and every source records the layers of an image read with verification on. Off when
   * absent (the CLI passes one unless --no-cache), and never used with a custom `capture`.
   */
  cache?: LayerCache | null;
  /** Which small files the index keeps whole (default: the built-in list). */
  capture?: CapturePredicate;
  /**
   * A bare `REF` is read from a running engine (docker's socket, then podman's) that has it, and
   * from its registry otherwise (default true). False: always the registry.
   */
  probeEngines?: boolean;
  /** Reading progress, as bytes and layers are read. */
  onProgress?: (progress: Progress) => void;
  /**
   * One-line notices for stderr, such as which source a bare reference was read from. The CLI
   * prints them as `strata: <notice>`.
   */
  onNotice?: (message: string) => void;
  /**
   * Called at most once, with the image as soon as its layers are read, while a worker may still be
   * checking their digests: work done here (an analysis) overlaps the hashing. The read still
   * resolves only once every digest is checked, and rejects if one does not match.
   */
  whileVerifying?: (image: ImageIndex) => void;
  /** How layers stored in local files are read in place (tests make the thresholds small). */
  inPlace?: Pick<RangeIndexOptions, 'chunkSize' | 'workerMin' | 'bigFile'>;
}

/** The options with every default applied: what sources and the reader are given. */
export interface ImageOptions {
  readonly verify: boolean;
  readonly platform: Platform | undefined;
  readonly source: SourceName | undefined;
  /** Registry credentials from the command line; they win over docker's config.json. */
  readonly credentials: { readonly username: string; readonly password: string } | null;
  readonly insecure: boolean;
  readonly retry: Partial<RetryPolicy>;
  readonly engineTimeouts: Partial<EngineTimeouts>;
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: Readable;
  /** Null when off, and whenever `capture` is not the built-in list (cache entries hold what it keeps). */
  readonly cache: LayerCache | null;
  readonly capture: CapturePredicate;
  readonly probeEngines: boolean;
  readonly onProgress: (progress: Progress) => void;
  readonly onNotice: (message: string) => void;
  readonly whileVerifying: ((image: ImageIndex) => void) | undefined;
  readonly inPlace: Pick<RangeIndexOptions, 'chunkSize' | 'workerMin' | 'bigFile'>;
}

const ignore = (): void => {};

/** Every default of every source, set here and nowhere else; contradictory options are a usage error. */
export function settleOptions(options: OpenOptions = {}): ImageOptions {
  if (options.username !== undefined && options.password === undefined)
    throw new StrataError('--username needs --password-stdin');
  if (options.password !== undefined && options.username === undefined)
    throw new StrataError('--password-stdin needs --username');
  return {
    verify: options.verify ?? true,
    platform: options.platform,
    source: options.source,
    credentials:
      options.username !== undefined ? { username: options.username, password: options.password ?? '' } : null,
    insecure: options.insecure ?? false,
    retry: options.retry ?? {},
    engineTimeouts: options.engineTimeouts ?? {},
    env: options.env ?? process.env,
    stdin: options.stdin ?? process.stdin,
    cache: options.capture === undefined ? (options.cache ?? null) : null,
    capture: options.capture ?? shouldCapture,
    probeEngines: options.probeEngines ?? true,
    onProgress: options.onProgress ?? ignore,
    onNotice: options.onNotice ?? ignore,
    whileVerifying: options.whileVerifying,
    inPlace: options.inPlace ?? {},
  };
}
