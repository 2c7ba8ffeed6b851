import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPlatform } from '../../src/image/platform.js';
import { openImage } from '../../src/image/open.js';
import type { Progress } from '../../src/image/types.js';
import type { ImageIndex } from '../../src/image/types.js';
import { ImageReadError, VerificationError } from '../../src/util/errors.js';
import { fixtures } from '../helpers/paths.js';
import {
  blobDataPath,
  freePort,
  hasRegistry,
  pushLayout,
  startFront,
  startRegistry,
  type RunningRegistry,
} from '../helpers/registry.js';
import { buildLayout, type BuiltLayout } from '../helpers/registry-images.js';
import { failure } from '../helpers/failure.js';

const FAST_RETRY = { attempts: 2, baseDelayMs: 10, maxDelayMs: 50 };

/** What an analysis reads from an index: everything but where it came from. */
function analysed(
  index: ImageIndex,
): Pick<ImageIndex, 'config' | 'layers' | 'configDigest' | 'manifestDigest' | 'verified'> {
  return {
    config: index.config,
    layers: index.layers,
    configDigest: index.configDigest,
    manifestDigest: index.manifestDigest,
    verified: index.verified,
  };
}

describe.skipIf(!hasRegistry)('registry source against docker-registry', () => {
  let registry: RunningRegistry;
  let work: string;
  let single: BuiltLayout;
  let multi: BuiltLayout;
  let foreign: BuiltLayout;
  let solo: BuiltLayout;
  let dockerMulti: BuiltLayout;
  const host = hostPlatform();
  // Two platforms, one of them this host's; and two that are not.
  const other =
    host.architecture === 'arm64'
      ? { os: 'linux', architecture: 'amd64' }
      : { os: 'linux', architecture: 'arm64', variant: 'v8' };

  beforeAll(async () => {
    registry = await startRegistry();
    work = await mkdtemp(join(tmpdir(), 'strata-registry-test-'));
    single = await buildLayout(join(work, 'single'), [host]);
    multi = await buildLayout(join(work, 'multi'), [other, host]);
    foreign = await buildLayout(join(work, 'foreign'), [
      { os: 'linux', architecture: 's390x' },
      { os: 'linux', architecture: 'ppc64le' },
    ]);
    solo = await buildLayout(join(work, 'solo'), [{ os: 'linux', architecture: 'riscv64' }]);
    dockerMulti = await buildLayout(join(work, 'docker-multi'), [host, other], { flavour: 'docker' });
    await pushLayout(registry.url, single.dir, 'strata/single', 'latest');
    await pushLayout(registry.url, single.dir, 'strata/single', 'v1');
    await pushLayout(registry.url, multi.dir, 'strata/multi', 'latest');
    await pushLayout(registry.url, foreign.dir, 'strata/foreign', 'latest');
    await pushLayout(registry.url, dockerMulti.dir, 'strata/docker-multi', '1.0');
    await pushLayout(registry.url, single.dir, 'strata/corrupt', 'latest');
  });

  afterAll(async () => {
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('pulls a single-platform image, equal to the same image read from its layout', async () => {
    const progress: Progress[] = [];
    const pulled = await openImage(`${registry.host}/strata/single:latest`, {
      onProgress: (p) => progress.push(p),
      retry: FAST_RETRY,
    });
    const local = await openImage(single.dir);
    expect(pulled.source).toBe('registry');
    expect(pulled.reference).toBe(`${registry.host}/strata/single:latest`);
    expect(pulled.manifestDigest).toBe(single.images[0]!.manifestDigest);
    expect(pulled.layers.map((l) => l.digest)).toEqual(single.images[0]!.layerDigests);
    expect(pulled.layers.map((l) => l.command)).toEqual([
      'ADD base.tar /',
      'RUN rm /etc/motd && ln -s tool /bin/sh',
      'COPY id_rsa /root/.ssh/id_rsa',
    ]);
    expect(analysed(pulled)).toEqual(analysed(local));
    // Progress: bytes of all layers, and every layer counted once.
    const last = progress.at(-1)!;
    expect(last.layersTotal).toBe(3);
    expect(last.layersDone).toBe(3);
    expect(last.totalBytes).toBe(pulled.layers.reduce((a, l) => a + l.compressedSize, 0));
    expect(last.bytesRead).toBe(last.totalBytes);
  });

  it('also takes registry://REF and a digest reference, verified against the manifest bytes', async () => {
    const digest = single.images[0]!.manifestDigest;
    const byDigest = await openImage(`registry://${registry.host}/strata/single@${digest}`);
    expect(byDigest.reference).toBe(`${registry.host}/strata/single@${digest}`);
    expect(byDigest.manifestDigest).toBe(digest);
    const both = await openImage(`${registry.host}/strata/single:v1@${digest}`);
    expect(both.reference).toBe(`${registry.host}/strata/single:v1@${digest}`);
    expect(analysed(both)).toEqual(analysed(byDigest));
  });

  it('rejects a manifest whose bytes do not match the digest of the reference', async () => {
    const digest = single.images[0]!.manifestDigest;
    // A front that serves the right manifest with one byte more: the digest no longer matches.
    const front = await startFront(registry.host, async (req, res) => {
      if (!req.url?.includes('/manifests/')) return false;
      const upstream = await fetch(`${registry.url}${req.url}`, {
        headers: { accept: String(req.headers.accept ?? '') },
      });
      const body = Buffer.concat([Buffer.from(await upstream.arrayBuffer()), Buffer.from('\n')]);
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? '',
        'docker-content-digest': upstream.headers.get('docker-content-digest') ?? '',
        'content-length': body.length,
      });
      res.end(body);
      return true;
    });
    try {
      const err = await failure(openImage(`${front.host}/strata/single@${digest}`));
      expect(err).toBeInstanceOf(VerificationError);
      expect(err.message).toMatch(new RegExp(`manifest strata/single@${digest}: digest mismatch`));
      // By tag, the Docker-Content-Digest header no longer matches either.
      const byTag = await failure(openImage(`${front.host}/strata/single:latest`));
      expect(byTag.message).toMatch(/the registry says its digest is sha256:/);
      // --no-verify reads it anyway.
      const unverified = await openImage(`${front.host}/strata/single@${digest}`, { verify: false });
      expect(unverified.verified).toBe(false);
    } finally {
      await front.close();
    }
  });

  it('picks the host platform from a multi-platform index, or the one --platform names', async () => {
    const pulled = await openImage(`${registry.host}/strata/multi`);
    const hostImage = multi.images.find((i) => i.platform === host)!;
    expect(pulled.reference).toBe(`${registry.host}/strata/multi:latest`);
    expect(pulled.manifestDigest).toBe(hostImage.manifestDigest);
    expect(pulled.config.architecture).toBe(host.architecture);
    expect(analysed(pulled)).toEqual(analysed(await openImage(multi.dir, { platform: host })));

    const chosen = await openImage(`${registry.host}/strata/multi`, { platform: other });
    expect(chosen.config.architecture).toBe(other.architecture);
    expect(chosen.manifestDigest).toBe(multi.images.find((i) => i.platform === other)!.manifestDigest);
    expect(analysed(chosen)).toEqual(analysed(await openImage(multi.dir, { platform: other })));
  });

  it('reads Docker v2 manifest lists and manifests too', async () => {
    const pulled = await openImage(`${registry.host}/strata/docker-multi:1.0`, { platform: other });
    expect(pulled.layers[0]!.mediaType).toBe('application/vnd.docker.image.rootfs.diff.tar.gzip');
    expect(analysed(pulled)).toEqual(analysed(await openImage(dockerMulti.dir, { platform: other })));
  });

  it('lists the platforms when none matches the host or --platform', async () => {
    const err = await failure(openImage(`${registry.host}/strata/foreign`));
    expect(err).toBeInstanceOf(ImageReadError);
    expect(err.message).toContain('pick one with --platform');
    expect(err.message).toContain('linux/s390x, linux/ppc64le');
    expect(err.message).not.toContain('\n');

    const wrong = await failure(
      openImage(`${registry.host}/strata/foreign`, { platform: { os: 'windows', architecture: 'amd64' } }),
    );
    expect(wrong.message).toBe(
      'no image for platform windows/amd64 in the index of strata/foreign:latest (it lists linux/s390x, linux/ppc64le)',
    );

    const s390x = await openImage(`${registry.host}/strata/foreign`, {
      platform: { os: 'linux', architecture: 's390x' },
    });
    expect(s390x.config.architecture).toBe('s390x');
  });

  it('takes the only entry of an index when it is not the host platform', async () => {
    await pushLayout(registry.url, solo.dir, 'strata/solo', 'latest');
    // A one-entry index: build it from the solo image.
    const image = solo.images[0]!;
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: image.manifestDigest,
            size: (await readFile(join(solo.dir, 'blobs/sha256', image.manifestDigest.slice(7)))).length,
            platform: image.platform,
          },
          // An attestation manifest does not count as a platform.
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: image.manifestDigest,
            size: 1,
            platform: { os: 'unknown', architecture: 'unknown' },
          },
        ],
      }),
    );
    const put = await fetch(`${registry.url}/v2/strata/solo/manifests/indexed`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' },
      body: index,
    });
    expect(put.status).toBe(201);
    const pulled = await openImage(`${registry.host}/strata/solo:indexed`);
    expect(pulled.config.architecture).toBe('riscv64');
    // A single-platform image asked for another platform is an error.
    const err = await failure(
      openImage(`${registry.host}/strata/solo:latest`, { platform: { os: 'linux', architecture: 'amd64' } }),
    );
    expect(err.message).toBe('strata/solo:latest is a single-platform image for linux/riscv64, not linux/amd64');
  });

  it('says when a tag or a repository is not in the registry, in one line', async () => {
    const tag = await failure(openImage(`${registry.host}/strata/single:nope`));
    expect(tag).toBeInstanceOf(ImageReadError);
    expect(tag.message).toBe(`manifest strata/single:nope not found in registry ${registry.host}`);
    const repo = await failure(openImage(`${registry.host}/strata/absent:latest`));
    expect(repo.message).toBe(`repository strata/absent not found in registry ${registry.host}`);
  });

  it('says when the registry cannot be reached', async () => {
    const port = await freePort();
    const err = await failure(openImage(`127.0.0.1:${port}/strata/single`, { retry: FAST_RETRY }));
    expect(err).toBeInstanceOf(ImageReadError);
    expect(err.message).toBe(`cannot reach 127.0.0.1:${port}: connection refused`);
  });

  it('names the layer whose blob is corrupt in the registry storage', async () => {
    const layerDigest = single.images[0]!.layerDigests[2]!; // the uncompressed one: still a readable tar
    const path = blobDataPath(registry, layerDigest);
    const bytes = await readFile(path);
    bytes[1540] = bytes[1540]! ^ 0xff; // inside id_rsa's content (the fourth 512-byte block), not a header
    await writeFile(path, bytes);
    const err = await failure(openImage(`${registry.host}/strata/corrupt`));
    expect(err).toBeInstanceOf(VerificationError);
    // The message comes from assembleLayers: it names the layer by position and digest.
    expect(err.message).toMatch(new RegExp(`^layer 2 \\(${layerDigest}\\)`));
    expect(err.message).toMatch(/digest/);

    // A corrupt gzip layer fails while decompressing, and still names the layer.
    const gz = single.images[0]!.layerDigests[0]!;
    const gzPath = blobDataPath(registry, gz);
    const gzBytes = await readFile(gzPath);
    for (let i = 40; i < 80; i++) gzBytes[i] = 0;
    await writeFile(gzPath, gzBytes);
    const err2 = await failure(openImage(`${registry.host}/strata/corrupt`));
    expect(err2).toBeInstanceOf(ImageReadError);
    expect(err2.message).toMatch(/^layer [02] \(sha256:[0-9a-f]{64}\): /);
  });

  it('serves the generated fixtures (basic.oci-dir, multiarch.oci-archive.tar) equal to their archives', async () => {
    await pushLayout(registry.url, fixtures('formats', 'basic.oci-dir'), 'strata/basic', 'latest');
    const basic = await openImage(`${registry.host}/strata/basic`);
    expect(analysed(basic)).toEqual(analysed(await openImage(fixtures('formats', 'basic.oci-dir'))));
    expect(basic.layers).toHaveLength(4);

    const dir = join(work, 'multiarch');
    execFileSync('mkdir', ['-p', dir]);
    execFileSync('tar', ['-xf', fixtures('formats', 'multiarch.oci-archive.tar'), '-C', dir]);
    await pushLayout(registry.url, dir, 'strata/multiarch', 'latest');
    for (const platform of [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ]) {
      const pulled = await openImage(`${registry.host}/strata/multiarch`, { platform });
      const archive = await openImage(fixtures('formats', 'multiarch.oci-archive.tar'), { platform });
      expect(pulled.config.architecture).toBe(platform.architecture);
      expect(analysed(pulled)).toEqual(analysed(archive));
    }
  });
});
