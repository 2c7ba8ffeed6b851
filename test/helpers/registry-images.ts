/**
 * Small OCI image layouts for the registry tests, built on disk: a single-platform image and a
 * multi-platform index (OCI or Docker media types), so the same blobs can be read from the layout
 * and pulled from a registry they were pushed to.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildTar, type TarSpec } from './tar.js';

export interface TestPlatform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface BuiltImage {
  platform: TestPlatform;
  manifestDigest: string;
  configDigest: string;
  layerDigests: string[];
}

export interface BuiltLayout {
  dir: string;
  /** The digest of what index.json points at: the image manifest, or the index of a multi-platform layout. */
  topDigest: string;
  images: BuiltImage[];
}

type Flavour = 'oci' | 'docker';

const TYPES = {
  oci: {
    manifest: 'application/vnd.oci.image.manifest.v1+json',
    index: 'application/vnd.oci.image.index.v1+json',
    config: 'application/vnd.oci.image.config.v1+json',
    gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
    plain: 'application/vnd.oci.image.layer.v1.tar',
  },
  docker: {
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    index: 'application/vnd.docker.distribution.manifest.list.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    gzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
    plain: 'application/vnd.docker.image.rootfs.diff.tar',
  },
} as const;

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function writeBlob(dir: string, bytes: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(bytes);
  await writeFile(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
  return { digest, size: bytes.length };
}

function layerSpecs(platform: TestPlatform): TarSpec[][] {
  const arch = [platform.architecture, platform.variant].filter(Boolean).join('/');
  return [
    [
      { name: 'bin/', type: 'directory', mode: 0o755 },
      { name: 'etc/', type: 'directory', mode: 0o755 },
      { name: 'bin/tool', content: Buffer.alloc(70_000, `tool for ${arch}\n`), mode: 0o755 },
      { name: 'etc/os-release', content: `ID=strata-test\nARCH=${arch}\n` },
      { name: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
      { name: 'etc/motd', content: 'hello\n' },
    ],
    [
      { name: 'etc/.wh.motd', content: '' },
      { name: 'usr/', type: 'directory', mode: 0o755 },
      { name: 'usr/share/', type: 'directory', mode: 0o755 },
      { name: 'usr/share/notes.txt', content: `notes for ${arch}\n`.repeat(200) },
      { name: 'bin/sh', type: 'symlink', linkname: 'tool', mode: 0o777 },
    ],
    [
      { name: 'root/', type: 'directory', mode: 0o700 },
      { name: 'root/.ssh/', type: 'directory', mode: 0o700 },
      { name: 'root/.ssh/id_rsa', content: '-----BEGIN OPENSSH PRIVATE KEY-----\nnot a real key\n', mode: 0o600 },
    ],
  ];
}

/** What an image holds other than the standard test layers. */
interface LayerOptions {
  /** The layers' contents (default: three standard layers, made for the platform). */
  layers?: TarSpec[][];
  /** Store every layer uncompressed (default: the last one only; the others gzip). */
  plain?: boolean;
}

/** Writes one image's blobs; returns its manifest descriptor. */
async function writeImage(
  dir: string,
  platform: TestPlatform,
  flavour: Flavour,
  options: LayerOptions,
): Promise<{ descriptor: Record<string, unknown>; image: BuiltImage }> {
  const types = TYPES[flavour];
  const layers: Array<{ mediaType: string; digest: string; size: number }> = [];
  const diffIds: string[] = [];
  const specs = options.layers ?? layerSpecs(platform);
  for (const [i, spec] of specs.entries()) {
    const tar = await buildTar(spec);
    diffIds.push(sha256(tar));
    const plain = options.plain === true || i === specs.length - 1;
    const blob = plain ? tar : gzipSync(tar, { level: 6 });
    const written = await writeBlob(dir, blob);
    layers.push({ mediaType: plain ? types.plain : types.gzip, ...written });
  }
  const config = {
    created: '2024-01-02T03:04:05Z',
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: {
      Env: ['PATH=/bin'],
      Cmd: ['/bin/tool'],
      WorkingDir: '/',
      Labels: { 'org.example.arch': platform.architecture },
    },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: options.layers
      ? options.layers.map((_, i) => ({ created: '2024-01-02T03:04:01Z', created_by: `COPY layer${i} /` }))
      : [
          { created: '2024-01-02T03:04:01Z', created_by: 'ADD base.tar /' },
          { created: '2024-01-02T03:04:02Z', created_by: 'ENV PATH=/bin', empty_layer: true },
          { created: '2024-01-02T03:04:03Z', created_by: 'RUN rm /etc/motd && ln -s tool /bin/sh' },
          { created: '2024-01-02T03:04:04Z', created_by: 'COPY id_rsa /root/.ssh/id_rsa' },
        ],
  };
  const configBlob = await writeBlob(dir, Buffer.from(JSON.stringify(config)));
  const manifest = {
    schemaVersion: 2,
    mediaType: types.manifest,
    config: { mediaType: types.config, ...configBlob },
    layers,
  };
  const manifestBlob = await writeBlob(dir, Buffer.from(JSON.stringify(manifest, null, 2)));
  return {
    descriptor: { mediaType: types.manifest, ...manifestBlob, platform },
    image: {
      platform,
      manifestDigest: manifestBlob.digest,
      configDigest: configBlob.digest,
      layerDigests: layers.map((l) => l.digest),
    },
  };
}

/**
 * An OCI layout in `dir`: one image when one platform is given, else a (nested) index of them.
 * `flavour` picks OCI or Docker v2 media types for the manifests pushed from it; `layers` and
 * `plain` replace the standard layers.
 */
export async function buildLayout(
  dir: string,
  platforms: TestPlatform[],
  options: { flavour?: Flavour; tag?: string } & LayerOptions = {},
): Promise<BuiltLayout> {
  const flavour = options.flavour ?? 'oci';
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const written = [];
  for (const platform of platforms) written.push(await writeImage(dir, platform, flavour, options));
  const annotations = { 'org.opencontainers.image.ref.name': options.tag ?? 'latest' };
  let top: Record<string, unknown>;
  if (written.length === 1) {
    const { platform: _platform, ...descriptor } = written[0]!.descriptor;
    top = { ...descriptor, annotations };
  } else {
    const index = { schemaVersion: 2, mediaType: TYPES[flavour].index, manifests: written.map((w) => w.descriptor) };
    const blob = await writeBlob(dir, Buffer.from(JSON.stringify(index, null, 2)));
    top = { mediaType: TYPES[flavour].index, ...blob, annotations };
  }
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, mediaType: TYPES.oci.index, manifests: [top] }),
  );
  return { dir, topDigest: top.digest as string, images: written.map((w) => w.image) };
}
