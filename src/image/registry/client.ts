import { ImageReadError } from '../../util/errors.js';
import { Authenticator, type Credentials, type Secrets } from './auth.js';
import {
  isLoopbackHost,
  isTlsProtocolError,
  type Transport,
  type HttpResponse,
  type RequestOptions,
} from './transport.js';

/**
 * The pull side of the OCI distribution API for one repository: `/v2/` (ping, scheme and auth
 * discovery), manifests by tag or digest, blobs whole or streamed.
 */

export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerList,
  MEDIA_TYPES.dockerManifest,
].join(', ');

/** Manifests larger than this are refused (the spec's suggested limit). */
export const MANIFEST_MAX = 4 * 1024 * 1024;
/** Config blobs larger than this are refused. */
export const CONFIG_MAX = 32 * 1024 * 1024;

export interface ClientOptions {
  transport: Transport;
  /** Registry as named in the reference (docker.io, 127.0.0.1:5000). */
  registry: string;
  repository: string;
  credentials?: Credentials | null;
  secrets: Secrets;
  env?: NodeJS.ProcessEnv;
}

export interface FetchedManifest {
  bytes: Buffer;
  /** Content-Type as sent, parameters dropped. */
  contentType: string | null;
  /** Docker-Content-Digest as sent, if any. */
  headerDigest: string | null;
}

interface RegistryErrorBody {
  errors?: Array<{ code?: unknown; message?: unknown }>;
}

/** The API host of a registry name: Docker Hub's is not docker.io. */
export function apiHost(registry: string): string {
  const host = registry.toLowerCase();
  return host === 'docker.io' || host === 'index.docker.io' ? 'registry-1.docker.io' : registry;
}

export class RegistryClient {
  readonly registry: string;
  readonly repository: string;
  private readonly transport: Transport;
  private readonly auth: Authenticator;
  private base: URL | null = null;

  constructor(options: ClientOptions) {
    this.registry = options.registry;
    this.repository = options.repository;
    this.transport = options.transport;
    this.auth = new Authenticator({
      transport: options.transport,
      registry: options.registry,
      repository: options.repository,
      credentials: options.credentials,
      secrets: options.secrets,
      env: options.env,
    });
  }

  /**
   * GET /v2/: picks the scheme and answers an auth challenge up front. HTTPS first; plain HTTP is
   * tried only for loopback hosts or with --insecure, and only when the port does not speak TLS.
   */
  async ping(): Promise<void> {
    const host = apiHost(this.registry);
    const httpAllowed = this.transport.insecure || isLoopbackHost(new URL(`http://${host}`).hostname);
    let response: HttpResponse;
    try {
      this.base = new URL(`https://${host}/v2/`);
      response = await this.transport.request(this.base);
    } catch (err) {
      if (!httpAllowed || !isTlsProtocolError(err)) throw err;
      this.base = new URL(`http://${host}/v2/`);
      response = await this.transport.request(this.base);
    }
    if (response.status === 401) {
      response.discard();
      await this.auth.answer(response);
      return;
    }
    response.discard();
    if (response.status === 404)
      throw new ImageReadError(`${this.registry} does not serve the registry API (GET /v2/ answered 404)`);
    // Other statuses (200, or 403/5xx from some proxies) are left for the real requests to report.
  }

  /** A request to a path under /v2/NAME/, with the auth dance: one retry after a 401. */
  private async get(path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    if (!this.base) await this.ping();
    const url = new URL(`${this.repository}/${path}`, this.base!);
    let response = await this.transport.request(url, { ...options, authorization: this.auth.header() });
    if (response.status === 401) {
      response.discard();
      await this.auth.answer(response);
      response = await this.transport.request(url, { ...options, authorization: this.auth.header() });
      if (response.status === 401) {
        response.discard();
        throw this.auth.refused();
      }
    }
    return response;
  }

  /** GET a manifest (image or index) by tag or digest. */
  async manifest(reference: string, what: string): Promise<FetchedManifest> {
    const response = await this.get(`manifests/${reference}`, { headers: { accept: MANIFEST_ACCEPT } });
    if (response.status !== 200) {
      const error = await this.failure(response, what);
      // Registries answer MANIFEST_UNKNOWN for a missing repository too: the tag list tells them apart.
      if (response.status === 404 && !(await this.repositoryExists()))
        throw new ImageReadError(`repository ${this.repository} not found in registry ${this.registry}`);
      throw error;
    }
    const bytes = await response.bytes(MANIFEST_MAX);
    const contentType = (response.headers['content-type'] ?? '').split(';')[0]!.trim() || null;
    const headerDigest =
      typeof response.headers['docker-content-digest'] === 'string' ? response.headers['docker-content-digest'] : null;
    return { bytes, contentType, headerDigest };
  }

  /** False only when the registry says the repository is unknown (GET tags/list answers 404). */
  private async repositoryExists(): Promise<boolean> {
    try {
      const response = await this.get('tags/list?n=1', { retry: false });
      response.discard();
      return response.status !== 404;
    } catch {
      return true;
    }
  }

  /** GET a small blob (the config) whole. */
  async blobBytes(digest: string, what: string, limit = CONFIG_MAX): Promise<Buffer> {
    const response = await this.blob(digest, what);
    return response.bytes(limit);
  }

  /**
   * GET a blob, redirects followed (Authorization not sent to another host); the body is unread.
   * From byte `from` on, when it is not 0: the registry answers 206 with the rest, or 200 with all of it.
   */
  async blob(digest: string, what: string, from = 0): Promise<HttpResponse> {
    const response = await this.get(`blobs/${digest}`, from > 0 ? { headers: { range: `bytes=${from}-` } } : {});
    if (response.status !== 200 && !(from > 0 && response.status === 206)) throw await this.failure(response, what);
    return response;
  }

  /** One line that says why a request failed; the registry's own error message when it gives one. */
  private async failure(response: HttpResponse, what: string): Promise<ImageReadError> {
    let codes: string[] = [];
    let message = '';
    try {
      const body = JSON.parse((await response.bytes(64 * 1024)).toString('utf8')) as RegistryErrorBody;
      codes = (body.errors ?? []).map((e) => String(e.code ?? ''));
      message = String(body.errors?.[0]?.message ?? '');
    } catch {
      response.discard();
    }
    const where = `registry ${this.registry}`;
    if (
      response.status === 404 ||
      codes.includes('MANIFEST_UNKNOWN') ||
      codes.includes('NAME_UNKNOWN') ||
      codes.includes('BLOB_UNKNOWN')
    ) {
      if (codes.includes('NAME_UNKNOWN'))
        return new ImageReadError(`repository ${this.repository} not found in ${where}`);
      return new ImageReadError(`${what} not found in ${where}`);
    }
    if (response.status === 403 || codes.includes('DENIED')) {
      return new ImageReadError(
        `access to ${this.repository} denied by ${where}${this.auth.hasCredentials() ? '' : ' (not logged in)'}`,
      );
    }
    if (response.status === 429 || codes.includes('TOOMANYREQUESTS')) {
      return new ImageReadError(`${where} kept answering "too many requests" for ${what}; try again later`);
    }
    const detail = message ? `: ${oneLine(message).slice(0, 200)}` : '';
    return new ImageReadError(`${where} answered HTTP ${response.status} for ${what}${detail}`);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
