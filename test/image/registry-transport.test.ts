import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPlatform } from '../../src/image/platform.js';
import { openImage } from '../../src/image/open.js';
import { isLoopbackHost, parseRetryAfter, Transport } from '../../src/image/registry/transport.js';
import { ImageReadError } from '../../src/util/errors.js';
import {
  forward,
  hasRegistry,
  pushLayout,
  startFront,
  startRegistry,
  type RunningRegistry,
} from '../helpers/registry.js';
import { buildLayout, type BuiltLayout } from '../helpers/registry-images.js';
import { failure } from '../helpers/failure.js';

const FAST_RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 50 };

describe('TLS policy', () => {
  it('allows plain HTTP to loopback hosts only, unless --insecure', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['example.com', '10.0.0.1', '128.0.0.1', '[::2]', 'localhost.example.com'])
      expect(isLoopbackHost(host)).toBe(false);
    const strict = new Transport();
    expect(() => strict.checkScheme(new URL('http://registry.example.com/v2/'))).toThrow(
      new ImageReadError(
        'refusing plain HTTP to registry.example.com (only loopback registries use HTTP without --insecure)',
      ),
    );
    expect(() => strict.checkScheme(new URL('http://127.0.0.1:5000/v2/'))).not.toThrow();
    expect(() => strict.checkScheme(new URL('http://[::1]:5000/v2/'))).not.toThrow();
    expect(() => strict.checkScheme(new URL('https://registry.example.com/v2/'))).not.toThrow();
    expect(() =>
      new Transport({ insecure: true }).checkScheme(new URL('http://registry.example.com/v2/')),
    ).not.toThrow();
    strict.close();
  });

  it('reads Retry-After as seconds or a date, and caps every delay', () => {
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter('7')).toBe(7000);
    // A date is read against a clock: a fixed one, so that a slow machine cannot move it.
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
    const t = new Transport({ retry: { baseDelayMs: 100, maxDelayMs: 1000 } });
    expect(t.backoff(0, 3_600_000)).toBe(1000);
    expect(t.backoff(10, null)).toBe(1000);
    expect(t.backoff(0, 0)).toBe(0);
    expect(t.retry.attempts).toBe(4);
    t.close();
  });
});

describe.skipIf(!hasRegistry)('retries and redirects against docker-registry', () => {
  let registry: RunningRegistry;
  let work: string;
  let image: BuiltLayout;

  beforeAll(async () => {
    registry = await startRegistry();
    work = await mkdtemp(join(tmpdir(), 'strata-registry-retry-'));
    image = await buildLayout(join(work, 'image'), [hostPlatform()]);
    await pushLayout(registry.url, image.dir, 'strata/image', 'latest');
  });

  afterAll(async () => {
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('retries a 503 (Retry-After: 0) and a 429, then reads the image', async () => {
    let failedManifest = false;
    let failedBlob = false;
    const front = await startFront(registry.host, (req, res) => {
      if (!failedManifest && req.url?.includes('/manifests/')) {
        failedManifest = true;
        res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' });
        res.end('{"errors":[{"code":"UNAVAILABLE","message":"try later"}]}');
        return true;
      }
      if (!failedBlob && req.url?.includes('/blobs/')) {
        failedBlob = true;
        // A long Retry-After is capped by the policy's maxDelayMs.
        res.writeHead(429, { 'retry-after': '3600' });
        res.end();
        return true;
      }
      return false;
    });
    try {
      // Uncapped, the hour's wait would outlast the test's own timeout.
      const pulled = await openImage(`${front.host}/strata/image`, { retry: FAST_RETRY });
      expect(pulled.layers).toEqual((await openImage(image.dir)).layers);
      expect(front.requests.filter((r) => r.url.includes('/manifests/'))).toHaveLength(2);
      expect(failedBlob).toBe(true);
    } finally {
      await front.close();
    }
  });

  it('reads a layer again when the connection drops in the middle of it', async () => {
    const layer = image.images[0]!.layerDigests[0]!;
    let dropped = 0;
    const front = await startFront(registry.host, async (req, res) => {
      if (dropped > 0 || !req.url?.endsWith(`/blobs/${layer}`)) return false;
      dropped++;
      const upstream = await fetch(`${registry.url}${req.url}`);
      const bytes = Buffer.from(await upstream.arrayBuffer());
      res.writeHead(200, { 'content-length': bytes.length, 'content-type': 'application/octet-stream' });
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
      return true;
    });
    try {
      const progress: number[] = [];
      const pulled = await openImage(`${front.host}/strata/image`, {
        retry: FAST_RETRY,
        onProgress: (p) => progress.push(p.bytesRead),
      });
      expect(dropped).toBe(1);
      expect(pulled.layers).toEqual((await openImage(image.dir)).layers);
      const total = pulled.layers.reduce((a, l) => a + l.compressedSize, 0);
      expect(progress.at(-1)).toBe(total);
      expect(front.requests.filter((r) => r.url.endsWith(`/blobs/${layer}`))).toHaveLength(2);
    } finally {
      await front.close();
    }
  });

  it('gives up after a bounded number of retries, in one line', async () => {
    const front = await startFront(registry.host, (req, res) => {
      if (!req.url?.includes('/manifests/')) return false;
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>\n<body>bad gateway</body>\n</html>');
      return true;
    });
    try {
      const err = await failure(
        openImage(`${front.host}/strata/image:latest`, { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } }),
      );
      expect(err).toBeInstanceOf(ImageReadError);
      expect(err.message).toBe(`registry ${front.host} answered HTTP 502 for manifest strata/image:latest`);
      expect(front.requests.filter((r) => r.url.includes('/manifests/'))).toHaveLength(4);
    } finally {
      await front.close();
    }
  });

  it('refuses a redirect to plain HTTP on a host that is not loopback', async () => {
    const front = await startFront(registry.host, (req, res) => {
      if (!req.url?.includes('/blobs/')) return false;
      res.writeHead(307, { location: `http://blobs.strata.invalid${req.url}` });
      res.end();
      return true;
    });
    try {
      const err = await failure(openImage(`${front.host}/strata/image`, { retry: FAST_RETRY }));
      expect(err.message).toBe(
        'refusing plain HTTP to blobs.strata.invalid (only loopback registries use HTTP without --insecure)',
      );
    } finally {
      await front.close();
    }
  });

  it('follows a redirect to another loopback port (relative and absolute Location)', async () => {
    const cdn = await startFront(registry.host);
    const front = await startFront(registry.host, (req, res) => {
      if (req.url?.includes('/blobs/')) {
        res.writeHead(302, { location: `${cdn.url}${req.url}` });
        res.end();
        return true;
      }
      if (req.url?.includes('/manifests/') && !req.url.includes('moved')) {
        res.writeHead(301, { location: req.url.replace('/manifests/latest', '/manifests/moved') });
        res.end();
        return true;
      }
      if (req.url?.includes('/manifests/moved')) {
        req.url = req.url.replace('/manifests/moved', '/manifests/latest');
        forward(req, res, registry.host);
        return true;
      }
      return false;
    });
    try {
      const pulled = await openImage(`${front.host}/strata/image`, { retry: FAST_RETRY });
      expect(pulled.layers).toHaveLength(3);
      expect(cdn.requests.length).toBe(4);
    } finally {
      await front.close();
      await cdn.close();
    }
  });
});
