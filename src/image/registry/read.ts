import { quoteInput } from '../../util/escape.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LayerCache } from '../../cache/layer-cache.js';
import type { CapturePredicate } from '../../layers/capture.js';
import { layerMediaType } from '../../layers/compression.js';
import { indexLayerBlob } from '../../layers/indexer.js';
import type { LayerIndex } from '../../layers/types.js';
import { hashesByRereading } from '../../layers/unhashed.js';
import { ImageReadError, VerificationError } from '../../util/errors.js';
import { assembleLayers, type AssembledLayers, type LayerRef } from '../assemble.js';
import { parseImageConfig, parseJson } from '../config.js';
import { formatPlatform, type Platform } from '../oci-layout.js';
import type { Progress } from '../open.js';
import { formatReference, type ImageReference } from '../reference.js';
import type { ImageIndex } from '../types.js';
import { Secrets, type Credentials } from './auth.js';
import { MEDIA_TYPES, RegistryClient, type FetchedManifest } from './client.js';
import {
  checkDigest,
  choosePlatformEntry,
  digestOf,
  parseManifest,
  verifyManifestDigest,
  type Descriptor,
  type ParsedManifest,
} from './manifest.js';
import {
  describeNetworkError,
  isRetriableNetworkError,
  NetworkError,
  Transport,
  type RetryPolicy,
} from './transport.js';

export interface RegistryReadOptions {
  /** Check every digest (default true); --no-verify turns it off. */
  verify?: boolean;
  /** --platform: the image to pick from an index. */
  platform?: Platform;
  capture?: CapturePredicate;
  onProgress?: (progress: Progress) => void;
  /** --username; the password comes from --password-stdin. Both win over docker's config.json. */
  username?: string;
  password?: string;
  /** --insecure: plain HTTP to any registry, HTTPS without certificate verification. */
  insecure?: boolean;
  /** Layers downloaded at once (default 3). */
  concurrency?: number;
  /** Retry pacing (tests shorten the delays). */
  retry?: Partial<RetryPolicy>;
  /** Environment for DOCKER_CONFIG/HOME (default process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * The layer-index cache: a layer whose config diffId has an entry recording the manifest's blob
   * digest is taken from it and not downloaded. (Writing the cache is the caller's part.)
   */
  cache?: LayerCache | null;
}

const MAX_INDEX_DEPTH = 4;

/**
 * Pulls an image through the OCI distribution API and indexes it: manifest (an index resolved to
 * one platform), config, then the layers streamed straight into the indexer, several at once, each
 * verified against its digest and the config's diff_ids. Nothing is written to disk.
 */
