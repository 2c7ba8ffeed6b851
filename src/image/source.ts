import { stat } from 'node:fs/promises';
import type { LayerCache } from '../cache/layer-cache.js';
import { ImageReadError, StrataError, describeSystemError } from '../util/errors.js';
import type { EngineReadOptions, EngineTimeouts } from './engine/read.js';
import type { MemberStore } from './members.js';
import { readOciLayout } from './oci-layout.js';
import { openImage, type OpenOptions, type Progress } from './open.js';
import { resolveImageArgument, type ImageReference, type ImageTarget, type SourceName } from './reference.js';
import type { RetryPolicy } from './registry/transport.js';
import type { ImageIndex } from './types.js';

/** Everything the CLI can say about where an image comes from and how to read it. */
export interface OpenSourceOptions extends OpenOptions {
  /** --source: force one source instead of guessing from the argument. */
  source?: SourceName;
  /** --username (registry sources); needs `password`. */
  username?: string;
  /** The password or token read by --password-stdin (see `readPasswordStdin`). Never printed. */
  password?: string;
  /** --insecure: plain HTTP to any registry, and HTTPS without certificate verification. */
  insecure?: boolean;
  /** Registry retry pacing; tests shorten it. */
  retry?: Partial<RetryPolicy>;
  /**
   * Environment for DOCKER_CONFIG and HOME, and for the engines' DOCKER_HOST, CONTAINER_HOST and
   * XDG_RUNTIME_DIR (default process.env); tests point it elsewhere.
   */
  env?: NodeJS.ProcessEnv;
  /**
   * The layer-index cache (see src/cache/): the registry source takes cached layers from it instead
   * of downloading them, and every source records the layers of an image read with verification
   * on. Off when absent (the CLI passes one unless --no-cache). Not used with a custom `capture`.
   */
  cache?: LayerCache | null;
  /**
   * One-line notices for stderr, such as which source a bare reference was read from:
   * "reading localhost/tiny:latest from podman (unix:///run/podman/podman.sock)". The CLI prints
   * them as `strata: <notice>`.
   */
  onNotice?: (message: string) => void;
  /**
   * A bare `REF` is read from a running engine (docker's socket, then podman's) that has it, and
   * from its registry otherwise (default true). False: always the registry.
   */
  probeEngines?: boolean;
  /** Engine API timeouts (tests shorten them). */
  engineTimeouts?: Partial<EngineTimeouts>;
}

/**
 * Opens the image an argument names: a path (archive, OCI layout, "-" for stdin), an explicit
 * `docker-archive:`/`oci-archive:`/`oci:` path, a registry reference (`registry://REF` or a bare
 * `REF`), or an engine's API (`docker://REF`, `podman://REF`). A bare `REF` is taken from a running
 * engine that has the image, else from its registry; `onNotice` is told which.
 */
export async function openSource(arg: string, options: OpenSourceOptions = {}): Promise<ImageIndex> {
  if (options.username !== undefined && options.password === undefined)
    throw new StrataError('--username needs --password-stdin');
  if (options.password !== undefined && options.username === undefined)
    throw new StrataError('--password-stdin needs --username');
  const target = resolveImageArgument(arg, options.source);
  // Only a bare reference: not registry://REF, not --source registry, and not with registry credentials.
  const bare =
    target.kind === 'registry' &&
    options.source === undefined &&
    !arg.startsWith('registry://') &&
    options.username === undefined;
  if (bare && options.probeEngines !== false) return openBareReference(target.reference, options);
  return openTarget(target, options);
}

/** A bare `REF`: the first running engine that has it (docker, then podman), else its registry. */
async function openBareReference(reference: ImageReference, options: OpenSourceOptions): Promise<ImageIndex> {
  const { findInEngines, readFromEngine } = await import('./engine/read.js');
  const match = await findInEngines(reference, { env: options.env, platform: options.platform });
  if (match) {
    options.onNotice?.(`reading ${reference.normalized} from ${match.engine} (${match.socket.url})`);
    return remember(await readFromEngine(match.client, reference, match.image, engineOptions(options)), options);
  }
  options.onNotice?.(
    `reading ${reference.normalized} from its registry (${reference.domain}); no running docker or podman has it`,
  );
  return openTarget({ kind: 'registry', reference }, options);
}

function engineOptions(options: OpenSourceOptions): EngineReadOptions {
  return {
    verify: options.verify,
    platform: options.platform,
    capture: options.capture,
    onProgress: options.onProgress,
    env: options.env,
    timeouts: options.engineTimeouts,
  };
}

/** The cache is used only with the built-in capture list: its entries hold what that list keeps. */
function cacheFor(options: OpenSourceOptions): LayerCache | null {
  return options.capture === undefined ? (options.cache ?? null) : null;
}

/** Records the layers of an image read and verified (for every source). */
async function remember(index: ImageIndex, options: OpenSourceOptions): Promise<ImageIndex> {
  const cache = cacheFor(options);
  if (cache && index.verified) await cache.putAll(index.layers, options.onNotice);
  return index;
}

