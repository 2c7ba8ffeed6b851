import { describe, expect, it } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { openImage } from '../../src/image/open.js';
import type { ImageIndex } from '../../src/image/types.js';
import type { TarEntry } from '../../src/layers/types.js';
import { buildJsonReport } from '../../src/report/json.js';
import { naiveStack } from '../helpers/layers.js';
import { hasShared, shared } from '../helpers/paths.js';

/** total = visible + Σ hidden, with visible found independently by walking a naive final filesystem. */
function checkWasteProperty(image: ImageIndex, label: string): void {
  const { exact } = analyzeImage(image);
  const pieces = image.layers.flatMap((l) => l.entries.filter((e) => e.type === 'file' && !e.whiteout));
  const reachable = new Set<TarEntry>();
  for (const state of naiveStack(image.layers).filesystems.at(-1)?.values() ?? [])
    if (state.piece) reachable.add(state.piece);
  const visible = [...reachable].reduce((sum, piece) => sum + piece.size, 0);
  const hidden = exact.hidden.reduce((sum, piece) => sum + piece.size, 0);
  expect(exact.totalBytes, label).toBe(pieces.reduce((sum, piece) => sum + piece.size, 0));
  expect(exact.visibleBytes, label).toBe(visible);
  expect(exact.totalBytes, label).toBe(visible + hidden);
}

describe.skipIf(!hasShared)('real images', () => {
  it.each([
    'images/tiny.oci-archive.tar',
    'images/wasteful.oci-archive.tar',
    'peer-images/dive/test-docker-image.tar',
    'peer-images/dive/test-kaniko-image.tar',
  ])('the waste property holds on %s', async (file) => checkWasteProperty(await openImage(shared(file)), file));

  it("gives dive's published figures on dive's docker test image", async () => {
    const { dive } = analyzeImage(await openImage(shared('peer-images/dive/test-docker-image.tar')));
    expect(dive).toMatchObject({
      efficiency: 0.9844212134184309,
      wastedBytes: 32025,
      userWastedPercent: 0.4834911001404049,
      sizeBytes: 1220598,
      userSizeBytes: 66237,
    });
    expect(dive.inefficientFiles).toEqual([
      { path: '/root/example/somefile1.txt', count: 2, sizeBytes: 12810 },
      { path: '/root/saved.txt', count: 2, sizeBytes: 12810 },
      { path: '/root/example/somefile3.txt', count: 2, sizeBytes: 6405 },
    ]);
  });

  it.each(['gzip', 'estargz', 'zstd', 'uncompressed'])(
    "gives dive's figures on the one-layer OCI %s image: nothing wasted",
    async (kind) => {
      const { dive } = analyzeImage(await openImage(shared(`peer-images/dive/test-oci-${kind}-image.tar`)));
      // One layer of one 11,189-byte file: dive's efficiency is 1 and nothing is wasted; with no user
      // layers dive divides by zero, which the report gives as null.
      expect(dive).toEqual({
        efficiency: 1,
        wastedBytes: 0,
        userWastedPercent: null,
        sizeBytes: 11189,
        userSizeBytes: 0,
        inefficientFiles: [],
      });
    },
  );

  it('gives the same layers, waste and dive sections for wasteful as oci-archive and as docker-archive', async () => {
    const [oci, docker] = await Promise.all(
      ['wasteful.oci-archive.tar', 'wasteful.docker-archive.tar.gz'].map(async (f) => {
        const image = await openImage(shared('images', f));
        return buildJsonReport(image, analyzeImage(image));
      }),
    );
    // The blob as stored differs (gzip layers in the OCI archive, plain in docker's): its digest,
    // media type and stored size. Everything the analysis says is the same.
    const analysisOf = (report: typeof oci) =>
      report!.layers.map(({ digest: _d, mediaType: _m, compressedSize: _c, ...rest }) => rest);
    expect(analysisOf(docker)).toEqual(analysisOf(oci));
    expect(docker!.waste).toEqual(oci!.waste);
    expect(docker!.dive).toEqual(oci!.dive);
    expect(docker!.layers.map((l) => l.diffId)).toEqual(oci!.layers.map((l) => l.diffId));
  });
});
