import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openImage } from '../../src/image/open.js';
import { credentialsFromDockerConfig, configKeyHost, dockerConfigPath } from '../../src/image/registry/auth.js';
import { ImageReadError, StrataError } from '../../src/util/errors.js';
import {
  hasRegistry,
  pushLayout,
  startFront,
  startRegistry,
  type FrontServer,
  type RunningRegistry,
} from '../helpers/registry.js';
import { buildLayout, type BuiltLayout } from '../helpers/registry-images.js';
import { hostPlatform } from '../../src/image/platform.js';
import { failure } from '../helpers/failure.js';

const USER = 'alice';
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const FAST_RETRY = { attempts: 1, baseDelayMs: 5, maxDelayMs: 20 };

/**
 * A token-auth front for the real registry, as Docker Hub works: /v2/ answers 401 with a Bearer
 * challenge, /token hands out tokens (anonymous for strata/public, basic credentials for the rest),
 * and blob GETs are redirected to a "CDN" front on another port.
 */
class TokenFront {
  readonly issued = new Set<string>();
  readonly tokenRequests: Array<{ authorization: string | undefined; query: string }> = [];
  front!: FrontServer;
  cdn!: FrontServer;

  async start(registry: RunningRegistry): Promise<void> {
    this.cdn = await startFront(registry.host);
    this.front = await startFront(registry.host, (req, res) => this.handle(req, res));
  }

  private challenge(res: ServerResponse, scope: string | null): void {
    const params = [`realm="${this.front.url}/token"`, 'service="strata-test"', ...(scope ? [`scope="${scope}"`] : [])];
    res.writeHead(401, { 'www-authenticate': `Bearer ${params.join(',')}`, 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
  }

  private handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', this.front.url);
    if (url.pathname === '/token') {
      this.tokenRequests.push({ authorization: req.headers.authorization, query: url.search });
      const scope = url.searchParams.get('scope') ?? '';
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
      const [user, pass] = basic ? Buffer.from(basic[1]!, 'base64').toString().split(/:(.*)/s) : [];
      const anonymousOk = scope === 'repository:strata/public:pull';
      if (basic ? user !== USER || pass !== PASSWORD : !anonymousOk) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ details: 'incorrect username or password' }));
        return true;
      }
      const token = `tok-${randomBytes(16).toString('hex')}`;
      this.issued.add(token);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
      return true;
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const repo = /^\/v2\/(.+?)\/(manifests|blobs)\//.exec(url.pathname)?.[1] ?? null;
    if (!bearer || !this.issued.has(bearer)) {
      this.challenge(res, repo ? `repository:${repo}:pull` : null);
      return true;
    }
    if (url.pathname.includes('/blobs/')) {
      res.writeHead(307, { location: `${this.cdn.url}${url.pathname}` });
      res.end();
      return true;
    }
    return false;
  }

  async close(): Promise<void> {
    await this.front?.close();
    await this.cdn?.close();
  }
}

/** Everything written to the process's stdout and stderr while `fn` runs. */
async function captureOutput<T>(fn: () => Promise<T>): Promise<{ output: string; result: T | Error }> {
  let output = '';
  const spies = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      output += String(chunk);
      return true;
    }) as never),
  );
  const consoleSpies = (['log', 'warn', 'error', 'info', 'debug'] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      output += args.map(String).join(' ');
    }),
  );
  try {
    const result = await fn().catch((err: Error) => err);
    return { output, result };
  } finally {
    for (const s of [...spies, ...consoleSpies]) s.mockRestore();
  }
}

describe('docker config.json credentials', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-docker-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads base64 auth, username/password, identity tokens; Docker Hub under its v1 key', async () => {
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: Buffer.from('hubuser:hub:pass').toString('base64') },
          'registry.example.com:5000': { username: 'u', password: 'p' },
          'https://ghcr.example/': { identitytoken: 'refresh-me', auth: Buffer.from('<token>:').toString('base64') },
        },
      }),
    );
    const env = { DOCKER_CONFIG: dir };
    expect(dockerConfigPath(env)).toBe(join(dir, 'config.json'));
    expect(dockerConfigPath({ HOME: '/home/x' })).toBe('/home/x/.docker/config.json');
    expect(await credentialsFromDockerConfig('docker.io', env)).toEqual({
      kind: 'basic',
      username: 'hubuser',
      password: 'hub:pass',
    });
    expect(await credentialsFromDockerConfig('registry.example.com:5000', env)).toEqual({
      kind: 'basic',
      username: 'u',
      password: 'p',
    });
    expect(await credentialsFromDockerConfig('ghcr.example', env)).toEqual({
      kind: 'identity-token',
      username: '<token>',
      token: 'refresh-me',
    });
    expect(await credentialsFromDockerConfig('other.example', env)).toBeNull();
    expect(await credentialsFromDockerConfig('docker.io', { DOCKER_CONFIG: join(dir, 'absent') })).toBeNull();
    expect(configKeyHost('https://index.docker.io/v1/')).toBe('index.docker.io');
  });

  it('names a config.json that is not JSON without printing it', async () => {
    await writeFile(join(dir, 'config.json'), '{"auths": {"x": {"auth": "c2VjcmV0"}');
    const err = await failure(credentialsFromDockerConfig('x', { DOCKER_CONFIG: dir }));
    expect(err).toBeInstanceOf(ImageReadError);
    expect(err.message).toBe(`cannot read ${join(dir, 'config.json')}: not valid JSON`);
  });
});

