import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LayerCache } from '../../src/cache/layer-cache.js';
import { findInEngines } from '../../src/image/engine/source.js';
import { openImage } from '../../src/image/open.js';
import { parseReference } from '../../src/image/reference.js';
import type { ImageIndex } from '../../src/image/types.js';
import { everyFileHashed } from '../helpers/hashed.js';
import { runCli } from '../helpers/cli.js';
import { hasShared, shared } from '../helpers/paths.js';
import { hasPodman, startPodman, type RunningPodman } from '../helpers/podman.js';

/** What the analysis reads from an index, minus what depends on where it came from. */
function content(index: ImageIndex) {
  return {
    configDigest: index.configDigest,
    config: index.config,
    verified: index.verified,
    layers: index.layers.map((l) => ({ ...l })),
  };
}

/** Runs the CLI in-process with some environment variables set (and others removed) meanwhile. */
async function withEnv<T>(vars: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>): void => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    return await work();
  } finally {
    apply(saved);
  }
}

describe.skipIf(!hasPodman || !hasShared)('podman engine (podman system service, vfs storage in a temp dir)', () => {
  const archive = shared('images', 'tiny.docker-archive.tar');
  let podman: RunningPodman;
  let fromArchive: ImageIndex;
  let work: string;

  beforeAll(async () => {
    const start = Date.now();
    podman = await startPodman([archive]);
    console.info(
      `podman: load ${podman.timings.loadMs} ms, service up ${podman.timings.startMs} ms, total ` +
        `${Date.now() - start} ms`,
    );
    fromArchive = await everyFileHashed(await openImage(archive));
    work = await mkdtemp(join(tmpdir(), 'strata-engine-test-'));
  });

  afterAll(async () => {
    await podman?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('loaded the fixture as localhost/tiny:latest', () => {
    expect(podman.loaded).toContain('localhost/tiny:latest');
  });

  it('podman://localhost/tiny:latest reads what the archive holds, through the API', async () => {
    const start = Date.now();
    const index = await openImage('podman://localhost/tiny:latest', { env: { CONTAINER_HOST: podman.url } });
    console.info(`podman: podman://localhost/tiny:latest read in ${Date.now() - start} ms`);
    expect(index.source).toBe('engine');
    expect(index.reference).toBe('localhost/tiny:latest');
    expect(index.verified).toBe(true);
    expect(index.layers.map((l) => l.diffId)).toEqual(fromArchive.config.diffIds);
    expect(index.layers.map((l) => l.command)).toEqual(fromArchive.layers.map((l) => l.command));
    expect(content(index)).toEqual(content(fromArchive));
  });

  it('strata --json podman://localhost/tiny:latest (CONTAINER_HOST) equals the analysis of the archive', async () => {
    const viaEngine = await withEnv({ CONTAINER_HOST: podman.url }, () =>
      runCli('--json', '--no-cache', 'podman://localhost/tiny:latest'),
    );
    const viaArchive = await runCli('--json', '--no-cache', archive);
    expect(viaEngine.stderr).toBe('');
    expect(viaEngine.code).toBe(0);
    expect(viaArchive.code).toBe(0);
    const engineJson = JSON.parse(viaEngine.stdout) as { image: Record<string, unknown> };
    const archiveJson = JSON.parse(viaArchive.stdout) as { image: Record<string, unknown> };
    expect(engineJson.image.source).toBe('engine');
    expect(engineJson.image.reference).toBe('localhost/tiny:latest');
    for (const json of [engineJson, archiveJson]) {
      delete json.image.source;
      delete json.image.reference;
    }
    expect(engineJson).toEqual(archiveJson);
  });

  it('a missing image is a one-line error, exit 1; nothing is pulled', async () => {
    const r = await withEnv({ CONTAINER_HOST: podman.url }, () =>
      runCli('--json', '--no-cache', 'podman://localhost/nothere:1.0'),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `strata: podman://localhost/nothere:1.0: no such image in podman (${podman.url}): ` +
        `localhost/nothere:1.0; strata never pulls (run \`podman pull localhost/nothere:1.0\`, or read it ` +
        'from its registry: registry://localhost/nothere:1.0)\n',
    );
    const images = await new Promise<string>((resolve, reject) => {
      http
        .get({ socketPath: podman.socket, path: '/v1.41/images/json', agent: false }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
    expect(images).not.toContain('nothere');
  });

  it('a bare reference is read from the running engine that has it, and says so', async () => {
    const notices: string[] = [];
    const index = await openImage('localhost/tiny:latest', {
      env: { CONTAINER_HOST: podman.url },
      onNotice: (n) => notices.push(n),
    });
    expect(notices).toEqual([`reading localhost/tiny:latest from podman (${podman.url})`]);
    expect(index.source).toBe('engine');
    expect(content(index)).toEqual(content(fromArchive));
    // Not there: the registry is the source (and says so); registry:// never asks an engine.
    const match = await findInEngines(parseReference('localhost/nothere:1'), { env: { CONTAINER_HOST: podman.url } });
    expect(match).toBeNull();
    expect(
      (await findInEngines(parseReference('localhost/tiny'), { env: { CONTAINER_HOST: podman.url } }))?.engine,
    ).toBe('podman');
    // The wrong platform in the engine: passed over for the registry.
    expect(
      await findInEngines(parseReference('localhost/tiny'), {
        env: { CONTAINER_HOST: podman.url },
        platform: { os: 'linux', architecture: 's390x' },
      }),
    ).toBeNull();
  });

  it('an engine stream read with verification is recorded in the cache; --no-verify records nothing', async () => {
    const cacheDir = join(work, 'cache');
    const cache = new LayerCache({ dir: cacheDir });
    await openImage('podman://localhost/tiny:latest', { env: { CONTAINER_HOST: podman.url }, cache, verify: false });
    expect((await cache.info()).entries).toBe(0);
    await openImage('podman://localhost/tiny:latest', { env: { CONTAINER_HOST: podman.url }, cache });
    const names = (await readdir(join(cacheDir, 'layers'))).sort();
    expect(names).toEqual(fromArchive.config.diffIds.map((d) => `${d.replace(':', '-')}.idx`).sort());
    for (const layer of fromArchive.layers)
      expect(await cache.get(layer.diffId, layer.digest)).toMatchObject({
        diffId: layer.diffId,
        entries: layer.entries,
      });
  });
});