export async function openTarget(target: ImageTarget, options: OpenSourceOptions = {}): Promise<ImageIndex> {
  return remember(await readTarget(target, options), options);
}

/** Each source's reader is loaded when an image comes from it: start-up loads none but the one used. */
async function readTarget(target: ImageTarget, options: OpenSourceOptions): Promise<ImageIndex> {
  switch (target.kind) {
    case 'registry': {
      const { readRegistryImage } = await import('./registry/read.js');
      return readRegistryImage(target.reference, {
        verify: options.verify,
        platform: options.platform,
        capture: options.capture,
        onProgress: options.onProgress,
        username: options.username,
        password: options.password,
        insecure: options.insecure,
        retry: options.retry,
        env: options.env,
        cache: cacheFor(options),
      });
    }
    case 'engine': {
      const { readEngineImage } = await import('./engine/read.js');
      return readEngineImage(target.engine, target.reference, engineOptions(options));
    }
    case 'path':
      return openPath(target, options);
  }
}

async function openPath(target: Extract<ImageTarget, { kind: 'path' }>, options: OpenOptions): Promise<ImageIndex> {
  const { path, format } = target;
  const openOptions: OpenOptions = {
    verify: options.verify,
    platform: options.platform,
    capture: options.capture,
    onProgress: options.onProgress,
    whileVerifying: options.whileVerifying,
  };
  if (format === 'auto' || path === '-') {
    if (path === '-' && format === 'oci') throw new StrataError('oci: needs a directory, not stdin');
    return openImage(path, openOptions);
  }
  const info = await stat(path).catch((err) => {
    throw new ImageReadError(describeSystemError(err));
  });
  if (format === 'oci') {
    if (!info.isDirectory())
      throw new ImageReadError('oci: expects an OCI layout directory, and this is not a directory');
    return target.tag === null ? openImage(path, openOptions) : openTaggedLayout(path, target.tag, openOptions);
  }
  if (info.isDirectory()) throw new ImageReadError(`${format}: expects an archive file, and this is a directory`);
  return openImage(path, openOptions);
}

const REF_NAME = 'org.opencontainers.image.ref.name';
const CONTAINERD_NAME = 'io.containerd.image.name';

/** Whether an index.json entry carries the tag: `latest`, or a full `localhost/tiny:latest`. */
function carriesTag(annotations: Record<string, unknown> | undefined, tag: string): boolean {
  for (const key of [REF_NAME, CONTAINERD_NAME]) {
    const value = annotations?.[key];
    if (typeof value !== 'string') continue;
    if (value === tag) return true;
    const colon = value.lastIndexOf(':');
    if (colon > value.lastIndexOf('/') && value.slice(colon + 1) === tag) return true;
  }
  return false;
}

/** `oci:DIR:tag`: the layout read with its index.json narrowed to the entries of that tag. */
async function openTaggedLayout(dir: string, tag: string, options: OpenOptions): Promise<ImageIndex> {
  const verify = options.verify ?? true;
  const { openDirectoryStore } = await import('./dir-store.js');
  const store = await openDirectoryStore(dir, { hash: verify, capture: options.capture });
  if (!store.has('index.json'))
    throw new ImageReadError('oci: expects an OCI layout directory, and this one has no index.json');
  const index = JSON.parse((await store.bytes('index.json')).toString('utf8')) as {
    manifests?: Array<{ annotations?: Record<string, unknown> }>;
  };
  const manifests = Array.isArray(index.manifests) ? index.manifests : [];
  const tagged = manifests.filter((m) => carriesTag(m.annotations, tag));
  if (tagged.length === 0) {
    const names = manifests.map((m) => m.annotations?.[REF_NAME]).filter((n): n is string => typeof n === 'string');
    throw new ImageReadError(
      `no image tagged "${tag}" in the layout (` +
        `${names.length > 0 ? `it has ${names.join(', ')}` : 'its images carry no ref names'})`,
    );
  }
  const narrowed = Buffer.from(JSON.stringify({ ...index, manifests: tagged }));
  const view: MemberStore = {
    ...store,
    bytes: (name) => (name === 'index.json' ? Promise.resolve(narrowed) : store.bytes(name)),
  };
  const progress: Progress = { bytesRead: 0, totalBytes: null, layersDone: 0, layersTotal: null };
  return readOciLayout(view, {
    verify,
    concurrency: 2,
    platform: options.platform,
    source: 'oci-dir',
    whileVerifying: options.whileVerifying,
    onLayer: (done, total) => {
      progress.layersDone = done;
      progress.layersTotal = total;
      options.onProgress?.({ ...progress });
    },
  });
}

/** --password-stdin: the whole of standard input, one trailing newline dropped. */
export async function readPasswordStdin(input: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input as AsyncIterable<Buffer | string>)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (text === '') throw new StrataError('--password-stdin: standard input is empty');
  return text;
}