describe('username and password options', () => {
  it('need each other', async () => {
    await expect(openImage('127.0.0.1:1/x', { username: 'a' })).rejects.toThrow(
      new StrataError('--username needs --password-stdin'),
    );
    await expect(openImage('127.0.0.1:1/x', { password: 'a' })).rejects.toThrow(
      new StrataError('--password-stdin needs --username'),
    );
  });
});

describe.skipIf(!hasRegistry)('token authentication against docker-registry', () => {
  let registry: RunningRegistry;
  let work: string;
  let image: BuiltLayout;
  const auth = new TokenFront();
  const env = (): NodeJS.ProcessEnv => ({ DOCKER_CONFIG: join(work, 'no-docker-config') });

  beforeAll(async () => {
    registry = await startRegistry();
    work = await mkdtemp(join(tmpdir(), 'strata-registry-auth-'));
    image = await buildLayout(join(work, 'image'), [hostPlatform()]);
    await pushLayout(registry.url, image.dir, 'strata/public', 'latest');
    await pushLayout(registry.url, image.dir, 'strata/private', 'latest');
    await auth.start(registry);
  });

  afterAll(async () => {
    await auth.close();
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('gets an anonymous token for a public repository, and follows blob redirects without Authorization', async () => {
    const before = auth.cdn.requests.length;
    const pulled = await openImage(`${auth.front.host}/strata/public`, { env: env() });
    const local = await openImage(image.dir);
    expect(pulled.layers).toEqual(local.layers);
    const tokenRequest = auth.tokenRequests.at(-1)!;
    expect(tokenRequest.authorization).toBeUndefined();
    expect(new URLSearchParams(tokenRequest.query).get('scope')).toBe('repository:strata/public:pull');
    expect(new URLSearchParams(tokenRequest.query).get('service')).toBe('strata-test');
    const cdnRequests = auth.cdn.requests.slice(before);
    expect(cdnRequests.length).toBe(4); // config + 3 layers
    expect(cdnRequests.every((r) => r.authorization === undefined)).toBe(true);
    // The registry front itself saw the token.
    expect(
      auth.front.requests.some((r) => r.url.includes('/manifests/') && r.authorization?.startsWith('Bearer tok-')),
    ).toBe(true);
  });

  it('says a private repository needs credentials', async () => {
    const err = await failure(openImage(`${auth.front.host}/strata/private`, { env: env() }));
    expect(err).toBeInstanceOf(ImageReadError);
    expect(err.message).toBe(
      `registry ${auth.front.host} requires authentication for strata/private (give --username with ` +
        '--password-stdin, or log in with docker login)',
    );
  });

  it('logs in with the right password, and never prints it or the token', async () => {
    const { output, result } = await captureOutput(() =>
      openImage(`${auth.front.host}/strata/private`, { username: USER, password: PASSWORD, env: env() }),
    );
    expect(result).not.toBeInstanceOf(Error);
    const tokenRequest = auth.tokenRequests.at(-1)!;
    expect(tokenRequest.authorization).toBe(`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
    expect(output).not.toContain(PASSWORD);
    for (const token of auth.issued) expect(output).not.toContain(token);
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it('says authentication failed for a wrong password, without the secret', async () => {
    const wrong = `wrong-${PASSWORD}`;
    const { output, result } = await captureOutput(() =>
      openImage(`${auth.front.host}/strata/private`, { username: USER, password: wrong, env: env() }),
    );
    expect(result).toBeInstanceOf(ImageReadError);
    const err = result as Error;
    expect(err.message).toBe(`authentication failed for ${auth.front.host} as "${USER}"`);
    for (const text of [err.message, String(err.stack), output]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(Buffer.from(`${USER}:${wrong}`).toString('base64'));
    }
  });

  it('uses the credentials of docker config.json (DOCKER_CONFIG)', async () => {
    const dir = join(work, 'docker-config');
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({
        auths: { [`http://${auth.front.host}`]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') } },
      }),
    );
    const { output, result } = await captureOutput(() =>
      openImage(`${auth.front.host}/strata/private`, { env: { DOCKER_CONFIG: dir } }),
    );
    expect(result).not.toBeInstanceOf(Error);
    expect(output).not.toContain(PASSWORD);

    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ auths: { [auth.front.host]: { auth: Buffer.from(`${USER}:nope`).toString('base64') } } }),
    );
    const err = await failure(openImage(`${auth.front.host}/strata/private`, { env: { DOCKER_CONFIG: dir } }));
    expect(err.message).toBe(`authentication failed for ${auth.front.host} as "${USER}"`);
  });

  it('answers a Basic challenge with the credentials', async () => {
    const basic = await startFront(registry.host, (req, res) => {
      if (req.headers.authorization === `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`) return false;
      res.writeHead(401, { 'www-authenticate': 'Basic realm="strata-test"' });
      res.end();
      return true;
    });
    try {
      const pulled = await openImage(`${basic.host}/strata/private`, {
        username: USER,
        password: PASSWORD,
        env: env(),
        retry: FAST_RETRY,
      });
      expect(pulled.layers).toHaveLength(3);
      const anonymous = await failure(openImage(`${basic.host}/strata/private`, { env: env() }));
      expect(anonymous.message).toMatch(/requires authentication for strata\/private/);
      const wrong = await failure(
        openImage(`${basic.host}/strata/private`, { username: USER, password: 'bad-password', env: env() }),
      );
      expect(wrong.message).toBe(`authentication failed for ${basic.host} as "${USER}"`);
      expect(wrong.message).not.toContain('bad-password');
    } finally {
      await basic.close();
    }
  });
});
