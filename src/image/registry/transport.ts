import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImageReadError } from '../../util/errors.js';

/**
 * HTTP for the registry client: one request at a time per call, with
 * - the TLS policy: HTTPS always, plain HTTP only to loopback hosts or with --insecure (which also
 *   skips certificate verification);
 * - retries with capped exponential backoff on 429, 5xx and connection resets, honouring Retry-After;
 * - redirects followed by hand, the Authorization header kept only while the origin stays the same.
 */

export interface RetryPolicy {
  /** Retries after the first try (so at most attempts + 1 requests). */
  attempts: number;
  /** First backoff delay; doubles on every retry. */
  baseDelayMs: number;
  /** No wait is longer than this, whatever Retry-After says. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000 };

export interface TransportOptions {
  /** Allow plain HTTP to any host, and HTTPS without certificate verification. */
  insecure?: boolean;
  retry?: Partial<RetryPolicy>;
  /** A socket idle for this long fails the request (ETIMEDOUT, retried). */
  timeoutMs?: number;
}

export interface RequestOptions {
  method?: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  /** Sent only to the origin of the first URL: dropped when a redirect leaves it. */
  authorization?: string;
  body?: string;
  /** Follow 3xx redirects (default true). */
  followRedirects?: boolean;
  /** Retry on 429, 5xx and connection resets (default true). */
  retry?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Every value of a header, as sent (several WWW-Authenticate headers stay apart). */
  headerValues(name: string): string[];
  /** The URL that answered, after redirects. */
  url: URL;
  /** The body, unread: a Readable, so also an async iterable of chunks. */
  body: IncomingMessage;
  /** Reads the body whole, failing past `limit` bytes. */
  bytes(limit: number): Promise<Buffer>;
  /** Throws the body away (so the connection can be reused). */
  discard(): void;
}

/** A request that never got an answer: the registry cannot be reached. */
export class NetworkError extends ImageReadError {
  constructor(
    readonly host: string,
    readonly code: string,
    readonly detail: string,
  ) {
    super(`cannot reach ${host}: ${detail}`);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 8;
const RETRIABLE_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** localhost, 127.0.0.0/8 and ::1: the hosts plain HTTP is allowed to without --insecure. */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

/** "host:port" of a URL, as the user would write it. */
export function hostOf(url: URL): string {
  return url.host;
}

export function isRetriableNetworkError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return (
    (code !== undefined && RETRIABLE_CODES.has(code)) || (err instanceof NetworkError && RETRIABLE_CODES.has(err.code))
  );
}

/** A TLS handshake that failed because the other side does not speak TLS (plain HTTP on that port). */
export function isTlsProtocolError(err: unknown): boolean {
  const code = err instanceof NetworkError ? err.code : (err as NodeJS.ErrnoException)?.code;
  return code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER' || (code ?? '').startsWith('ERR_SSL_');
}

/** Plain words for a system error of a request; never includes headers or the URL's query. */
export function describeNetworkError(err: unknown): { code: string; detail: string } {
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? 'EUNKNOWN';
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    EPIPE: 'connection reset',
    ETIMEDOUT: 'timed out',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ERR_STREAM_PREMATURE_CLOSE: 'connection closed early',
    EPROTO: 'TLS handshake failed (does the registry speak plain HTTP?)',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate (use --insecure to skip verification)',
    SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate in the chain (use --insecure to skip verification)',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate cannot be verified (use --insecure to skip verification)',
    CERT_HAS_EXPIRED: 'TLS certificate has expired (use --insecure to skip verification)',
    ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate is for another host name (use --insecure to skip verification)',
  };
  const detail =
    words[code] ??
    (code.startsWith('ERR_SSL_')
      ? 'TLS handshake failed (does the registry speak plain HTTP?)'
      : (e?.message ?? String(err)).split('\n')[0]!);
  return { code, detail };
}

/** Seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export class Transport {
  readonly insecure: boolean;
  readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  private readonly httpsAgent: https.Agent;

  constructor(options: TransportOptions = {}) {
    this.insecure = options.insecure ?? false;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 8, rejectUnauthorized: !this.insecure });
  }

  /** Refuses plain HTTP to a host that is neither loopback nor allowed by --insecure. */
  checkScheme(url: URL): void {
    if (url.protocol === 'https:') return;
    if (url.protocol !== 'http:') throw new ImageReadError(`unsupported URL scheme ${url.protocol} for ${url.host}`);
    if (!this.insecure && !isLoopbackHost(url.hostname)) {
      throw new ImageReadError(
        `refusing plain HTTP to ${url.host} (only loopback registries use HTTP without --insecure)`,
      );
    }
  }

  /** One logical request: retried when the registry is busy or the connection drops, redirects followed. */
  async request(url: URL, options: RequestOptions = {}): Promise<HttpResponse> {
    const retry = options.retry ?? true;
    for (let attempt = 0; ; attempt++) {
      const last = !retry || attempt >= this.retry.attempts;
      let response: HttpResponse;
      try {
        response = await this.followRedirects(url, options);
      } catch (err) {
        if (last || !isRetriableNetworkError(err)) throw err;
        await sleep(this.backoff(attempt, null));
        continue;
      }
      if (
        !last &&
        (response.status === 429 || (response.status >= 500 && response.status !== 501 && response.status !== 505))
      ) {
        const retryAfter = parseRetryAfter(headerString(response.headers['retry-after']));
        response.discard();
        await sleep(this.backoff(attempt, retryAfter));
        continue;
      }
      return response;
    }
  }

  /** Backoff before retry `attempt` (0-based): Retry-After when given, else base·2^attempt with jitter; capped. */
  backoff(attempt: number, retryAfterMs: number | null): number {
    const wanted = retryAfterMs ?? this.retry.baseDelayMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
    return Math.max(0, Math.min(this.retry.maxDelayMs, wanted));
  }

  private async followRedirects(start: URL, options: RequestOptions): Promise<HttpResponse> {
    let url = start;
    let method = options.method ?? 'GET';
    let body = options.body;
    for (let hop = 0; ; hop++) {
      this.checkScheme(url);
      // Credentials go to the origin they were meant for, never to a CDN or another registry.
      const authorization = url.origin === start.origin ? options.authorization : undefined;
      const response = await this.send(url, method, options.headers ?? {}, authorization, body);
      const location = headerString(response.headers.location);
      if (options.followRedirects === false || !REDIRECTS.has(response.status) || location === undefined)
        return response;
      response.discard();
      if (hop >= MAX_REDIRECTS) throw new ImageReadError(`too many redirects from ${start.host}`);
      const next = new URL(location, url);
      if (url.protocol === 'https:' && next.protocol === 'http:' && !this.insecure && !isLoopbackHost(next.hostname)) {
        throw new ImageReadError(
          `${url.host} redirected to plain HTTP at ${next.host}; refusing (use --insecure to allow it)`,
        );
      }
      if (response.status === 303) {
        method = 'GET';
        body = undefined;
      }
      url = next;
    }
  }

  private send(
    url: URL,
    method: string,
    headers: Record<string, string>,
    authorization: string | undefined,
    body: string | undefined,
  ): Promise<HttpResponse> {
    const secure = url.protocol === 'https:';
    const lib = secure ? https : http;
    const allHeaders: Record<string, string> = { 'user-agent': 'strata', ...headers };
    if (authorization !== undefined) allHeaders.authorization = authorization;
    if (body !== undefined) allHeaders['content-length'] = String(Buffer.byteLength(body));
    return new Promise<HttpResponse>((resolve, reject) => {
      const req = lib.request(url, { method, headers: allHeaders, agent: secure ? this.httpsAgent : this.httpAgent });
      req.setTimeout(this.timeoutMs, () => {
        req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
      });
      req.on('error', (err) => {
        const { code, detail } = describeNetworkError(err);
        reject(new NetworkError(url.host, code, detail));
      });
      req.on('response', (res) => {
        resolve(wrapResponse(res, url));
      });
      req.end(body);
    });
  }

  /** Closes idle connections so the process can exit. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function headerString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function wrapResponse(res: IncomingMessage, url: URL): HttpResponse {
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    url,
    body: res,
    headerValues(name) {
      return res.headersDistinct[name.toLowerCase()] ?? [];
    },
    async bytes(limit) {
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) {
        res.destroy();
        throw new ImageReadError(`${url.host} sent ${declared} bytes where at most ${limit} were expected`);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      try {
        for await (const chunk of res as AsyncIterable<Buffer>) {
          total += chunk.length;
          if (total > limit) {
            res.destroy();
            throw new ImageReadError(`${url.host} sent more than the ${limit} bytes expected`);
          }
          chunks.push(chunk);
        }
      } catch (err) {
        if (err instanceof ImageReadError) throw err;
        const { code, detail } = describeNetworkError(err);
        throw new NetworkError(url.host, code, detail);
      }
      return Buffer.concat(chunks);
    },
    discard() {
      res.resume();
    },
  };
}
