/**
 * A real registry for the tests: Debian's `docker-registry` (CNCF distribution, API v2) on
 * 127.0.0.1 with a free port and a temporary storage directory, plus plain-HTTP pushes of OCI
 * layouts per the distribution spec, and small HTTP fronts (token auth, faults) that forward to it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { openSync, closeSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inCi } from './paths.js';

export const hasRegistry = spawnSync('sh', ['-c', 'command -v docker-registry'], { encoding: 'utf8' }).status === 0;
if (!hasRegistry && inCi)
  throw new Error('CI=true but docker-registry is not installed (.ci/run installs it with apt-get)');
if (!hasRegistry)
  console.warn(
    'note: docker-registry is not installed (apt-get install docker-registry); the registry tests are skipped',
  );

export interface RunningRegistry {
  /** "127.0.0.1:PORT" */
  host: string;
  /** "http://127.0.0.1:PORT" */
  url: string;
  /** The storage root: blobs live under docker/registry/v2/blobs/sha256/xx/<hex>/data. */
  storage: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url);
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Starts `docker-registry serve CONFIG` on 127.0.0.1:<free port>; resolves once /v2/ answers. */
export async function startRegistry(): Promise<RunningRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-registry-'));
  const storage = join(dir, 'data');
  for (let tries = 0; ; tries++) {
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const config = [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${storage}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${host}`,
      '  headers:',
      '    X-Content-Type-Options: [nosniff]',
      '',
    ].join('\n');
    await writeFile(join(dir, 'config.yml'), config);
    const log = openSync(join(dir, 'registry.log'), 'a');
    const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', log, log] });
    closeSync(log);
    const url = `http://${host}`;
    const deadline = Date.now() + 20_000;
    let up = false;
    while (Date.now() < deadline && child.exitCode === null) {
      if (await answers(`${url}/v2/`)) {
        up = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (up) {
      return {
        host,
        url,
        storage,
        async stop() {
          await stopProcess(child);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    await stopProcess(child);
    const tail = (await readFile(join(dir, 'registry.log'), 'utf8').catch(() => '')).split('\n').slice(-5).join('\n');
    // The port may have been taken between probing and binding: try another one.
    if (tries < 2 && /address already in use/.test(tail)) continue;
    await rm(dir, { recursive: true, force: true });
    throw new Error(`docker-registry did not start on ${host}:\n${tail}`);
  }
}

/** Where the registry keeps a blob's bytes. */
export function blobDataPath(registry: RunningRegistry, digest: string): string {
  const hex = digest.replace(/^sha256:/, '');
  return join(registry.storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
}

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function check(res: Response, what: string, expected: number[]): Promise<void> {
  if (!expected.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  await res.arrayBuffer().catch(() => undefined);
}

/** Monolithic blob upload: POST /v2/NAME/blobs/uploads/, then PUT <location>?digest=…. */
export async function pushBlob(registryUrl: string, repository: string, bytes: Buffer): Promise<string> {
  const digest = sha256(bytes);
  const head = await fetch(`${registryUrl}/v2/${repository}/blobs/${digest}`, { method: 'HEAD' });
  if (head.status === 200) return digest;
  const start = await fetch(`${registryUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  await check(start, `start upload of ${digest}`, [202]);
  const location = new URL(start.headers.get('location') ?? '', registryUrl);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  await check(put, `upload of ${digest}`, [201]);
  return digest;
}

export async function pushManifest(
  registryUrl: string,
  repository: string,
  reference: string,
  bytes: Buffer,
  mediaType: string,
): Promise<string> {
  const put = await fetch(`${registryUrl}/v2/${repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: { 'content-type': mediaType },
    body: bytes,
  });
  await check(put, `manifest ${repository}:${reference}`, [201]);
  return sha256(bytes);
}

interface Descriptor {
  mediaType?: string;
  digest: string;
}

const isIndex = (mediaType: string | undefined): boolean =>
  mediaType === 'application/vnd.oci.image.index.v1+json' ||
  mediaType === 'application/vnd.docker.distribution.manifest.list.v2+json';

/** Pushes what an OCI layout's index.json points at (first entry) as NAME:TAG, blobs first. */
export async function pushLayout(
  registryUrl: string,
  layoutDir: string,
  repository: string,
  tag: string,
): Promise<string> {
  const blob = (digest: string): Promise<Buffer> => readFile(join(layoutDir, 'blobs', ...digest.split(':')));
  const pushImage = async (descriptor: Descriptor, reference: string): Promise<string> => {
    const bytes = await blob(descriptor.digest);
    const doc = JSON.parse(bytes.toString('utf8')) as {
      mediaType?: string;
      config?: Descriptor;
      layers?: Descriptor[];
      manifests?: Descriptor[];
    };
    const mediaType = doc.mediaType ?? descriptor.mediaType ?? 'application/vnd.oci.image.manifest.v1+json';
    if (isIndex(mediaType)) {
      for (const child of doc.manifests ?? []) await pushImage(child, child.digest);
    } else {
      for (const d of [doc.config!, ...(doc.layers ?? [])])
        await pushBlob(registryUrl, repository, await blob(d.digest));
    }
    return pushManifest(registryUrl, repository, reference, bytes, mediaType);
  };
  const index = JSON.parse(await readFile(join(layoutDir, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  return pushImage(index.manifests[0]!, tag);
}

export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
}

export interface FrontServer {
  host: string;
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Answers a request itself (returns true) or lets it be forwarded to the registry (false). */
export type FrontHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  front: FrontServer,
) => boolean | Promise<boolean>;

/** Forwards one request to `target` ("127.0.0.1:PORT"), as is. */
export function forward(req: IncomingMessage, res: ServerResponse, target: string): void {
  const [hostname, port] = target.split(':');
  const headers = { ...req.headers, host: target };
  delete headers.authorization;
  const upstream = http.request({ hostname, port: Number(port), method: req.method, path: req.url, headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
}

/** An HTTP server on 127.0.0.1 that records every request and forwards what `handle` leaves to `target`. */
export async function startFront(target: string, handle: FrontHandler = () => false): Promise<FrontServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  let front: FrontServer;
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    void Promise.resolve(handle(req, res, front)).then(
      (handled) => {
        if (!handled) forward(req, res, target);
      },
      () => res.destroy(),
    );
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  front = {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return front;
}
