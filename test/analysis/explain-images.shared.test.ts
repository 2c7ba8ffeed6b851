import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage, type ImageAnalysis } from '../../src/analysis/analyze.js';
import { explanationTotals, type Explanation } from '../../src/analysis/explain/index.js';
import { openImage } from '../../src/image/open.js';
import { hasShared, shared } from '../helpers/paths.js';

async function analyze(path: string): Promise<ImageAnalysis> {
  return analyzeImage(await openImage(path));
}

function naming(explanations: Explanation[], path: string): Explanation | undefined {
  return explanations.find((e) => e.paths.includes(path));
}

function hiddenSum(explanations: Explanation[]): number {
  return explanations.filter((e) => e.kind !== 'cache-left').reduce((sum, e) => sum + e.bytes, 0);
}

describe.skipIf(!hasShared)('explanations of the wasteful image', () => {
  let analysis: ImageAnalysis;
  beforeAll(async () => {
    analysis = await analyze(shared('images', 'wasteful.oci-archive.tar'));
  });

  it('names /var/lib/apt/lists once: an update in a separate layer, deleted later', () => {
    const lists = analysis.explanations.filter((e) => e.paths.some((p) => p.startsWith('/var/lib/apt/lists')));
    expect(lists).toHaveLength(1);
    expect(lists[0]).toMatchObject({
      kind: 'update-separate',
      layer: 1,
      hiddenBy: 7,
      paths: ['/var/lib/apt/lists'],
      pathCount: 6,
      bytes: 52_867_085,
    });
    expect(lists[0]!.command).toBe('/bin/sh -c apt-get update');
    expect(lists[0]!.message).toMatch(
      /^`apt-get update` in layer 1 shipped 52\.\d MB of \/var\/lib\/apt\/lists, which layer 7 deleted/,
    );
    expect(lists[0]!.fix).toMatch(/update, install and clean in one RUN/);
  });

  it('names /tmp/seed-data.sql: COPY then removed, fixed by a multi-stage build or a bind mount', () => {
    const seed = naming(analysis.explanations, '/tmp/seed-data.sql');
    expect(seed).toMatchObject({ kind: 'deleted-later', layer: 8, hiddenBy: 9, bytes: 24_718_992, pathCount: 1 });
    expect(seed!.message).toBe(
      "Layer 8 COPY'd /tmp/seed-data.sql (24.7 MB), and layer 9 removed it: it is still in the image.",
    );
    expect(seed!.fix).toMatch(/multi-stage build, or a bind mount/);
  });

  it('names /etc/ssh/sshd_config: a metadata rewrite by layer 10', () => {
    const sshd = naming(analysis.explanations, '/etc/ssh/sshd_config');
    expect(sshd).toMatchObject({ kind: 'metadata-rewrite', layer: 2, hiddenBy: 10, bytes: 3223 });
    expect(sshd!.message).toMatch(
      new RegExp(
        String.raw`^Layer 10 \(${'`'}chmod 0600 /etc/ssh/sshd_config${'`'}\) only changed the mode of ` +
          String.raw`/etc/ssh/sshd_config \(0644 → 0600\), so the whole file was stored again`,
      ),
    );
    expect(sshd!.fix).toMatch(/COPY --chmod/);
  });

  it("names /opt/app/config: layer 12's opaque replacement of what layer 3 put there", () => {
    const config = naming(analysis.explanations, '/opt/app/config');
    expect(config).toMatchObject({ kind: 'overwritten', layer: 3, hiddenBy: 12, pathCount: 2, bytes: 231 });
    expect(config!.message).toContain(
      'replaced /opt/app/config (an opaque directory): the 2 files (231 B) that layer 3 put there are still shipped',
    );
  });

  it('ranks by bytes; every explanation but cache-left adds up to at most hiddenBytes', () => {
    const bytes = analysis.explanations.map((e) => e.bytes);
    expect(bytes).toEqual([...bytes].sort((a, b) => b - a));
    expect(hiddenSum(analysis.explanations)).toBeLessThanOrEqual(analysis.exact.hiddenBytes);
    // In fact every hidden piece is explained.
    expect(hiddenSum(analysis.explanations)).toBe(analysis.exact.hiddenBytes);
    expect(explanationTotals(analysis.explanations).hiddenBytes).toBe(analysis.exact.hiddenBytes);
    expect(analysis.explanations.map((e) => e.kind)).toEqual([
      'update-separate',
      'deleted-later',
      'deleted-later',
      'overwritten',
      'metadata-rewrite',
      'overwritten',
      'overwritten',
      'metadata-rewrite',
    ]);
  });

  it('sizes are SI', () => {
    for (const e of analysis.explanations) expect(e.message).not.toMatch(/[KMG]iB/);
  });
});

describe.skipIf(!hasShared)("explanations of dive's test image", () => {
  it('covers its 32,025 hidden bytes: two chmods, a mv, and a deleted directory', async () => {
    const analysis = await analyze(shared('peer-images', 'dive', 'test-docker-image.tar'));
    expect(hiddenSum(analysis.explanations)).toBe(32_025);
    expect(analysis.explanations.filter((e) => e.kind === 'metadata-rewrite').map((e) => e.paths[0])).toEqual([
      '/root/example/somefile1.txt',
      '/root/saved.txt',
    ]);
    expect(
      analysis.explanations.filter((e) => e.kind === 'deleted-later').map((e) => [e.layer, e.hiddenBy, e.paths[0]]),
    ).toEqual([
      [4, 9, '/root/example/somefile1.txt'],
      [5, 9, '/root/example/somefile2.txt'],
      [6, 7, '/root/example/somefile3.txt'],
    ]);
  });
});
