import { mkdtemp, rm } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineClient } from '../../src/image/engine/client.js';
import { findInEngines } from '../../src/image/engine/source.js';
import { openImage } from '../../src/image/open.js';
import {
  existingSockets,
  parseHostVariable,
  resolveEngineSocket,
  socketCandidates,
} from '../../src/image/engine/socket.js';
import { parseReference } from '../../src/image/reference.js';
import { ImageReadError } from '../../src/util/errors.js';
import { buildTar } from '../helpers/tar.js';
import { failure, thrown } from '../helpers/failure.js';

describe('engine sockets', () => {
  it('docker:// uses DOCKER_HOST (unix:// only), else /var/run/docker.sock', () => {
    expect(socketCandidates('docker', { DOCKER_HOST: 'unix:///tmp/d.sock' })).toEqual([
      { engine: 'docker', path: '/tmp/d.sock', url: 'unix:///tmp/d.sock', fromEnv: true },
    ]);
    expect(socketCandidates('docker', {}).map((s) => s.path)).toEqual(['/var/run/docker.sock']);
    expect(socketCandidates('docker', { DOCKER_HOST: '' }).map((s) => s.path)).toEqual(['/var/run/docker.sock']);
  });

  it('podman:// uses CONTAINER_HOST, else $XDG_RUNTIME_DIR/podman/podman.sock, else /run/podman/podman.sock', () => {
    expect(
      socketCandidates('podman', { CONTAINER_HOST: 'unix:///x/p.sock', XDG_RUNTIME_DIR: '/run/user/1000' }).map(
        (s) => s.path,
      ),
    ).toEqual(['/x/p.sock']);
    expect(socketCandidates('podman', { XDG_RUNTIME_DIR: '/run/user/1000' }).map((s) => s.path)).toEqual([
      '/run/user/1000/podman/podman.sock',
      '/run/podman/podman.sock',
    ]);
    expect(socketCandidates('podman', {}).map((s) => s.path)).toEqual(['/run/podman/podman.sock']);
  });

  it('a tcp:// (or ssh://) host is a clear error', () => {
    const err = thrown(() => parseHostVariable('docker', 'tcp://10.0.0.1:2375'));
    expect(err).toBeInstanceOf(ImageReadError);
    expect(err.message).toBe(
      'DOCKER_HOST=tcp://10.0.0.1:2375 is a tcp:// host: strata reaches docker through a unix socket ' +
        'only (unix:///path/to/docker.sock)',
    );
    expect(thrown(() => parseHostVariable('podman', 'ssh://core@host/run/podman/podman.sock')).message).toMatch(
      /^CONTAINER_HOST=ssh:\/\/\S+ is a ssh:\/\/ host/,
    );
    expect(thrown(() => parseHostVariable('docker', 'unix://relative.sock')).message).toMatch(/must be absolute/);
    // Probing for a bare reference skips such a variable instead.
    expect(existingSockets('docker', { DOCKER_HOST: 'tcp://10.0.0.1:2375' })).toEqual([]);
  });

  it('no socket where an explicit engine source looks: one line naming the places', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-engine-'));
    try {
      const err = thrown(() => resolveEngineSocket('podman', { XDG_RUNTIME_DIR: dir }));
      expect(err).toBeInstanceOf(ImageReadError);
      expect(err.message).toContain(`no socket at ${dir}/podman/podman.sock or /run/podman/podman.sock`);
      expect(err.message).not.toContain('\n');
      // A named socket that is not there: the connection fails, and says where.
      const missing = await failure(openImage('docker://nginx', { env: { DOCKER_HOST: `unix://${dir}/none.sock` } }));
      expect(missing).toBeInstanceOf(ImageReadError);
      expect(missing.message).toBe(`cannot reach docker at unix://${dir}/none.sock: no such socket`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A stand-in engine on a unix socket, for what a real one will not do on demand. */
async function fakeEngine(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ socket: string; urls: string[]; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-fake-engine-'));
  const socket = join(dir, 'engine.sock');
  const urls: string[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    urls.push(req.url ?? '');
    handle(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    socket,
    urls,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const ping = (res: ServerResponse, version = '1.41'): void => {
  res.writeHead(200, { 'api-version': version, 'content-type': 'text/plain' }).end('OK');
};

describe('engine API client (a stand-in engine)', () => {
  it('uses the API version the engine names in _ping, in every path', async () => {
    const engine = await fakeEngine((req, res) => {
      if (req.url === '/_ping') return ping(res, '1.47');
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"No such image: x"}');
    });
    try {
      const client = new EngineClient({
        engine: 'docker',
        path: engine.socket,
        url: `unix://${engine.socket}`,
        fromEnv: true,
      });
      await client.ping(1000);
      expect(client.apiVersion).toBe('1.47');
      expect(await client.inspect('docker.io/library/x:latest', 1000)).toBeNull();
      expect(engine.urls).toEqual(['/_ping', '/v1.47/images/docker.io/library/x:latest/json']);
    } finally {
      await engine.close();
    }
  });

  it('an engine that does not answer: an explicit source times out, a bare reference passes it over', async () => {
    const engine = await fakeEngine(() => {
      // never answers
    });
    try {
      const env = { DOCKER_HOST: `unix://${engine.socket}` };
      const err = await failure(openImage('docker://nginx', { env, engineTimeouts: { pingMs: 200 } }));
      expect(err).toBeInstanceOf(ImageReadError);
      expect(err.message).toBe(`docker (unix://${engine.socket}) did not answer within 200 ms`);
      // Passed over once its short probe gives up (a hang would be caught by the test's own timeout).
      expect(await findInEngines(parseReference('nginx'), { env })).toBeNull();
    } finally {
      await engine.close();
    }
  });

  it('an engine error and a stream cut short are one-line errors', async () => {
    const archive = await buildTar([{ name: 'abc.tar', content: Buffer.alloc(300_000, 'x') }]);
    const engine = await fakeEngine((req, res) => {
      if (req.url === '/_ping') return ping(res);
      if (req.url?.includes('/broken/')) {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"storage is on fire"}');
        return;
      }
      if (req.url?.endsWith('/json')) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ Id: 'sha256:1', RepoTags: ['x'], Os: 'linux', Architecture: 'amd64' }));
        return;
      }
      // Part of an archive, then the connection drops.
      res.writeHead(200, { 'content-type': 'application/x-tar' });
      // Dropped once those bytes are handed to the socket, however long the client takes to read them.
      res.write(archive.subarray(0, 100_000), () => res.destroy());
    });
    try {
      const env = { DOCKER_HOST: `unix://${engine.socket}` };
      const broken = await failure(openImage('docker://broken/app', { env }));
      expect(broken).toBeInstanceOf(ImageReadError);
      expect(broken.message).toBe(
        `docker (unix://${engine.socket}) answered HTTP 500 for docker.io/broken/app:latest: storage is on fire`,
      );
      const cut = await failure(openImage('docker://cut/app', { env }));
      expect(cut).toBeInstanceOf(ImageReadError);
      expect(cut.message).toBe(
        `docker (unix://${engine.socket}) stopped sending docker.io/cut/app:latest after 100000 bytes`,
      );
      // --platform: an engine holds one platform; another is an error, not a pull.
      const platform = await failure(
        openImage('docker://cut/app', { env, platform: { os: 'linux', architecture: 'arm64' } }),
      );
      expect(platform.message).toBe('docker.io/cut/app:latest in docker is an image for linux/amd64, not linux/arm64');
    } finally {
      await engine.close();
    }
  });
});
