import type { Readable } from 'node:stream';
import { ImageReadError } from '../../util/errors.js';
import { type ArchiveSource, oneReading, streamedStore } from '../archive/source.js';
import type { ImageOptions } from '../options.js';
import { fitsPlatform, formatPlatform } from '../platform.js';
import type { ProgressMeter } from '../progress.js';
import type { ImageReference } from '../reference.js';
import type { ImageSource, LayerLocation, ResolvedImage, SourceLayer } from '../source.js';
import type { Platform } from '../types.js';
import { EngineClient, EngineError, type EngineImage } from './client.js';
import { existingSockets, resolveEngineSocket, type EngineName, type EngineSocket } from './socket.js';

export interface EngineTimeouts {
  /** `_ping` (default 5 s). */
  pingMs: number;
  /** `images/{name}/json` (default 30 s). */
  inspectMs: number;
  /** Silence while the image is being saved (default 120 s). */
  idleMs: number;
}

const TIMEOUTS: EngineTimeouts = { pingMs: 5_000, inspectMs: 30_000, idleMs: 120_000 };
/** A bare reference asks engines only if they answer this fast: the registry is the fallback. */
const PROBE_TIMEOUTS = { pingMs: 500, inspectMs: 3_000 };

/** The name an engine is asked for: the normalized reference (engines normalize the same way). */
export function engineName(reference: ImageReference): string {
  return reference.normalized;
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
        if (options.platform && !fitsPlatform(image, options.platform)) continue;
        return { engine, socket, client, image };
      } catch {}
    }
  }
  return null;
}

/**
 * `docker://REF` / `podman://REF`: the image as the engine holds it, read through its API on a unix
 * socket. `GET /images/{name}/json` first (a missing image is an error: strata never pulls), then
 * `GET /images/{name}/get` streamed straight into the archive reader, with no temporary file; a
 * layer read again is the export asked for again, read up to that layer.
 */
export class EngineSource implements ImageSource {
  readonly remote = false;
  readonly concurrency = 2;
  private readonly timeouts: EngineTimeouts;
  private archive: ArchiveSource | null = null;

  constructor(
    private readonly engine: EngineName,
    private readonly reference: ImageReference,
    readonly options: ImageOptions,
    /** What `findInEngines` found: that engine, already asked. */
    private readonly found: EngineMatch | null = null,
  ) {
    this.timeouts = { ...TIMEOUTS, ...options.engineTimeouts };
  }

  async resolve(progress: ProgressMeter): Promise<ResolvedImage> {
    const { client, image } = this.found ?? (await this.inspect());
    const name = engineName(this.reference);
    const wanted = this.options.platform;
    if (wanted && !fitsPlatform(image, wanted)) {
      throw new ImageReadError(
        `${name} in ${client.socket.engine} is an image for ${formatPlatform(image)}, not ${formatPlatform(wanted)}`,
      );
    }
    const save = (): Promise<Readable> => client.save(name, this.timeouts.idleMs);
    const response = await client.save(name, this.timeouts.idleMs);
    let cutShort = false;
    let bytesRead = 0;
    response.on('aborted', () => (cutShort = true));
    response.on('error', () => (cutShort = true));
    const countBytes = (bytes: number): void => {
      bytesRead += bytes;
      progress.addBytes(bytes);
    };
    try {
      const archive = oneReading(this.options, () => streamedStore(response, this.options, save, countBytes));
      const resolved = await archive.resolve(progress);
      this.archive = archive;
      return { ...resolved, kind: 'engine', reference: this.reference.normalized };
    } catch (err) {
      // A stream cut short is the engine's doing (it stopped, or failed while saving), not a bad archive.
      if (cutShort && !response.complete && !(err instanceof EngineError)) {
        throw new EngineError(
          `${client.socket.engine} (${client.socket.url}) stopped sending ${name} after ${bytesRead} bytes`,
        );
      }
      throw err;
    } finally {
      response.destroy();
    }
  }

  locateLayer(layer: SourceLayer): Promise<LayerLocation> {
    return this.resolved().locateLayer(layer);
  }

  openLayer(layer: SourceLayer): Promise<Readable> {
    return this.resolved().openLayer(layer);
  }

  async close(): Promise<void> {}

  private resolved(): ArchiveSource {
    if (this.archive === null) throw new Error('a layer was asked for before the image was resolved');
    return this.archive;
  }

  /** Finds the engine's socket and asks it for the image. */
  private async inspect(): Promise<{ client: EngineClient; image: EngineImage }> {
    const socket = resolveEngineSocket(this.engine, this.options.env);
    const client = new EngineClient(socket);
    await client.ping(this.timeouts.pingMs);
    const name = engineName(this.reference);
    const image = await client.inspect(name, this.timeouts.inspectMs);
    if (image === null) {
      throw new EngineError(
        `no such image in ${this.engine} (${socket.url}): ${name}; strata never pulls (run \`${this.engine} pull ` +
          `${name}\`, or read it from its registry: registry://${name})`,
      );
    }
    return { client, image };
  }
}
