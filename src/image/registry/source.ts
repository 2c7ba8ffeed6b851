import { Readable } from 'node:stream';
import { ImageReadError, VerificationError } from '../../util/errors.js';
import { quoteInput } from '../../util/escape.js';
import { parseImageConfig, parseJson } from '../config.js';
import type { ImageOptions } from '../options.js';
import { fitsPlatform, formatPlatform } from '../platform.js';
import type { ProgressMeter } from '../progress.js';
import { formatReference, type ImageReference } from '../reference.js';
import type { ImageSource, LayerLocation, ResolvedImage, SourceLayer } from '../source.js';
import { Secrets, type Credentials } from './auth.js';
import { blobChunks } from './blob-stream.js';
import { MEDIA_TYPES, RegistryClient, type FetchedManifest } from './client.js';
import {
  checkDigest,
  choosePlatformEntry,
  digestOf,
  parseManifest,
  verifyManifestDigest,
  type ParsedManifest,
} from './manifest.js';
import { Transport } from './transport.js';

const MAX_INDEX_DEPTH = 4;

/**
 * An image in a registry, through the OCI distribution API: the manifest (an index resolved to one
 * platform) and the config are fetched and checked when resolving; each layer blob is streamed from
 * the registry, as often as it is asked for, several at once. Nothing is written to disk. No secret
 * leaves in a message, whatever produced it.
 */
export class RegistrySource implements ImageSource {
  readonly remote = true;
  readonly concurrency = 3;
  private readonly secrets = new Secrets();
  private readonly transport: Transport;
  private readonly client: RegistryClient;

  constructor(
    private readonly reference: ImageReference,
    readonly options: ImageOptions,
  ) {
    this.transport = new Transport({ insecure: options.insecure, retry: options.retry });
    const credentials: Credentials | null = options.credentials && { kind: 'basic', ...options.credentials };
    if (credentials) {
      this.secrets.add(credentials.password);
      this.secrets.add(Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64'));
    }
    this.client = new RegistryClient({
      transport: this.transport,
      registry: reference.domain,
      repository: reference.repository,
      credentials,
      secrets: this.secrets,
      env: options.env,
    });
  }

  resolve(progress: ProgressMeter): Promise<ResolvedImage> {
    return this.redacting(async () => {
      const resolved = await this.pull();
      const sizes = resolved.layers.map((layer) => layer.size);
      const total = sizes.every((size) => size !== null) ? sizes.reduce<number>((a, b) => a + (b ?? 0), 0) : null;
      progress.expect(total, resolved.layers.length);
      return resolved;
    });
  }

  async locateLayer(): Promise<LayerLocation> {
    return { kind: 'stream' };
  }

  async openLayer(layer: SourceLayer): Promise<Readable> {
    const chunks = blobChunks(this.client, this.transport, { digest: layer.member, size: layer.size }, layer.label);
    const redact = this.redact;
    return Readable.from(
      (async function* () {
        try {
          yield* chunks;
        } catch (err) {
          redact(err);
          throw err;
        }
      })(),
      { objectMode: false },
    );
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  private readonly redact = (err: unknown): void => {
    if (err instanceof Error) {
      err.message = this.secrets.redact(err.message);
      if (err.stack) err.stack = this.secrets.redact(err.stack);
    }
  };

  private async redacting<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      this.redact(err);
      throw err;
    }
  }

  private async pull(): Promise<ResolvedImage> {
    const { client, reference } = this;
    const { verify, platform } = this.options;
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
      const entry = choosePlatformEntry(parsed.manifests, platform, `the index of ${shown}`);
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
    if (platform && !fromIndex && !fitsPlatform(config, platform)) {
      throw new ImageReadError(
        `${shown} is a single-platform image for ${formatPlatform(config)}, not ${formatPlatform(platform)}`,
      );
    }
    const layers: SourceLayer[] = manifest.layers.map((descriptor, position) => {
      const member = checkDigest(descriptor.digest, `layer ${position}`);
      return {
        position,
        member,
        expectedDigest: descriptor.digest,
        mediaType: descriptor.mediaType ?? null,
        size: descriptor.size ?? null,
        label: `layer ${position} (${descriptor.digest})`,
      };
    });
    return {
      kind: 'registry',
      reference: reference.normalized,
      manifestDigest: digest,
      configDigest: manifest.config.digest,
      config,
      layers,
      flavour: manifest.mediaType === MEDIA_TYPES.dockerManifest ? 'docker' : 'oci',
    };
  }
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
