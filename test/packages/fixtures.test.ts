import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { LayerCache } from '../../src/cache/layer-cache.js';
import { openImage } from '../../src/image/open.js';
import type { ImageIndex } from '../../src/image/types.js';
import { analyzePackages, preparePackageReaders } from '../../src/packages/index.js';
import { buildJsonReport } from '../../src/report/json.js';
import { naiveStack } from '../helpers/layers.js';
import { fixtures } from '../helpers/paths.js';

interface ExpectedImage {
  file: string;
  layers: Array<{ added: string[]; removed: string[]; upgraded: string[] }>;
  items: Array<Record<string, unknown>>;
  unreadable?: string[];
}

const expected = JSON.parse(readFileSync(fixtures('packages', 'expected.json'), 'utf8')) as Record<
  string,
  ExpectedImage
>;

async function analysed(file: string) {
  const image = await openImage(fixtures('packages', file));
  await preparePackageReaders(image.layers);
  return { image, analysis: analyzeImage(image) };
}

/** Visible regular-file bytes, each hardlink group once, from the naive reference model of stacking. */
function visibleBytes(image: ImageIndex): number {
  const { filesystems } = naiveStack(image.layers);
  const seen = new Set<unknown>();
  let total = 0;
  for (const state of filesystems[filesystems.length - 1]?.values() ?? []) {
    if (state.piece === null || seen.has(state.piece)) continue;
    seen.add(state.piece);
    total += state.size;
  }
  return total;
}

describe('package databases in the fixture images', () => {
  for (const [name, want] of Object.entries(expected)) {
    it(`${name}: each package's version, layer, files and bytes, and each layer's changes`, async () => {
      const { image, analysis } = await analysed(want.file);
      const { packages } = analysis;
      const items = packages.items.map(({ manager, name, version, arch, layer, files, bytes, hiddenBytes }) => ({
        manager,
        name,
        version,
        arch,
        layer,
        files,
        bytes,
        hiddenBytes,
      }));
      expect(items).toEqual(want.items);
      expect(packages.layers).toEqual(want.layers);
      expect(packages.unreadable).toEqual(want.unreadable ?? []);
      const owned = packages.items.reduce((sum, item) => sum + item.bytes, 0);
      expect(packages.unownedBytes).toBe(visibleBytes(image) - owned);
    });
  }

  it('the JSON report carries the packages section and each layer its changes', async () => {
    const { image, analysis } = await analysed('dpkg.tar');
    const report = buildJsonReport(image, analysis);
    expect(report.packages.managers).toEqual(['dpkg']);
    expect(report.packages.items[0]).toMatchObject({ name: 'curl', bytes: 5000, layer: 1 });
    expect(report.layers.map((layer) => layer.packages)).toEqual(expected.dpkg!.layers);
  });

  it('names the owner of a path reached through a symlinked directory (merged /usr)', async () => {
    const { analysis } = await analysed('dpkg.tar');
    expect(analysis.packages.ownerOf('/usr/bin/bash')?.name).toBe('bash');
    expect(analysis.packages.ownerOf('/usr/share/doc/bash/copyright.distrib')?.name).toBe('bash');
    expect(analysis.packages.ownerOf('/usr/share/doc/bash/copyright')?.name).toBe('base-files');
    expect(analysis.packages.ownerOf('/opt/leftover.bin')).toBeUndefined();
  });

  it('an image without a package database has none, and every visible byte unowned', async () => {
    const image = await openImage(fixtures('formats', 'basic.oci-archive.tar'));
    const { packages } = analyzeImage(image);
    expect(packages.managers).toEqual([]);
    expect(packages.items).toEqual([]);
    expect(packages.unownedBytes).toBe(visibleBytes(image));
  });

  it('layers read back from the layer cache give the same packages as a fresh read', async () => {
    for (const name of ['dpkg', 'apk', 'rpm']) {
      const { image, analysis } = await analysed(expected[name]!.file);
      const cache = new LayerCache({ dir: mkdtempSync(join(tmpdir(), 'strata-packages-cache-')) });
      await cache.putAll(image.layers);
      const layers = await Promise.all(
        image.layers.map(async (layer) => ({ ...layer, ...(await cache.get(layer.diffId, layer.digest))! })),
      );
      const again = analyzeImage({ ...image, layers });
      expect(again.packages.items, name).toEqual(analysis.packages.items);
      expect(again.packages.layers, name).toEqual(analysis.packages.layers);
    }
  });

  it('an rpmdb is read once SQLite is loaded', async () => {
    const image = await openImage(fixtures('packages', 'rpm.tar'));
    const stack = analyzeImage(image).stack;
    await preparePackageReaders(image.layers);
    expect(analyzePackages(stack).items.map((item) => item.name)).toEqual(['tinytool']);
  });
});
