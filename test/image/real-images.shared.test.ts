import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openImage } from '../../src/image/open.js';
import type { ImageIndex } from '../../src/image/types.js';
import { everyFileHashed } from '../helpers/hashed.js';
import { runCli } from '../helpers/cli.js';
import { hasShared, shared } from '../helpers/paths.js';

/** The part of an index that must not depend on the archive format. */
function layerContents(image: ImageIndex) {
  return image.layers.map((l) => ({
    diffId: l.diffId,
    entryCount: l.entryCount,
    command: l.command,
    entries: l.entries,
  }));
}

interface Stats {
  layer_count: number;
  layers: Array<{ entries: number; blob: string; media_type: string }>;
}
const stats = (name: string): Stats =>
  JSON.parse(readFileSync(shared('images', `${name}.stats.json`), 'utf8')) as Stats;

describe.skipIf(!hasShared)('real images in ../shared', () => {
  it('reads tiny in both formats, verified, with the same index', async () => {
    const docker = await everyFileHashed(await openImage(shared('images/tiny.docker-archive.tar')));
    const oci = await openImage(shared('images/tiny.oci-archive.tar'));
    expect(docker.source).toBe('docker-archive');
    expect(oci.source).toBe('oci-archive');
    expect(oci.reference).toBe('localhost/tiny:latest');
    expect(layerContents(docker)).toEqual(layerContents(oci));
    const expected = stats('tiny');
    expect(oci.layers.map((l) => l.entryCount)).toEqual(expected.layers.map((l) => l.entries));
    expect(oci.layers.map((l) => l.digest)).toEqual(expected.layers.map((l) => l.blob));
    expect(oci.layers.map((l) => l.mediaType)).toEqual(expected.layers.map((l) => l.media_type));
    expect(docker.verified && oci.verified).toBe(true);
    expect(oci.config.labels['org.opencontainers.image.source']).toBe('https://git.example.com/corpus/images/tiny');
    // podman's <id>/layer.tar entries are symlinks to <diffid>.tar: the blob digest is the diffId.
    expect(docker.layers.map((l) => l.digest)).toEqual(docker.config.diffIds);
  });

  it('reads wasteful as a gzipped docker-archive and as an oci-archive, with the same index', async () => {
    const docker = await openImage(shared('images/wasteful.docker-archive.tar.gz'));
    const oci = await openImage(shared('images/wasteful.oci-archive.tar'));
    expect(docker.layers).toHaveLength(14);
    expect(layerContents(docker)).toEqual(layerContents(oci));
    expect(oci.layers.map((l) => l.entryCount)).toEqual(stats('wasteful').layers.map((l) => l.entries));
    expect(oci.layers[1]!.command).toBe('/bin/sh -c apt-get update');
    const seed = oci.layers[8]!.entries.find((e) => e.path === '/tmp/seed-data.sql');
    expect(seed).toMatchObject({ type: 'file', size: 24_718_992 });
    const opaque = oci.layers[12]!.entries.find((e) => e.whiteout === 'opaque');
    expect(opaque?.path).toBe('/opt/app/config');
    const osRelease = oci.layers[0]!.entries.find(
      (e) => e.path === '/etc/os-release' || (e.path === '/usr/lib/os-release' && e.type === 'file'),
    );
    expect(osRelease).toBeDefined();
  });

  it("reads dive's docker and kaniko images: 451 entries in 14 layers, and kaniko's gzip layers", async () => {
    const docker = await openImage(shared('peer-images/dive/test-docker-image.tar'));
    expect(docker.layers).toHaveLength(14);
    expect(docker.layers.reduce((n, l) => n + l.entryCount, 0)).toBe(451);
    const kaniko = await openImage(shared('peer-images/dive/test-kaniko-image.tar'));
    expect(kaniko.reference).toBe('dive-test:kaniko-latest');
    expect(kaniko.layers.every((l) => l.compression === 'gzip')).toBe(true);
    expect(kaniko.configDigest).toBe('sha256:ae16a51058a758c7963b2f9b23d1acfa201ce9cbefc8cb93845f8cd934fb144d');
  });

  it.each(['gzip', 'estargz', 'zstd', 'uncompressed'])(
    "reads dive's arm64-only OCI %s image (first entry, not the host's)",
    async (kind) => {
      const image = await openImage(shared(`peer-images/dive/test-oci-${kind}-image.tar`));
      expect(image.config.architecture).toBe('arm64');
      expect(image.layers).toHaveLength(1);
      // estargz's table of contents lies past the tar's end marker: not listed.
      expect(image.layers[0]!.entries.map((e) => e.path)).toEqual(['/README.md']);
      expect(image.layers[0]!.compression).toBe(kind === 'uncompressed' ? 'none' : kind === 'estargz' ? 'gzip' : kind);
    },
  );

  it.each(['gzip', 'estargz', 'zstd', 'uncompressed'])(
    'says test-%s-image.tar is not an image: exit 1, one line',
    async (kind) => {
      const result = await runCli(shared(`peer-images/dive/test-${kind}-image.tar`));
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(
        /test-.*-image\.tar: not a container image: no manifest\.json or index\.json \(it holds README\.md\)/,
      );
    },
  );
});
