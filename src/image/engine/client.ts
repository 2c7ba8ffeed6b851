import http, { type IncomingMessage } from 'node:http';
import { ImageReadError } from '../../util/errors.js';
import type { EngineSocket } from './socket.js';

/**
 * The few calls of the Docker Engine API that strata needs, as plain HTTP over the engine's unix
 * socket (podman serves the same API). No docker CLI, no client library.
 */

/** The API version asked for when the engine does not say which it speaks. */
export const DEFAULT_API_VERSION = '1.41';

/** What `GET /images/{name}/json` says that strata uses. */
export interface EngineImage {
  id: string;
  repoTags: string[];
  os: string;
  architecture: string;
  variant?: string;
  /** Bytes of the image's layers, uncompressed, as the engine counts them. */
  size: number | null;
}

export interface RequestTimeouts {
  /** Until the response headers arrive (and, for small documents, the whole body). */
  timeoutMs: number;
}

/** An engine that could not be reached or answered something unexpected. */
export class EngineError extends ImageReadError {}

export class EngineClient {
  /** The version in every path (`/v1.41/...`): the engine's own, learnt from `_ping`. */
  apiVersion = DEFAULT_API_VERSION;

  constructor(readonly socket: EngineSocket) {}

  private get label(): string {
    return `${this.socket.engine} (${this.socket.url})`;
  }

  /**
   * `GET /_ping` (unversioned, as docker's own client does): the engine answers "OK" and names the
   * API version it speaks in `Api-Version`; later calls use that version (Docker ≥ 29 refuses
   * anything older than 1.44, podman 4 speaks 1.41).
   */
  async ping(timeoutMs: number): Promise<void> {
    const response = await this.request('/_ping', { timeoutMs });
    const body = await readBody(response, timeoutMs, this.label);
    if (response.statusCode !== 200)
      throw new EngineError(`${this.label} answered _ping with HTTP ${response.statusCode}: ${errorText(body)}`);
    const version = response.headers['api-version'];
    if (typeof version === 'string' && /^1\.\d{1,3}$/.test(version)) this.apiVersion = version;
  }

  /** `GET /images/{name}/json`: the image, or null when the engine does not have it. Never pulls. */
  async inspect(name: string, timeoutMs: number): Promise<EngineImage | null> {
    const response = await this.request(this.path(`/images/${encodeName(name)}/json`), { timeoutMs });
    const body = await readBody(response, timeoutMs, this.label);
    if (response.statusCode === 404) return null;
    if (response.statusCode !== 200)
      throw new EngineError(`${this.label} answered HTTP ${response.statusCode} for ${name}: ${errorText(body)}`);
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new EngineError(`${this.label} sent an image description that is not JSON`);
    }
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    const image: EngineImage = {
      id: text(doc.Id),
      repoTags: Array.isArray(doc.RepoTags) ? doc.RepoTags.filter((t): t is string => typeof t === 'string') : [],
      os: text(doc.Os),
      architecture: text(doc.Architecture),
      size: typeof doc.Size === 'number' ? doc.Size : null,
    };
    if (typeof doc.Variant === 'string' && doc.Variant !== '') image.variant = doc.Variant;
    return image;
  }

  /**
   * `GET /images/{name}/get`: the image as a docker-archive, streamed. The caller reads the body;
   * the connection is dropped when nothing arrives for `idleMs`.
   */
  async save(name: string, idleMs: number): Promise<IncomingMessage> {
    const response = await this.request(this.path(`/images/${encodeName(name)}/get`), { timeoutMs: idleMs });
    if (response.statusCode !== 200) {
      const body = await readBody(response, idleMs, this.label);
      if (response.statusCode === 404) throw new EngineError(`no such image in ${this.socket.engine}: ${name}`);
      throw new EngineError(
        `${this.label} answered HTTP ${response.statusCode} when saving ${name}: ${errorText(body)}`,
      );
    }
    response.socket.setTimeout(idleMs, () => {
      response.destroy(
        new EngineError(`${this.label} sent nothing for ${Math.round(idleMs / 1000)} s while saving ${name}`),
      );
    });
    return response;
  }

  private path(rest: string): string {
    return `/v${this.apiVersion}${rest}`;
  }

  /** One GET; resolves with the response once its headers arrive. */
  private request(path: string, { timeoutMs }: RequestTimeouts): Promise<IncomingMessage> {
    return new Promise<IncomingMessage>((resolve, reject) => {
      // agent: false: one connection per call, nothing kept open after the image is read.
      const req = http.request({
        socketPath: this.socket.path,
        path,
        method: 'GET',
        agent: false,
        headers: { host: 'localhost', accept: 'application/json, application/x-tar' },
      });
      const timer = setTimeout(() => {
        req.destroy(new EngineError(`${this.label} did not answer within ${formatSeconds(timeoutMs)}`));
      }, timeoutMs);
      req.on('response', (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err instanceof ImageReadError ? err : describeConnectionError(err, this.socket));
      });
      req.end();
    });
  }
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** Reference characters are all URL-safe; escape anything else rather than trust it. */
function encodeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._\-/:@]/g, (c) => encodeURIComponent(c));
}

/** Reads a small response whole, within the time left. */
function readBody(response: IncomingMessage, timeoutMs: number, label: string): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(
      () => response.destroy(new EngineError(`${label} did not finish its answer within ${formatSeconds(timeoutMs)}`)),
      timeoutMs,
    );
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 16 * 1024 * 1024) {
        response.destroy(new EngineError(`${label} sent an answer larger than 16 MiB`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    response.on('error', (err) => {
      clearTimeout(timer);
      reject(err instanceof ImageReadError ? err : new EngineError(`${label}: ${err.message}`));
    });
  });
}

/** The engine's error document (`{"message": "..."}`), or its text, on one line. */
function errorText(body: Buffer): string {
  const text = body.toString('utf8').trim();
  try {
    const doc = JSON.parse(text) as { message?: unknown };
    if (typeof doc.message === 'string') return doc.message;
  } catch {
    // not JSON: the text itself
  }
  return text.replace(/\s+/g, ' ').slice(0, 200) || '(no message)';
}

/** Connection failures in plain words, with what to do about them. */
export function describeConnectionError(err: unknown, socket: EngineSocket): EngineError {
  const e = err as NodeJS.ErrnoException;
  const where = `${socket.engine} at ${socket.url}`;
  switch (e?.code) {
    case 'ENOENT':
      return new EngineError(`cannot reach ${where}: no such socket`);
    case 'ECONNREFUSED':
      return new EngineError(
        `cannot reach ${where}: nothing listens on the socket (is the ${socket.engine} service running?)`,
      );
    case 'EACCES':
    case 'EPERM':
      return new EngineError(`cannot reach ${where}: permission denied (run as a user who may use the socket)`);
    case 'ENOTSOCK':
      return new EngineError(`cannot reach ${where}: not a socket`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new EngineError(`${where} closed the connection`);
    default:
      return new EngineError(`cannot reach ${where}: ${e?.message ?? String(err)}`);
  }
}