export async function readRegistryImage(
  reference: ImageReference,
  options: RegistryReadOptions = {},
): Promise<ImageIndex> {
  const secrets = new Secrets();
  const transport = new Transport({ insecure: options.insecure, retry: options.retry });
  const credentials: Credentials | null =
    options.username !== undefined
      ? { kind: 'basic', username: options.username, password: options.password ?? '' }
      : null;
  if (credentials) {
    secrets.add(credentials.password);
    secrets.add(Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64'));
  }
  try {
    const client = new RegistryClient({
      transport,
      registry: reference.domain,
      repository: reference.repository,
      credentials,
      secrets,
      env: options.env,
    });
    return await pull(client, transport, reference, options);
  } catch (err) {
    // Last line of defence: no secret leaves in a message, whatever produced it.
    if (err instanceof Error) {
      err.message = secrets.redact(err.message);
      if (err.stack) err.stack = secrets.redact(err.stack);
    }
    throw err;
  } finally {
    transport.close();
  }
}

async function pull(
  client: RegistryClient,
  transport: Transport,
  reference: ImageReference,
  options: RegistryReadOptions,
): Promise<ImageIndex> {
  const verify = options.verify ?? true;
  const shown = formatReference({ ...reference, domain: '' }).slice(1);

  // The manifest the reference names; an index is resolved to one platform's manifest.
  let fetched = await client.manifest(reference.digest ?? reference.tag ?? 'latest', `manifest ${shown}`);
  if (reference.digest) {
    if (verify) verifyManifestDigest(fetched.bytes, reference.digest, `manifest ${shown}`);
  } else {
    checkHeaderDigest(fetched, verify, `manifest ${shown}`);
  }
  let parsed: ParsedManifest = parseManifest(fetched.bytes, fetched.contentType, `manifest ${shown}`);
  // The digest of the bytes read (equal to the one asked for whenever digests are verified).
  let digest = digestOf(fetched.bytes, reference.digest ?? undefined);
  const fromIndex = parsed.kind === 'index';
  for (let depth = 0; parsed.kind === 'index'; depth++) {
    if (depth >= MAX_INDEX_DEPTH) throw new ImageReadError(`manifest ${shown}: image indexes nest too deeply`);
    const entry = choosePlatformEntry(parsed.manifests, options.platform, `the index of ${shown}`);
    const what = `manifest ${entry.digest} (${formatPlatform(entry.platform)}) of ${shown}`;
    fetched = await client.manifest(entry.digest, what);
    if (verify) verifyManifestDigest(fetched.bytes, entry.digest, what);
    parsed = parseManifest(fetched.bytes, fetched.contentType, what);
    digest = digestOf(fetched.bytes, entry.digest);
  }
  const manifest = parsed;

  const configBytes = await client.blobBytes(manifest.config.digest, `config ${manifest.config.digest} of ${shown}`);
  if (verify) verifyManifestDigest(configBytes, manifest.config.digest, `config ${manifest.config.digest}`);
  const config = parseImageConfig(parseJson(configBytes, `config ${manifest.config.digest}`));
  if (options.platform && !fromIndex && !platformFits(config, options.platform)) {
    throw new ImageReadError(
      `${shown} is a single-platform image for ${formatPlatform(config)}, not ${formatPlatform(options.platform)}`,
    );
  }

  const { layers, verification } = await readLayers(
    client,
    transport,
    manifest.layers,
    config,
    manifest.mediaType,
    options,
    verify,
  );
  await verification; // settled already: every layer was hashed as it streamed
  return {
    source: 'registry',
    reference: reference.normalized,
    manifestDigest: digest,
    configDigest: manifest.config.digest,
    config,
    layers,
    verified: verify,
  };
}

/** A single-platform image asked for with --platform: its config must say that platform. */
function platformFits(config: { os: string; architecture: string; variant?: string }, wanted: Platform): boolean {
  if (!config.os || !config.architecture) return true;
  return (
    config.os === wanted.os &&
    config.architecture === wanted.architecture &&
    (!wanted.variant || config.variant === wanted.variant)
  );
}

/** Docker-Content-Digest, when the registry sends a sha256 one, must be the digest of the bytes. */
function checkHeaderDigest(fetched: FetchedManifest, verify: boolean, what: string): void {
  const header = fetched.headerDigest;
  if (!verify || !header || !/^sha256:[0-9a-f]{64}$/.test(header)) return;
  const actual = digestOf(fetched.bytes);
  if (actual !== header)
    throw new VerificationError(
      `${what}: the registry says its digest is ${quoteInput(header)}, the bytes hash to ${actual}`,
    );
}

async function readLayers(
  client: RegistryClient,
  transport: Transport,
  descriptors: Descriptor[],
  config: ReturnType<typeof parseImageConfig>,
  manifestType: string | null,
  options: RegistryReadOptions,
  verify: boolean,
): Promise<AssembledLayers> {
  const sizes = descriptors.map((d) => d.size);
  const progress: Progress = {
    bytesRead: 0,
    totalBytes: sizes.every((s) => s !== undefined) ? sizes.reduce<number>((a, b) => a + (b ?? 0), 0) : null,
    layersDone: 0,
    layersTotal: descriptors.length,
  };
  const report = (): void => options.onProgress?.({ ...progress });
  report();

  const refs: LayerRef[] = descriptors.map((d, i) => ({
    member: checkDigest(d.digest, `layer ${i}`),
    expectedDigest: d.digest,
    mediaType: d.mediaType ?? null,
  }));
  const flavour = manifestType === MEDIA_TYPES.dockerManifest ? 'docker' : 'oci';

  /** Downloads and indexes a layer blob, reading it again (a bounded number of times) when the connection drops. */
  const download = async (position: number, hash: boolean, onBytes?: (bytes: number) => void): Promise<LayerIndex> => {
    const descriptor = descriptors[position]!;
    const label = `layer ${position} (${descriptor.digest})`;
    for (let attempt = 0; ; attempt++) {
      let networkFailure: unknown = null;
      const response = await client.blob(descriptor.digest, label);
      async function* body(): AsyncGenerator<Buffer> {
        let total = 0;
        try {
          for await (const chunk of response.body as AsyncIterable<Buffer>) {
            total += chunk.length;
            if (descriptor.size !== undefined && total > descriptor.size) {
              throw new VerificationError(
                `${label}: the registry sent more than the ${descriptor.size} bytes the manifest lists`,
              );
            }
            yield chunk;
          }
        } catch (err) {
          if (!(err instanceof VerificationError)) networkFailure = err;
          throw err;
        }
      }
      try {
        return await indexLayerBlob(body(), { hash, capture: options.capture, onBytes });
      } catch (err) {
        response.body.destroy();
        onBytes?.(0);
        if (err instanceof VerificationError) throw err;
        if (networkFailure !== null) {
          if (attempt < transport.retry.attempts && isRetriableNetworkError(networkFailure)) {
            await sleep(transport.backoff(attempt, null));
            continue;
          }
          const { code, detail } = describeNetworkError(networkFailure);
          throw new NetworkError(client.registry, code, `${detail} while reading ${label}`);
        }
        throw new ImageReadError(`${label}: ${(err as Error)?.message ?? String(err)}`);
      }
    }
  };

  /**
   * A cached index lacks the hashes of big files its first read left unhashed (their size was
   * unique in that image). Should this image compare one, the layer is downloaded after all, and
   * checked to be the very blob and tar the entry records.
   */
  const rereadFor = (cached: LayerIndex, position: number) => async (): Promise<LayerIndex> => {
    const descriptor = descriptors[position]!;
    const fresh = await download(position, true);
    if (fresh.digest !== descriptor.digest || fresh.diffId !== cached.diffId) {
      throw new VerificationError(
        `layer ${position} (${descriptor.digest}): read again, its bytes hash to ${fresh.digest} (tar ${fresh.diffId})`,
      );
    }
    return fresh;
  };

  const readLayer = async (_ref: LayerRef, position: number): Promise<LayerIndex> => {
    const descriptor = descriptors[position]!;
    // Safe without downloading: the entry's diffId and blob digest were hashed from the bytes when
    // it was written, and the config (verified against the manifest) names that diffId.
    const cached = options.cache ? await options.cache.get(config.diffIds[position] ?? '', descriptor.digest) : null;
    if (cached) {
      hashesByRereading(cached, rereadFor(cached, position));
      progress.bytesRead += descriptor.size ?? cached.compressedSize;
      progress.layersDone++;
      report();
      return cached;
    }
    let counted = 0;
    const index = await download(position, verify, (bytes) => {
      // 0 after a failed attempt: its bytes are read again.
      progress.bytesRead += bytes - counted;
      counted = bytes;
      report();
    });
    progress.layersDone++;
    report();
    return index;
  };

  return assembleLayers(refs, config, {
    verify,
    concurrency: options.concurrency ?? 3,
    readLayer,
    inferMediaType: (index) => layerMediaType(index.compression, flavour),
  });
}
