import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openImage } from '../../src/image/open.js';
import type { ImageIndex } from '../../src/image/types.js';
import { fixtures } from '../helpers/paths.js';

interface ExpectedEntry {
  path: string;
  type: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  linkTarget?: string;
}
interface Expected {
  reference: string;
  configDigest: string;
  diffIds: string[];
  layers: Array<{
    entryCount: number;
    headerSizeTotal: number;
    paths: string[];
    entries: ExpectedEntry[];
    createdBy: string;
  }>;
  layouts: Record<
    string,
    { layerDigests: string[]; layerMediaTypes?: string[]; manifestDigest?: string; reference: string }
  >;
  multiarch: {
    reference: string;
    manifests: Array<{
      platform: { architecture: string; os: string; variant?: string };
      manifestDigest: string;
      diffIds: string[];
    }>;
  };
}
const expected = JSON.parse(readFileSync(fixtures('formats/expected.json'), 'utf8')) as Expected;

/** What must not depend on the layout: every entry of every layer, and the layers' history. */
function contents(image: ImageIndex) {
  return image.layers.map((l) => ({
    diffId: l.diffId,
    entryCount: l.entryCount,
    headerSizeTotal: l.headerSizeTotal,
    command: l.command,
    entries: l.entries,
  }));
}

const forms = Object.keys(expected.layouts);

describe('every layout of the same image', () => {
  it('covers the layouts the generator writes', () => {
    expect(forms).toEqual(
      expect.arrayContaining([
        'basic.docker-legacy.tar',
        'basic.docker-podman.tar',
        'basic.docker25.tar',
        'basic.kaniko.tar',
        'basic.oci-archive.tar',
        'basic.oci-zstd.tar',
        'basic.oci-plain.tar',
        'basic.oci-dir',
        'basic.docker-legacy.tar.gz',
        'basic.docker-legacy.tar.zst',
      ]),
    );
  });

  it.each(forms)('%s reads, verified, as the generator wrote it', async (form) => {
    const image = await openImage(fixtures('formats', form));
    const layout = expected.layouts[form]!;
    expect(image.verified).toBe(true);
    expect(image.configDigest).toBe(expected.configDigest);
    expect(image.config.diffIds).toEqual(expected.diffIds);
    expect(image.layers.map((l) => l.diffId)).toEqual(expected.diffIds);
    expect(image.layers.map((l) => l.digest)).toEqual(layout.layerDigests);
    if (layout.layerMediaTypes) expect(image.layers.map((l) => l.mediaType)).toEqual(layout.layerMediaTypes);
    if (layout.manifestDigest) expect(image.manifestDigest).toBe(layout.manifestDigest);
    image.layers.forEach((layer, i) => {
      const want = expected.layers[i]!;
      expect(layer.entryCount).toBe(want.entryCount);
      expect(layer.headerSizeTotal).toBe(want.headerSizeTotal);
      expect(layer.command).toBe(want.createdBy);
      expect(
        layer.entries.map(({ path, type, size, mode, uid, gid, linkTarget }) => ({
          path,
          type,
          size,
          mode,
          uid,
          gid,
          ...(linkTarget !== undefined ? { linkTarget } : {}),
        })),
      ).toEqual(
        want.entries.map(({ path, type, size, mode, uid, gid, linkTarget }) => ({
          path,
          type,
          size,
          mode,
          uid,
          gid,
          ...(linkTarget !== undefined ? { linkTarget } : {}),
        })),
      );
    });
  });

  it('gives an identical index for every form', async () => {
    const [first, ...rest] = await Promise.all(forms.map((f) => openImage(fixtures('formats', f))));
    for (const image of rest) expect(contents(image)).toEqual(contents(first!));
  });

  it('keeps the first bytes of files and whole captured files', async () => {
    const image = await openImage(fixtures('formats/basic.oci-archive.tar'));
    const entries = image.layers.flatMap((l) => l.entries);
    const elf = entries.find((e) => e.head?.startsWith('\x7fELF'));
    const script = entries.find((e) => e.head?.startsWith('#!'));
    const env = entries.find((e) => e.path === '/opt/app/.env');
    expect(elf).toBeDefined();
    expect(script).toBeDefined();
    expect(env?.content && Buffer.from(env.content).toString()).toMatch(/=/);
  });
});

describe('multi-platform index', () => {
  const archive = fixtures('formats/multiarch.oci-archive.tar');
  const byArch = (arch: string) => expected.multiarch.manifests.find((m) => m.platform.architecture === arch)!;

  it('follows the nested index and picks the host platform when listed', async () => {
    const image = await openImage(archive);
    expect(image.manifestDigest).toBe(byArch('amd64').manifestDigest); // these machines are amd64
    expect(image.reference).toBe(expected.multiarch.reference);
  });

  it('--platform chooses another entry', async () => {
    const image = await openImage(archive, { platform: { os: 'linux', architecture: 'arm64' } });
    expect(image.manifestDigest).toBe(byArch('arm64').manifestDigest);
    expect(image.layers.map((l) => l.diffId)).toEqual(byArch('arm64').diffIds);
  });

  it('a platform that is not listed is an error that lists the others', async () => {
    await expect(openImage(archive, { platform: { os: 'linux', architecture: 's390x' } })).rejects.toThrow(
      'no image for platform linux/s390x (the index lists linux/amd64, linux/arm64/v8)',
    );
  });
});
