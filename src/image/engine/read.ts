import type { CapturePredicate } from '../../layers/capture.js';
import { ImageReadError } from '../../util/errors.js';
import { formatPlatform, type Platform } from '../oci-layout.js';
import { readImageStream, type Progress } from '../open.js';
import type { ImageReference } from '../reference.js';
import type { ImageIndex } from '../types.js';
import { EngineClient, EngineError, type EngineImage } from './client.js';
import { existingSockets, resolveEngineSocket, type EngineName, type EngineSocket } from './socket.js';

export interface EngineReadOptions {
  /** Check every digest (default true); --no-verify turns it off. */
  verify?: boolean;
  /** --platform: an engine holds one platform per name; another one is an error. */
  platform?: Platform;
  capture?: CapturePredicate;
  onProgress?: (progress: Progress) => void;
  /** Environment for DOCKER_HOST / CONTAINER_HOST / XDG_RUNTIME_DIR (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Timeouts: `_ping` (default 5 s), `images/{name}/json` (30 s), silence while saving (120 s). */
  timeouts?: Partial<EngineTimeouts>;
}

export interface EngineTimeouts {
  pingMs: number;
  inspectMs: number;
  idleMs: number;
}

const TIMEOUTS: EngineTimeouts = { pingMs: 5_000, inspectMs: 30_000, idleMs: 120_000 };
/** A bare reference asks engines only if they answer this fast: the registry is the fallback. */
const PROBE_TIMEOUTS = { pingMs: 500, inspectMs: 3_000 };

/** The name an engine is asked for: the normalized reference (engines normalize the same way). */
export function engineName(reference: ImageReference): string {
  return reference.normalized;
}

/**
 * `docker://REF` / `podman://REF`: the image as the engine holds it, read through its API on a unix
 * socket. `GET /images/{name}/json` first (a missing image is an error: strata never pulls), then
 * `GET /images/{name}/get` streamed straight into the archive reader, with no temporary file.
 */
export async function readEngineImage(
  engine: EngineName,
  reference: ImageReference,
  options: EngineReadOptions = {},
): Promise<ImageIndex> {
  const timeouts = { ...TIMEOUTS, ...options.timeouts };
  const socket = resolveEngineSocket(engine, options.env ?? process.env);
  const client = new EngineClient(socket);
  await client.ping(timeouts.pingMs);
  const name = engineName(reference);
  const image = await client.inspect(name, timeouts.inspectMs);
  if (image === null) {
    throw new EngineError(
      `no such image in ${engine} (${socket.url}): ${name}; strata never pulls (run \`${engine} pull ` +
        `${name}\`, or read it from its registry: registry://${name})`,
    );
  }
  return readFromEngine(client, reference, image, options);
}

/** An engine found to hold the image a bare reference names. */
export interface EngineMatch {
  engine: EngineName;
  socket: EngineSocket;
  client: EngineClient;
  image: EngineImage;
}

/**
 * For a bare `REF`: the first running engine that holds the image, trying docker's socket, then
 * podman's. An engine is asked only when its socket exists and answers `_ping` quickly; any failure
 * means "not there" (the registry is then the source). Returns null when no engine has it.
 */
export async function findInEngines(
  reference: ImageReference,
  options: { env?: NodeJS.ProcessEnv; platform?: Platform; timeouts?: Partial<typeof PROBE_TIMEOUTS> } = {},
): Promise<EngineMatch | null> {
  const timeouts = { ...PROBE_TIMEOUTS, ...options.timeouts };
  const env = options.env ?? process.env;
  for (const engine of ['docker', 'podman'] as const) {
    for (const socket of existingSockets(engine, env)) {
      const client = new EngineClient(socket);
      try {
        await client.ping(timeouts.pingMs);
        const image = await client.inspect(engineName(reference), timeouts.inspectMs);
        if (image === null) continue;
        if (options.platform && !platformFits(image, options.platform)) continue;
        return { engine, socket, client, image };
      } catch {}
    }
  }
  return null;
}

/** Reads an image that `inspect` found (the explicit path, or what `findInEngines` returned). */
export async function readFromEngine(
  client: EngineClient,
  reference: ImageReference,
  image: EngineImage,
  options: EngineReadOptions = {},
): Promise<ImageIndex> {
  const timeouts = { ...TIMEOUTS, ...options.timeouts };
  const engine = client.socket.engine;
  const name = engineName(reference);
  if (options.platform && !platformFits(image, options.platform)) {
    throw new ImageReadError(
      `${name} in ${engine} is an image for ${formatPlatform(image)}, not ${formatPlatform(options.platform)}`,
    );
  }
  const verify = options.verify ?? true;
  const progress: Progress = { bytesRead: 0, totalBytes: null, layersDone: 0, layersTotal: null };
  const report = (): void => options.onProgress?.({ ...progress });
  const response = await client.save(name, timeouts.idleMs);
  let cutShort = false;
  response.on('aborted', () => (cutShort = true));
  response.on('error', () => (cutShort = true));
  try {
    const index = await readImageStream(
      response,
      { verify, platform: options.platform, capture: options.capture, onProgress: options.onProgress },
      progress,
      report,
    );
    return { ...index, source: 'engine', reference: reference.normalized };
  } catch (err) {
    // A stream cut short is the engine's doing (it stopped, or failed while saving), not a bad archive.
    if (cutShort && !response.complete && !(err instanceof EngineError)) {
      throw new EngineError(
        `${engine} (${client.socket.url}) stopped sending ${name} after ${progress.bytesRead} bytes`,
      );
    }
    throw err;
  } finally {
    response.destroy();
  }
}

function platformFits(image: { os: string; architecture: string; variant?: string }, wanted: Platform): boolean {
  if (!image.os || !image.architecture) return true;
  return (
    image.os === wanted.os &&
    image.architecture === wanted.architecture &&
    (!wanted.variant || image.variant === wanted.variant)
  );
}
