import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage, type ImageAnalysis } from '../../src/analysis/analyze.js';
import type { Explanation } from '../../src/analysis/explain/index.js';
import { openImage } from '../../src/image/open.js';
import { buildJsonReport } from '../../src/report/json.js';
import { fixtures } from '../helpers/paths.js';

async function analyze(path: string): Promise<ImageAnalysis> {
  return analyzeImage(await openImage(path));
}

function hiddenSum(explanations: Explanation[]): number {
  return explanations.filter((e) => e.kind !== 'cache-left').reduce((sum, e) => sum + e.bytes, 0);
}

describe('explanations of the demo image', () => {
  let analysis: ImageAnalysis;
  beforeAll(async () => {
    analysis = await analyze(fixtures('demo', 'demo.tar'));
  });

  it('tells its story: the separate update, the seed file, the chmod, the dpkg status, the opaque config', () => {
    expect(analysis.explanations.map((e) => [e.kind, e.layer, e.hiddenBy, e.paths, e.bytes])).toEqual([
      ['update-separate', 1, 5, ['/var/lib/apt/lists'], 315_841],
      ['deleted-later', 4, 5, ['/tmp/seed.sql'], 307_248],
      ['metadata-rewrite', 2, 6, ['/etc/ssh/sshd_config'], 2798],
      ['overwritten', 0, 2, ['/var/lib/dpkg/status', '/etc/passwd'], 2695],
      ['overwritten', 3, 7, ['/opt/app/config'], 375],
    ]);
    expect(hiddenSum(analysis.explanations)).toBe(analysis.exact.hiddenBytes);
  });

  it('is in the JSON report as `explanations`, schemaVersion still 1', async () => {
    const image = await openImage(fixtures('demo', 'demo.tar'));
    const json = buildJsonReport(image, analyzeImage(image));
    expect(json.schemaVersion).toBe(1);
    expect(json.explanations).toHaveLength(5);
    expect(json.explanations[0]).toEqual({
      kind: 'update-separate',
      layer: 1,
      command: '/bin/sh -c apt-get update',
      hiddenBy: 5,
      hiddenByCommand: '/bin/sh -c rm -rf /var/lib/apt/lists/* /tmp/seed.sql',
      bytes: 315_841,
      paths: ['/var/lib/apt/lists'],
      pathCount: 6,
      message:
        '`apt-get update` in layer 1 shipped 316 kB of /var/lib/apt/lists, which layer 5 deleted: they ' +
        'are still in the image.',
      fix:
        'Run update, install and clean in one RUN: `RUN apt-get update && apt-get install -y … && rm -rf ' +
        '/var/lib/apt/lists/*`.',
    });
  });
});
